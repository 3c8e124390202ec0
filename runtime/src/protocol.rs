//! The seam between the client's attempt loop and an API generation's wire protocol.
//!
//! A [`Protocol`] says how a generation's credentials sign and how its bodies are redacted;
//! [`Call`] says, for one typed request of that generation, how it is signed into an
//! [`HttpRequest`] and how an answer is read into the typed result or a typed
//! [`ServiceError`](crate::error::ServiceError). The client (`client::Engine`) is generic over
//! both and names no operation and no error code: what an error means for a retry comes from
//! its code's [`ErrorClass`](crate::operation::ErrorClass), which the spec holds.

use std::fmt;

use crate::Timestamp;
use crate::endpoint::Endpoint;
use crate::error::{ResponseError, ServiceCode};
use crate::operation::OperationInfo;

/// A request as it goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// One API generation's wire protocol.
pub trait Protocol: Sized + Send + Sync + 'static {
    /// What signs a request (keys, account ids); redacted in `Debug`.
    type Credentials: fmt::Debug + Send + Sync;
    /// The generation's error codes.
    type Code: ServiceCode;

    /// A request body as it may be logged: secrets removed.
    fn redact_request(body: &[u8]) -> String;
    /// A response body as it may be logged: the buyer's personal data removed.
    fn redact_response(body: &[u8]) -> String;
}

/// A typed request of protocol `P`.
pub trait Call<P: Protocol>: Sync {
    /// The typed success document.
    type Output: fmt::Debug + Send;
    const INFO: OperationInfo;

    /// Signs the request at `now` (each attempt signs anew).
    fn sign(
        &self,
        credentials: &P::Credentials,
        endpoint: &Endpoint,
        now: Timestamp,
    ) -> HttpRequest;

    /// The value that makes a repeat of this request safe (a reference id, an idempotency
    /// key), if it has one.
    fn idempotency_key(&self) -> Option<&str>;

    /// Reads an answer: the typed document, or the service's typed error.
    fn read(status: u16, body: &[u8]) -> Result<Self::Output, ResponseError<P::Code>>;

    /// The service's request id of a success (for logs and support cases).
    fn request_id(output: &Self::Output) -> &str;
}
