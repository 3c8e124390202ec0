//! The refund's state machine (reference §4.5, §6): Pending → Completed or Declined; completed
//! refunds add to their capture's RefundedAmount and close it when spent. The highest object:
//! it may change the capture below it, and nothing imports it but the handlers and events.

use amazon_pay_protocol::Money;
use amazon_pay_protocol::v1;

use crate::sandbox::v1::amounts::allowance_above;
use crate::sandbox::v1::ctx::{Ctx, Notice};
use crate::sandbox::v1::error::{SimError, SimResult};
use crate::sandbox::v1::records::{CaptureRecord, Event, Owner, RefundRecord};
use crate::sandbox::v1::simulation::Simulation;
use crate::sandbox::v1::state::State;
use crate::sandbox::v1::status::{self, capture_status, push_id, refund_status};

/// At most this many refunds per capture (reference §4.4, MaxRefundsProcessed).
pub const MAX_REFUNDS: usize = 10;

/// What a new refund is made of (already checked against its capture).
pub struct NewRefund {
    pub capture_id: String,
    pub reference_id: String,
    pub amount: Money,
    pub note: Option<String>,
    pub soft_descriptor: Option<String>,
    pub simulation: Option<Simulation>,
}

/// Creates a Pending refund on a capture; it settles after `Timing::settle_after`.
pub fn create(ctx: &mut Ctx<'_>, owner: Owner, n: NewRefund) -> SimResult<String> {
    let base = status::id_base(&n.capture_id).to_owned();
    let refund_id = ctx.common.new_child_id(&base, 'R');
    let zero = Money::from_minor(0, n.amount.currency().clone()).map_err(SimError::internal)?;
    let details = v1::RefundDetails::builder()
        .amazon_refund_id(refund_id.as_str())
        .refund_reference_id(n.reference_id.as_str())
        .refund_type(v1::RefundType::SellerInitiated)
        .refund_amount(n.amount)
        .fee_refunded(zero)
        .creation_timestamp(ctx.now)
        .refund_status(refund_status(v1::RefundState::Pending, None, ctx.now)?)
        // Amazon always sends the note, empty when there is none.
        .seller_refund_note(n.note.unwrap_or_default())
        .soft_descriptor(status::soft_descriptor(
            n.soft_descriptor.as_deref(),
            &owner,
        ))
        .build()?;
    ctx.state.insert_refund(
        refund_id.clone(),
        RefundRecord {
            owner,
            capture_id: n.capture_id.clone(),
            details,
            declines: n.simulation == Some(Simulation::Rejected),
        },
    );
    if let Some(capture) = ctx.state.capture_mut(&n.capture_id) {
        push_id(&mut capture.details.id_list, &refund_id);
    }
    let at = ctx.later(ctx.timing.settle_after);
    ctx.schedule(at, Event::SettleRefund(refund_id.clone()));
    ctx.notices.push(Notice::Refund(refund_id.clone()));
    Ok(refund_id)
}

/// The refunds issued on a capture, through its IdList.
pub fn refunds_of<'a>(
    world: &'a State,
    capture: &'a CaptureRecord,
) -> impl Iterator<Item = &'a RefundRecord> {
    status::listed(&capture.details.id_list).filter_map(|id| world.refund(id))
}

/// A Pending refund completes, or is declined as its simulation asked; a completed refund adds
/// to the capture's RefundedAmount.
pub fn settle(ctx: &mut Ctx<'_>, id: &str) -> SimResult<()> {
    let Some(refund) = ctx.state.refund(id) else {
        return Ok(());
    };
    if refund.details.refund_status.state != v1::RefundState::Pending {
        return Ok(());
    }
    let declines = refund.declines;
    let capture_id = refund.capture_id.clone();
    let amount = refund.details.refund_amount.clone();
    let status = if declines {
        refund_status(
            v1::RefundState::Declined,
            Some(v1::RefundReasonCode::AmazonRejected),
            ctx.now,
        )?
    } else {
        refund_status(v1::RefundState::Completed, None, ctx.now)?
    };
    if let Some(refund) = ctx.state.refund_mut(id) {
        refund.details.refund_status = status;
    }
    if let (false, Some(amount)) = (declines, amount) {
        if let Some(capture) = ctx.state.capture_mut(&capture_id) {
            let sum = capture
                .details
                .refunded_amount
                .as_ref()
                .and_then(|r| r.checked_add(&amount))
                .unwrap_or(amount);
            capture.details.refunded_amount = Some(sum);
        }
        close_spent_capture(ctx, &capture_id)?;
    }
    ctx.notices.push(Notice::Refund(id.to_owned()));
    Ok(())
}

/// A Completed capture closes once its completed refunds reach the captured amount plus the
/// allowance (MaxAmountRefunded) or number ten (MaxRefundsProcessed), reference §4.4.
fn close_spent_capture(ctx: &mut Ctx<'_>, capture_id: &str) -> SimResult<()> {
    // Events run with no seller, so the world is read directly (no ownership check).
    let Some(capture) = ctx.state.capture(capture_id) else {
        return Ok(());
    };
    if capture.details.capture_status.state != v1::CaptureState::Completed {
        return Ok(());
    }
    let Some(captured) = &capture.details.capture_amount else {
        return Ok(());
    };
    let refunded = capture
        .details
        .refunded_amount
        .as_ref()
        .map_or(0, Money::minor_units);
    let completed = refunds_of(&*ctx.state, capture)
        .filter(|f| f.details.refund_status.state == v1::RefundState::Completed)
        .count();
    let reason = if refunded >= captured.minor_units() + allowance_above(captured) {
        v1::CaptureReasonCode::MaxAmountRefunded
    } else if completed >= MAX_REFUNDS {
        v1::CaptureReasonCode::MaxRefundsProcessed
    } else {
        return Ok(());
    };
    let closed = capture_status(v1::CaptureState::Closed, Some(reason), ctx.now)?;
    if let Some(capture) = ctx.state.capture_mut(capture_id) {
        capture.details.capture_status = closed;
    }
    ctx.notices.push(Notice::Capture(capture_id.to_owned()));
    Ok(())
}
