//! The v2 wire protocol (Checkout API): JSON over REST, signed with RSA-PSS
//! (`AMZN-PAY-RSASSA-PSS`, salt 20, and `AMZN-PAY-RSASSA-PSS-V2`, salt 32).

pub mod credentials;
pub mod error;
pub mod incoming;
pub mod json;
pub mod key;
pub mod notification;
pub mod operation;
pub mod protocol;
pub mod redact;
pub mod request;
pub mod sign;

pub use credentials::Credentials;
pub use key::{Algorithm, KeyError, SigningKey};
pub use operation::{Method, Operation};
pub use protocol::{Rest, RestService};
