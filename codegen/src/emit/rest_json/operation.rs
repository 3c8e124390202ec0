//! An operation's `v2::Operation` impl: method, success status, path with encoded
//! parameters, query pairs, header members and the JSON body.

use amazon_pay_spec::{Body, HttpMethod, Location};
use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::info::info;
use crate::emit::rust::{field_ident, rust_type};
use crate::ir::{Field, Ir, OperationEntry, Scalar, TypeRef};
use crate::names;

/// The Rust type of an operation's success document: its output structure, or a JSON value
/// for the operations whose documents the reference does not describe.
pub fn response_type(ir: &Ir, op: &OperationEntry) -> TokenStream {
    match ir.type_entry(&op.output) {
        Some(_) => rust_type(&TypeRef::Structure(op.output.clone())),
        None => rust_type(&TypeRef::Scalar(Scalar::Json)),
    }
}

pub fn emit(ir: &Ir, op: &OperationEntry) -> TokenStream {
    let request = names::ty(&op.request.name);
    let info = info(op);
    let Some(binding) = &op.binding else {
        // Validated: every rest-json operation has `[http]`.
        return quote!();
    };
    let method = match binding.method {
        HttpMethod::Get => quote!(Get),
        HttpMethod::Post => quote!(Post),
        HttpMethod::Put | HttpMethod::Patch => quote!(Patch),
        HttpMethod::Delete => quote!(Delete),
    };
    let status = binding.status;
    let key_required = op.idempotency_key.as_ref().is_some_and(|k| k.required);
    let response = response_type(ir, op);
    let path = path(&binding.path, &op.request.fields);
    let query = pairs(&op.request.fields, Location::Query);
    let headers = pairs(&op.request.fields, Location::Header);
    let body = body(op, binding.body);
    let reader = reader(op, binding.body, &binding.path);
    quote! {
        #reader

        impl ::amazon_pay_protocol::v2_runtime::Operation for #request {
            const INFO: ::amazon_pay_protocol::OperationInfo = #info;
            const METHOD: ::amazon_pay_protocol::v2_runtime::operation::Method =
                ::amazon_pay_protocol::v2_runtime::operation::Method::#method;
            const SUCCESS_STATUS: u16 = #status;
            const IDEMPOTENCY_KEY_REQUIRED: bool = #key_required;
            type Response = #response;

            fn path(&self) -> ::std::string::String {
                #path
            }

            fn query(&self) -> ::std::vec::Vec<(&'static str, ::std::string::String)> {
                #query
            }

            fn headers(&self) -> ::std::vec::Vec<(&'static str, ::std::string::String)> {
                #headers
            }

            fn body(&self) -> ::std::option::Option<::std::vec::Vec<u8>> {
                #body
            }
        }
    }
}

/// The template without its leading `/`, each `{name}` replaced by the encoded member.
fn path(template: &str, fields: &[Field]) -> TokenStream {
    let template = template.strip_prefix('/').unwrap_or(template);
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (literal, after) = rest.split_at(open);
        let Some(close) = after.find('}') else { break };
        let name = &after[1..close];
        if !literal.is_empty() {
            parts.push(quote!(path.push_str(#literal);));
        }
        if let Some(f) = fields.iter().find(|f| f.wire == name) {
            let ident = field_ident(f);
            parts.push(quote! {
                path.push_str(&::amazon_pay_protocol::params::encode(
                    ::amazon_pay_protocol::wire::WireValue::to_wire(&self.#ident).as_ref(),
                ));
            });
        }
        rest = &after[close + 1..];
    }
    if parts.is_empty() {
        return quote!(::std::string::String::from(#rest));
    }
    if !rest.is_empty() {
        parts.push(quote!(path.push_str(#rest);));
    }
    quote! {
        let mut path = ::std::string::String::new();
        #(#parts)*
        path
    }
}

/// (wire name, text) of the members at `location`, set ones only.
fn pairs(fields: &[Field], location: Location) -> TokenStream {
    let located: Vec<&Field> = fields.iter().filter(|f| f.location == location).collect();
    if located.is_empty() {
        return quote!(::std::vec::Vec::new());
    }
    let pushes = located.iter().map(|f| {
        let ident = field_ident(f);
        let wire = &f.wire;
        let push = quote!(pairs.push((#wire, ::amazon_pay_protocol::wire::WireValue::to_wire(v).into_owned())););
        if f.required {
            quote!({ let v = &self.#ident; #push })
        } else {
            quote!(if let ::std::option::Option::Some(v) = &self.#ident { #push })
        }
    });
    quote! {
        let mut pairs = ::std::vec::Vec::new();
        #(#pushes)*
        pairs
    }
}

/// Serializing these types cannot fail (every map key is text and no serializer errs), so
/// `ok()` never drops a body.
fn body(op: &OperationEntry, body: Option<Body>) -> TokenStream {
    let document = || {
        op.request
            .fields
            .iter()
            .find(|f| f.location == Location::Body)
    };
    match (body, document()) {
        (Some(Body::Members), _) => quote!(::serde_json::to_vec(self).ok()),
        // The one json member is the whole body.
        (Some(Body::Document), Some(f)) => {
            let ident = field_ident(f);
            quote!(::serde_json::to_vec(&self.#ident).ok())
        }
        (Some(Body::Document), None) | (None, _) => quote!(::std::option::Option::None),
    }
}

/// `from_incoming`: the request as the service reads it, the body first (the members it does
/// not hold are skipped by serde and stand at their defaults), then the path, header and query
/// members.
fn reader(op: &OperationEntry, body: Option<Body>, template: &str) -> TokenStream {
    let request = names::ty(&op.request.name);
    let fields = &op.request.fields;
    // Members outside the body are set after it is read.
    let located = fields.iter().any(|f| f.location != Location::Body);
    let binding = if located {
        quote!(mut request)
    } else {
        quote!(request)
    };
    let read_body = match (body, fields.iter().find(|f| f.location == Location::Body)) {
        // The one json member is the whole body.
        (Some(Body::Document), Some(f)) => {
            let wire = &f.wire;
            quote! {
                let document: ::serde_json::Value =
                    ::serde_json::from_slice(incoming.json_body()).map_err(ReadError::json)?;
                let #binding: Self =
                    ::serde_json::from_value(::serde_json::json!({ #wire: document }))
                        .map_err(ReadError::json)?;
            }
        }
        (Some(Body::Members), _) => quote! {
            let #binding: Self =
                ::serde_json::from_slice(incoming.json_body()).map_err(ReadError::json)?;
        },
        // Nothing to read: the operation has no members at all.
        _ if !located => quote! {
            let _ = incoming;
            let request: Self = ::serde_json::from_slice(b"{}").map_err(ReadError::json)?;
        },
        _ => quote! {
            let mut request: Self =
                ::serde_json::from_slice(b"{}").map_err(ReadError::json)?;
        },
    };
    let path_names: Vec<&str> = template
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .collect();
    let path_reads = fields
        .iter()
        .filter(|f| f.location == Location::Path)
        .filter_map(|f| {
            let index = path_names.iter().position(|n| *n == f.wire)?;
            let ident = field_ident(f);
            let wire = &f.wire;
            Some(quote! {
                request.#ident = ::amazon_pay_protocol::wire::WireValue::from_wire(incoming.path_param(#index))
                    .map_err(|reason| ReadError::Path { name: #wire, reason })?;
            })
        });
    let located_reads = fields
        .iter()
        .filter(|f| matches!(f.location, Location::Header | Location::Query))
        .map(|f| {
            let ident = field_ident(f);
            let wire = &f.wire;
            let (lookup, error, missing) = match f.location {
                Location::Header => (quote!(header), quote!(Header), quote!(MissingHeader)),
                _ => (quote!(query), quote!(Query), quote!(MissingQuery)),
            };
            let parse = quote! {
                ::amazon_pay_protocol::wire::WireValue::from_wire(text)
                    .map_err(|reason| ReadError::#error { name: #wire, reason })?
            };
            if f.required {
                quote! {
                    let text = incoming.#lookup(#wire).ok_or(ReadError::#missing(#wire))?;
                    request.#ident = #parse;
                }
            } else {
                quote! {
                    if let ::std::option::Option::Some(text) = incoming.#lookup(#wire) {
                        request.#ident = ::std::option::Option::Some(#parse);
                    }
                }
            }
        });
    quote! {
        impl #request {
            /// Reads the request as the service receives it (the simulator's side).
            pub fn from_incoming(
                incoming: &::amazon_pay_protocol::v2_runtime::incoming::Incoming<'_>,
            ) -> ::std::result::Result<Self, ::amazon_pay_protocol::v2_runtime::incoming::ReadError> {
                use ::amazon_pay_protocol::v2_runtime::incoming::ReadError;
                #read_body
                #(#path_reads)*
                #(#located_reads)*
                ::std::result::Result::Ok(request)
            }
        }
    }
}
