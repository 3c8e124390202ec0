//! The v1 API generation of the simulator (form POST, Signature V2, XML): its front, its
//! objects' state machines, the handlers that call them, its events, the buyer's side and the
//! sandbox simulation strings.
//!
//! Files import only files below them, in this order (lowest first): `error`, `simulation`,
//! `records`, `state`, `ctx`, `amounts`, `lifetimes`, `status`, `buyer_view`, `objects`
//! (billing agreement ← order reference ← authorization ← capture ← refund), `buyer`,
//! `events`, `handlers`, `ipn`, `form`, `verify`, `front`.

mod amounts;
pub mod buyer;
mod buyer_view;
pub mod ctx;
pub mod error;
mod events;
mod form;
pub mod front;
mod handlers;
mod ipn;
mod lifetimes;
mod objects;
pub mod records;
pub mod simulation;
pub mod state;
mod status;
pub mod verify;
