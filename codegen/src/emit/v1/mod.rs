//! The mws-query (v1) emitter: form parameters in canonical order (`write_params`), the
//! simulator's parsers (`from_params`), XML response documents with their generated readers
//! and writers, dispatch by Action and the client's typed methods.

mod client;
mod dispatch;
mod from_params;
mod params;
mod read;
mod response;
mod service;
mod write;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ProtocolEmitter;
use super::gate::Gate;
use super::info::info;
use super::types::serde_field;
use crate::ir::{Field, Ir, List, MwsQuery, OperationEntry, StructRole, Structure, TypeEntry};
use crate::names;

/// Documents are read and written by generated code (`read.rs`, `write.rs`), so serde's
/// `Serialize` and `Deserialize` are for applications that keep v1 values in a serde format
/// (and the XML references the generated code is tested against): behind the protocol
/// crate's `serde` feature, so a plain build does not expand and compile them.
const SERDE: Gate = Gate::Feature("serde");

pub struct MwsQueryEmitter<'a> {
    pub protocol: &'a MwsQuery,
}

impl ProtocolEmitter for MwsQueryEmitter<'_> {
    fn service_constants(&self, ir: &Ir) -> TokenStream {
        service::constants(ir, self.protocol)
    }

    fn service_lists(&self, _ir: &Ir) -> TokenStream {
        service::lists(self.protocol)
    }

    fn is_document(&self, s: &Structure) -> bool {
        // Requests only travel as parameters.
        matches!(s.role, StructRole::Shape { .. })
    }

    fn serde(&self) -> Gate {
        SERDE
    }

    fn field_serde(&self, _ir: &Ir, s: &Structure, f: &Field) -> TokenStream {
        match s.role {
            StructRole::Shape { .. } => {
                let aliases = f.aliases.iter().map(|a| quote!(alias = #a,));
                serde_field(SERDE, f, quote!(#(#aliases)*))
            }
            StructRole::Request => quote!(),
        }
    }

    fn list_serde(&self, list: &List) -> (TokenStream, TokenStream) {
        let xml_member = &list.xml_member;
        let aliases = list.member_aliases.iter().map(|a| quote!(alias = #a,));
        (
            quote!(),
            SERDE.attr(quote!(serde(rename = #xml_member, #(#aliases)* default))),
        )
    }

    fn error_code_doc(&self) -> &'static str {
        "An error code of the service (`<Code>` of an `ErrorResponse`)."
    }

    fn region_methods(&self, ir: &Ir) -> TokenStream {
        service::region_methods(ir)
    }

    fn environment_methods(&self, ir: &Ir) -> TokenStream {
        service::environment_methods(ir)
    }

    fn structure_methods(&self, _ir: &Ir, s: &Structure) -> TokenStream {
        let from_params = from_params::structure(s);
        let read = read::structure(s);
        quote!(#from_params #read)
    }

    fn list_methods(&self, _ir: &Ir, list: &List) -> TokenStream {
        let from_params = from_params::list(list);
        let read = read::list(list);
        quote!(#from_params #read)
    }

    fn type_items(&self, _ir: &Ir, entry: &TypeEntry) -> TokenStream {
        write::type_impl(entry)
    }

    fn operation(&self, ir: &Ir, op: &OperationEntry) -> TokenStream {
        operation(ir, self.protocol, op)
    }

    fn dispatch(&self, ir: &Ir) -> TokenStream {
        dispatch::emit(ir)
    }

    fn operation_trait(&self) -> TokenStream {
        quote!(::amazon_pay_protocol::Operation)
    }

    fn client(&self, ir: &Ir) -> TokenStream {
        client::emit(ir)
    }
}

/// What follows an operation's request structure: its `Operation` impl, its `from_params`
/// and its response document.
fn operation(ir: &Ir, q: &MwsQuery, op: &OperationEntry) -> TokenStream {
    let request_name = &op.request.name;
    let request_ident = names::ty(request_name);
    let response_ident = format_ident!("{}Response", op.name);
    let action = &op.name;
    let info = info(op);
    let writes = params::write_params(ir, q, op);
    let idempotency = idempotency_key(op);
    let response = response::response(op);

    quote! {
        impl ::amazon_pay_protocol::Operation for #request_ident {
            const ACTION: &'static str = #action;
            const INFO: ::amazon_pay_protocol::OperationInfo = #info;
            type Response = #response_ident;

            fn write_params<S: ::amazon_pay_protocol::ParamSink>(
                &self,
                common: &::amazon_pay_protocol::CommonParams<'_>,
                sink: &mut S,
            ) {
                #writes
            }

            fn idempotency_key(&self) -> ::std::option::Option<&str> {
                #idempotency
            }

            fn request_id(response: &Self::Response) -> &str {
                &response.response_metadata.request_id
            }

            fn read_response(
                body: &[u8],
            ) -> ::std::result::Result<Self::Response, ::amazon_pay_protocol::xml::XmlError> {
                #response_ident::from_xml(body)
            }
        }

        impl #request_ident {
            /// Reads the request from the decoded form parameters of an HTTP body.
            pub fn from_params(
                params: &::amazon_pay_protocol::ParamMap,
            ) -> ::std::result::Result<Self, ::amazon_pay_protocol::ParamError> {
                let request = Self::from_params_at(params, "")?;
                let mut errors = ::amazon_pay_protocol::BuildError::new(#request_name);
                request.check_constraints(&mut errors);
                match errors.invalid.into_iter().next() {
                    ::std::option::Option::Some((key, reason)) => ::std::result::Result::Err(
                        ::amazon_pay_protocol::ParamError::Invalid { key: key.to_owned(), reason },
                    ),
                    ::std::option::Option::None => ::std::result::Result::Ok(request),
                }
            }
        }

        #response
    }
}

fn idempotency_key(op: &OperationEntry) -> TokenStream {
    let Some(key) = &op.idempotency_key else {
        return quote!(::std::option::Option::None);
    };
    let f = names::ident(&key.rust);
    if key.required {
        quote!(::std::option::Option::Some(self.#f.as_str()))
    } else {
        quote!(self.#f.as_ref().map(|v| v.as_str()))
    }
}
