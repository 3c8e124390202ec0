//! Static facts about an operation, whatever the API generation: how safe it is to repeat,
//! its documented quota, and how the retry engine treats the service's errors.

use serde::Serialize;

/// What a repeat of an operation may do; the client decides from this when to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Safety {
    /// No effect on the service (Get*, List*, Validate*): always safe to repeat.
    Read,
    /// Repeating leaves the same state (Set*, Confirm*, Close*, Cancel*).
    Idempotent,
    /// Moves money or creates an object; the request's reference id makes a repeat safe,
    /// as long as the repeat carries the same id.
    Keyed,
    /// A repeat may create a second object: retried only when the request never left.
    Unsafe,
}

/// Static facts about an operation, for dispatch by name (runner, `sign`, `decode`) and for
/// the client's retry decisions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OperationInfo {
    /// The operation's name (v1: the `Action` parameter).
    pub action: &'static str,
    pub safety: Safety,
    /// Wire name of the reference id input that makes a retry safe.
    pub idempotency_key: Option<&'static str>,
    /// Error codes the spec lists for this operation.
    pub errors: &'static [&'static str],
    /// The documented request quota, where a source gives one.
    pub throttle: Option<Throttle>,
    pub doc: &'static str,
}

/// A documented throttle: a token bucket of `quota` requests refilled at a steady rate; requests
/// beyond it are answered 503 RequestThrottled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttle {
    pub quota: u32,
    pub restore_per_second: f64,
    pub sandbox_quota: u32,
    pub sandbox_restore_per_second: f64,
}

/// How the retry engine treats a service error; each error code's class comes from the spec
/// (`class` in `errors.toml`), so the client names no error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ErrorClass {
    /// The caller is over its quota: wait and try again.
    Throttled,
    /// The service failed on its side; the same request may pass later.
    Transient,
    /// The request's time is outside the service's window: this machine's clock is off.
    ClockSkew,
    /// The idempotency or reference key is taken. After an attempt whose answer was lost, it
    /// means that attempt was most likely applied.
    DuplicateKey,
    /// Sending the same request again cannot help.
    Final,
}

impl ErrorClass {
    /// Whether the same request may succeed when sent again.
    pub fn retryable(self) -> bool {
        matches!(self, ErrorClass::Throttled | ErrorClass::Transient)
    }
}
