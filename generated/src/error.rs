//! Reading a response: the typed success document, or a typed error that says what went
//! wrong and whether sending the same request again may help.

use serde::{Deserialize, Serialize};

use crate::Operation;
use crate::v1::ErrorCode;
use crate::xml::{self, XmlError};

/// `<ErrorResponse>` as the service writes it (`RequestId`, or `RequestID` when throttled).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename = "ErrorResponse")]
pub struct ErrorDocument {
    #[serde(rename = "Error")]
    pub error: ErrorDetail,
    #[serde(rename = "RequestId", alias = "RequestID", default)]
    pub request_id: String,
}

/// The `<Error>` element.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct ErrorDetail {
    /// `Sender`, `Receiver`, or empty (the throttling response leaves it empty).
    #[serde(rename = "Type", default)]
    pub error_type: String,
    #[serde(rename = "Code")]
    pub code: String,
    #[serde(rename = "Message", default)]
    pub message: String,
}

impl ErrorDocument {
    pub fn from_xml(body: &[u8]) -> Result<ErrorDocument, XmlError> {
        xml::from_bytes("ErrorResponse", body)
    }

    /// Writes the document as the service does (the simulator renders its errors with this).
    pub fn to_xml(&self) -> Result<String, XmlError> {
        xml::to_string("ErrorResponse", crate::v1::XML_NAMESPACE, self)
    }
}

/// An error the service answered with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} (HTTP {http_status}): {message} [request id {request_id}]")]
pub struct ServiceError {
    pub http_status: u16,
    pub error_type: String,
    pub code: ErrorCode,
    pub message: String,
    pub request_id: String,
}

impl ServiceError {
    /// Whether the same request may succeed later: HTTP 500 and 503, and the codes the spec
    /// marks retryable (RequestThrottled, ServiceUnavailable, InternalServerError, ...).
    pub fn retryable(&self) -> bool {
        matches!(self.http_status, 500 | 503) || self.code.retryable()
    }
}

/// Why a response did not give the expected result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// The body was not the document it should have been; the raw body is kept for debugging.
    #[error("HTTP {http_status}: {reason}")]
    Parse {
        http_status: u16,
        reason: String,
        raw_body: Vec<u8>,
    },
}

impl ResponseError {
    pub fn retryable(&self) -> bool {
        match self {
            ResponseError::Service(e) => e.retryable(),
            // A 5xx with an unreadable body (a proxy's page, a cut connection) may still pass later.
            ResponseError::Parse { http_status, .. } => {
                matches!(http_status, 500 | 502 | 503 | 504)
            }
        }
    }
}

/// Reads the response of operation `O`: the typed document on 2xx, a [`ServiceError`] when the
/// body is an `ErrorResponse`, otherwise a parse error that keeps the body.
pub fn parse_response<O: Operation>(
    status: u16,
    body: &[u8],
) -> Result<O::Response, ResponseError> {
    let parse_error = |reason: String| ResponseError::Parse {
        http_status: status,
        reason,
        raw_body: body.to_vec(),
    };
    if xml::root_name(body).as_deref() == Some("ErrorResponse") {
        let doc = ErrorDocument::from_xml(body).map_err(|e| parse_error(e.to_string()))?;
        return Err(ResponseError::Service(ServiceError {
            http_status: status,
            error_type: doc.error.error_type.trim().to_owned(),
            code: ErrorCode::parse(doc.error.code.trim()),
            message: doc.error.message,
            request_id: doc.request_id,
        }));
    }
    if !(200..300).contains(&status) {
        return Err(parse_error(format!(
            "HTTP status {status} without an ErrorResponse document"
        )));
    }
    xml::from_bytes::<O::Response>(O::ACTION, body).map_err(|e| parse_error(e.to_string()))
}
