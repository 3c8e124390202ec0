//! `--throttle-quotas`: Amazon's documented request quotas (reference §5.3, the spec's
//! `throttle` per operation), one token bucket per seller and operation, sandbox or production
//! figures by path. Off by default: the real sandbox's quotas (2 requests, then one every 2 s
//! for most writes) would make every scenario and load test crawl. Operations without a
//! documented quota are never throttled.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use amazon_pay_protocol::OperationInfo;

struct Bucket {
    tokens: f64,
    updated: Instant,
}

#[derive(Default)]
pub struct Quotas {
    buckets: Mutex<HashMap<(String, &'static str), Bucket>>,
}

impl Quotas {
    /// Takes a token for one request at `now`; `false` means answer RequestThrottled.
    pub fn admit(&self, seller: &str, op: &OperationInfo, sandbox: bool, now: Instant) -> bool {
        let Some(t) = op.throttle else { return true };
        let (quota, rate) = if sandbox {
            (f64::from(t.sandbox_quota), t.sandbox_restore_per_second)
        } else {
            (f64::from(t.quota), t.restore_per_second)
        };
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let bucket = buckets
            .entry((seller.to_owned(), op.action))
            .or_insert(Bucket {
                tokens: quota,
                updated: now,
            });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(quota);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use amazon_pay_protocol::v1;

    use super::*;

    #[test]
    fn the_documented_sandbox_quota_then_one_token_per_interval() {
        // AuthorizeOnBillingAgreement: sandbox quota 2, one request restored every 2 s.
        let op = v1::operation("AuthorizeOnBillingAgreement").unwrap();
        let quotas = Quotas::default();
        let t0 = Instant::now();
        assert!(quotas.admit("S", op, true, t0));
        assert!(quotas.admit("S", op, true, t0));
        assert!(!quotas.admit("S", op, true, t0));
        assert!(
            quotas.admit("other seller", op, true, t0),
            "buckets are per seller"
        );
        assert!(!quotas.admit("S", op, true, t0 + Duration::from_millis(1900)));
        assert!(quotas.admit("S", op, true, t0 + Duration::from_millis(4000)));
        // Production allows 10 at once.
        let live = Quotas::default();
        assert_eq!(
            (0..12).filter(|_| live.admit("S", op, false, t0)).count(),
            10
        );
        // No documented quota: never throttled.
        let authorize = v1::operation("Authorize").unwrap();
        assert!(authorize.throttle.is_none());
        assert!((0..100).all(|_| quotas.admit("S", authorize, true, t0)));
    }
}
