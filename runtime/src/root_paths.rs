//! The runtime items at the root of `amazon-pay-protocol`, listed once.
//!
//! Generated code names the runtime by the protocol crate's root paths
//! (`amazon_pay_protocol::xml::XmlReader`, `amazon_pay_protocol::BuildError`), so that the same
//! output compiles wherever those paths exist. The code of each API generation is compiled in a
//! crate of its own (`amazon-pay-protocol-v1`, `-v2`, which build in parallel), and each of them
//! imports this module under that name; the facade `amazon-pay-protocol` re-exports it to users.

pub use crate::v1::{
    CommonParams, DispatchError, Operation, ParamError, ParamMap, ParamSink, ResponseMetadata,
};
pub use crate::v1::{credentials, params, sign, xml};
pub use crate::v2 as v2_runtime;
pub use crate::{
    BuildError, Currency, ErrorClass, Money, MoneyError, OperationInfo, Safety, Throttle, Timestamp,
};
pub use crate::{builder, money, protocol, timestamp, wire};
