//! The `<{Operation}Response>` document of each operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::{SERDE, read, write};
use crate::ir::OperationEntry;
use crate::names;

pub fn response(op: &OperationEntry) -> TokenStream {
    let name = &op.name;
    let root = format!("{name}Response");
    let ident = names::ty(&root);
    let result_element = format!("{name}Result");
    let output = names::ty(&op.output);
    let doc = format!(" The `<{root}>` document returned by `{name}`.");
    let result_attr = if op.result_element {
        SERDE.attr(quote!(serde(rename = #result_element)))
    } else {
        let note = " The service sends no result element for this operation.".to_string();
        let serde = SERDE.attr(quote!(serde(rename = #result_element, default, skip_serializing)));
        quote!(#[doc = #note] #serde)
    };
    let metadata_attr = SERDE.attr(quote!(serde(rename = "ResponseMetadata", default)));
    let read = read::response(&result_element, &op.output, op.result_element);
    let write = write::response(&root, &result_element, op.result_element);
    let serde = SERDE.derive_attr(quote!(::serde::Serialize, ::serde::Deserialize));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #serde
        #[non_exhaustive]
        pub struct #ident {
            #result_attr
            pub result: #output,
            #metadata_attr
            pub response_metadata: ::amazon_pay_protocol::ResponseMetadata,
        }

        impl #ident {
            /// The root element name.
            pub const ROOT: &'static str = #root;

            /// Reads the document from a response body with the generated pull reader.
            pub fn from_xml(body: &[u8]) -> ::std::result::Result<Self, ::amazon_pay_protocol::xml::XmlError> {
                ::amazon_pay_protocol::xml::XmlReader::document(#root, body, Self::read_xml)
            }

            #read

            /// Builds a response (the simulator renders these).
            pub fn new(result: #output, request_id: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self { result, response_metadata: ::amazon_pay_protocol::ResponseMetadata { request_id: request_id.into() } }
            }

            /// Writes the document as the service does, in its namespace (the generated
            /// writer).
            pub fn to_xml(&self) -> ::std::string::String {
                #write
            }
        }
    }
}
