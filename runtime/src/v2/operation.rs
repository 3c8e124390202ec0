//! What every generated v2 operation provides: its HTTP binding (method, path, query, headers,
//! JSON body) and the JSON document it reads.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::operation::OperationInfo;

/// An HTTP method of the v2 API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A typed request of one v2 operation (generated for each of them).
pub trait Operation {
    const INFO: OperationInfo;
    const METHOD: Method;
    /// The status the service answers a success with (200, or 201 for creations).
    const SUCCESS_STATUS: u16;
    /// Whether the service requires an `x-amz-pay-idempotency-key` header (POST creations).
    const IDEMPOTENCY_KEY_REQUIRED: bool;
    /// The success document.
    type Response: DeserializeOwned + Serialize + std::fmt::Debug + Send;

    /// The path below the API version (`checkoutSessions/{id}/complete`), with every path
    /// parameter filled in and percent-encoded as an RFC 3986 path segment; no leading slash.
    fn path(&self) -> String;

    /// Query parameters as (name, raw value) pairs, in any order; the signer encodes and sorts.
    fn query(&self) -> Vec<(&'static str, String)>;

    /// Headers that are members of the request (lower-case names, raw values), such as
    /// `x-amz-pay-idempotency-key` or `x-amz-pay-simulation-code`.
    fn headers(&self) -> Vec<(&'static str, String)>;

    /// The JSON body, exactly as it is sent and signed; `None` when the operation has none.
    fn body(&self) -> Option<Vec<u8>>;
}
