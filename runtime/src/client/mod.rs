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

mod builder;
mod error;
mod named;
mod outcome;
pub mod retry;
pub mod transport;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use rand::Rng as _;
use tracing::Instrument as _;

pub use crate::protocol::{HttpRequest, HttpResponse, SignError};
pub use builder::ClientBuilder;
pub use error::{Attempt, ClientError};
pub use retry::{RetryBudget, RetryPolicy};
pub use transport::{
    DEFAULT_MAX_ANSWER_BYTES, ReqwestTransport, Transport, TransportError, TransportErrorKind,
    TransportFuture,
};

use crate::clock::Clock;
use crate::endpoint::Endpoint;
use crate::error::ServiceCode;
use crate::operation::ErrorClass;
use crate::protocol::{Call, Protocol};
use crate::{Safety, Timestamp};
use outcome::{Answer, Last, final_error, record};
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
