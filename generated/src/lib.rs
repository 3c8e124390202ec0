//! Amazon Pay protocol types, generated from the declarative spec in `spec/`.
//!
//! This crate is sans-IO: it turns typed requests into signed HTTP requests and HTTP responses
//! into typed results, and never opens a socket. See `ARCHITECTURE.md` at the repository root.

pub mod builder;
pub mod money;
pub mod params;
pub mod timestamp;
pub mod wire;

#[rustfmt::skip]
#[allow(clippy::all, missing_docs)]
pub mod gen;

pub use builder::BuildError;
pub use money::{Currency, Money, MoneyError};
pub use params::{CommonParams, ParamError, ParamMap, ParamSink};
pub use timestamp::Timestamp;
