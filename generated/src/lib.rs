//! Amazon Pay protocol types, generated from the declarative spec in `spec/`.
//!
//! This crate is sans-IO: it turns typed requests into signed HTTP requests and HTTP responses
//! into typed results, and never opens a socket. See `ARCHITECTURE.md` at the repository root.

// Generated code names the runtime by its crate path, so that the same output also compiles
// in tests outside this crate (the codegen fixture specs).
extern crate self as amazon_pay_protocol;

pub mod builder;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod ipn;
pub mod money;
pub mod operation;
pub mod params;
pub mod sign;
pub mod timestamp;
pub mod wire;
pub mod xml;

/// The v1 API (`OffAmazonPayments`, 2013-01-01): every operation and shape of `spec/v1/`,
/// generated into `src/gen/`.
#[rustfmt::skip] // prettyplease formats it; `cargo fmt` must not make it stale
#[path = "gen/mod.rs"]
pub mod v1;

pub use builder::BuildError;
pub use money::{Currency, Money, MoneyError};
pub use operation::{DispatchError, Operation, OperationInfo, ResponseMetadata, Safety};
pub use params::{CommonParams, ParamError, ParamMap, ParamSink};
pub use timestamp::Timestamp;
