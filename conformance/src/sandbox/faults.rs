//! Faults on request, so a client's retry behaviour can be tested: throttling and server errors
//! answered before the request is applied, connections dropped after it was applied, and
//! added latency. Rates are probabilities per request.

use std::time::Duration;

use rand::Rng;
use serde::{Deserialize, Serialize};

/// The fault settings (`/__sandbox/faults`, `sandbox --fault-*`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Share of requests answered 503 RequestThrottled (not applied).
    pub throttle: f64,
    /// Share answered 503 ServiceUnavailable (not applied).
    pub unavailable: f64,
    /// Share answered 500 InternalServerError (not applied).
    pub server_error: f64,
    /// Share applied, then the connection is dropped without an answer.
    pub drop_after_apply: f64,
    /// Added latency, uniformly between the two bounds (milliseconds).
    pub latency_ms: (u64, u64),
}

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    Throttle,
    Unavailable,
    ServerError,
    DropAfterApply,
}

impl Faults {
    pub fn validate(&self) -> Result<(), String> {
        let rates = [
            self.throttle,
            self.unavailable,
            self.server_error,
            self.drop_after_apply,
        ];
        if rates.iter().any(|r| !(0.0..=1.0).contains(r)) {
            return Err("every fault rate must be between 0 and 1".into());
        }
        if rates.iter().sum::<f64>() > 1.0 {
            return Err("the fault rates add up to more than 1".into());
        }
        if self.latency_ms.0 > self.latency_ms.1 || self.latency_ms.1 > 10_000 {
            return Err("latency_ms must be [min, max] with min <= max <= 10000".into());
        }
        Ok(())
    }

    pub fn pick(&self) -> Fault {
        let roll: f64 = rand::thread_rng().r#gen();
        let mut edge = 0.0;
        for (rate, fault) in [
            (self.throttle, Fault::Throttle),
            (self.unavailable, Fault::Unavailable),
            (self.server_error, Fault::ServerError),
            (self.drop_after_apply, Fault::DropAfterApply),
        ] {
            edge += rate;
            if roll < edge {
                return fault;
            }
        }
        Fault::None
    }

    pub fn latency(&self) -> Option<Duration> {
        let (low, high) = self.latency_ms;
        if high == 0 {
            return None;
        }
        Some(Duration::from_millis(
            rand::thread_rng().gen_range(low..=high),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_honoured_and_checked() {
        let faults = Faults {
            throttle: 0.3,
            drop_after_apply: 0.1,
            ..Faults::default()
        };
        assert!(faults.validate().is_ok());
        let picks: Vec<Fault> = (0..10_000).map(|_| faults.pick()).collect();
        let share = |f: Fault| picks.iter().filter(|p| **p == f).count() as f64 / 10_000.0;
        assert!((share(Fault::Throttle) - 0.3).abs() < 0.03);
        assert!((share(Fault::DropAfterApply) - 0.1).abs() < 0.02);
        assert_eq!(share(Fault::ServerError), 0.0);
        assert!(
            Faults {
                throttle: 0.7,
                server_error: 0.5,
                ..Faults::default()
            }
            .validate()
            .is_err()
        );
        assert!(
            Faults {
                latency_ms: (5, 1),
                ..Faults::default()
            }
            .validate()
            .is_err()
        );
        assert_eq!(Faults::default().pick(), Fault::None);
    }
}
