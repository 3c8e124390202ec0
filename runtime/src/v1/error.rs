//! Reading a v1 response: the typed success document, or the `<ErrorResponse>` document as a
//! typed [`ServiceError`].

use serde::{Deserialize, Serialize};

use crate::error::{ResponseError, ServiceCode, ServiceError};
use crate::v1::Operation;
use crate::v1::xml::{self, WriteXml, XmlError};

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
        xml::XmlReader::document("ErrorResponse", body, |r, open| r.error_document(open))
    }

    /// Writes the document as the service does, in the service's XML `namespace` (the
    /// simulator renders its errors with this).
    pub fn to_xml(&self, namespace: &str) -> String {
        xml::XmlWriter::document("ErrorResponse", namespace, |w| {
            self.error.write_xml(w, "Error");
            self.request_id.write_xml(w, "RequestId");
        })
    }
}

/// Reads the response of operation `O`: the typed document on 2xx, a [`ServiceError`] when the
/// body is an `ErrorResponse`, otherwise a parse error that keeps the body.
pub fn parse_response<O: Operation, C: ServiceCode>(
    status: u16,
    body: &[u8],
) -> Result<O::Response, ResponseError<C>> {
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
            code: C::parse(doc.error.code.trim()),
            message: doc.error.message,
            request_id: doc.request_id,
        }));
    }
    if !(200..300).contains(&status) {
        return Err(parse_error(format!(
            "HTTP status {status} without an ErrorResponse document"
        )));
    }
    O::read_response(body).map_err(|e| parse_error(e.to_string()))
}
