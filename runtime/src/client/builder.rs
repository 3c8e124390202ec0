//! [`ClientBuilder`]: the client's settings, each with a default the module docs explain, and
//! `build`, which hands out the generation's own client type.

use std::sync::Arc;
use std::sync::atomic::AtomicI64;
use std::time::Duration;

use super::retry::{RetryBudget, RetryPolicy};
use super::transport::{DEFAULT_MAX_ANSWER_BYTES, ReqwestTransport, Transport, TransportError};
use super::{ClientProtocol, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, Engine, Inner};
use crate::clock::{Clock, SystemClock};
use crate::endpoint::Endpoint;
use crate::protocol::Protocol;

/// Builds a client.
pub struct ClientBuilder<P: Protocol> {
    credentials: P::Credentials,
    endpoint: Endpoint,
    transport: Option<Arc<dyn Transport>>,
    policy: RetryPolicy,
    connect_timeout: Duration,
    request_timeout: Duration,
    clock: Arc<dyn Clock>,
    learn_clock_skew: bool,
    redact_bodies: bool,
    max_answer_bytes: usize,
}

impl<P: Protocol> ClientBuilder<P> {
    /// A builder with the defaults (see the module docs and [`RetryPolicy`]).
    pub fn new(credentials: P::Credentials, endpoint: Endpoint) -> ClientBuilder<P> {
        ClientBuilder {
            credentials,
            endpoint,
            transport: None,
            policy: RetryPolicy::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            clock: Arc::new(SystemClock),
            learn_clock_skew: true,
            redact_bodies: true,
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
        }
    }

    /// Bring your own transport (proxy, custom roots, hyper, a recorder).
    pub fn transport(mut self, transport: impl Transport) -> ClientBuilder<P> {
        self.transport = Some(Arc::new(transport));
        self
    }

    pub fn shared_transport(mut self, transport: Arc<dyn Transport>) -> ClientBuilder<P> {
        self.transport = Some(transport);
        self
    }

    pub fn retry_policy(mut self, policy: RetryPolicy) -> ClientBuilder<P> {
        self.policy = policy;
        self
    }

    /// Connect timeout (default transport only) and whole-request timeout.
    pub fn timeouts(mut self, connect: Duration, request: Duration) -> ClientBuilder<P> {
        self.connect_timeout = connect;
        self.request_timeout = request;
        self
    }

    pub fn clock(mut self, clock: Arc<dyn Clock>) -> ClientBuilder<P> {
        self.clock = clock;
        self
    }

    /// When the service refuses the request time (a clock-skew error), learn the offset from the service's `Date` header and re-sign once
    /// (default on). Off: report the skew and stop.
    pub fn learn_clock_skew(mut self, learn: bool) -> ClientBuilder<P> {
        self.learn_clock_skew = learn;
        self
    }

    /// Redact the bodies logged at TRACE level (default on): requests lose their secrets
    /// (signature, keys, tokens), responses the buyer's names, emails, phones and addresses.
    /// Turn it off only to debug on a machine whose logs nobody else reads: the raw request
    /// holds the access key id and the signature.
    pub fn redact_bodies(mut self, redact: bool) -> ClientBuilder<P> {
        self.redact_bodies = redact;
        self
    }

    /// The longest answer read (default [`DEFAULT_MAX_ANSWER_BYTES`], 16 MiB): the default
    /// transport stops reading past it, a transport of your own has its answer refused, and
    /// the attempt fails with [`TooLarge`](super::TransportErrorKind::TooLarge) without a retry.
    pub fn max_answer_bytes(mut self, bytes: usize) -> ClientBuilder<P> {
        self.max_answer_bytes = bytes;
        self
    }
}

impl<P: ClientProtocol> ClientBuilder<P> {
    pub fn build(self) -> Result<P::Client, TransportError> {
        let transport = match self.transport {
            Some(t) => t,
            None => Arc::new(
                ReqwestTransport::new(self.connect_timeout)?
                    .max_answer_bytes(self.max_answer_bytes),
            ),
        };
        Ok(P::Client::from(Engine {
            inner: Arc::new(Inner {
                credentials: self.credentials,
                endpoint: self.endpoint,
                transport,
                budget: RetryBudget::new(self.policy.budget),
                policy: self.policy,
                request_timeout: self.request_timeout,
                clock: self.clock,
                learn_clock_skew: self.learn_clock_skew,
                redact_bodies: self.redact_bodies,
                max_answer_bytes: self.max_answer_bytes,
                offset: AtomicI64::new(0),
            }),
        }))
    }
}
