//! One state machine per v2 object (reference §4). Dependencies point one way: a checkout
//! session completes into a charge permission and a charge; a refund needs a charge; a charge
//! needs a permission.

pub mod charge;
pub mod charge_permission;
pub mod checkout_session;
pub mod refund;
