//! The v2 part of `dispatch.rs`: `AnyResponse`, the success document of an operation named
//! at run time (the `decode` command), read as that operation's `Response` type.

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
    quote! {
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
