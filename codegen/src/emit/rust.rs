//! How IR types and docs are written in Rust.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ir::{Field, Scalar, TypeRef};
use crate::names;

/// The Rust type of a member type.
pub fn rust_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Scalar(Scalar::Integer) => quote!(i64),
        TypeRef::Scalar(Scalar::Boolean) => quote!(bool),
        TypeRef::Scalar(Scalar::Timestamp) => quote!(::amazon_pay_protocol::Timestamp),
        TypeRef::Scalar(Scalar::String | Scalar::Decimal) => quote!(::std::string::String),
        TypeRef::Scalar(Scalar::Json) => quote!(::serde_json::Value),
        TypeRef::Money => quote!(::amazon_pay_protocol::Money),
        TypeRef::Newtype(name)
        | TypeRef::Enum(name)
        | TypeRef::Structure(name)
        | TypeRef::List(name)
        | TypeRef::Map(name) => {
            let ident = names::ty(name);
            quote!(#ident)
        }
    }
}

/// The field's identifier.
pub fn field_ident(field: &Field) -> Ident {
    names::ident(&field.rust)
}

/// Doc comment attributes, one per line; nothing for an empty doc.
pub fn doc_attr(doc: &str) -> TokenStream {
    let doc = doc.trim();
    if doc.is_empty() {
        return quote!();
    }
    let lines = doc.lines().map(|l| format!(" {}", l.trim_end()));
    quote!(#(#[doc = #lines])*)
}
