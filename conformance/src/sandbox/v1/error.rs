//! The simulator's answer when a request is refused: an error code of the spec, rendered as
//! Amazon's `<ErrorResponse>` with the code's HTTP status.

use amazon_pay_protocol::error::{ErrorDetail, ErrorDocument};
use amazon_pay_protocol::v1::ErrorCode;

/// A refused request. Handlers return it before changing any state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", code.as_str())]
pub struct SimError {
    pub code: ErrorCode,
    pub message: String,
}

impl SimError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> SimError {
        SimError {
            code,
            message: message.into(),
        }
    }

    /// A bug or an impossible state inside the simulator, reported as Amazon reports its own.
    pub fn internal(message: impl std::fmt::Display) -> SimError {
        SimError::new(
            ErrorCode::InternalServerError,
            format!("simulator error: {message}"),
        )
    }

    /// The status the spec gives the code; codes without a sourced status answer 400, the
    /// status of every other client error of this API (documented in the closing note).
    pub fn http_status(&self) -> u16 {
        self.code.http_status().unwrap_or(400)
    }

    /// `Sender` for the caller's mistakes, `Receiver` for the service's own.
    pub fn document(&self, request_id: &str) -> ErrorDocument {
        let error_type = if self.http_status() >= 500 {
            "Receiver"
        } else {
            "Sender"
        };
        ErrorDocument {
            error: ErrorDetail {
                error_type: error_type.to_owned(),
                code: self.code.as_str().to_owned(),
                // Requests with such characters are refused before anything echoes them; this
                // keeps every answer well-formed XML should a message still carry one.
                message: self
                    .message
                    .chars()
                    .map(|c| if xml_char(c) { c } else { '\u{FFFD}' })
                    .collect(),
            },
            request_id: request_id.to_owned(),
        }
    }
}

impl From<amazon_pay_protocol::BuildError> for SimError {
    fn from(e: amazon_pay_protocol::BuildError) -> SimError {
        SimError::internal(e)
    }
}

/// Whether XML 1.0 can carry `c` (the `Char` production; Rust strings hold no surrogates).
pub fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

pub type SimResult<T> = Result<T, SimError>;
