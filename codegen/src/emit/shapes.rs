//! Types other than structures: string newtypes, enums, lists and the money alias.

use proc_macro2::TokenStream;
use quote::quote;

use super::ProtocolEmitter;
use super::gate::Gate;
use super::rust::{doc_attr, rust_type};
use super::types::structure;
use crate::ir::{Ir, List, TypeEntry, TypeKind, Variant};
use crate::names;

/// The code of one type entry's file.
pub fn emit(ir: &Ir, entry: &TypeEntry, protocol: &dyn ProtocolEmitter) -> TokenStream {
    let code = type_code(ir, entry, protocol);
    let protocol_items = protocol.type_items(ir, entry);
    quote!(#code #protocol_items)
}

/// The type itself, its methods and the neutral trait impls.
fn type_code(ir: &Ir, entry: &TypeEntry, protocol: &dyn ProtocolEmitter) -> TokenStream {
    match &entry.kind {
        TypeKind::Newtype => newtype(entry, protocol.serde()),
        TypeKind::Enum(variants) => {
            enumeration(&entry.name, &entry.doc, variants, protocol.serde())
        }
        TypeKind::List(list) => self::list(ir, entry, list, protocol),
        TypeKind::Structure(s) => structure(ir, s, protocol),
        TypeKind::Map(value) => {
            let name = names::ty(&entry.name);
            let doc = doc_attr(&entry.doc);
            let value = rust_type(value);
            quote! {
                #doc
                pub type #name = ::std::collections::BTreeMap<::std::string::String, #value>;
            }
        }
        TypeKind::Money => {
            let name = names::ty(&entry.name);
            let doc = doc_attr(&entry.doc);
            quote! {
                #doc
                /// An amount with its currency: the hand-written [`amazon_pay_protocol::Money`].
                pub type #name = ::amazon_pay_protocol::Money;
            }
        }
    }
}

fn newtype(entry: &TypeEntry, serde: Gate) -> TokenStream {
    let name = names::ty(&entry.name);
    let doc = doc_attr(&entry.doc);
    let derives = quote!(::serde::Serialize, ::serde::Deserialize);
    let listed = serde.listed(derives.clone());
    let gated = serde.derive_attr(derives);
    let transparent = serde.attr(quote!(serde(transparent)));
    quote! {
        #doc
        // `Default` (the empty text) lets a request read from its body stand in for a path
        // member until the path is read.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord #listed)]
        #gated
        #transparent
        pub struct #name(pub ::std::string::String);

        impl #name {
            pub fn new(value: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(value.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                Self(value)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::amazon_pay_protocol::wire::WireValue for #name {
            fn to_wire(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(&self.0)
            }
            fn from_wire(text: &str) -> ::std::result::Result<Self, ::std::string::String> {
                ::std::result::Result::Ok(Self(text.to_owned()))
            }
        }
    }
}

/// An enum whose unknown values are kept as `Unknown(String)`.
pub fn enumeration(name: &str, doc: &str, values: &[Variant], serde: Gate) -> TokenStream {
    let serde_cfg = serde.cfg();
    let ident = names::ty(name);
    let doc = doc_attr(doc);
    let variants: Vec<_> = values.iter().map(|v| names::ty(&v.rust)).collect();
    let wire: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
    let docs = values.iter().map(|Variant { wire, doc, .. }| {
        let text = if doc.is_empty() {
            format!(" `{wire}`")
        } else {
            format!(" `{wire}`: {doc}")
        };
        quote!(#[doc = #text])
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #ident {
            #(#docs #variants,)*
            /// A value this version of the spec does not know, kept as received.
            Unknown(::std::string::String),
        }

        impl #ident {
            /// Every value the spec knows, in spec order.
            pub const KNOWN: &'static [#ident] = &[#(#ident::#variants,)*];

            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#ident::#variants => #wire,)*
                    #ident::Unknown(value) => value,
                }
            }

            /// Reads a wire value; an unknown one is kept, never rejected.
            pub fn parse(value: &str) -> Self {
                match value {
                    #(#wire => #ident::#variants,)*
                    other => #ident::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #serde_cfg
        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #serde_cfg
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let text = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::parse(text.trim()))
            }
        }

        impl ::amazon_pay_protocol::wire::WireValue for #ident {
            fn to_wire(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
            fn from_wire(text: &str) -> ::std::result::Result<Self, ::std::string::String> {
                ::std::result::Result::Ok(Self::parse(text))
            }
        }
    }
}
fn list(ir: &Ir, entry: &TypeEntry, list: &List, protocol: &dyn ProtocolEmitter) -> TokenStream {
    let name = names::ty(&entry.name);
    let doc = doc_attr(&entry.doc);
    let rust = rust_type(&list.item);
    let (container_serde, items_serde) = protocol.list_serde(list);
    let check = list.item.is_composite().then(|| {
        quote! {
            for item in &self.items {
                item.check_constraints(errors);
            }
        }
    });
    let protocol_methods = protocol.list_methods(ir, list);
    let derives = quote!(::serde::Serialize, ::serde::Deserialize);
    let listed = protocol.serde().listed(derives.clone());
    let gated = protocol.serde().derive_attr(derives);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default #listed)]
        #gated
        #container_serde
        pub struct #name {
            #items_serde
            pub items: ::std::vec::Vec<#rust>,
        }

        impl #name {
            /// Records every documented constraint the items break.
            pub fn check_constraints(&self, errors: &mut ::amazon_pay_protocol::BuildError) {
                let _ = &errors;
                #check
            }

            #protocol_methods
        }

        impl ::std::convert::From<::std::vec::Vec<#rust>> for #name {
            fn from(items: ::std::vec::Vec<#rust>) -> Self {
                Self { items }
            }
        }
    }
}
