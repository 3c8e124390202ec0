//! `client.rs`: one async method per v2 operation on `amazon_pay_protocol::client::v2::Client`
//! (behind the crate's `client` feature), each a typed call of the engine's generic `send`, and
//! `AnyRequest::send` for a request whose operation is known only at run time (the runner).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::operation::response_type;
use crate::ir::Ir;
use crate::names;

pub fn emit(ir: &Ir) -> TokenStream {
    let methods = ir.operations.iter().map(|op| {
        let method = names::field(&op.name);
        let request = format_ident!("{}Request", op.name);
        let response = response_type(ir, op);
        let doc = format!(
            " Calls {}: {}",
            op.name,
            op.doc.lines().next().unwrap_or("").trim()
        );
        quote! {
            #[doc = #doc]
            pub async fn #method(
                &self,
                request: &#request,
            ) -> ::std::result::Result<#response, ::amazon_pay_protocol::client::v2::ClientError> {
                self.send(request).await
            }
        }
    });
    let actions = ir.operations.iter().map(|op| format_ident!("{}", op.name));
    quote! {
        impl ::amazon_pay_protocol::client::v2::Client {
            #(#methods)*
        }

        impl AnyRequest {
            /// Sends the request with `client` and returns the typed document of its operation.
            pub async fn send(
                &self,
                client: &::amazon_pay_protocol::client::v2::Client,
            ) -> ::std::result::Result<AnyResponse, ::amazon_pay_protocol::client::v2::ClientError> {
                ::std::result::Result::Ok(match self {
                    #(AnyRequest::#actions(r) => AnyResponse::#actions(client.send(r).await?),)*
                })
            }
        }
    }
}
