//! The intermediate representation: everything the emitters need, resolved once from the
//! spec model (types with their Rust names and wire names, operations with their request,
//! output, safety and binding). Emitters read only this, never the spec.

mod build;
mod operation;
mod service;
mod types;

pub use build::build;
pub use operation::{Binding, IdempotencyKey, OperationEntry, Throttle};
pub use service::{CommonParam, ErrorEntry, MwsQuery, Protocol, Region, RestJson, Service};
pub use types::{
    Field, List, Scalar, StructRole, Structure, TypeEntry, TypeKind, TypeRef, Variant,
};

/// One API generation, ready to emit.
#[derive(Debug, Clone)]
pub struct Ir {
    pub service: Service,
    pub protocol: Protocol,
    /// Sorted by name.
    pub types: Vec<TypeEntry>,
    /// Sorted by name.
    pub operations: Vec<OperationEntry>,
    /// In spec order.
    pub errors: Vec<ErrorEntry>,
}

impl Ir {
    /// The type entry named `name` (every reference was validated by the spec loader).
    pub fn type_entry(&self, name: &str) -> Option<&TypeEntry> {
        self.types
            .binary_search_by(|t| t.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.types[i])
    }

    /// The structure named `name`.
    pub fn structure(&self, name: &str) -> Option<&Structure> {
        match &self.type_entry(name)?.kind {
            TypeKind::Structure(s) => Some(s),
            _ => None,
        }
    }

    /// The list named `name`.
    pub fn list(&self, name: &str) -> Option<&List> {
        match &self.type_entry(name)?.kind {
            TypeKind::List(l) => Some(l),
            _ => None,
        }
    }

    /// Element names of every structure member that holds buyer personal data (with their
    /// aliases), sorted and deduplicated.
    pub fn personal_elements(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .types
            .iter()
            .filter_map(|t| match &t.kind {
                TypeKind::Structure(s) => Some(s.fields.iter()),
                _ => None,
            })
            .flatten()
            .filter(|f| f.personal)
            .flat_map(|f| {
                std::iter::once(f.wire.as_str()).chain(f.aliases.iter().map(String::as_str))
            })
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}
