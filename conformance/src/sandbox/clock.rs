//! The simulator's time: the machine's clock (or a frozen start) plus an offset that only
//! moves forward (`/__sandbox/clock`), and how long Amazon's asynchronous processing takes in it.

use std::cell::RefCell;

use amazon_pay_protocol::Timestamp;
use axum::http::HeaderValue;

/// Timing choices of the simulator (seconds of simulator time).
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// How long asynchronous authorizations, pending captures and refunds stay Pending.
    pub settle_after: i64,
}

impl Default for Timing {
    fn default() -> Timing {
        Timing { settle_after: 30 }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// Start here and move only when told, instead of following the machine's clock.
    pub frozen: Option<Timestamp>,
}

impl Clock {
    /// The simulator time for a world whose clock was moved by `offset` seconds.
    pub fn now(&self, offset: i64) -> Timestamp {
        let base = match self.frozen {
            Some(t) => t.unix(),
            None => time::OffsetDateTime::now_utc().unix_timestamp(),
        };
        // Moves are bounded by LATEST; a state file from before the bound cannot wrap or jump
        // back either.
        Timestamp::from_unix(base.saturating_add(offset).min(LATEST))
            .unwrap_or_else(|| Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc()))
    }
}

impl Clock {
    /// The time request Timestamps are checked against. Clients sign with the machine's clock
    /// (an unmodified SDK cannot know the simulator's), so a moved clock must not expire their
    /// requests: the machine's time, or with a frozen clock the simulator's own, which is the
    /// one its clients are told to sign with (`GET /__sandbox/clock`).
    pub fn signing_time(&self, offset: i64) -> Timestamp {
        match self.frozen {
            Some(_) => self.now(offset),
            None => Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc()),
        }
    }
}

/// The latest time the clock may be moved to, 9999-01-01T00:00:00Z: everything the simulator
/// schedules (at most 180 days ahead) and every month window around it stay representable.
pub const LATEST: i64 = 253_370_764_800;

/// How far forward a clock move goes, from `now`: `advance_seconds` or a time to `set`, never
/// backward and never past [`LATEST`].
pub fn step(
    now: Timestamp,
    advance_seconds: Option<i64>,
    set: Option<&str>,
) -> Result<i64, String> {
    let room = LATEST - now.unix();
    let seconds = match (advance_seconds, set) {
        (Some(s), None) => s,
        (None, Some(t)) => Timestamp::parse(t).map_err(|e| e.to_string())?.unix() - now.unix(),
        _ => return Err("give either advance_seconds or set".to_owned()),
    };
    if seconds < 0 {
        return Err("the clock only moves forward".to_owned());
    }
    if seconds > room {
        return Err(format!(
            "the clock cannot go past 9999-01-01T00:00:00Z ({room} seconds from now)"
        ));
    }
    Ok(seconds)
}

/// The `Date` header of an answer given at `t`. Every answer has one and it changes once a
/// second, so each thread keeps the last it wrote: formatting one was 0.8% of the CPU of a v2
/// load, about 4% of what an answer costs beyond verifying its signature.
pub fn date_header(t: Timestamp) -> Option<HeaderValue> {
    thread_local! {
        static LAST: RefCell<Option<(i64, HeaderValue)>> = const { RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| match last {
        Some((second, value)) if *second == t.unix() => Some(value.clone()),
        _ => {
            let value = HeaderValue::from_str(&http_date(t)).ok()?;
            *last = Some((t.unix(), value.clone()));
            Some(value)
        }
    })
}

/// `Date` header text of a simulator time (RFC 7231 IMF-fixdate).
pub fn http_date(t: Timestamp) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    t.as_offset_date_time()
        .format(&format)
        .unwrap_or_else(|_| t.to_wire())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_header_is_the_second_it_is_asked_for() {
        let at = |unix| Timestamp::from_unix(unix).unwrap();
        let header = |unix| date_header(at(unix)).unwrap();
        assert_eq!(header(1_704_164_645), "Tue, 02 Jan 2024 03:04:05 GMT");
        // Kept for the same second, written anew for the next and for an earlier one (a
        // thread serves simulators whose clocks differ).
        assert_eq!(header(1_704_164_645), "Tue, 02 Jan 2024 03:04:05 GMT");
        assert_eq!(header(1_704_164_646), "Tue, 02 Jan 2024 03:04:06 GMT");
        assert_eq!(header(86_400), "Fri, 02 Jan 1970 00:00:00 GMT");
        assert_eq!(header(86_400), http_date(at(86_400)));
    }
}
