//! The v2 wire protocol (Checkout API): JSON over REST, signed with RSA-PSS
//! (`AMZN-PAY-RSASSA-PSS`, salt 20, and `AMZN-PAY-RSASSA-PSS-V2`, salt 32).

pub mod json;
pub mod key;
pub mod operation;
pub mod sign;

pub use operation::Operation;
