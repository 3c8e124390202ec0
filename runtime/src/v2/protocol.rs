//! The v2 wire protocol as a [`Protocol`]: JSON over REST signed with RSA-PSS. What differs
//! between services of this protocol (error codes, personal-data members) comes from the
//! generated crate through [`RestService`].

use std::marker::PhantomData;

use super::credentials::Credentials;
use super::operation::Operation;
use super::request::{IDEMPOTENCY_KEY, sign, takes_idempotency_key};
use super::{error, redact};
use crate::Timestamp;
use crate::endpoint::Endpoint;
use crate::error::{ResponseError, ServiceCode};
use crate::operation::OperationInfo;
use crate::protocol::{Call, HttpRequest, HttpResponse, Protocol, SignError};

/// The facts of one v2 service, stated by its generated code.
pub trait RestService: Sized + Send + Sync + 'static {
    type Code: ServiceCode;
    /// Whether a JSON member (by name) holds the buyer's personal data.
    fn is_personal(member: &str) -> bool;
    /// The client type a builder hands out.
    #[cfg(feature = "client")]
    type Client: From<crate::client::Engine<Rest<Self>>>;
}

/// The v2 protocol of service `S`.
pub struct Rest<S>(PhantomData<fn() -> S>);

impl<S: RestService> Protocol for Rest<S> {
    type Credentials = Credentials;
    type Code = S::Code;

    fn redact_request(body: &[u8]) -> String {
        redact::json(body, S::is_personal)
    }

    fn redact_response(body: &[u8]) -> String {
        redact::json(body, S::is_personal)
    }
}

#[cfg(feature = "client")]
impl<S: RestService> crate::client::ClientProtocol for Rest<S> {
    type Client = S::Client;
}

impl<S: RestService, O: Operation + Sync> Call<Rest<S>> for O {
    type Output = O::Response;
    const INFO: OperationInfo = O::INFO;

    fn sign(
        &self,
        credentials: &Credentials,
        endpoint: &Endpoint,
        now: Timestamp,
        generated_key: Option<&str>,
    ) -> Result<HttpRequest, SignError> {
        sign(self, credentials, endpoint, now, generated_key)
            .map(Into::into)
            .map_err(|e| SignError(e.to_string()))
    }

    fn idempotency_key(&self) -> Option<String> {
        self.headers()
            .into_iter()
            .find(|(name, _)| *name == IDEMPOTENCY_KEY)
            .map(|(_, key)| key)
    }

    /// Every POST carries a key (the service enforces keys on POST only), so a retry can never
    /// create a second object.
    fn needs_generated_key(&self) -> bool {
        takes_idempotency_key(O::METHOD) && Call::<Rest<S>>::idempotency_key(self).is_none()
    }

    fn read(response: &HttpResponse) -> Result<O::Response, ResponseError<S::Code>> {
        error::parse_response::<O::Response, S::Code>(response)
    }

    fn request_id(response: &HttpResponse, _: &O::Response) -> String {
        response
            .header(error::REQUEST_ID)
            .unwrap_or_default()
            .to_owned()
    }
}
