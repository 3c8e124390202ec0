//! The capture's state machine (reference §4.4, §6): Completed, Pending → Completed,
//! Declined, or Closed; a capture closes its authorization, and the order reference once the
//! captures reach its total. It may change the objects below it (authorization, order
//! reference) and never the refunds above.

use amazon_pay_protocol::Money;
use amazon_pay_protocol::v1::{self, OrderReferenceState as O};

use super::{authorization, order_reference};
use crate::sandbox::v1::amounts::allowance_above;
use crate::sandbox::v1::ctx::{Ctx, Notice};
use crate::sandbox::v1::error::{SimError, SimResult};
use crate::sandbox::v1::records::{CaptureRecord, Event, OrderReferenceRecord};
use crate::sandbox::v1::simulation::Simulation;
use crate::sandbox::v1::state::State;
use crate::sandbox::v1::status::{self, capture_status};

/// CaptureNow: the whole authorized amount, captured as soon as the authorization is Open.
pub fn capture_in_full(ctx: &mut Ctx<'_>, auth_id: &str) -> SimResult<()> {
    let auth = authorization::stored(ctx, auth_id)?;
    let amount = auth
        .details
        .authorization_amount
        .clone()
        .ok_or_else(|| SimError::internal("authorization without amount"))?;
    let reference = auth
        .details
        .authorization_reference_id
        .as_ref()
        .map(|r| r.as_str().to_owned())
        .unwrap_or_default();
    let descriptor = auth
        .details
        .soft_descriptor
        .clone()
        .unwrap_or_else(|| status::soft_descriptor(None, &auth.owner));
    create(ctx, auth_id, &reference, amount, None, descriptor, None)?;
    Ok(())
}

/// Creates a capture on an Open authorization and closes the authorization behind it (one
/// capture per authorization, `MaxCapturesProcessed`), unless the capture was declined.
/// `descriptor` is the statement text as shown (see `status::soft_descriptor`).
pub fn create(
    ctx: &mut Ctx<'_>,
    auth_id: &str,
    reference: &str,
    amount: Money,
    note: Option<String>,
    descriptor: String,
    simulation: Option<Simulation>,
) -> SimResult<String> {
    let auth = authorization::stored(ctx, auth_id)?;
    let owner = auth.owner.clone();
    let base = status::id_base(auth_id).to_owned();
    let capture_id = ctx.common.new_child_id(&base, 'C');
    let zero = Money::from_minor(0, amount.currency().clone()).map_err(SimError::internal)?;
    let (state, reason) = match simulation {
        Some(Simulation::CapturePending) => (v1::CaptureState::Pending, None),
        Some(Simulation::Rejected) => (
            v1::CaptureState::Declined,
            Some(v1::CaptureReasonCode::AmazonRejected),
        ),
        Some(Simulation::AmazonClosed) => (
            v1::CaptureState::Closed,
            Some(v1::CaptureReasonCode::AmazonClosed),
        ),
        _ => (v1::CaptureState::Completed, None),
    };
    let declined = state == v1::CaptureState::Declined;
    let pending = state == v1::CaptureState::Pending;
    let completed = state == v1::CaptureState::Completed;
    let details = v1::CaptureDetails::builder()
        .amazon_capture_id(capture_id.as_str())
        .capture_reference_id(reference)
        .capture_amount(amount.clone())
        .refunded_amount(zero.clone())
        .capture_fee(zero)
        .creation_timestamp(ctx.now)
        .capture_status(capture_status(state, reason, ctx.now)?)
        // Amazon always sends these: an empty list and an empty note when there are none.
        .id_list(v1::IdList::default())
        .seller_capture_note(note.unwrap_or_default())
        .soft_descriptor(descriptor)
        .build()?;
    ctx.state.insert_capture(
        capture_id.clone(),
        CaptureRecord {
            owner,
            authorization_id: auth_id.to_owned(),
            details,
        },
    );
    ctx.notices.push(Notice::Capture(capture_id.clone()));
    if pending {
        let at = ctx.later(ctx.timing.settle_after);
        ctx.schedule(at, Event::SettleCapture(capture_id.clone()));
    }
    if !declined {
        authorization::captured(ctx, auth_id, amount, &capture_id)?;
    }
    if completed {
        close_fully_charged_order(ctx, &capture_id)?;
    }
    Ok(capture_id)
}

/// The captures made on an order reference's authorizations, through their IdLists.
fn captures_of<'a>(
    world: &'a State,
    oro: &'a OrderReferenceRecord,
) -> impl Iterator<Item = &'a CaptureRecord> {
    status::listed(&oro.details.id_list)
        .filter_map(|id| world.authorization(id))
        .flat_map(|a| status::listed(&a.details.id_list))
        .filter_map(|id| world.capture(id))
}

/// An Open order reference whose captures reach the order total plus the allowance closes
/// (MaxAmountCharged, reference §4.2). Runs when a capture completes.
fn close_fully_charged_order(ctx: &mut Ctx<'_>, capture_id: &str) -> SimResult<()> {
    let world = &*ctx.state;
    let Some(oro_id) = world
        .capture(capture_id)
        .and_then(|c| world.authorization(&c.authorization_id))
        .map(|a| a.order_reference_id.clone())
    else {
        return Ok(());
    };
    let Some(oro) = world.order_reference(&oro_id) else {
        return Ok(());
    };
    let Some(total) = &oro.details.order_total else {
        return Ok(());
    };
    if oro.details.order_reference_status.state != O::Open {
        return Ok(());
    }
    let charged: i64 = captures_of(world, oro)
        .filter(|c| {
            let status = &c.details.capture_status;
            // Money moved: Completed, or Closed later by its refunds (not AmazonClosed).
            status.state == v1::CaptureState::Completed
                || (status.state == v1::CaptureState::Closed
                    && status.reason_code != Some(v1::CaptureReasonCode::AmazonClosed))
        })
        .filter_map(|c| c.details.capture_amount.as_ref())
        .map(Money::minor_units)
        .sum();
    if charged < total.minor_units() + allowance_above(total) {
        return Ok(());
    }
    order_reference::move_to(
        ctx,
        &oro_id,
        &[O::Open],
        O::Closed,
        v1::OrderReferenceReasonCode::MaxAmountCharged,
    )
}

/// A Pending capture completes.
pub fn settle(ctx: &mut Ctx<'_>, id: &str) -> SimResult<()> {
    let status = capture_status(v1::CaptureState::Completed, None, ctx.now)?;
    let Some(capture) = ctx.state.capture_mut(id) else {
        return Ok(());
    };
    if capture.details.capture_status.state == v1::CaptureState::Pending {
        capture.details.capture_status = status;
        ctx.notices.push(Notice::Capture(id.to_owned()));
        close_fully_charged_order(ctx, id)?;
    }
    Ok(())
}
