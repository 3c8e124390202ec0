//! Reading a v2 answer: the typed JSON document on success, or the service's error document
//! (`{"reasonCode": …, "message": …}`) as a typed [`ServiceError`].

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{ResponseError, ServiceCode, ServiceError};
use crate::protocol::HttpResponse;

/// The header every answer carries its request id in.
pub const REQUEST_ID: &str = "x-amz-pay-request-id";

/// The error document of the v2 API.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct ErrorDocument {
    #[serde(rename = "reasonCode")]
    pub reason_code: String,
    #[serde(default)]
    pub message: String,
}

/// Reads an answer whose success document is `T` and whose success status is `success`
/// (200, or 201 for creations; any 2xx is accepted, since a pending authorization answers 202).
pub fn parse_response<T: DeserializeOwned, C: ServiceCode>(
    response: &HttpResponse,
) -> Result<T, ResponseError<C>> {
    let parse_error = |reason: String| ResponseError::Parse {
        http_status: response.status,
        reason,
        raw_body: response.body.clone(),
    };
    let request_id = response.header(REQUEST_ID).unwrap_or_default().to_owned();
    if (200..300).contains(&response.status) {
        return serde_json::from_slice(&response.body).map_err(|e| parse_error(e.to_string()));
    }
    let document: ErrorDocument = serde_json::from_slice(&response.body).map_err(|e| {
        parse_error(format!(
            "HTTP status {} without an error document: {e}",
            response.status
        ))
    })?;
    Err(ResponseError::Service(ServiceError {
        http_status: response.status,
        error_type: String::new(),
        code: C::parse(document.reason_code.trim()),
        message: document.message,
        request_id,
    }))
}
