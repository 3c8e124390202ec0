//! The pull readers of documents: `read_xml(reader, open)` on every structure shape, list and
//! response, matching child elements by name straight into typed fields (no serde dispatch).
//! Reading stays linear: one pass over the events, attributes never parsed, unknown
//! elements skipped by the runtime's `XmlReader`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::rust::field_ident;
use crate::ir::{List, Scalar, StructRole, Structure, TypeRef};
use crate::names;

/// The signature every generated reader shares.
fn signature() -> TokenStream {
    quote! {
        /// Reads the element the reader just entered (`open`: it has content), ignoring
        /// unknown children, in any order (the generated pull reader).
        pub fn read_xml(
            r: &mut ::amazon_pay_protocol::xml::XmlReader<'_>,
            open: bool,
        ) -> ::std::result::Result<Self, ::amazon_pay_protocol::xml::XmlError>
    }
}

/// `read_xml` of a structure shape; requests are never documents.
pub fn structure(s: &Structure) -> TokenStream {
    if s.role == StructRole::Request {
        return quote!();
    }
    let sig = signature();
    if s.fields.is_empty() {
        return quote! {
            #sig {
                r.skip(open)?;
                ::std::result::Result::Ok(Self {})
            }
        };
    }
    let slots: Vec<_> = s
        .fields
        .iter()
        .map(|f| format_ident!("f_{}", f.rust))
        .collect();
    let arms = s.fields.iter().zip(&slots).map(|(f, slot)| {
        let names = std::iter::once(&f.wire)
            .chain(&f.aliases)
            .map(|n| byte_lit(n));
        let wire = &f.wire;
        let value = value(&f.ty);
        quote! {
            #(#names)|* => {
                r.once(&#slot, #wire)?;
                #slot = ::std::option::Option::Some(#value);
            }
        }
    });
    let inits = s.fields.iter().zip(&slots).map(|(f, slot)| {
        let ident = field_ident(f);
        let wire = &f.wire;
        if f.required {
            quote!(#ident: r.required(#slot, #wire)?,)
        } else {
            quote!(#ident: #slot,)
        }
    });
    quote! {
        #sig {
            #(let mut #slots = ::std::option::Option::None;)*
            let mut open = open;
            while let ::std::option::Option::Some((name, child)) = r.next_child(&mut open)? {
                match name {
                    #(#arms)*
                    _ => r.skip(child)?,
                }
            }
            ::std::result::Result::Ok(Self { #(#inits)* })
        }
    }
}

/// `read_xml` of a list: its item elements (by name or alias) wherever they appear.
pub fn list(list: &List) -> TokenStream {
    let names = std::iter::once(&list.xml_member)
        .chain(&list.member_aliases)
        .map(|n| byte_lit(n));
    let value = value(&list.item);
    let sig = signature();
    quote! {
        #sig {
            let mut items = ::std::vec::Vec::new();
            let mut open = open;
            while let ::std::option::Option::Some((name, child)) = r.next_child(&mut open)? {
                match name {
                    #(#names)|* => items.push(#value),
                    _ => r.skip(child)?,
                }
            }
            ::std::result::Result::Ok(Self { items })
        }
    }
}

/// `read_xml` of an `<{Operation}Response>` document: the result element (`required` unless
/// the service sends none) and `ResponseMetadata`.
pub fn response(result_element: &str, output: &str, required: bool) -> TokenStream {
    let output = names::ty(output);
    let result_name = byte_lit(result_element);
    let result = if required {
        quote!(r.required(result, #result_element)?)
    } else {
        quote!(result.unwrap_or_default())
    };
    let sig = signature();
    quote! {
        #sig {
            let (mut result, mut metadata) = (::std::option::Option::None, ::std::option::Option::None);
            let mut open = open;
            while let ::std::option::Option::Some((name, child)) = r.next_child(&mut open)? {
                match name {
                    #result_name => {
                        r.once(&result, #result_element)?;
                        result = ::std::option::Option::Some(#output::read_xml(r, child)?);
                    }
                    b"ResponseMetadata" => {
                        r.once(&metadata, "ResponseMetadata")?;
                        metadata = ::std::option::Option::Some(r.response_metadata(child)?);
                    }
                    _ => r.skip(child)?,
                }
            }
            ::std::result::Result::Ok(Self {
                result: #result,
                response_metadata: metadata.unwrap_or_default(),
            })
        }
    }
}

/// The expression reading one value of type `ty` from the element entered with `child`.
fn value(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Scalar(Scalar::String | Scalar::Decimal) => quote!(r.text(child)?.into_owned()),
        TypeRef::Scalar(Scalar::Integer) => quote!(r.integer(child)?),
        TypeRef::Scalar(Scalar::Boolean) => quote!(r.boolean(child)?),
        TypeRef::Scalar(Scalar::Timestamp) => quote!(r.timestamp(child)?),
        TypeRef::Money => quote!(r.money(child)?),
        TypeRef::Newtype(name) => {
            let ident = names::ty(name);
            quote!(#ident(r.text(child)?.into_owned()))
        }
        TypeRef::Enum(name) => {
            let ident = names::ty(name);
            quote!(#ident::parse(&r.text(child)?))
        }
        TypeRef::Structure(name) | TypeRef::List(name) => {
            let ident = names::ty(name);
            quote!(#ident::read_xml(r, child)?)
        }
        // The mws-query spec has neither (the loader rejects them there); should one slip
        // through, the output fails to compile with this message instead of misreading.
        TypeRef::Scalar(Scalar::Json) | TypeRef::Map(_) => {
            quote!(::std::compile_error!(
                "JSON values and maps have no XML form"
            ))
        }
    }
}

fn byte_lit(name: &str) -> proc_macro2::Literal {
    proc_macro2::Literal::byte_string(name.as_bytes())
}
