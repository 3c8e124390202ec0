//! What every generated v1 operation provides: its Action, how it writes its parameters, and
//! the `<{Action}Response>` document it reads.

use crate::operation::OperationInfo;
use crate::v1::params::{CommonParams, ParamSink};

/// A typed request of one operation (generated for each of them).
pub trait Operation {
    /// The `Action` parameter.
    const ACTION: &'static str;
    const INFO: OperationInfo;
    /// The whole `<{Action}Response>` document. Not bound by serde: the generated types
    /// implement `Serialize` and `Deserialize` only under the protocol crate's `serde`
    /// feature (they are read and written by generated code).
    type Response: std::fmt::Debug + Send;

    /// Visits every parameter, the common ones included, in canonical (byte) order.
    fn write_params<S: ParamSink>(&self, common: &CommonParams<'_>, sink: &mut S);

    /// The value of the reference id that makes a retry safe, if the operation has one.
    fn idempotency_key(&self) -> Option<&str>;

    /// The service's request id of a response (for logs and support cases).
    fn request_id(response: &Self::Response) -> &str;

    /// Reads the `<{Action}Response>` document of a success answer (the generated
    /// operations use their generated pull reader).
    fn read_response(body: &[u8]) -> Result<Self::Response, crate::v1::xml::XmlError>;
}

/// `<ResponseMetadata>` of every success response.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
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
    Params(#[from] crate::v1::params::ParamError),
    #[error(transparent)]
    Xml(#[from] crate::v1::xml::XmlError),
}
