//! The optional async client (`features = ["client"]`): a thin layer over the sans-IO core
//! that sends, retries safely, and reports, for any API generation ([`Protocol`]).
//!
//! Every attempt is signed anew (fresh time) from the same typed request, so a retry carries
//! the same reference id or idempotency key and the service treats it as the same request:
//! money never moves twice. Operations the spec marks unsafe to repeat are retried only when
//! the request never left this machine. When an answer was lost and nothing settled it, the
//! call ends in [`ClientError::MayHaveBeenApplied`], never in a silent second request. What a
//! service error means for a retry comes from its code's class in the spec
//! ([`ErrorClass`]); nothing here names an operation or an error code.
//!
//! One `tracing` span per call (`amazon_pay.call`: operation, attempts, status, request id,
//! latency); bodies appear only at TRACE level and only redacted
//! ([`Protocol::redact_request`], [`Protocol::redact_response`]).

mod error;
pub mod retry;
pub mod transport;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use rand::Rng as _;
use tracing::Instrument as _;

pub use crate::protocol::{HttpRequest, HttpResponse, SignError};
pub use error::{Attempt, ClientError};
pub use retry::{RetryBudget, RetryPolicy};
pub use transport::{
    DEFAULT_MAX_ANSWER_BYTES, ReqwestTransport, Transport, TransportError, TransportErrorKind,
    TransportFuture,
};

use crate::clock::{Clock, SystemClock};
use crate::endpoint::Endpoint;
use crate::error::{ResponseError, ServiceCode, ServiceError, transient_status};
use crate::operation::ErrorClass;
use crate::protocol::{Call, Protocol};
use crate::{Safety, Timestamp};
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

struct Inner<P: Protocol> {
    credentials: P::Credentials,
    endpoint: Endpoint,
    transport: Arc<dyn Transport>,
    policy: RetryPolicy,
    budget: RetryBudget,
    request_timeout: Duration,
    clock: Arc<dyn Clock>,
    learn_clock_skew: bool,
    redact_bodies: bool,
    max_answer_bytes: usize,
    /// Seconds added to the clock, learned from the service's Date header.
    offset: AtomicI64,
}

/// The client of protocol `P`: the attempt loop and what it shares. Cheap to clone; clones
/// share the connection pool, the retry budget and the learned clock offset. Each
/// generation's crate wraps it in its own `Client` type, which holds the typed methods.
pub struct Engine<P: Protocol> {
    inner: Arc<Inner<P>>,
}

impl<P: Protocol> Clone for Engine<P> {
    fn clone(&self) -> Engine<P> {
        Engine {
            inner: Arc::clone(&self.inner),
        }
    }
}

/// A protocol whose builder hands out a client type of its generation's crate.
pub trait ClientProtocol: Protocol {
    type Client: From<Engine<Self>>;
}

impl<P: Protocol> std::fmt::Debug for Engine<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint.url())
            .field("credentials", &self.inner.credentials)
            .field("policy", &self.inner.policy)
            .finish_non_exhaustive()
    }
}

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
    /// the attempt fails with [`TransportErrorKind::TooLarge`] without a retry.
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

/// What one answered attempt means for the call.
enum Answer<R, C: ServiceCode> {
    Success(R),
    /// The request's time was refused; `skew` is the service's time minus this machine's,
    /// when known.
    Expired {
        error: ServiceError<C>,
        skew: Option<i64>,
    },
    Failed(Failure, Last<C>),
}

/// How the last failed attempt ended, for the final error.
enum Last<C: ServiceCode> {
    Service(ServiceError<C>),
    Transport(TransportError),
    Parse {
        http_status: u16,
        reason: String,
        raw_body: Vec<u8>,
    },
}

impl<C: ServiceCode> Last<C> {
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

impl<P: Protocol> Engine<P> {
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The clock offset learned from the service (seconds; 0 until the service refused a request time).
    pub fn clock_offset(&self) -> i64 {
        self.inner.offset.load(Ordering::Relaxed)
    }

    /// The local clock shifted by the learned offset.
    fn shifted(&self, local: Timestamp) -> Timestamp {
        Timestamp::from_unix(local.unix() + self.clock_offset()).unwrap_or(local)
    }

    fn trace_body(&self, what: &'static str, number: u32, body: &[u8], request: bool) {
        if !tracing::enabled!(tracing::Level::TRACE) {
            return;
        }
        let text = match (self.inner.redact_bodies, request) {
            (true, true) => P::redact_request(body),
            (true, false) => P::redact_response(body),
            (false, _) => String::from_utf8_lossy(body).into_owned(),
        };
        tracing::trace!(attempt = number, body = %text, "{what}");
    }

    /// Sends a typed request with the client's defaults.
    pub async fn send<O: Call<P>>(&self, request: &O) -> Result<O::Output, ClientError<P::Code>> {
        self.send_with(request, &CallOptions::default()).await
    }

    /// Sends a typed request with per-call overrides.
    pub async fn send_with<O: Call<P>>(
        &self,
        request: &O,
        options: &CallOptions,
    ) -> Result<O::Output, ClientError<P::Code>> {
        let span = tracing::info_span!(
            "amazon_pay.call",
            operation = O::INFO.action,
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
            Ok(_) => tracing::debug!(parent: &span, operation = O::INFO.action, "call succeeded"),
            Err(e) => {
                tracing::warn!(parent: &span, operation = O::INFO.action, error = %e, "call failed")
            }
        }
        result
    }

    async fn attempt_loop<O: Call<P>>(
        &self,
        request: &O,
        options: &CallOptions,
    ) -> Result<O::Output, ClientError<P::Code>> {
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
        // A key the service needs and the caller did not give: made once, sent on every
        // attempt, so the service sees the retries as one request.
        let generated_key = request.needs_generated_key().then(new_idempotency_key);
        let key = request.idempotency_key().or_else(|| generated_key.clone());
        loop {
            let number = u32::try_from(attempts.len() + 1).unwrap_or(u32::MAX);
            let local = inner.clock.now();
            let signed = match request.sign(
                &inner.credentials,
                &inner.endpoint,
                self.shifted(local),
                generated_key.as_deref(),
            ) {
                Ok(signed) => signed,
                Err(error) => {
                    return Err(ClientError::Sign {
                        action: O::INFO.action,
                        error,
                        attempts,
                    });
                }
            };
            self.trace_body("request", number, &signed.body, true);
            let sent = Instant::now();
            let outcome = match inner.transport.send(signed, timeout).await {
                Ok(response) if response.body.len() > inner.max_answer_bytes => {
                    Err(transport::too_large(inner.max_answer_bytes))
                }
                outcome => outcome,
            };
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
                    let failure = match kind {
                        // The same request would get the same oversized answer.
                        TransportErrorKind::TooLarge => Failure::Final,
                        _ => Failure::Transport(kind),
                    };
                    Answer::Failed(failure, Last::Transport(error))
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
                            action: O::INFO.action,
                            skew_seconds: skew,
                            error,
                            attempts,
                        });
                    }
                },
                // The key is taken: by our own attempt whose answer was lost.
                Answer::Failed(_, Last::Service(error))
                    if ambiguous && error.class() == ErrorClass::DuplicateKey =>
                {
                    return Err(ClientError::MayHaveBeenApplied {
                        action: O::INFO.action,
                        idempotency_key: key,
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
                return Err(final_error::<P, O>(key, last, attempts, ambiguous));
            }
            let after_timeout = failure == Failure::Transport(TransportErrorKind::Timeout);
            if !inner.budget.withdraw(after_timeout) {
                // Failing fast must not hide that an earlier attempt may have been applied.
                if ambiguous && O::INFO.safety != Safety::Read {
                    return Err(final_error::<P, O>(key, last, attempts, ambiguous));
                }
                return Err(ClientError::BudgetExhausted {
                    action: O::INFO.action,
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

    /// Reads one answer: the document, a clock-skew refusal (with the skew from the `Date` header,
    /// measured against this machine's own clock, not the shifted one, so the figure stays
    /// right after an offset was learned), or a failure and whether it may be retried. Records
    /// the attempt.
    fn read_answer<O: Call<P>>(
        &self,
        response: HttpResponse,
        local: Timestamp,
        number: u32,
        elapsed: Duration,
        attempts: &mut Vec<Attempt>,
    ) -> Answer<O::Output, P::Code> {
        let span = tracing::Span::current();
        self.trace_body("response", number, &response.body, false);
        span.record("status", response.status);
        let status = Some(response.status);
        match O::read(&response) {
            Ok(document) => {
                record(attempts, number, status, None, None, elapsed, None);
                self.inner.budget.deposit();
                span.record("request_id", O::request_id(&response, &document));
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
                if error.class() == ErrorClass::ClockSkew {
                    let skew = response
                        .header("date")
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
                let logged = P::redact_response(&raw_body);
                record(attempts, number, status, None, None, elapsed, Some(logged));
                let failure = if transient_status(http_status) {
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

fn final_error<P: Protocol, O: Call<P>>(
    idempotency_key: Option<String>,
    last: Last<P::Code>,
    attempts: Vec<Attempt>,
    ambiguous: bool,
) -> ClientError<P::Code> {
    if ambiguous && O::INFO.safety != Safety::Read {
        return ClientError::MayHaveBeenApplied {
            action: O::INFO.action,
            idempotency_key,
            reason: format!(
                "an answer was lost and the last attempt ended with {}",
                last.describe()
            ),
            attempts,
        };
    }
    match last {
        Last::Service(error) => ClientError::Service {
            action: O::INFO.action,
            error,
            attempts,
        },
        Last::Transport(error) => ClientError::Transport {
            action: O::INFO.action,
            error,
            attempts,
        },
        Last::Parse {
            http_status,
            reason,
            raw_body,
        } => ClientError::Parse {
            action: O::INFO.action,
            http_status,
            reason,
            raw_body,
            attempts,
        },
    }
}

/// A fresh idempotency key: 32 random characters of `[A-Za-z0-9]`, within the service's
/// syntax (at most 32 of `[A-Za-z0-9_-]`).
fn new_idempotency_key() -> String {
    rand::thread_rng()
        .sample_iter(&rand::distributions::Alphanumeric)
        .take(32)
        .map(char::from)
        .collect()
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
