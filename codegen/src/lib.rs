//! Generates each API generation's code (`generated/<generation>/src/gen/`, in the crate
//! `amazon-pay-protocol-<generation>`) from the spec.
//!
//! spec model -> IR (`ir`) -> token streams (`emit`: neutral emitters plus the protocol's,
//! with quote) -> formatted source (prettyplease). Output is a map from relative path to file
//! text; generation is deterministic (the spec is sorted, every map here is ordered).

mod emit;
mod files;
pub mod ir;
mod names;

use std::collections::BTreeMap;
use std::path::PathBuf;

use amazon_pay_spec::Spec;

pub use files::{default_output_dir, diff_against, output_dir, write_all};

/// A generation failure: the spec is valid but something cannot be expressed in Rust.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    #[error("{0}")]
    Spec(String),
    #[error("generated code for {file} does not parse: {reason}")]
    Syntax { file: String, reason: String },
}

/// What to generate besides types.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Typed methods on `amazon_pay_protocol::client::Client` (only possible inside the
    /// protocol crate itself, so fixture specs compiled elsewhere turn it off).
    pub client_methods: bool,
}

/// Generates every file of the output directory, keyed by path relative to it.
pub fn generate(
    spec: &Spec,
    spec_label: &str,
    options: Options,
) -> Result<BTreeMap<PathBuf, String>, CodegenError> {
    let ir = ir::build(spec).map_err(CodegenError::Spec)?;
    emit::files(&ir, spec_label, options)
}
