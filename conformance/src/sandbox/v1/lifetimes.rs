//! How long objects live before Amazon ends them on its own (reference §4.1, §4.2): the
//! events that end them are scheduled when they are created.

use amazon_pay_protocol::Timestamp;

use super::ctx::Ctx;
use super::records::Event;

/// How long a Draft may wait for its confirmation.
const STALE_AFTER_SECONDS: i64 = 3 * 3600;

/// An order reference's lifetime (reference §4.2: Closed/Expired 180 days after creation).
const ORDER_REFERENCE_LIFETIME_SECONDS: i64 = 180 * 24 * 3600;

/// A Draft the buyer just created is canceled as Stale unless confirmed in time.
pub fn schedule_stale_cancel(ctx: &mut Ctx<'_>, id: &str) {
    let at = ctx.later(STALE_AFTER_SECONDS);
    ctx.schedule(at, Event::CancelStaleDraft(id.to_owned()));
}

/// The ExpirationTimestamp of an order reference created now, with its expiry scheduled.
pub fn order_reference_expiry(ctx: &mut Ctx<'_>, id: &str) -> Timestamp {
    let at = ctx.later(ORDER_REFERENCE_LIFETIME_SECONDS);
    ctx.schedule(at, Event::ExpireOrderReference(id.to_owned()));
    at
}
