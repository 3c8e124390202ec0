//! What a call reports when it does not succeed. Every variant keeps the history of its
//! attempts, each with the body the service answered when it was not a success (an error
//! document, which carries no credentials, or an unreadable page); [`ClientError::last_body`]
//! gives the last one.

use std::fmt;
use std::time::Duration;

use super::transport::{TransportError, TransportErrorKind};
use crate::error::{ServiceCode, ServiceError};
use crate::protocol::SignError;

/// One attempt of a call.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Attempt {
    /// 1 for the first attempt.
    pub number: u32,
    pub status: Option<u16>,
    /// The service's error code, when it answered with one.
    pub code: Option<String>,
    pub transport: Option<TransportErrorKind>,
    pub elapsed: Duration,
    /// What the service answered, when it answered with something other than success: an
    /// error document as received, or an unreadable answer with personal data redacted.
    pub body: Option<String>,
}

impl fmt::Display for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}: ", self.number)?;
        match (self.status, &self.code, self.transport) {
            (_, _, Some(kind)) => f.write_str(kind.as_str())?,
            (Some(s), Some(c), None) => write!(f, "HTTP {s} {c}")?,
            (Some(s), None, None) => write!(f, "HTTP {s}")?,
            (None, _, None) => f.write_str("-")?,
        }
        write!(f, " after {} ms", self.elapsed.as_millis())
    }
}

fn history(attempts: &[Attempt]) -> String {
    attempts
        .iter()
        .map(Attempt::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClientError<C: ServiceCode> {
    /// The service refused the request (its final answer, after any retries).
    #[error("{action}: {error} (attempts: {})", history(attempts))]
    Service {
        action: &'static str,
        error: ServiceError<C>,
        attempts: Vec<Attempt>,
    },
    /// The request may have been applied, but no answer says so: an attempt was sent and its
    /// answer lost, and no later attempt settled it. Do not repeat it under a new reference id;
    /// read the object (Get*Details) or repeat it with the same id.
    #[error(
        "{action}: the request may have been applied ({reason}); check before acting again, and \
         retry only with the same reference id{} (attempts: {})",
        idempotency_key.as_ref().map(|k| format!(" `{k}`")).unwrap_or_default(),
        history(attempts)
    )]
    MayHaveBeenApplied {
        action: &'static str,
        idempotency_key: Option<String>,
        reason: String,
        attempts: Vec<Attempt>,
    },
    /// The service never received the request (or, for reads, no answer came back).
    #[error("{action}: {error} (attempts: {})", history(attempts))]
    Transport {
        action: &'static str,
        error: TransportError,
        attempts: Vec<Attempt>,
    },
    /// The service said the request's timestamp is outside its window.
    #[error(
        "{action}: the service rejected the request timestamp: {}; {} (attempts: {})",
        error.message,
        match skew_seconds {
            Some(s) => format!("this machine's clock is {} s {} the service's; fix the clock (NTP)", s.abs(), if *s > 0 { "behind" } else { "ahead of" }),
            None => "the service sent no Date header to measure the skew".to_owned(),
        },
        history(attempts)
    )]
    ClockSkew {
        action: &'static str,
        /// Service time minus local time, in seconds, from the response's Date header.
        skew_seconds: Option<i64>,
        error: ServiceError<C>,
        attempts: Vec<Attempt>,
    },
    /// The request could not be signed (v2: the private-key operation failed); nothing was
    /// sent.
    #[error("{action}: {error}")]
    Sign {
        action: &'static str,
        error: SignError,
        attempts: Vec<Attempt>,
    },
    /// The answer was not a document of this operation.
    #[error("{action}: unreadable response (HTTP {http_status}): {reason}")]
    Parse {
        action: &'static str,
        http_status: u16,
        reason: String,
        raw_body: Vec<u8>,
        attempts: Vec<Attempt>,
    },
    /// The client's retry budget is spent: the service has been failing for a while.
    #[error(
        "{action}: not retried, the client's retry budget is spent (the service has been \
         failing for a while; successes refill it); last failure: {} (attempts: {})",
        last,
        history(attempts)
    )]
    BudgetExhausted {
        action: &'static str,
        last: String,
        attempts: Vec<Attempt>,
    },
}

impl<C: ServiceCode> ClientError<C> {
    pub fn attempts(&self) -> &[Attempt] {
        match self {
            ClientError::Service { attempts, .. }
            | ClientError::MayHaveBeenApplied { attempts, .. }
            | ClientError::Transport { attempts, .. }
            | ClientError::ClockSkew { attempts, .. }
            | ClientError::Parse { attempts, .. }
            | ClientError::Sign { attempts, .. }
            | ClientError::BudgetExhausted { attempts, .. } => attempts,
        }
    }

    /// The last body the service answered with (an error document or an unreadable page),
    /// whichever variant the call ended in.
    pub fn last_body(&self) -> Option<&str> {
        self.attempts().iter().rev().find_map(|a| a.body.as_deref())
    }

    /// Attempts beyond the first (a learned-clock re-signing counts as one).
    pub fn retry_count(&self) -> u32 {
        u32::try_from(self.attempts().len().saturating_sub(1)).unwrap_or(u32::MAX)
    }

    /// The service's error, when it gave one.
    pub fn service_error(&self) -> Option<&ServiceError<C>> {
        match self {
            ClientError::Service { error, .. } | ClientError::ClockSkew { error, .. } => {
                Some(error)
            }
            _ => None,
        }
    }
}
