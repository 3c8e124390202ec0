//! Shapes other than structures: string newtypes, enums and lists.

use amazon_pay_spec::{Shape, ShapeKind, Spec};
use proc_macro2::TokenStream;
use quote::quote;

use crate::names;
use crate::structure::{self, StructureSpec, doc_attr, read_value};
use crate::types::Ty;

/// The code of one shape file. `input` says whether the shape appears in a request.
pub fn emit(spec: &Spec, shape: &Shape, input: bool) -> Result<TokenStream, String> {
    Ok(match shape.kind {
        ShapeKind::String => newtype(shape),
        ShapeKind::Enum => {
            let values: Vec<(&str, &str)> = shape
                .values
                .iter()
                .map(|v| {
                    (
                        v.get_ref().as_str(),
                        shape.docs.get(v.get_ref()).map_or("", String::as_str),
                    )
                })
                .collect();
            enumeration(shape.name(), &shape.doc, &values)?
        }
        ShapeKind::List => list(spec, shape, input),
        ShapeKind::Structure => structure::emit(
            spec,
            &StructureSpec {
                name: shape.name(),
                doc: &shape.doc,
                members: &shape.members,
                serde: true,
                from_params: input,
            },
        ),
        ShapeKind::Money => {
            let name = names::ty(shape.name());
            let doc = doc_attr(&shape.doc);
            quote! {
                #doc
                /// An amount with its currency: the hand-written [`amazon_pay_protocol::Money`].
                pub type #name = ::amazon_pay_protocol::Money;
            }
        }
    })
}

fn newtype(shape: &Shape) -> TokenStream {
    let name = names::ty(shape.name());
    let doc = doc_attr(&shape.doc);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
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
pub fn enumeration(name: &str, doc: &str, values: &[(&str, &str)]) -> Result<TokenStream, String> {
    let ident = names::ty(name);
    let doc = doc_attr(doc);
    let variants: Vec<_> = values
        .iter()
        .map(|(v, _)| names::ty(&names::variant(v)))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for (variant, (value, _)) in variants.iter().zip(values) {
        if !seen.insert(variant.to_string()) {
            return Err(format!(
                "enum {name}: value `{value}` gives the Rust variant `{variant}` twice"
            ));
        }
    }
    let wire: Vec<&str> = values.iter().map(|(v, _)| *v).collect();
    let docs = values.iter().map(|(v, d)| {
        let text = if d.is_empty() {
            format!(" `{v}`")
        } else {
            format!(" `{v}`: {d}")
        };
        quote!(#[doc = #text])
    });
    Ok(quote! {
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

        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

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
    })
}

fn list(spec: &Spec, shape: &Shape, input: bool) -> TokenStream {
    let name = names::ty(shape.name());
    let doc = doc_attr(&shape.doc);
    let item_ty_name = shape
        .member
        .as_ref()
        .map(|m| m.get_ref().as_str())
        .unwrap_or("string");
    let item = Ty::resolve(spec, item_ty_name);
    let rust = item.rust();
    let xml_member = shape.xml_member_name();
    let query_member = shape.query_member_name();
    let aliases = shape.member_aliases.iter().map(|a| quote!(alias = #a,));
    let check = item.is_composite().then(|| {
        quote! {
            for item in &self.items {
                item.check_constraints(errors);
            }
        }
    });
    let from_params = input.then(|| {
        let read = read_value(&item, quote!(&key), true);
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
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #[serde(rename = #xml_member, #(#aliases)* default)]
            pub items: ::std::vec::Vec<#rust>,
        }

        impl #name {
            /// Records every documented constraint the items break.
            pub fn check_constraints(&self, errors: &mut ::amazon_pay_protocol::BuildError) {
                let _ = &errors;
                #check
            }

            #from_params
        }

        impl ::std::convert::From<::std::vec::Vec<#rust>> for #name {
            fn from(items: ::std::vec::Vec<#rust>) -> Self {
                Self { items }
            }
        }
    }
}
