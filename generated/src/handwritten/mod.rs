//! Hand-written code that needs the generated types: the glue that states the generated v1
//! facts to the runtime, the typed v1 notifications, and helpers that name operations.
//! Everything that does not need generated types lives in `amazon-pay-runtime`.

pub mod button;
#[cfg(feature = "client")]
pub mod charge;
#[cfg(feature = "client")]
pub mod client;
pub mod error;
pub mod notification;
pub mod service;
pub mod v2_service;
