//! The rest-json (v2) emitter: serde JSON documents (camelCase members, amounts, basic-form
//! timestamps and string-encoded address lists through the runtime's `v2::json` modules), and
//! per operation its HTTP binding as `v2::Operation` (path, query, headers, JSON body).

mod client;
mod dispatch;
mod fields;
mod operation;
mod service;

use proc_macro2::TokenStream;
use quote::quote;

use super::ProtocolEmitter;
use super::gate::Gate;
use crate::ir::{Field, Ir, List, OperationEntry, RestJson, Structure, TypeEntry};

pub struct RestJsonEmitter<'a> {
    pub protocol: &'a RestJson,
}

impl ProtocolEmitter for RestJsonEmitter<'_> {
    fn is_document(&self, _s: &Structure) -> bool {
        // Requests are bodies too (the simulator reads them).
        true
    }

    fn serde(&self) -> Gate {
        // serde is the wire format.
        Gate::Always
    }

    fn field_serde(&self, ir: &Ir, s: &Structure, f: &Field) -> TokenStream {
        fields::field_serde(ir, s, f)
    }

    fn list_serde(&self, _list: &List) -> (TokenStream, TokenStream) {
        // A JSON array: the list type is its items.
        (quote!(#[serde(transparent)]), quote!())
    }

    fn error_code_doc(&self) -> &'static str {
        "An error code of the service (`reasonCode` of an error body)."
    }

    fn region_methods(&self, ir: &Ir) -> TokenStream {
        service::region_methods(ir)
    }

    fn environment_methods(&self, ir: &Ir) -> TokenStream {
        service::environment_methods(ir)
    }

    fn service_constants(&self, ir: &Ir) -> TokenStream {
        service::constants(ir, self.protocol)
    }

    fn service_lists(&self, _ir: &Ir) -> TokenStream {
        quote!()
    }

    fn structure_methods(&self, ir: &Ir, s: &Structure) -> TokenStream {
        fields::json_strings_helpers(ir, s)
    }

    fn list_methods(&self, _ir: &Ir, _list: &List) -> TokenStream {
        quote!()
    }

    fn type_items(&self, _ir: &Ir, _entry: &TypeEntry) -> TokenStream {
        quote!()
    }

    fn operation(&self, ir: &Ir, op: &OperationEntry) -> TokenStream {
        operation::emit(ir, op)
    }

    fn dispatch(&self, ir: &Ir) -> TokenStream {
        dispatch::emit(ir)
    }

    fn operation_trait(&self) -> TokenStream {
        quote!(::amazon_pay_protocol::v2_runtime::Operation)
    }

    fn client(&self, ir: &Ir) -> TokenStream {
        client::emit(ir)
    }
}
