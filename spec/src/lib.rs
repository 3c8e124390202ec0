//! Loads and validates the declarative Amazon Pay API specs (`spec/v1/`, `spec/v2/`).
//!
//! The format is documented in `spec/README.md`. Loading never panics: every problem becomes
//! a [`SpecError`] naming the file, line and column.

mod error;
mod load;
mod model;
mod protocol;
mod validate;

pub use error::{SpecError, SpecErrors};
pub use load::load;
pub use model::*;

/// The directory of the v1 spec inside this repository.
pub fn v1_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("v1")
}

/// The directory of the v2 spec inside this repository.
pub fn v2_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("v2")
}
