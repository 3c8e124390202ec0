//! `service.rs` (regions, environments, protocol constants) and `errors.rs` (error codes).

use amazon_pay_spec::Spec;
use proc_macro2::TokenStream;
use quote::quote;

use crate::names;
use crate::shapes::enumeration;

pub fn service(spec: &Spec) -> TokenStream {
    let svc = &spec.service.service;
    let (name, version, ns, ipn_ns) = (
        &svc.name,
        &svc.version,
        &svc.xml_namespace,
        &svc.ipn_namespace,
    );
    let (method, sig_version, skew) = (
        &svc.signature_method,
        &svc.signature_version,
        svc.max_clock_skew_seconds,
    );
    let (sandbox, live) = (
        &spec.service.environments.sandbox,
        &spec.service.environments.live,
    );
    let regions = &spec.service.regions;
    let variants: Vec<_> = regions
        .iter()
        .map(|r| names::ty(&names::variant(r.name.get_ref())))
        .collect();
    let region_names: Vec<&str> = regions.iter().map(|r| r.name.get_ref().as_str()).collect();
    let hosts = regions.iter().map(|r| &r.host);
    let domains = regions.iter().map(|r| &r.payment_domain);
    let currencies = regions.iter().map(|r| {
        let c = &r.currencies;
        quote!(&[#(#c),*])
    });
    let limits = regions.iter().map(|r| {
        let amount = &r.billing_agreement_monthly_limit;
        let currency = r.currencies.first().cloned().unwrap_or_default();
        quote!((#amount, #currency))
    });
    let docs = regions.iter().map(|r| {
        let d = if r.doc.is_empty() {
            format!(" Region {}.", r.name.get_ref())
        } else {
            format!(" {}", r.doc)
        };
        quote!(#[doc = #d])
    });
    let svc_doc = format!(" The `{name}` service, version {version}.");
    quote! {
        #[doc = #svc_doc]
        pub const SERVICE_NAME: &str = #name;
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

        /// A region: it decides the host and the currency.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Region {
            #(#docs #variants,)*
        }

        impl Region {
            /// Every region, in spec order.
            pub const ALL: &'static [Region] = &[#(Region::#variants),*];

            /// The region's name in the spec (`JP`, `NA`, ...).
            pub fn name(&self) -> &'static str {
                match self { #(Region::#variants => #region_names,)* }
            }

            /// Reads a region name, ignoring case.
            pub fn parse(name: &str) -> ::std::option::Option<Region> {
                Region::ALL.iter().copied().find(|r| r.name().eq_ignore_ascii_case(name))
            }

            /// The API host (the same for sandbox and live).
            pub fn host(&self) -> &'static str {
                match self { #(Region::#variants => #hosts,)* }
            }

            /// The currencies the region accepts; the first is its default.
            pub fn currencies(&self) -> &'static [&'static str] {
                match self { #(Region::#variants => #currencies,)* }
            }

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

        impl ::std::fmt::Display for Region {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }

        /// Sandbox or live: selects the path, never the host.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Environment {
            Sandbox,
            Live,
        }

        impl Environment {
            /// The request path.
            pub fn path(&self) -> &'static str {
                match self {
                    Environment::Sandbox => #sandbox,
                    Environment::Live => #live,
                }
            }

            /// Reads `sandbox` or `live`, ignoring case.
            pub fn parse(name: &str) -> ::std::option::Option<Environment> {
                if name.eq_ignore_ascii_case("sandbox") {
                    ::std::option::Option::Some(Environment::Sandbox)
                } else if name.eq_ignore_ascii_case("live") {
                    ::std::option::Option::Some(Environment::Live)
                } else {
                    ::std::option::Option::None
                }
            }
        }
    }
}

pub fn errors(spec: &Spec) -> Result<TokenStream, String> {
    let values: Vec<(&str, &str)> = spec
        .errors
        .iter()
        .map(|e| (e.code.get_ref().as_str(), e.doc.as_str()))
        .collect();
    let enumeration = enumeration(
        "ErrorCode",
        "An error code of the service (`<Code>` of an `ErrorResponse`).",
        &values,
    )?;
    let variants: Vec<_> = spec
        .errors
        .iter()
        .map(|e| names::ty(&names::variant(e.code.get_ref())))
        .collect();
    let statuses = spec.errors.iter().map(|e| match e.status {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    });
    let retryable: Vec<_> = spec
        .errors
        .iter()
        .filter(|e| e.retryable)
        .map(|e| names::ty(&names::variant(e.code.get_ref())))
        .collect();
    let retryable = if retryable.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(self, #(ErrorCode::#retryable)|*))
    };
    Ok(quote! {
        #enumeration

        impl ErrorCode {
            /// The HTTP status the service answers with, where a source documents it.
            pub fn http_status(&self) -> ::std::option::Option<u16> {
                match self {
                    #(ErrorCode::#variants => #statuses,)*
                    ErrorCode::Unknown(_) => ::std::option::Option::None,
                }
            }

            /// Whether the same request may succeed when sent again later.
            pub fn retryable(&self) -> bool {
                #retryable
            }
        }
    })
}
