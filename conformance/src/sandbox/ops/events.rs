//! Amazon's asynchronous processing: scheduled events, applied when the simulator clock passes
//! them (on the next request, or by the background ticker).

use amazon_pay_protocol::v1;

use super::status::{self, agreement_status, order_status};
use super::{Ctx, Notice, buyer, payment};
use crate::sandbox::error::SimResult;
use crate::sandbox::world::{Event, PaymentMethod};

/// Applies every event due at `ctx.now`, oldest first.
pub fn run_due(ctx: &mut Ctx<'_>) -> SimResult<()> {
    for event in ctx.world.take_due(ctx.now) {
        match event {
            Event::SettleAuthorization(id) => payment::settle_authorization(ctx, &id, false)?,
            Event::SettleCapture(id) => payment::settle_capture(ctx, &id)?,
            Event::SettleRefund(id) => payment::settle_refund(ctx, &id)?,
            Event::ExpireAuthorization(id) => payment::expire_authorization(ctx, &id)?,
            Event::CancelStaleDraft(id) => cancel_stale_draft(ctx, &id)?,
            Event::ExpireOrderReference(id) => expire_order_reference(ctx, &id)?,
            Event::BuyerUpdatesPaymentMethod(id) => {
                buyer::update_payment_method(ctx, &id, PaymentMethod::Valid)?;
            }
        }
    }
    Ok(())
}

/// How long a Draft may wait for its confirmation.
const STALE_AFTER_SECONDS: i64 = 3 * 3600;

/// A Draft the buyer just created is canceled as Stale unless confirmed in time.
pub fn schedule_stale_cancel(ctx: &mut Ctx<'_>, id: &str) {
    let at = ctx.later(STALE_AFTER_SECONDS);
    ctx.world
        .schedule(at, Event::CancelStaleDraft(id.to_owned()));
}

/// An order reference's lifetime (reference §4.2: Closed/Expired 180 days after creation).
const ORDER_REFERENCE_LIFETIME_SECONDS: i64 = 180 * 24 * 3600;

/// The ExpirationTimestamp of an order reference created now, with its expiry scheduled.
pub fn order_reference_expiry(ctx: &mut Ctx<'_>, id: &str) -> amazon_pay_protocol::Timestamp {
    let at = ctx.later(ORDER_REFERENCE_LIFETIME_SECONDS);
    ctx.world
        .schedule(at, Event::ExpireOrderReference(id.to_owned()));
    at
}

/// An Open or Suspended order reference reaches the end of its life: Closed/Expired. (A Draft
/// never reaches Closed in §4.2's state machine; buyer-created ones go Stale long before.)
fn expire_order_reference(ctx: &mut Ctx<'_>, id: &str) -> SimResult<()> {
    use v1::OrderReferenceState as O;
    status::move_order_reference(
        ctx,
        id,
        &[O::Open, O::Suspended],
        O::Closed,
        v1::OrderReferenceReasonCode::Expired,
    )
}

fn cancel_stale_draft(ctx: &mut Ctx<'_>, id: &str) -> SimResult<()> {
    let reason = "Not confirmed within 3 hours of creation.".to_owned();
    let agreement = agreement_status(
        v1::BillingAgreementState::Canceled,
        Some(v1::BillingAgreementReasonCode::Stale),
        Some(reason.clone()),
        ctx.now,
    )?;
    let order = order_status(
        v1::OrderReferenceState::Canceled,
        Some(v1::OrderReferenceReasonCode::Stale),
        Some(reason),
        ctx.now,
    )?;
    if let Some(ba) = ctx.world.billing_agreement_mut(id) {
        if ba.details.billing_agreement_status.state == v1::BillingAgreementState::Draft {
            ba.details.billing_agreement_status = agreement;
            ctx.notices.push(Notice::BillingAgreement {
                id: id.to_owned(),
                event_type: "BillingAgreementStatusUpdated",
            });
        }
    } else if let Some(oro) = ctx.world.order_reference_mut(id) {
        if oro.details.order_reference_status.state == v1::OrderReferenceState::Draft {
            oro.details.order_reference_status = order;
            ctx.notices.push(Notice::OrderReference(id.to_owned()));
        }
    }
    Ok(())
}
