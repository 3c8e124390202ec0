//! The v2 error answer: an HTTP status and `{"reasonCode": …, "message": …}` (reference §5.1).
//! The status of each code comes from the spec (`ErrorCode::http_status`).

use amazon_pay_protocol::v2::ErrorCode;
use amazon_pay_protocol::v2_runtime::error::ErrorDocument;

use crate::sandbox::front::{Document, Reply};

/// Why a v2 request was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}: {message}", code.as_str())]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
        }
    }

    pub fn not_found(kind: &str, id: &str) -> ApiError {
        ApiError::new(
            ErrorCode::ResourceNotFound,
            format!("The {kind} {id} was not found."),
        )
    }

    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        ApiError::new(ErrorCode::InternalServerError, e.to_string())
    }

    pub fn status(&self) -> u16 {
        self.code.http_status().unwrap_or(400)
    }

    pub fn reply(&self, request_id: &str) -> Reply {
        let document = ErrorDocument {
            reason_code: self.code.as_str().to_owned(),
            message: self.message.clone(),
        };
        json_reply(
            self.status(),
            serde_json::to_string(&document).unwrap_or_default(),
            request_id,
        )
    }
}

/// A JSON answer with the `x-amz-pay-request-id` header every v2 answer carries.
pub fn json_reply(status: u16, body: String, request_id: &str) -> Reply {
    Reply {
        status,
        content_type: "application/json",
        body: Document::Written(body),
        request_id: Some(request_id.to_owned()),
    }
}
