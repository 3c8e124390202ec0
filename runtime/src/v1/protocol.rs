//! The v1 wire protocol as a [`Protocol`]: form POST signed with Signature Version 2, XML
//! answers. What differs between services of this protocol (their error codes, which
//! parameters are secret, which elements hold personal data) comes from the generated crate
//! through [`MwsService`].

use std::marker::PhantomData;

use crate::Timestamp;
use crate::endpoint::Endpoint;
use crate::error::{ResponseError, ServiceCode};
use crate::operation::OperationInfo;
use crate::protocol::{Call, HttpRequest, HttpResponse, Protocol, SignError};
use crate::v1::credentials::Credentials;
use crate::v1::{Operation, error, redact, sign};

/// The facts of one v1 service, stated by its generated code.
pub trait MwsService: Sized + Send + Sync + 'static {
    /// The service's error codes.
    type Code: ServiceCode;
    /// Form parameters whose values are redacted in logs and recordings.
    const SECRET_PARAMS: &'static [&'static str];
    /// Whether an element (by local name) holds the buyer's personal data.
    fn is_personal(element: &str) -> bool;
    /// The client type a builder hands out (the generated crate's own, so that its typed
    /// methods can be inherent).
    #[cfg(feature = "client")]
    type Client: From<crate::client::Engine<Mws<Self>>>;
}

/// The v1 protocol of service `S`.
pub struct Mws<S>(PhantomData<fn() -> S>);

impl<S: MwsService> Protocol for Mws<S> {
    type Credentials = Credentials;
    type Code = S::Code;

    fn redact_request(body: &[u8]) -> String {
        redact::form(body, S::SECRET_PARAMS)
    }

    fn redact_response(body: &[u8]) -> String {
        redact::xml(body, S::is_personal)
    }
}

#[cfg(feature = "client")]
impl<S: MwsService> crate::client::ClientProtocol for Mws<S> {
    type Client = S::Client;
}

impl<S: MwsService, O: Operation + Sync> Call<Mws<S>> for O {
    type Output = O::Response;
    const INFO: OperationInfo = O::INFO;

    fn sign(
        &self,
        credentials: &Credentials,
        endpoint: &Endpoint,
        now: Timestamp,
        _: Option<&str>,
    ) -> Result<HttpRequest, SignError> {
        Ok(sign::sign(self, credentials, endpoint, now).into())
    }

    fn idempotency_key(&self) -> Option<String> {
        Operation::idempotency_key(self).map(str::to_owned)
    }

    fn read(response: &HttpResponse) -> Result<O::Response, ResponseError<S::Code>> {
        error::parse_response::<O, S::Code>(response.status, &response.body)
    }

    /// v1 answers carry the request id in the document.
    fn request_id(_: &HttpResponse, output: &O::Response) -> String {
        O::request_id(output).to_owned()
    }
}
