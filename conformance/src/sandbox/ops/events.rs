//! Amazon's asynchronous processing: scheduled events, applied when the simulator clock passes
//! them (on the next request, or by the background ticker).

use super::{Ctx, buyer, payment};
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
            Event::BuyerUpdatesPaymentMethod(id) => {
                buyer::update_payment_method(ctx, &id, PaymentMethod::Valid)?;
            }
        }
    }
    Ok(())
}
