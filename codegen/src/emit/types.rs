//! Structures (shapes and operation requests): the type, its builder and its constraint
//! checks; the protocol adds its methods (v1: the parser from form parameters).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::ProtocolEmitter;
use super::gate::Gate;
use super::rust::{doc_attr, field_ident, rust_type};
use crate::ir::{Field, Ir, Structure};
use crate::names;

/// Builders of more fields than this keep them in a box. Setters take and return the builder by
/// value, which moves the whole struct through every call: for AuthorizeOnBillingAgreement (12
/// fields, 344 bytes) that was the larger part of building a request, and boxed it builds 110
/// ns faster; for one or two fields the allocation costs more than the moves it saves (20 ns).
const BOXED_BUILDER_FIELDS: usize = 6;

pub fn structure(ir: &Ir, s: &Structure, protocol: &dyn ProtocolEmitter) -> TokenStream {
    let name = names::ty(&s.name);
    let builder = format_ident!("{}Builder", s.name);
    let builder_fields_ty = format_ident!("{}BuilderFields", s.name);
    let doc = doc_attr(&s.doc);
    let all_optional = s.fields.iter().all(|f| !f.required);

    let fields = s
        .fields
        .iter()
        .map(|f| field_decl(f, protocol.field_serde(ir, s, f)));
    let (serde_derive, serde_gated) = if protocol.is_document(s) {
        let serde = protocol.serde();
        let derives = quote!(::serde::Serialize, ::serde::Deserialize);
        (serde.listed(derives.clone()), serde.derive_attr(derives))
    } else {
        (quote!(), quote!())
    };
    let default_derive = all_optional.then(|| quote!(, Default));
    let builder_fields = s.fields.iter().map(|f| {
        let ident = field_ident(f);
        let rust = rust_type(&f.ty);
        quote!(#ident: ::std::option::Option<#rust>,)
    });
    let setters = s.fields.iter().map(|f| {
        let ident = field_ident(f);
        let rust = rust_type(&f.ty);
        let doc = doc_attr(&f.doc);
        quote! {
            #doc
            pub fn #ident(mut self, value: impl ::std::convert::Into<#rust>) -> Self {
                self.fields.#ident = ::std::option::Option::Some(value.into());
                self
            }
        }
    });
    let fields_ty = if boxed_builder(&s.fields) {
        quote!(::std::boxed::Box<#builder_fields_ty>)
    } else {
        quote!(#builder_fields_ty)
    };
    let builder_struct = if s.fields.is_empty() {
        quote!(pub struct #builder {})
    } else {
        quote! {
            pub struct #builder {
                fields: #fields_ty,
            }

            #[derive(Debug, Clone, Default)]
            struct #builder_fields_ty {
                #(#builder_fields)*
            }
        }
    };
    let build = build_fn(&s.name, &s.fields);
    let checks = s.fields.iter().map(constraint_check);
    let protocol_methods = protocol.structure_methods(ir, s);

    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq #default_derive #serde_derive)]
        #serde_gated
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// A builder; `build()` reports every missing required field at once.
            pub fn builder() -> #builder {
                #builder::default()
            }

            /// Records every documented constraint this value breaks (lengths, ranges),
            /// including those of nested structures.
            pub fn check_constraints(&self, errors: &mut ::amazon_pay_protocol::BuildError) {
                let _ = &errors;
                #(#checks)*
            }

            #protocol_methods
        }

        #[doc = concat!("Builder of [`", stringify!(#name), "`].")]
        #[derive(Debug, Clone, Default)]
        #builder_struct
        impl #builder {
            #(#setters)*
            #build
        }
    }
}

/// `#[serde(rename = …, <extra> default, skip_serializing_if …)]` (as `gate` says): the wire
/// name, and an optional member is absent when unset; `extra` is what the protocol adds.
pub fn serde_field(gate: Gate, f: &Field, extra: TokenStream) -> TokenStream {
    let wire = &f.wire;
    if f.required {
        gate.attr(quote!(serde(rename = #wire, #extra)))
    } else {
        gate.attr(
            quote!(serde(rename = #wire, #extra default, skip_serializing_if = "Option::is_none")),
        )
    }
}

fn field_decl(f: &Field, serde_attr: TokenStream) -> TokenStream {
    let ident = field_ident(f);
    let rust = rust_type(&f.ty);
    let doc = doc_attr(&f.doc);
    let rust = if f.required {
        rust
    } else {
        quote!(::std::option::Option<#rust>)
    };
    quote! {
        #doc
        #serde_attr
        pub #ident: #rust,
    }
}

fn boxed_builder(fields: &[Field]) -> bool {
    fields.len() > BOXED_BUILDER_FIELDS
}

fn build_fn(name: &str, fields: &[Field]) -> TokenStream {
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let req_idents: Vec<Ident> = required.iter().map(|f| field_ident(f)).collect();
    let missing_checks = required.iter().zip(&req_idents).map(|(f, ident)| {
        let wire = &f.wire;
        quote! {
            if fields.#ident.is_none() {
                errors.missing.push(#wire);
            }
        }
    });
    let unwrap = (!required.is_empty()).then(|| {
        quote! {
            let (#(::std::option::Option::Some(#req_idents),)*) = (#(fields.#req_idents,)*) else {
                return ::std::result::Result::Err(errors);
            };
        }
    });
    let inits = fields.iter().map(|f| {
        let ident = field_ident(f);
        if f.required {
            quote!(#ident,)
        } else {
            quote!(#ident: fields.#ident,)
        }
    });
    let name_ident = names::ty(name);
    let unbox = if fields.is_empty() {
        quote!()
    } else if boxed_builder(fields) {
        quote!(let fields = *self.fields;)
    } else {
        quote!(let fields = self.fields;)
    };
    quote! {
        /// Builds the value, or names every missing required field and broken constraint.
        pub fn build(self) -> ::std::result::Result<#name_ident, ::amazon_pay_protocol::BuildError> {
            #unbox
            let mut errors = ::amazon_pay_protocol::BuildError::new(#name);
            #(#missing_checks)*
            #unwrap
            let value = #name_ident { #(#inits)* };
            value.check_constraints(&mut errors);
            errors.into_result().map(|()| value)
        }
    }
}

fn constraint_check(f: &Field) -> TokenStream {
    let ident = field_ident(f);
    let wire = &f.wire;
    let mut body = TokenStream::new();
    if let Some(max) = f.max_length {
        let max = max as usize;
        body.extend(quote!(errors.check_max_length(#wire, ::amazon_pay_protocol::wire::WireValue::to_wire(v).as_ref(), #max);));
    }
    if let Some([lo, hi]) = f.range {
        body.extend(quote!(errors.check_range(#wire, *v, #lo, #hi);));
    }
    if f.ty.is_composite() {
        body.extend(quote!(v.check_constraints(errors);));
    }
    if body.is_empty() {
        return quote!();
    }
    if f.required {
        quote!({ let v = &self.#ident; #body })
    } else {
        quote!(if let ::std::option::Option::Some(v) = &self.#ident { #body })
    }
}
