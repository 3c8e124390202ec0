//! Reading requests back from decoded form parameters, as the simulator receives them.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::rust::{field_ident, rust_type};
use crate::ir::{List, Structure, TypeRef};

/// `Name::from_params_at(params, prefix)` of a structure that travels in requests.
pub fn structure(s: &Structure) -> TokenStream {
    if !s.in_request() {
        return quote!();
    }
    let inits = s.fields.iter().map(|f| {
        let ident = field_ident(f);
        let wire = &f.wire;
        let key = quote!(&::amazon_pay_protocol::params::join_key(prefix, #wire));
        let value = read_value(&f.ty, key, f.required);
        quote!(#ident: #value,)
    });
    quote! {
        /// Reads the value from form parameters under `prefix` (`""` at the top level), as
        /// the simulator receives requests.
        pub fn from_params_at(
            params: &::amazon_pay_protocol::ParamMap,
            prefix: &str,
        ) -> ::std::result::Result<Self, ::amazon_pay_protocol::ParamError> {
            let _ = (&params, prefix);
            ::std::result::Result::Ok(Self { #(#inits)* })
        }
    }
}

/// `Name::from_params_at(params, prefix)` of a list that travels in requests.
pub fn list(list: &List) -> TokenStream {
    if !list.in_input {
        return quote!();
    }
    let query_member = &list.query_member;
    let read = read_value(&list.item, quote!(&key), true);
    quote! {
        /// Reads `prefix.<member>.1`, `prefix.<member>.2`, ... until the first gap.
        pub fn from_params_at(
            params: &::amazon_pay_protocol::ParamMap,
            prefix: &str,
        ) -> ::std::result::Result<Self, ::amazon_pay_protocol::ParamError> {
            let base = ::amazon_pay_protocol::params::join_key(prefix, #query_member);
            let len = params.list_len(&base);
            let mut items = ::std::vec::Vec::with_capacity(len);
            for i in 1..=len {
                let key = ::std::format!("{base}.{i}");
                items.push(#read);
            }
            ::std::result::Result::Ok(Self { items })
        }
    }
}

/// An expression reading one value of type `ty` at `key` from `params`.
fn read_value(ty: &TypeRef, key: TokenStream, required: bool) -> TokenStream {
    match (ty, required) {
        (TypeRef::Money, true) => quote!(params.required_money(#key)?),
        (TypeRef::Money, false) => quote!(params.optional_money(#key)?),
        (t, true) if t.is_composite() => {
            let rust = rust_type(t);
            quote!(#rust::from_params_at(params, #key)?)
        }
        (t, false) if t.is_composite() => {
            let rust = rust_type(t);
            quote!({
                let key = #key;
                if params.has_prefix(key) {
                    ::std::option::Option::Some(#rust::from_params_at(params, key)?)
                } else {
                    ::std::option::Option::None
                }
            })
        }
        (_, true) => quote!(params.required(#key)?),
        (_, false) => quote!(params.optional(#key)?),
    }
}
