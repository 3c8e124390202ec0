//! Resolving a member's spec type to what the generator needs to know about it.

use amazon_pay_spec::{Shape, ShapeKind, Spec};
use proc_macro2::TokenStream;
use quote::quote;

use crate::names;

/// A member type, resolved against the spec.
#[derive(Clone, Copy)]
pub enum Ty<'a> {
    /// `string`, `integer`, `boolean`, `timestamp`, `decimal`.
    Primitive(&'a str),
    /// A string newtype, an enum, a structure or a list shape.
    Named(&'a Shape),
    /// The `money` shape: `crate::Money`, flattened to `.Amount` and `.CurrencyCode`.
    Money,
}

impl<'a> Ty<'a> {
    /// Resolves a type name (validated by the spec loader to exist).
    pub fn resolve(spec: &'a Spec, name: &'a str) -> Ty<'a> {
        match spec.shape(name) {
            Some(shape) if shape.kind == ShapeKind::Money => Ty::Money,
            Some(shape) => Ty::Named(shape),
            None => Ty::Primitive(name),
        }
    }

    /// The Rust type.
    pub fn rust(&self) -> TokenStream {
        match self {
            Ty::Primitive("integer") => quote!(i64),
            Ty::Primitive("boolean") => quote!(bool),
            Ty::Primitive("timestamp") => quote!(::amazon_pay_protocol::Timestamp),
            Ty::Primitive(_) => quote!(::std::string::String),
            Ty::Money => quote!(::amazon_pay_protocol::Money),
            Ty::Named(shape) => {
                let ident = names::ty(shape.name());
                quote!(#ident)
            }
        }
    }

    /// Structure or list: flattened under a prefix, checked by its own `check_constraints`.
    pub fn is_composite(&self) -> bool {
        matches!(self, Ty::Named(s) if matches!(s.kind, ShapeKind::Structure | ShapeKind::List))
    }

    /// Whether the flattened form lives under `Name.` (structures, lists, money) rather than
    /// at `Name` itself; decides the member's position in canonical order.
    pub fn is_prefix(&self) -> bool {
        self.is_composite() || matches!(self, Ty::Money)
    }

    /// The shape when this is a structure.
    pub fn structure(&self) -> Option<&'a Shape> {
        match self {
            Ty::Named(s) if s.kind == ShapeKind::Structure => Some(s),
            _ => None,
        }
    }

    /// The shape when this is a list.
    pub fn list(&self) -> Option<&'a Shape> {
        match self {
            Ty::Named(s) if s.kind == ShapeKind::List => Some(s),
            _ => None,
        }
    }

    /// A `max_length` that applies through the type (string newtypes carry one).
    pub fn max_length(&self) -> Option<u32> {
        match self {
            Ty::Named(s) if s.kind == ShapeKind::String => s.max_length,
            _ => None,
        }
    }

    /// Whether the value can be compared against a `max_length` as text.
    pub fn is_text(&self) -> bool {
        matches!(self, Ty::Primitive("string") | Ty::Primitive("decimal"))
            || matches!(self, Ty::Named(s) if s.kind == ShapeKind::String)
    }
}
