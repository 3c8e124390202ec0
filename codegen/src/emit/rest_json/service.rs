//! The v2 part of `service.rs`: protocol constants, the region code, and the base path a key
//! id selects.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::service::environment_path;
use crate::ir::{Ir, RestJson};
use crate::names;

/// `API_VERSION` to `REQUEST_ID_HEADER`.
pub fn constants(ir: &Ir, j: &RestJson) -> TokenStream {
    let version = &ir.service.version;
    let (api_version, unified, prefixes) =
        (&j.api_version, &j.unified_path, &j.unified_key_prefixes);
    let algorithms = j
        .signature_algorithms
        .iter()
        .map(|(name, salt)| quote!((#name, #salt)));
    let (content_type, date, host, region, key, request_id) = (
        &j.content_type,
        &j.date_header,
        &j.host_header,
        &j.region_header,
        &j.idempotency_key_header,
        &j.request_id_header,
    );
    quote! {
        /// The service version.
        pub const VERSION: &str = #version;
        /// The version segment of every path.
        pub const API_VERSION: &str = #api_version;
        /// The base path for key ids that name their environment (see [`UNIFIED_KEY_PREFIXES`]).
        pub const UNIFIED_PATH: &str = #unified;
        /// Key id prefixes (compared ignoring case) that select [`UNIFIED_PATH`]: the key itself
        /// tells the service its environment.
        pub const UNIFIED_KEY_PREFIXES: &[&str] = &[#(#prefixes),*];
        /// The signing algorithms with their RSASSA-PSS salt lengths; the first is the default.
        pub const SIGNATURE_ALGORITHMS: &[(&str, u32)] = &[#(#algorithms),*];
        /// The `accept` and `content-type` of every request, GET included.
        pub const CONTENT_TYPE: &str = #content_type;
        /// The signing time, `YYYYMMDDTHHMMSSZ`.
        pub const DATE_HEADER: &str = #date;
        /// The request host.
        pub const HOST_HEADER: &str = #host;
        /// The region code ([`Region::code`]).
        pub const REGION_HEADER: &str = #region;
        /// The idempotency key of POST requests.
        pub const IDEMPOTENCY_KEY_HEADER: &str = #key;
        /// The service's request id, on every answer.
        pub const REQUEST_ID_HEADER: &str = #request_id;
    }
}

/// `Region::code()`.
pub fn region_methods(ir: &Ir) -> TokenStream {
    let regions = &ir.service.regions;
    let variants = regions.iter().map(|r| names::ty(&r.variant));
    // Validated present for rest-json regions.
    let codes = regions.iter().map(|r| r.code.clone().unwrap_or_default());
    quote! {
        /// The value of the region header ([`REGION_HEADER`]).
        pub fn code(&self) -> &'static str {
            match self { #(Region::#variants => #codes,)* }
        }
    }
}

/// `Environment::path()` and `Environment::base_path(key_id)`.
pub fn environment_methods(ir: &Ir) -> TokenStream {
    let path = environment_path(
        ir,
        "The base path for legacy key ids, which carry no environment.",
    );
    quote! {
        #path

        /// The base path requests signed with `public_key_id` go to: [`UNIFIED_PATH`] when the
        /// key id starts with one of [`UNIFIED_KEY_PREFIXES`] (ignoring case), else [`Self::path`].
        pub fn base_path(&self, public_key_id: &str) -> &'static str {
            let unified = UNIFIED_KEY_PREFIXES.iter().any(|prefix| {
                public_key_id
                    .get(..prefix.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
            });
            if unified { UNIFIED_PATH } else { self.path() }
        }
    }
}
