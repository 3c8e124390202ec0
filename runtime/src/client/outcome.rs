//! What an attempt and a call end in: reading one answer (the document, a clock-skew refusal,
//! or a failure and whether it may be retried), the call's history of attempts, and the final
//! error of a call that did not succeed.

use std::time::Duration;

use super::retry::Failure;
use super::{Attempt, ClientError, Engine, HttpResponse, TransportError, TransportErrorKind};
use crate::error::{ResponseError, ServiceCode, ServiceError, transient_status};
use crate::operation::ErrorClass;
use crate::protocol::{Call, Protocol};
use crate::{Safety, Timestamp};

/// What one answered attempt means for the call.
pub(super) enum Answer<R, C: ServiceCode> {
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
pub(super) enum Last<C: ServiceCode> {
    Service(ServiceError<C>),
    Transport(TransportError),
    Parse {
        http_status: u16,
        reason: String,
        raw_body: Vec<u8>,
    },
}

impl<C: ServiceCode> Last<C> {
    pub(super) fn describe(&self) -> String {
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
    /// Reads one answer: the document, a clock-skew refusal (with the skew from the `Date` header,
    /// measured against this machine's own clock, not the shifted one, so the figure stays
    /// right after an offset was learned), or a failure and whether it may be retried. Records
    /// the attempt.
    pub(super) fn read_answer<O: Call<P>>(
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
pub(super) fn record(
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

pub(super) fn final_error<P: Protocol, O: Call<P>>(
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
