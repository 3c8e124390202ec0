//! The v1 wire protocol (`OffAmazonPayments`, MWS style): form-encoded POST signed with
//! Signature Version 2, XML answers.

pub mod credentials;
pub mod error;
pub mod ipn_message;
mod keyed_mac;
mod money_xml;
pub mod operation;
pub mod params;
pub mod protocol;
pub mod redact;
pub mod sign;
pub mod xml;

pub use operation::{DispatchError, Operation, ResponseMetadata};
pub use params::{CommonParams, ParamError, ParamMap, ParamSink};
pub use protocol::{Mws, MwsService};
