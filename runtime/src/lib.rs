//! The hand-written runtime under `amazon-pay-protocol`, the crate users depend on.
//!
//! It cannot name generated types (the crate boundary enforces it): each API generation's
//! generated code states its facts (error codes and their classes, which parameters are
//! secret, hosts and paths) through the traits here.
//!
//! - Neutral: [`money`] (amounts without wire names), [`timestamp`], [`builder`] errors,
//!   [`wire`] text forms, [`clock`], [`endpoint`], [`operation`] facts (safety, quotas, error
//!   classes), [`error`] (the service's typed error), [`protocol`] (the seam the client is
//!   generic over).
//! - [`v1`]: the v1 wire protocol: canonical parameters, Signature Version 2, XML, the error
//!   document, Money's XML form, credentials, redaction, the [`v1::Mws`] protocol.
//! - [`ipn`]: SNS envelopes and their verification.
//! - [`client`] (feature `client`): the async engine with safe retries.
//! - [`root_paths`]: what the protocol crate's root re-exports, and generated code names.

pub mod builder;
#[cfg(feature = "client")]
pub mod client;
pub mod clock;
pub mod endpoint;
pub mod error;
pub mod ipn;
pub mod money;
pub mod operation;
pub mod percent;
pub mod protocol;
pub mod root_paths;
pub mod timestamp;
pub mod v1;
pub mod v2;
pub mod wire;

pub use builder::BuildError;
pub use money::{Currency, Money, MoneyError};
pub use operation::{ErrorClass, OperationInfo, Safety, Throttle};
pub use timestamp::Timestamp;
