//! The v1 part of `dispatch.rs`: `AnyRequest` / `AnyResponse` for callers that know the
//! operation only at run time (the runner, the `sign` and `decode` commands, the simulator).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::SERDE;
use crate::ir::Ir;

pub fn emit(ir: &Ir) -> TokenStream {
    let actions: Vec<&str> = ir.operations.iter().map(|o| o.name.as_str()).collect();
    let variants: Vec<_> = actions.iter().map(|a| format_ident!("{}", a)).collect();
    let requests: Vec<_> = actions
        .iter()
        .map(|a| format_ident!("{}Request", a))
        .collect();
    let request_names: Vec<String> = actions.iter().map(|a| format!("{a}Request")).collect();
    let responses: Vec<_> = actions
        .iter()
        .map(|a| format_ident!("{}Response", a))
        .collect();
    let serde = SERDE.derive_attr(quote!(::serde::Serialize));
    let untagged = SERDE.attr(quote!(serde(untagged)));
    quote! {
        /// A success response of any operation. With the `serde` feature, serializes as the
        /// document's content (JSON for debugging, snapshots and the `decode` command).
        #[derive(Debug, Clone, PartialEq)]
        #serde
        #untagged
        pub enum AnyResponse {
            #(#variants(#responses),)*
        }

        impl AnyResponse {
            /// Reads the success document of `action` from a response body.
            pub fn parse(action: &str, body: &[u8]) -> ::std::result::Result<AnyResponse, ::amazon_pay_protocol::DispatchError> {
                match action {
                    #(#actions => ::std::result::Result::Ok(AnyResponse::#variants(#responses::from_xml(body)?)),)*
                    other => ::std::result::Result::Err(::amazon_pay_protocol::DispatchError::UnknownAction(other.to_owned())),
                }
            }

            /// The Action whose response this is.
            pub fn action(&self) -> &'static str {
                match self {
                    #(AnyResponse::#variants(_) => #actions,)*
                }
            }

            /// The service's request id.
            pub fn request_id(&self) -> &str {
                match self {
                    #(AnyResponse::#variants(r) => &r.response_metadata.request_id,)*
                }
            }

            /// Writes the document as the service does.
            pub fn to_xml(&self) -> ::std::string::String {
                match self {
                    #(AnyResponse::#variants(r) => r.to_xml(),)*
                }
            }
        }

        /// A request of any operation, as the simulator reads it from a form body.
        #[derive(Debug, Clone, PartialEq)]
        pub enum AnyRequest {
            #(#variants(#requests),)*
        }

        impl AnyRequest {
            /// Reads the request of `action` from decoded form parameters.
            pub fn from_params(action: &str, params: &::amazon_pay_protocol::ParamMap) -> ::std::result::Result<AnyRequest, ::amazon_pay_protocol::DispatchError> {
                match action {
                    #(#actions => ::std::result::Result::Ok(AnyRequest::#variants(#requests::from_params(params)?)),)*
                    other => ::std::result::Result::Err(::amazon_pay_protocol::DispatchError::UnknownAction(other.to_owned())),
                }
            }

            /// The request's Action.
            pub fn action(&self) -> &'static str {
                match self {
                    #(AnyRequest::#variants(_) => #actions,)*
                }
            }

            /// Names every documented constraint (lengths, ranges) the request breaks. A request
            /// read from a form was never through its builder, so the simulator checks it here.
            pub fn check_constraints(&self) -> ::std::result::Result<(), ::amazon_pay_protocol::BuildError> {
                let mut errors = ::amazon_pay_protocol::BuildError::new(match self {
                    #(AnyRequest::#variants(_) => #request_names,)*
                });
                match self {
                    #(AnyRequest::#variants(r) => r.check_constraints(&mut errors),)*
                }
                errors.into_result()
            }

            /// The facts about the request's operation.
            pub fn info(&self) -> &'static ::amazon_pay_protocol::OperationInfo {
                match self {
                    #(AnyRequest::#variants(_) => &<#requests as ::amazon_pay_protocol::Operation>::INFO,)*
                }
            }

            /// Visits every parameter in canonical order (see [`::amazon_pay_protocol::Operation::write_params`]).
            pub fn write_params<S: ::amazon_pay_protocol::ParamSink>(&self, common: &::amazon_pay_protocol::CommonParams<'_>, sink: &mut S) {
                match self {
                    #(AnyRequest::#variants(r) => ::amazon_pay_protocol::Operation::write_params(r, common, sink),)*
                }
            }
        }
    }
}
