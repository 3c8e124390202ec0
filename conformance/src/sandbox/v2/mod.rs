//! The v2 API generation of the simulator (Checkout API: JSON over REST, RSA-PSS): its front,
//! the state of checkout sessions, charge permissions, charges and refunds, the handlers, the
//! buyer on Amazon's hosted pages, sandbox simulations and the IPNs.
//!
//! Files import only files below them, in this order (lowest first): `error`, `records`,
//! `limits`, `state`, `ctx`, `objects` (charge permission ← charge ← refund; checkout session
//! on top, since completing one makes the others), `buyer`, `events`,
//! `handlers`, `ipn`, `verify`, `front`.

pub mod buyer;
pub mod ctx;
pub mod error;
mod events;
pub mod front;
mod handlers;
mod ipn;
mod limits;
mod monthly;
mod objects;
pub mod records;
pub mod state;
pub mod verify;
