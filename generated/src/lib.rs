//! Amazon Pay protocol types, generated from the declarative spec in `spec/`.
//!
//! This crate is sans-IO: it turns typed requests into signed HTTP requests and HTTP responses
//! into typed results, and never opens a socket (the optional `client` feature adds an async
//! client). The hand-written runtime is the crate `amazon-pay-runtime`, re-exported here under
//! the paths below; `src/handwritten/` holds the little hand-written code that needs the
//! generated types. See `ARCHITECTURE.md` at the repository root.
//!
//! ```
//! use amazon_pay_protocol::credentials::{Credentials, SecretKey};
//! use amazon_pay_protocol::endpoint::Endpoint;
//! use amazon_pay_protocol::v1::{self, Environment, Region};
//! use amazon_pay_protocol::{Currency, Money, Timestamp, sign};
//!
//! let request = v1::AuthorizeOnBillingAgreementRequest::builder()
//!     .amazon_billing_agreement_id("C01-1234567-1234567")
//!     .authorization_reference_id("order-42-1")
//!     .authorization_amount(Money::jpy(1000)?)
//!     .capture_now(true)
//!     .build()?; // names every missing required field at once
//! assert!(Money::new("1000.00", Currency::Jpy).is_err()); // JPY has no minor unit
//!
//! let credentials = Credentials::new("AKIAEXAMPLE", SecretKey::new("secret"), "A1EXAMPLE");
//! let endpoint = Endpoint::amazon(Region::Jp, Environment::Sandbox);
//! let signed = sign::sign(&request, &credentials, &endpoint, Timestamp::parse("2024-01-02T03:04:05Z")?);
//! assert_eq!(signed.url, "https://mws.amazonservices.jp/OffAmazonPayments_Sandbox/2013-01-01");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// Generated code names the runtime by this crate's path, so that the same output also
// compiles in tests outside this crate (the codegen fixture specs).
extern crate self as amazon_pay_protocol;

mod handwritten;

pub use amazon_pay_runtime::v1::{credentials, params, sign, xml};
pub use amazon_pay_runtime::{builder, money, protocol, timestamp, wire};
#[cfg(feature = "client")]
pub use handwritten::client;
pub use handwritten::service::{V1, V1Service};
pub use handwritten::v2_service::{V2, V2Service};
pub use handwritten::{button, error};

/// Where requests go, and the clock they are signed with.
pub mod endpoint {
    pub use amazon_pay_runtime::clock::*;
    pub use amazon_pay_runtime::endpoint::*;
}

/// What every operation provides.
pub mod operation {
    pub use amazon_pay_runtime::operation::*;
    pub use amazon_pay_runtime::v1::operation::*;
}

/// Instant Payment Notifications: verification (runtime) and the typed v1 notifications.
pub mod ipn {
    pub use crate::handwritten::notification::Notification;
    pub use amazon_pay_runtime::ipn::*;
    pub use amazon_pay_runtime::v1::ipn_message::NotificationMessage;
}

/// The v1 API (`OffAmazonPayments`, 2013-01-01): every operation and shape of `spec/v1/`,
/// generated into `src/gen/v1/`.
#[rustfmt::skip] // prettyplease formats it; `cargo fmt` must not make it stale
#[path = "gen/v1/mod.rs"]
pub mod v1;

/// The v2 API (Checkout v2, REST/JSON): every operation and shape of `spec/v2/`, generated
/// into `src/gen/v2/`; each request implements [`v2_runtime::Operation`].
#[rustfmt::skip] // prettyplease formats it; `cargo fmt` must not make it stale
#[path = "gen/v2/mod.rs"]
pub mod v2;
pub use amazon_pay_runtime::v2 as v2_runtime;

pub use amazon_pay_runtime::v1::{
    CommonParams, DispatchError, Operation, ParamError, ParamMap, ParamSink, ResponseMetadata,
};
pub use amazon_pay_runtime::{
    BuildError, Currency, ErrorClass, Money, MoneyError, OperationInfo, Safety, Throttle, Timestamp,
};
