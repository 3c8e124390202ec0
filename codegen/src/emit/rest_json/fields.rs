//! How v2 structures travel as JSON: derives, per-field serde attributes, and the helpers of
//! members whose items the service writes as JSON strings.

use amazon_pay_spec::Location;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::gate::Gate;
use crate::emit::rust::rust_type;
use crate::emit::types::serde_field;
use crate::ir::{Field, Ir, Scalar, StructRole, Structure, TypeRef};
use crate::names;

/// Documents and requests are read and written: clients write requests and read documents,
/// the simulator the other way round. A request's serde form is its JSON body.
pub fn field_serde(ir: &Ir, s: &Structure, f: &Field) -> TokenStream {
    if s.role == StructRole::Request && f.location != Location::Body {
        // Path, query and header members are not part of the JSON body; `from_incoming`
        // fills them in.
        return quote!(#[serde(skip)]);
    }
    let json = |module: &str| {
        let module = if f.required {
            module.to_owned()
        } else {
            format!("optional_{module}")
        };
        let path = format!("::amazon_pay_protocol::v2_runtime::json::{module}");
        quote!(with = #path,)
    };
    let extra = match &f.ty {
        _ if f.json_strings && list_item(ir, f).is_some() => {
            let type_name = names::ty(&s.name);
            let (ser, de) = helper_names(f);
            let ser = format!("{type_name}::{ser}");
            let de = format!("{type_name}::{de}");
            quote!(serialize_with = #ser, deserialize_with = #de,)
        }
        TypeRef::Money => json("money"),
        TypeRef::Scalar(Scalar::Timestamp) => json("timestamp"),
        _ => quote!(),
    };
    serde_field(Gate::Always, f, extra)
}

/// For each `json_strings` member (an optional list), the functions its serde attribute
/// names: the runtime's `address_list` reads and writes the items, the list type wraps them.
pub fn json_strings_helpers(ir: &Ir, s: &Structure) -> TokenStream {
    let helpers = s.fields.iter().filter(|f| f.json_strings).filter_map(|f| {
        let item = list_item(ir, f)?;
        let list = rust_type(&f.ty);
        let (ser, de) = helper_names(f);
        let (ser, de) = (format_ident!("{ser}"), format_ident!("{de}"));
        let doc = format!(" Writes `{}` as the service does: each item a JSON string.", f.wire);
        Some(quote! {
            #[doc = #doc]
            fn #ser<S: ::serde::Serializer>(
                value: &::std::option::Option<#list>,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                ::amazon_pay_protocol::v2_runtime::json::address_list::serialize(
                    value.as_ref().map(|list| list.items.as_slice()),
                    serializer,
                )
            }

            /// Reads the items from JSON strings (or plain objects).
            fn #de<'de, D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<::std::option::Option<#list>, D::Error> {
                ::amazon_pay_protocol::v2_runtime::json::address_list::deserialize::<D, #item>(deserializer)
                    .map(|items| items.map(#list::from))
            }
        })
    });
    quote!(#(#helpers)*)
}

fn helper_names(f: &Field) -> (String, String) {
    (
        format!("write_{}_as_json_strings", f.rust),
        format!("read_{}_from_json_strings", f.rust),
    )
}

/// The item type of a list-typed field.
fn list_item(ir: &Ir, f: &Field) -> Option<TokenStream> {
    match &f.ty {
        TypeRef::List(name) => ir.list(name).map(|l| rust_type(&l.item)),
        _ => None,
    }
}
