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

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// Header names lower-case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first value of a header (`name` lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request could not be signed (v2: the private-key operation failed). Never holds key
/// material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the request could not be signed: {0}")]
pub struct SignError(pub String);

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

    /// Signs the request at `now` (each attempt signs anew). `generated_key` is the key the
    /// client made for this call when [`Call::needs_generated_key`] said so: the same on every
    /// attempt.
    fn sign(
        &self,
        credentials: &P::Credentials,
        endpoint: &Endpoint,
        now: Timestamp,
        generated_key: Option<&str>,
    ) -> Result<HttpRequest, SignError>;

    /// The value that makes a repeat of this request safe (a reference id, an idempotency
    /// key), if the caller set one.
    fn idempotency_key(&self) -> Option<String>;

    /// Whether the service wants an idempotency key that the caller did not give, so the
    /// client must make one for the call (v2 POSTs).
    fn needs_generated_key(&self) -> bool {
        false
    }

    /// Reads an answer: the typed document, or the service's typed error.
    fn read(response: &HttpResponse) -> Result<Self::Output, ResponseError<P::Code>>;

    /// The service's request id of an answer (for logs and support cases).
    fn request_id(response: &HttpResponse, output: &Self::Output) -> String;
}
