//! `errors.rs`: the service's error codes with their HTTP status and class.

use amazon_pay_spec::ErrorClass;
use proc_macro2::TokenStream;
use quote::quote;

use super::gate::Gate;
use super::shapes::enumeration;
use crate::ir::{Ir, Variant};
use crate::names;

/// `doc` says where the code is found in an error answer.
pub fn emit(ir: &Ir, doc: &str, serde: Gate) -> TokenStream {
    let values: Vec<Variant> = ir
        .errors
        .iter()
        .map(|e| Variant {
            wire: e.code.clone(),
            rust: e.variant.clone(),
            doc: e.doc.clone(),
        })
        .collect();
    let enumeration = enumeration("ErrorCode", doc, &values, serde);
    let variants: Vec<_> = ir.errors.iter().map(|e| names::ty(&e.variant)).collect();
    let statuses = ir.errors.iter().map(|e| match e.status {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    });
    let classes = ir.errors.iter().map(|e| class_variant(e.class));
    let final_class = class_variant(ErrorClass::Final);
    // Retryability is derived from the class here, so the spec states it once.
    let retryable: Vec<_> = ir
        .errors
        .iter()
        .filter(|e| e.class.retryable())
        .map(|e| names::ty(&e.variant))
        .collect();
    let retryable = if retryable.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(self, #(ErrorCode::#retryable)|*))
    };
    quote! {
        #enumeration

        impl ErrorCode {
            /// The HTTP status the service answers with, where a source documents it.
            pub fn http_status(&self) -> ::std::option::Option<u16> {
                match self {
                    #(ErrorCode::#variants => #statuses,)*
                    ErrorCode::Unknown(_) => ::std::option::Option::None,
                }
            }

            /// Whether the same request may succeed when sent again later.
            pub fn retryable(&self) -> bool {
                #retryable
            }

            /// How a retry engine treats the error (the spec's `class`; unknown codes are final).
            pub const fn class(&self) -> ::amazon_pay_protocol::ErrorClass {
                match self {
                    #(ErrorCode::#variants => ::amazon_pay_protocol::ErrorClass::#classes,)*
                    ErrorCode::Unknown(_) => ::amazon_pay_protocol::ErrorClass::#final_class,
                }
            }
        }

        /// What the runtime's client engine reads of a code.
        impl ::amazon_pay_protocol::error::ServiceCode for ErrorCode {
            fn parse(text: &str) -> ErrorCode {
                ErrorCode::parse(text)
            }

            fn as_str(&self) -> &str {
                ErrorCode::as_str(self)
            }

            fn class(&self) -> ::amazon_pay_protocol::ErrorClass {
                ErrorCode::class(self)
            }
        }
    }
}

fn class_variant(class: ErrorClass) -> TokenStream {
    match class {
        ErrorClass::Throttled => quote!(Throttled),
        ErrorClass::Transient => quote!(Transient),
        ErrorClass::ClockSkew => quote!(ClockSkew),
        ErrorClass::DuplicateKey => quote!(DuplicateKey),
        ErrorClass::Final => quote!(Final),
    }
}
