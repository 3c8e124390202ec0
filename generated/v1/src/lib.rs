//! The v1 API (`OffAmazonPayments`, 2013-01-01) of `amazon-pay-protocol`: the code generated
//! from `spec/v1/` and the hand-written glue that needs its types.
//!
//! Depend on `amazon-pay-protocol`, which re-exports all of this under its documented paths. Each
//! API generation is a crate of its own so that the two compile in parallel. Generated code names
//! the runtime by the facade's root paths (`amazon_pay_protocol::xml::XmlReader`): this crate
//! answers to that name itself and imports those paths from
//! [`amazon_pay_runtime::root_paths`].

extern crate self as amazon_pay_protocol;

use amazon_pay_runtime::root_paths::*;

#[cfg(feature = "client")]
mod charge;
#[cfg(feature = "client")]
pub mod client;
pub mod error;
pub mod notification;
mod service;

pub use service::{V1, V1Service};

/// The v1 API (`OffAmazonPayments`, 2013-01-01): every operation and shape of `spec/v1/`,
/// generated into `generated/v1/src/gen/`.
#[rustfmt::skip] // prettyplease formats it; `cargo fmt` must not make it stale
#[path = "gen/mod.rs"]
pub mod v1;
