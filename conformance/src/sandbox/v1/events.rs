//! Amazon's asynchronous processing: scheduled events, applied when the simulator clock passes
//! them (on the next request, or by the background ticker).

use super::buyer;
use super::ctx::Ctx;
use super::error::SimResult;
use super::objects::{authorization, billing_agreement, capture, order_reference, refund};
use super::records::{Event, PaymentMethod};

/// Applies every event due at `ctx.now`, oldest first.
pub fn run_due(ctx: &mut Ctx<'_>) -> SimResult<()> {
    for event in ctx.state.schedule.take_due(ctx.now) {
        match event {
            Event::SettleAuthorization(id) => {
                if authorization::settle(ctx, &id, false)? {
                    capture::capture_in_full(ctx, &id)?;
                }
            }
            Event::SettleCapture(id) => capture::settle(ctx, &id)?,
            Event::SettleRefund(id) => refund::settle(ctx, &id)?,
            Event::ExpireAuthorization(id) => authorization::expire(ctx, &id)?,
            Event::CancelStaleDraft(id) => {
                let reason = "Not confirmed within 3 hours of creation.";
                if !billing_agreement::cancel_stale(ctx, &id, reason)? {
                    order_reference::cancel_stale(ctx, &id, reason)?;
                }
            }
            Event::ExpireOrderReference(id) => order_reference::expire(ctx, &id)?,
            Event::BuyerUpdatesPaymentMethod(id) => {
                buyer::update_payment_method(ctx, &id, PaymentMethod::Valid)?;
            }
        }
    }
    Ok(())
}
