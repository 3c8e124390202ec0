//! `client.rs`: one async method per operation on `amazon_pay_protocol::client::Client`
//! (behind the crate's `client` feature), each a typed call of the generic `send`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::Ir;
use crate::names;

pub fn emit(ir: &Ir) -> TokenStream {
    let methods = ir.operations.iter().map(|op| {
        let method = names::field(&op.name);
        let request = format_ident!("{}Request", op.name);
        let response = format_ident!("{}Response", op.name);
        let doc = format!(
            " Calls `{}`: {}",
            op.name,
            op.doc.lines().next().unwrap_or("").trim()
        );
        quote! {
            #[doc = #doc]
            pub async fn #method(
                &self,
                request: &#request,
            ) -> ::std::result::Result<#response, ::amazon_pay_protocol::client::ClientError> {
                self.send(request).await
            }
        }
    });
    let actions = ir.operations.iter().map(|op| format_ident!("{}", op.name));
    quote! {
        impl ::amazon_pay_protocol::client::Client {
            #(#methods)*
        }

        impl AnyRequest {
            /// Sends the request with `client` and returns the typed response of its operation.
            pub async fn send(
                &self,
                client: &::amazon_pay_protocol::client::Client,
            ) -> ::std::result::Result<AnyResponse, ::amazon_pay_protocol::client::ClientError> {
                ::std::result::Result::Ok(match self {
                    #(AnyRequest::#actions(r) => AnyResponse::#actions(client.send(r).await?),)*
                })
            }
        }
    }
}
