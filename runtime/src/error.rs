//! The service's errors, whatever the API generation: a typed code (each generation's spec
//! generates its own `ErrorCode`), its class for the retry engine, and what came with it.

use std::fmt;

use crate::operation::ErrorClass;

/// An error code of one API generation (generated from its spec's `errors.toml`): unknown codes
/// are kept, never a parse failure.
pub trait ServiceCode:
    fmt::Debug + fmt::Display + Clone + PartialEq + Send + Sync + 'static
{
    fn parse(text: &str) -> Self;
    fn as_str(&self) -> &str;
    /// How the retry engine treats the code (unknown codes are [`ErrorClass::Final`]).
    fn class(&self) -> ErrorClass;
}

/// An error the service answered with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} (HTTP {http_status}): {message} [request id {request_id}]")]
pub struct ServiceError<C: ServiceCode> {
    pub http_status: u16,
    /// v1: `Sender`, `Receiver`, or empty (the throttling response leaves it empty).
    pub error_type: String,
    pub code: C,
    pub message: String,
    pub request_id: String,
}

impl<C: ServiceCode> ServiceError<C> {
    /// The code's class; an answer whose code says nothing more is transient when its HTTP
    /// status is ([`transient_status`]).
    pub fn class(&self) -> ErrorClass {
        match self.code.class() {
            ErrorClass::Final if transient_status(self.http_status) => ErrorClass::Transient,
            class => class,
        }
    }

    /// Whether the same request may succeed later.
    pub fn retryable(&self) -> bool {
        self.class().retryable()
    }
}

/// Why a response did not give the expected result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError<C: ServiceCode> {
    #[error(transparent)]
    Service(#[from] ServiceError<C>),
    /// The body was not the document it should have been; the raw body is kept for debugging.
    #[error("HTTP {http_status}: {reason}")]
    Parse {
        http_status: u16,
        reason: String,
        raw_body: Vec<u8>,
    },
}

impl<C: ServiceCode> ResponseError<C> {
    pub fn retryable(&self) -> bool {
        match self {
            ResponseError::Service(e) => e.retryable(),
            ResponseError::Parse { http_status, .. } => transient_status(*http_status),
        }
    }
}

/// The statuses that say "try again later" whatever the body: request timeout (408), too
/// early (425), too many requests (429), and the server-side 500, 502, 503 and 504 (a proxy's
/// or load balancer's page included). The official v2 SDKs retry exactly these.
pub fn transient_status(http_status: u16) -> bool {
    matches!(http_status, 408 | 425 | 429 | 500 | 502 | 503 | 504)
}
