//! The v1 part of `service.rs`: protocol constants and the lists of common parameters.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::service::environment_path;
use crate::ir::{Ir, MwsQuery};
use crate::names;

/// `VERSION` to `MAX_CLOCK_SKEW_SECONDS`.
pub fn constants(ir: &Ir, q: &MwsQuery) -> TokenStream {
    let version = &ir.service.version;
    let (ns, ipn_ns) = (&q.xml_namespace, &q.ipn_namespace);
    let (method, sig_version, skew) = (
        &q.signature_method,
        &q.signature_version,
        q.max_clock_skew_seconds,
    );
    quote! {
        /// The `Version` parameter of every request.
        pub const VERSION: &str = #version;
        /// The namespace of every response document.
        pub const XML_NAMESPACE: &str = #ns;
        /// The namespace of IPN `NotificationData` documents.
        pub const IPN_NAMESPACE: &str = #ipn_ns;
        /// The `SignatureMethod` parameter.
        pub const SIGNATURE_METHOD: &str = #method;
        /// The `SignatureVersion` parameter.
        pub const SIGNATURE_VERSION: &str = #sig_version;
        /// Requests whose `Timestamp` is further than this from the service's clock are rejected.
        pub const MAX_CLOCK_SKEW_SECONDS: u32 = #skew;
    }
}

/// `COMMON_PARAMS`, `SECRET_PARAMS`, `VOLATILE_PARAMS`.
pub fn lists(q: &MwsQuery) -> TokenStream {
    let common = q.common_names(|_| true);
    let secret = q.common_names(|p| p.secret);
    let volatile = q.common_names(|p| p.volatile);
    quote! {
        /// The parameters the runtime adds to every request besides the operation's inputs
        /// (the signature included), sorted.
        pub const COMMON_PARAMS: &[&str] = &[#(#common),*];
        /// Parameters whose values are credentials or name the account: logs and recordings
        /// redact them. Sorted.
        pub const SECRET_PARAMS: &[&str] = &[#(#secret),*];
        /// Parameters that change on every attempt: two requests are the same request when
        /// they agree on everything else. Sorted.
        pub const VOLATILE_PARAMS: &[&str] = &[#(#volatile),*];
    }
}

/// `Region::payment_domain()` and `Region::billing_agreement_monthly_limit()`.
pub fn region_methods(ir: &Ir) -> TokenStream {
    let regions = &ir.service.regions;
    let variants: Vec<_> = regions.iter().map(|r| names::ty(&r.variant)).collect();
    // Both are validated present for mws-query regions.
    let domains = regions
        .iter()
        .map(|r| r.payment_domain.clone().unwrap_or_default());
    let limits = regions.iter().map(|r| {
        let amount = r
            .billing_agreement_monthly_limit
            .clone()
            .unwrap_or_default();
        let currency = r.currencies.first().cloned().unwrap_or_default();
        quote!((#amount, #currency))
    });
    quote! {
        /// The `PaymentDomain` of ListOrderReference.
        pub fn payment_domain(&self) -> &'static str {
            match self { #(Region::#variants => #domains,)* }
        }

        /// The amount a billing agreement may authorize per calendar month (`None` only if
        /// the spec's figure were not a valid amount, which a test rules out).
        pub fn billing_agreement_monthly_limit(&self) -> ::std::option::Option<::amazon_pay_protocol::Money> {
            let (amount, currency) = match self { #(Region::#variants => #limits,)* };
            ::amazon_pay_protocol::Money::new(amount, ::amazon_pay_protocol::Currency::parse(currency)).ok()
        }
    }
}

/// `Environment::path()`.
pub fn environment_methods(ir: &Ir) -> TokenStream {
    environment_path(ir, "The request path.")
}
