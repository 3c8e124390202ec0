//! The v2 part of `dispatch.rs`: `AnyResponse`, the success document of an operation named
//! at run time (the `decode` command), read as that operation's `Response` type; and the
//! service's side, `ROUTES` and `AnyRequest`, a request read from its method, path and parts
//! (the simulator).

use amazon_pay_spec::HttpMethod;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::Ir;
use crate::names;

pub fn emit(ir: &Ir) -> TokenStream {
    let operations: Vec<&str> = ir.operations.iter().map(|o| o.name.as_str()).collect();
    let variants: Vec<_> = operations.iter().map(|o| format_ident!("{}", o)).collect();
    let requests: Vec<_> = ir
        .operations
        .iter()
        .map(|o| names::ty(&o.request.name))
        .collect();
    let routes = ir.operations.iter().filter_map(|o| {
        let binding = o.binding.as_ref()?;
        let action = &o.name;
        let method = match binding.method {
            HttpMethod::Get => quote!(Get),
            HttpMethod::Post => quote!(Post),
            HttpMethod::Put | HttpMethod::Patch => quote!(Patch),
            HttpMethod::Delete => quote!(Delete),
        };
        let segments = binding.path.trim_start_matches('/').split('/');
        Some(quote! {
            ::amazon_pay_protocol::v2_runtime::incoming::Route {
                action: #action,
                method: ::amazon_pay_protocol::v2_runtime::Method::#method,
                segments: &[#(#segments),*],
            }
        })
    });
    quote! {
        /// Where each operation is served: method and path template below `v2/`.
        pub const ROUTES: &[::amazon_pay_protocol::v2_runtime::incoming::Route] = &[#(#routes,)*];

        /// A request of any operation, as the service reads it.
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum AnyRequest {
            #(#variants(#requests),)*
        }

        impl AnyRequest {
            /// Reads a request from its method, its path below `v2/` (no leading slash; a
            /// trailing slash is tolerated), its decoded query pairs, its headers (lower-case
            /// names) and its body.
            pub fn from_http(
                method: ::amazon_pay_protocol::v2_runtime::Method,
                path: &str,
                query: &[(::std::string::String, ::std::string::String)],
                headers: &[(&str, &str)],
                body: &[u8],
            ) -> ::std::result::Result<AnyRequest, ::amazon_pay_protocol::v2_runtime::incoming::ReadError> {
                let (route, path_params) =
                    ::amazon_pay_protocol::v2_runtime::incoming::route(ROUTES, method, path)?;
                let incoming = ::amazon_pay_protocol::v2_runtime::incoming::Incoming {
                    path_params: &path_params,
                    query,
                    headers,
                    body,
                };
                match route.action {
                    #(#operations => #requests::from_incoming(&incoming).map(AnyRequest::#variants),)*
                    other => ::std::result::Result::Err(
                        ::amazon_pay_protocol::v2_runtime::incoming::ReadError::NotFound(other.to_owned()),
                    ),
                }
            }

            /// The operation's name.
            pub fn action(&self) -> &'static str {
                match self {
                    #(AnyRequest::#variants(_) => #operations,)*
                }
            }

            /// The facts about the operation.
            pub fn info(&self) -> &'static ::amazon_pay_protocol::OperationInfo {
                match self {
                    #(AnyRequest::#variants(_) => &<#requests as ::amazon_pay_protocol::v2_runtime::Operation>::INFO,)*
                }
            }

            /// The HTTP method.
            pub fn method(&self) -> ::amazon_pay_protocol::v2_runtime::Method {
                match self {
                    #(AnyRequest::#variants(_) => <#requests as ::amazon_pay_protocol::v2_runtime::Operation>::METHOD,)*
                }
            }

            /// The path below `v2/`, parameters filled in (see `Operation::path`).
            pub fn path(&self) -> ::std::string::String {
                match self {
                    #(AnyRequest::#variants(r) => ::amazon_pay_protocol::v2_runtime::Operation::path(r),)*
                }
            }

            /// The query pairs (see `Operation::query`).
            pub fn query(&self) -> ::std::vec::Vec<(&'static str, ::std::string::String)> {
                match self {
                    #(AnyRequest::#variants(r) => ::amazon_pay_protocol::v2_runtime::Operation::query(r),)*
                }
            }

            /// The header members (see `Operation::headers`).
            pub fn headers(&self) -> ::std::vec::Vec<(&'static str, ::std::string::String)> {
                match self {
                    #(AnyRequest::#variants(r) => ::amazon_pay_protocol::v2_runtime::Operation::headers(r),)*
                }
            }

            /// The JSON body (see `Operation::body`).
            pub fn body(&self) -> ::std::option::Option<::std::vec::Vec<u8>> {
                match self {
                    #(AnyRequest::#variants(r) => ::amazon_pay_protocol::v2_runtime::Operation::body(r),)*
                }
            }

            /// Whether the service requires an idempotency key.
            pub fn idempotency_key_required(&self) -> bool {
                match self {
                    #(AnyRequest::#variants(_) => <#requests as ::amazon_pay_protocol::v2_runtime::Operation>::IDEMPOTENCY_KEY_REQUIRED,)*
                }
            }

            /// The status a success is answered with.
            pub fn success_status(&self) -> u16 {
                match self {
                    #(AnyRequest::#variants(_) => <#requests as ::amazon_pay_protocol::v2_runtime::Operation>::SUCCESS_STATUS,)*
                }
            }
        }

        /// The success document of any operation. Serializes as the document's JSON.
        #[derive(Debug, ::serde::Serialize)]
        #[serde(untagged)]
        pub enum AnyResponse {
            #(#variants(<#requests as ::amazon_pay_protocol::v2_runtime::Operation>::Response),)*
        }

        /// Why a v2 document could not be read for an operation known only at run time.
        #[derive(Debug, ::thiserror::Error)]
        pub enum DispatchError {
            #[error("unknown operation `{0}`")]
            UnknownOperation(::std::string::String),
            #[error("not the JSON document of {operation}: {source}")]
            Json {
                operation: &'static str,
                source: ::serde_json::Error,
            },
        }

        impl AnyResponse {
            /// Reads the success document of `operation` from a response body.
            pub fn parse(operation: &str, body: &[u8]) -> ::std::result::Result<AnyResponse, DispatchError> {
                let json = |operation: &'static str| move |source| DispatchError::Json { operation, source };
                match operation {
                    #(#operations => ::serde_json::from_slice(body).map(AnyResponse::#variants).map_err(json(#operations)),)*
                    other => ::std::result::Result::Err(DispatchError::UnknownOperation(other.to_owned())),
                }
            }
        }
    }
}
