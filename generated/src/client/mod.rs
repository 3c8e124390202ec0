//! The optional async client (`features = ["client"]`): a thin layer over the sans-IO core
//! that sends, retries safely, and reports.
//!
//! Every attempt is signed anew (fresh timestamp) from the same typed request, so a retry of
//! AuthorizeOnBillingAgreement, Authorize, Capture or Refund carries the same reference id and
//! the service treats it as the same request: money never moves twice. Operations the spec
//! marks unsafe to repeat are retried only when the request never left this machine. When an
//! answer was lost and nothing settled it, the call ends in
//! [`ClientError::MayHaveBeenApplied`], never in a silent second request.
//!
//! One `tracing` span per call (`amazon_pay.call`: operation, attempts, status, request id,
//! latency); bodies appear only at TRACE level and only redacted ([`redact`]).
//!
//! # Payment method on file, in three calls
//!
//! After the buyer consented on Amazon's pages (the widget hands you the billing agreement
//! id): set it up once, charge it whenever the order comes, refund from the capture. The same
//! flows, run against the local simulator, are in `conformance/examples/payment_method_on_file.rs`.
//!
//! ```no_run
//! # async fn flows(creds: amazon_pay_protocol::credentials::Credentials) -> Result<(), Box<dyn std::error::Error>> {
//! use amazon_pay_protocol::client::{ChargeError, ChargeRequest, Client, ClientError};
//! use amazon_pay_protocol::endpoint::Endpoint;
//! use amazon_pay_protocol::v1::{self, Environment, Region};
//! use amazon_pay_protocol::Money;
//!
//! let client = Client::builder(creds, Endpoint::amazon(Region::Jp, Environment::Sandbox)).build()?;
//! let agreement = "C01-1234567-1234567";
//!
//! // Setup only: describe, confirm (Draft → Open), validate. Nothing is charged.
//! client.set_billing_agreement_details(&v1::SetBillingAgreementDetailsRequest::builder()
//!     .amazon_billing_agreement_id(agreement)
//!     .billing_agreement_attributes(v1::BillingAgreementAttributes::builder()
//!         .seller_note("Monthly coffee").build()?)
//!     .build()?).await?;
//! client.confirm_billing_agreement(&v1::ConfirmBillingAgreementRequest::builder()
//!     .amazon_billing_agreement_id(agreement).build()?).await?;
//!
//! // Charge later: the reference id is the idempotency key; store it before the call and
//! // reuse it on any retry, so the buyer is never charged twice.
//! let charge = ChargeRequest::new(agreement, "sub-42-2026-12", Money::jpy(3980)?)
//!     .store_name("Example Coffee")
//!     .seller_order_id("order-42");
//! let capture = match client.charge(&charge).await {
//!     Ok(outcome) => outcome.authorization.id_list.and_then(|ids| ids.items.into_iter().next()),
//!     Err(e @ ChargeError::Client(ClientError::MayHaveBeenApplied { .. })) => {
//!         // The answer was lost: call `charge` again with the same reference id later.
//!         return Err(e.into());
//!     }
//!     Err(e) => return Err(e.into()), // typed: the service's code, every attempt, the last body
//! };
//!
//! // Refund part of the capture.
//! if let Some(capture) = capture {
//!     client.refund(&v1::RefundRequest::builder()
//!         .amazon_capture_id(capture)
//!         .refund_reference_id("sub-42-2026-12-refund-1")
//!         .refund_amount(Money::jpy(1000)?)
//!         .build()?).await?;
//! }
//! # Ok(()) }
//! ```

mod charge;
mod error;
pub mod redact;
pub mod retry;
pub mod transport;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use tracing::Instrument as _;

pub use charge::{ChargeError, ChargeOutcome, ChargeRequest};
pub use error::{Attempt, ClientError};
pub use retry::{RetryBudget, RetryPolicy};
pub use transport::{
    HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError, TransportErrorKind,
    TransportFuture,
};

use crate::credentials::Credentials;
use crate::endpoint::{Clock, Endpoint, SystemClock};
use crate::error::{ResponseError, ServiceError, parse_response};
use crate::v1::ErrorCode;
use crate::{Operation, Safety, Timestamp, sign};
use retry::{Failure, may_retry};

/// Default timeouts: a loopback or regional endpoint connects in well under a second, so 3 s
/// means the network is in trouble; 30 s covers a synchronous authorization (Amazon answers
/// those within 8 s, reference §4.3) with room for a slow path.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Per-call overrides.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallOptions {
    pub timeout: Option<Duration>,
    pub max_attempts: Option<u32>,
}

struct Inner {
    credentials: Credentials,
    endpoint: Endpoint,
    transport: Arc<dyn Transport>,
    policy: RetryPolicy,
    budget: RetryBudget,
    request_timeout: Duration,
    clock: Arc<dyn Clock>,
    learn_clock_skew: bool,
    redact_bodies: bool,
    /// Seconds added to the clock, learned from the service's Date header.
    offset: AtomicI64,
}

/// An Amazon Pay v1 client. Cheap to clone; clones share the connection pool, the retry
/// budget and the learned clock offset.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint.url())
            .field("credentials", &self.inner.credentials)
            .field("policy", &self.inner.policy)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    credentials: Credentials,
    endpoint: Endpoint,
    transport: Option<Arc<dyn Transport>>,
    policy: RetryPolicy,
    connect_timeout: Duration,
    request_timeout: Duration,
    clock: Arc<dyn Clock>,
    learn_clock_skew: bool,
    redact_bodies: bool,
}

impl ClientBuilder {
    /// Bring your own transport (proxy, custom roots, hyper, a recorder).
    pub fn transport(mut self, transport: impl Transport) -> ClientBuilder {
        self.transport = Some(Arc::new(transport));
        self
    }

    pub fn shared_transport(mut self, transport: Arc<dyn Transport>) -> ClientBuilder {
        self.transport = Some(transport);
        self
    }

    pub fn retry_policy(mut self, policy: RetryPolicy) -> ClientBuilder {
        self.policy = policy;
        self
    }

    /// Connect timeout (default transport only) and whole-request timeout.
    pub fn timeouts(mut self, connect: Duration, request: Duration) -> ClientBuilder {
        self.connect_timeout = connect;
        self.request_timeout = request;
        self
    }

    pub fn clock(mut self, clock: Arc<dyn Clock>) -> ClientBuilder {
        self.clock = clock;
        self
    }

    /// On RequestExpired, learn the offset from the service's `Date` header and re-sign once
    /// (default on). Off: report the skew and stop.
    pub fn learn_clock_skew(mut self, learn: bool) -> ClientBuilder {
        self.learn_clock_skew = learn;
        self
    }

    /// Redact the bodies logged at TRACE level (default on): request forms lose Signature,
    /// AWSAccessKeyId, MWSAuthToken and SellerId; response documents lose buyer names,
    /// emails, phones and addresses ([`redact`]). Turn it off only to debug on a machine whose
    /// logs nobody else reads: the raw form holds the access key id and the signature.
    pub fn redact_bodies(mut self, redact: bool) -> ClientBuilder {
        self.redact_bodies = redact;
        self
    }

    pub fn build(self) -> Result<Client, TransportError> {
        let transport = match self.transport {
            Some(t) => t,
            None => Arc::new(ReqwestTransport::new(self.connect_timeout)?),
        };
        Ok(Client {
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
                offset: AtomicI64::new(0),
            }),
        })
    }
}

/// What one answered attempt means for the call.
enum Answer<R> {
    Success(R),
    /// RequestExpired; `skew` is the service's time minus this machine's, when known.
    Expired {
        error: ServiceError,
        skew: Option<i64>,
    },
    Failed(Failure, Last),
}

/// How the last failed attempt ended, for the final error.
enum Last {
    Service(ServiceError),
    Transport(TransportError),
    Parse {
        http_status: u16,
        reason: String,
        raw_body: Vec<u8>,
    },
}

impl Last {
    fn describe(&self) -> String {
        match self {
            Last::Service(e) => e.to_string(),
            Last::Transport(e) => e.to_string(),
            Last::Parse {
                http_status,
                reason,
                ..
            } => format!("HTTP {http_status}: {reason}"),
        }
    }
}

impl Client {
    pub fn builder(credentials: Credentials, endpoint: Endpoint) -> ClientBuilder {
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
        }
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The clock offset learned from the service (seconds; 0 until a RequestExpired).
    pub fn clock_offset(&self) -> i64 {
        self.inner.offset.load(Ordering::Relaxed)
    }

    /// The local clock shifted by the learned offset.
    fn shifted(&self, local: Timestamp) -> Timestamp {
        Timestamp::from_unix(local.unix() + self.clock_offset()).unwrap_or(local)
    }

    fn trace_body(&self, what: &'static str, number: u32, body: &[u8], form: bool) {
        if !tracing::enabled!(tracing::Level::TRACE) {
            return;
        }
        let text = match (self.inner.redact_bodies, form) {
            (true, true) => redact::form(body),
            (true, false) => redact::xml(body),
            (false, _) => String::from_utf8_lossy(body).into_owned(),
        };
        tracing::trace!(attempt = number, body = %text, "{what}");
    }

    /// Sends a typed request with the client's defaults.
    pub async fn send<O: Operation>(&self, request: &O) -> Result<O::Response, ClientError> {
        self.send_with(request, &CallOptions::default()).await
    }

    /// Sends a typed request with per-call overrides.
    pub async fn send_with<O: Operation>(
        &self,
        request: &O,
        options: &CallOptions,
    ) -> Result<O::Response, ClientError> {
        let span = tracing::info_span!(
            "amazon_pay.call",
            operation = O::ACTION,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self
            .attempt_loop(request, options)
            .instrument(span.clone())
            .await;
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(_) => tracing::debug!(parent: &span, operation = O::ACTION, "call succeeded"),
            Err(e) => {
                tracing::warn!(parent: &span, operation = O::ACTION, error = %e, "call failed")
            }
        }
        result
    }

    async fn attempt_loop<O: Operation>(
        &self,
        request: &O,
        options: &CallOptions,
    ) -> Result<O::Response, ClientError> {
        let inner = &*self.inner;
        let span = tracing::Span::current();
        let max_attempts = options
            .max_attempts
            .unwrap_or(inner.policy.max_attempts)
            .max(1);
        let timeout = options.timeout.unwrap_or(inner.request_timeout);
        let mut attempts: Vec<Attempt> = Vec::new();
        // An attempt reached the service (or may have) and its answer was lost.
        let mut ambiguous = false;
        let mut resigned_for_skew = false;
        loop {
            let number = u32::try_from(attempts.len() + 1).unwrap_or(u32::MAX);
            let local = inner.clock.now();
            let signed = sign::sign(
                request,
                &inner.credentials,
                &inner.endpoint,
                self.shifted(local),
            );
            self.trace_body("request", number, &signed.body, true);
            let sent = Instant::now();
            let outcome = inner.transport.send(signed.into(), timeout).await;
            let elapsed = sent.elapsed();
            span.record("attempts", number);
            let answer = match outcome {
                Ok(response) => {
                    self.read_answer::<O>(response, local, number, elapsed, &mut attempts)
                }
                Err(error) => {
                    let kind = error.kind;
                    record(&mut attempts, number, None, None, Some(kind), elapsed, None);
                    ambiguous |= kind.may_have_been_received();
                    Answer::Failed(Failure::Transport(kind), Last::Transport(error))
                }
            };
            let (failure, last) = match answer {
                Answer::Success(document) => return Ok(document),
                Answer::Expired { error, skew } => match skew {
                    Some(skew) if inner.learn_clock_skew && !resigned_for_skew => {
                        inner.offset.store(skew, Ordering::Relaxed);
                        resigned_for_skew = true;
                        tracing::warn!(
                            skew_seconds = skew,
                            "clock skew learned from the service's Date header; signing again \
                             with the service's time"
                        );
                        continue;
                    }
                    _ => {
                        return Err(ClientError::ClockSkew {
                            action: O::ACTION,
                            skew_seconds: skew,
                            error,
                            attempts,
                        });
                    }
                },
                // The reference id is taken: by our own attempt whose answer was lost.
                Answer::Failed(_, Last::Service(error))
                    if ambiguous
                        && matches!(
                            error.code,
                            ErrorCode::DuplicateReferenceId | ErrorCode::DuplicateRequest
                        ) =>
                {
                    return Err(ClientError::MayHaveBeenApplied {
                        action: O::ACTION,
                        idempotency_key: request.idempotency_key().map(str::to_owned),
                        reason: format!(
                            "an earlier attempt's answer was lost and the service now reports {} \
                             for the reference id, so that attempt was most likely applied",
                            error.code.as_str()
                        ),
                        attempts,
                    });
                }
                Answer::Failed(failure, last) => (failure, last),
            };
            let retry = number < max_attempts && may_retry(O::INFO.safety, failure);
            if !retry {
                return Err(final_error::<O>(request, last, attempts, ambiguous));
            }
            let after_timeout = failure == Failure::Transport(TransportErrorKind::Timeout);
            if !inner.budget.withdraw(after_timeout) {
                // Failing fast must not hide that an earlier attempt may have been applied.
                if ambiguous && O::INFO.safety != Safety::Read {
                    return Err(final_error::<O>(request, last, attempts, ambiguous));
                }
                return Err(ClientError::BudgetExhausted {
                    action: O::ACTION,
                    last: last.describe(),
                    attempts,
                });
            }
            let wait = inner.policy.backoff(number);
            tracing::debug!(
                attempt = number,
                wait_ms = wait.as_millis() as u64,
                "retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// Reads one answer: the document, RequestExpired (with the skew from the `Date` header,
    /// measured against this machine's own clock, not the shifted one, so the figure stays
    /// right after an offset was learned), or a failure and whether it may be retried. Records
    /// the attempt.
    fn read_answer<O: Operation>(
        &self,
        response: HttpResponse,
        local: Timestamp,
        number: u32,
        elapsed: Duration,
        attempts: &mut Vec<Attempt>,
    ) -> Answer<O::Response> {
        let span = tracing::Span::current();
        self.trace_body("response", number, &response.body, false);
        span.record("status", response.status);
        let status = Some(response.status);
        match parse_response::<O>(response.status, &response.body) {
            Ok(document) => {
                record(attempts, number, status, None, None, elapsed, None);
                self.inner.budget.deposit();
                span.record("request_id", O::request_id(&document));
                Answer::Success(document)
            }
            Err(ResponseError::Service(error)) => {
                span.record("request_id", error.request_id.as_str());
                let body = String::from_utf8_lossy(&response.body).into_owned();
                let code = error.code.as_str().to_owned();
                record(
                    attempts,
                    number,
                    status,
                    Some(code),
                    None,
                    elapsed,
                    Some(body),
                );
                if error.code == ErrorCode::RequestExpired {
                    let skew = response
                        .date
                        .as_deref()
                        .and_then(parse_http_date)
                        .map(|server| server - local.unix());
                    return Answer::Expired { error, skew };
                }
                let failure = if error.retryable() {
                    Failure::Retryable
                } else {
                    Failure::Final
                };
                Answer::Failed(failure, Last::Service(error))
            }
            Err(ResponseError::Parse {
                http_status,
                reason,
                raw_body,
            }) => {
                // An unreadable answer may be a success document full of buyer data: the
                // history (which ends up in logs) keeps it redacted; the error's `raw_body` has
                // it as received.
                let logged = redact::xml(&raw_body);
                record(attempts, number, status, None, None, elapsed, Some(logged));
                // A 5xx page that is not an error document (a proxy's, a load balancer's) is
                // as temporary as the service's own 500/503.
                let failure = if matches!(http_status, 500 | 502 | 503 | 504) {
                    Failure::Retryable
                } else {
                    Failure::Final
                };
                Answer::Failed(
                    failure,
                    Last::Parse {
                        http_status,
                        reason,
                        raw_body,
                    },
                )
            }
        }
    }
}

/// Keeps an attempt in the call's history and logs it (one event per attempt).
fn record(
    attempts: &mut Vec<Attempt>,
    number: u32,
    status: Option<u16>,
    code: Option<String>,
    transport: Option<TransportErrorKind>,
    elapsed: Duration,
    body: Option<String>,
) {
    tracing::debug!(
        attempt = number,
        status,
        code = code.as_deref(),
        transport = transport.map(TransportErrorKind::as_str),
        elapsed_ms = elapsed.as_millis() as u64,
        "attempt"
    );
    attempts.push(Attempt {
        number,
        status,
        code,
        transport,
        elapsed,
        body,
    });
}

fn final_error<O: Operation>(
    request: &O,
    last: Last,
    attempts: Vec<Attempt>,
    ambiguous: bool,
) -> ClientError {
    if ambiguous && O::INFO.safety != Safety::Read {
        return ClientError::MayHaveBeenApplied {
            action: O::ACTION,
            idempotency_key: request.idempotency_key().map(str::to_owned),
            reason: format!(
                "an answer was lost and the last attempt ended with {}",
                last.describe()
            ),
            attempts,
        };
    }
    match last {
        Last::Service(error) => ClientError::Service {
            action: O::ACTION,
            error,
            attempts,
        },
        Last::Transport(error) => ClientError::Transport {
            action: O::ACTION,
            error,
            attempts,
        },
        Last::Parse {
            http_status,
            reason,
            raw_body,
        } => ClientError::Parse {
            action: O::ACTION,
            http_status,
            reason,
            raw_body,
            attempts,
        },
    }
}

/// Seconds since the epoch of an RFC 7231 date (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn parse_http_date(text: &str) -> Option<i64> {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(text.trim(), &format)
        .ok()
        .map(|t| t.assume_utc().unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("yesterday"), None);
    }
}
