//! When to try again, and how long to wait.
//!
//! Defaults, and why:
//! - 4 attempts (1 + 3 retries), as every official SDK does; Amazon's guidance stops at 5.
//! - Full-jitter exponential backoff, base 500 ms, cap 10 s: the first retry waits up to
//!   0.5 s, the third up to 2 s. Amazon's sandbox restores most throttle buckets at one
//!   token per 1–2 s, so waits in that range let a throttled caller in on the next token,
//!   while the jitter spreads many clients apart (the SDKs' fixed 1/4/10 s make every client
//!   of a throttled seller retry in lockstep).
//! - A retry budget shared by the client (a token bucket: 100 tokens, a retry costs 5, one
//!   after a timeout 10, each success gives 1 back): while the service keeps failing, at most
//!   ~20 retries pass before calls fail fast instead of multiplying the load.

use std::sync::Mutex;
use std::time::Duration;

use rand::Rng;

use super::transport::TransportErrorKind;
use crate::Safety;

/// The retry settings of a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub max_attempts: u32,
    pub base: Duration,
    pub cap: Duration,
    /// Size of the retry budget's bucket; 0 turns the budget off.
    pub budget: u32,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(10),
            budget: 100,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `retry` (1 for the first retry): uniform in
    /// `[0, min(cap, base · 2^(retry-1))]`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .base
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)));
        let ceiling = exp.min(self.cap);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rand::thread_rng().gen_range(0..=nanos))
    }
}

/// How an attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The service answered with an error it says is temporary (500, 503, throttling).
    Retryable,
    /// The exchange failed before an answer arrived.
    Transport(TransportErrorKind),
    /// Anything else: retrying cannot help.
    Final,
}

/// Whether an operation of `safety` may be sent again after `failure`.
///
/// Reads and idempotent writes may always be repeated. Keyed writes are repeated with the same
/// reference id, which the service treats as the same request. Unsafe writes are repeated only
/// when the service certainly never saw the request.
pub fn may_retry(safety: Safety, failure: Failure) -> bool {
    match failure {
        Failure::Final => false,
        Failure::Transport(TransportErrorKind::Connect) => true,
        Failure::Retryable | Failure::Transport(_) => safety != Safety::Unsafe,
    }
}

/// The shared retry budget (see the module docs).
#[derive(Debug)]
pub struct RetryBudget {
    capacity: u32,
    tokens: Mutex<u32>,
}

impl RetryBudget {
    const RETRY_COST: u32 = 5;
    const TIMEOUT_COST: u32 = 10;

    pub fn new(capacity: u32) -> RetryBudget {
        RetryBudget {
            capacity,
            tokens: Mutex::new(capacity),
        }
    }

    /// Takes the cost of a retry; `false` when the budget is spent (the call fails fast).
    pub fn withdraw(&self, after_timeout: bool) -> bool {
        if self.capacity == 0 {
            return true;
        }
        let cost = if after_timeout {
            Self::TIMEOUT_COST
        } else {
            Self::RETRY_COST
        };
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if *tokens < cost {
            return false;
        }
        *tokens -= cost;
        true
    }

    /// A success refills one token.
    pub fn deposit(&self) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        *tokens = (*tokens + 1).min(self.capacity);
    }

    pub fn available(&self) -> u32 {
        *self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded_by_the_exponential_and_the_cap() {
        let p = RetryPolicy {
            base: Duration::from_millis(100),
            cap: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        for _ in 0..200 {
            assert!(p.backoff(1) <= Duration::from_millis(100));
            assert!(p.backoff(2) <= Duration::from_millis(200));
            assert!(p.backoff(3) <= Duration::from_millis(350));
            assert!(p.backoff(30) <= Duration::from_millis(350));
        }
        // Full jitter: waits spread over the whole range, not a fixed step.
        let waits: Vec<Duration> = (0..200).map(|_| p.backoff(3)).collect();
        assert!(waits.iter().any(|w| *w < Duration::from_millis(100)));
        assert!(waits.iter().any(|w| *w > Duration::from_millis(250)));
    }

    #[test]
    fn safety_decides_retries() {
        use Failure::*;
        use TransportErrorKind::*;
        for safety in [Safety::Read, Safety::Idempotent, Safety::Keyed] {
            assert!(may_retry(safety, Retryable));
            assert!(may_retry(safety, Transport(Interrupted)));
            assert!(may_retry(safety, Transport(Timeout)));
            assert!(!may_retry(safety, Final));
        }
        assert!(may_retry(Safety::Unsafe, Transport(Connect)));
        assert!(!may_retry(Safety::Unsafe, Retryable));
        assert!(!may_retry(Safety::Unsafe, Transport(Interrupted)));
        assert!(!may_retry(Safety::Unsafe, Transport(Timeout)));
    }

    #[test]
    fn budget_runs_out_and_refills() {
        let b = RetryBudget::new(12);
        assert!(b.withdraw(false));
        assert!(b.withdraw(false));
        assert!(!b.withdraw(false), "2 tokens left, a retry costs 5");
        for _ in 0..3 {
            b.deposit();
        }
        assert!(b.withdraw(false));
        assert_eq!(b.available(), 0);
        assert!(RetryBudget::new(0).withdraw(true), "capacity 0 = no budget");
    }
}
