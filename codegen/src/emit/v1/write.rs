//! The writers of documents, the readers' counterpart: `WriteXml` on every structure shape,
//! list, enum and identifier, writing members in declaration order straight into the
//! runtime's `XmlWriter` (no serde dispatch); `Option` members write nothing when absent.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::rust::field_ident;
use crate::ir::{List, StructRole, Structure, TypeEntry, TypeKind};
use crate::names;

/// `impl WriteXml` of a type entry; money is the runtime's, maps have no XML form, requests
/// are never documents.
pub fn type_impl(entry: &TypeEntry) -> TokenStream {
    let body = match &entry.kind {
        TypeKind::Structure(s) if s.role == StructRole::Request => return quote!(),
        TypeKind::Structure(s) => structure(s),
        TypeKind::List(list) => self::list(list),
        TypeKind::Newtype => quote!(w.text(name, &self.0)),
        TypeKind::Enum(_) => quote!(w.text(name, self.as_str())),
        TypeKind::Money | TypeKind::Map(_) => return quote!(),
    };
    let ident = names::ty(&entry.name);
    quote! {
        impl ::amazon_pay_protocol::xml::WriteXml for #ident {
            /// Writes the value as the element `name` (the generated writer).
            fn write_xml(&self, w: &mut ::amazon_pay_protocol::xml::XmlWriter, name: &str) {
                #body
            }
        }
    }
}

fn structure(s: &Structure) -> TokenStream {
    if s.fields.is_empty() {
        return quote!(w.element(name, |_| {}));
    }
    let members = s.fields.iter().map(|f| {
        let ident = field_ident(f);
        let wire = &f.wire;
        quote!(self.#ident.write_xml(w, #wire);)
    });
    // The trait is in scope inside its own impl.
    quote! {
        w.element(name, |w| {
            #(#members)*
        })
    }
}

/// A list: its items, each an element named by the list's item name.
fn list(list: &List) -> TokenStream {
    let member = &list.xml_member;
    quote! {
        w.element(name, |w| {
            for item in &self.items {
                item.write_xml(w, #member);
            }
        })
    }
}

/// The body of an `<{Operation}Response>` document's `to_xml`: the result element (unless the
/// service sends none) and `ResponseMetadata`.
pub fn response(root: &str, result_element: &str, has_result: bool) -> TokenStream {
    let result = has_result.then(|| quote!(self.result.write_xml(w, #result_element);));
    quote! {
        use ::amazon_pay_protocol::xml::WriteXml as _;
        ::amazon_pay_protocol::xml::XmlWriter::document(#root, XML_NAMESPACE, |w| {
            #result
            self.response_metadata.write_xml(w, "ResponseMetadata");
        })
    }
}
