//! The state machines of the v1 objects, one file each. Dependencies point one way, from the
//! later object to the earlier: refund → capture → authorization → order reference → billing
//! agreement; provider credits are below them all (the capture and the refund pass their ids). A lower object never names a higher one; where a change must travel up (an
//! authorization captured at once), the lower one returns what is to happen or takes the
//! caller's function.

pub mod authorization;
pub mod billing_agreement;
pub mod capture;
pub mod order_reference;
pub mod provider_credit;
pub mod refund;
