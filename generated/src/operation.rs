//! What every generated operation provides: its Action, how safe it is to repeat, how it
//! writes its parameters, and the response type it reads.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::params::{CommonParams, ParamSink};

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

/// How the retry engine treats a service error (from the spec's `class` of each code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    Throttled,
    Transient,
    ClockSkew,
    DuplicateKey,
    Final,
}

/// Static facts about an operation, for dispatch by Action name (runner, `sign`, `decode`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OperationInfo {
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

/// A typed request of one operation (generated for each of them).
pub trait Operation {
    /// The `Action` parameter.
    const ACTION: &'static str;
    const INFO: OperationInfo;
    /// The whole `<{Action}Response>` document.
    type Response: DeserializeOwned + Serialize + std::fmt::Debug;

    /// Visits every parameter, the common ones included, in canonical (byte) order.
    fn write_params<S: ParamSink>(&self, common: &CommonParams<'_>, sink: &mut S);

    /// The value of the reference id that makes a retry safe, if the operation has one.
    fn idempotency_key(&self) -> Option<&str>;

    /// The service's request id of a response (for logs and support cases).
    fn request_id(response: &Self::Response) -> &str;
}

/// `<ResponseMetadata>` of every success response.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, Serialize)]
pub struct ResponseMetadata {
    /// The service's request id (`RequestId`, or `RequestID` in some responses).
    #[serde(rename = "RequestId", alias = "RequestID", default)]
    pub request_id: String,
}

/// Why a document or a parameter set could not be read for an Action known only at run time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DispatchError {
    #[error("unknown Action `{0}`")]
    UnknownAction(String),
    #[error(transparent)]
    Params(#[from] crate::params::ParamError),
    #[error(transparent)]
    Xml(#[from] crate::xml::XmlError),
}
