//! Amazon Pay protocol types, generated from the declarative spec in `spec/`.
//!
//! This crate is sans-IO: it turns typed requests into signed HTTP requests and HTTP responses
//! into typed results, and never opens a socket. See `ARCHITECTURE.md` at the repository root.
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

// Generated code names the runtime by its crate path, so that the same output also compiles
// in tests outside this crate (the codegen fixture specs).
extern crate self as amazon_pay_protocol;

pub mod builder;
#[cfg(feature = "client")]
pub mod client;
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
/// generated into `src/gen/v1/`.
#[rustfmt::skip] // prettyplease formats it; `cargo fmt` must not make it stale
#[path = "gen/v1/mod.rs"]
pub mod v1;

pub use builder::BuildError;
pub use money::{Currency, Money, MoneyError};
pub use operation::ErrorClass;
pub use operation::{DispatchError, Operation, OperationInfo, ResponseMetadata, Safety, Throttle};
pub use params::{CommonParams, ParamError, ParamMap, ParamSink};
pub use timestamp::Timestamp;
