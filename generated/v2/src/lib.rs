//! The v2 API (Checkout API, REST/JSON) of `amazon-pay-protocol`: the code generated from
//! `spec/v2/` and the hand-written glue that needs its types.
//!
//! Depend on `amazon-pay-protocol`, which re-exports all of this under its documented paths. Each
//! API generation is a crate of its own so that the two compile in parallel. Generated code names
//! the runtime by the facade's root paths (`amazon_pay_protocol::v2_runtime::Operation`): this
//! crate answers to that name itself and imports those paths from
//! [`amazon_pay_runtime::root_paths`].

extern crate self as amazon_pay_protocol;

use amazon_pay_runtime::root_paths::*;

pub mod button;
mod service;

pub use service::{V2, V2Service};

/// The v2 API (Checkout v2, REST/JSON): every operation and shape of `spec/v2/`, generated into
/// `generated/v2/src/gen/`; each request implements [`v2_runtime::Operation`].
#[rustfmt::skip] // prettyplease formats it; `cargo fmt` must not make it stale
#[path = "gen/mod.rs"]
pub mod v2;

/// The one item of the facade's `error` module that generated v2 code names (the rest of that
/// module is v1's).
mod error {
    pub use amazon_pay_runtime::error::ServiceCode;
}

/// The client, at the path the facade gives it (`client::v2`) and generated code names.
#[cfg(feature = "client")]
pub mod client {
    /// The v2 client (`features = ["client"]`): the runtime's engine for the v2 protocol, with
    /// the typed methods generated on it. Users reach it as `amazon_pay_protocol::client::v2`,
    /// whose documentation shows the seed flows.
    pub mod v2 {
        use crate::service::V2;

        amazon_pay_runtime::engine_client!(
            /// An Amazon Pay v2 client: one typed method per operation (generated). Every POST
            /// carries an idempotency key (the request's, or one made for the call and sent on
            /// every attempt), so retries never create a second object. Cheap to clone.
            V2,
            amazon_pay_runtime::v2::Credentials,
            crate::v2::ErrorCode
        );
    }
}
