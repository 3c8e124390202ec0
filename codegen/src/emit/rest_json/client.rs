//! `client.rs`: one async method per v2 operation on `amazon_pay_protocol::client::v2::Client`
//! (behind the crate's `client` feature), each a typed call of the engine's generic `send`.

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
    quote! {
        impl ::amazon_pay_protocol::client::v2::Client {
            #(#methods)*
        }
    }
}
