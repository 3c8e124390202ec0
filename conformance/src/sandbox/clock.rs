//! The simulator's time: the machine's clock (or a frozen start) plus an offset that only
//! moves forward (`/__sandbox/clock`), and how long Amazon's asynchronous processing takes in it.

use amazon_pay_protocol::Timestamp;

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
        Timestamp::from_unix(base + offset)
            .unwrap_or_else(|| Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc()))
    }
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
