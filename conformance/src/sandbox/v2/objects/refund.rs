//! Refunds (§4.4): always asynchronous, RefundInitiated → Refunded or Declined, up to the
//! captured amount of the charge and within a count limit.

use amazon_pay_protocol::Money;
use amazon_pay_protocol::v2::{ErrorCode, ReasonCode, Refund, RefundId, State};

use super::charge;
use crate::sandbox::v2::ctx::{Ctx, ObjectType};
use crate::sandbox::v2::error::{ApiError, ApiResult};
use crate::sandbox::v2::limits;
use crate::sandbox::v2::records::{Event, RefundRecord};

pub fn get<'a>(ctx: &'a Ctx<'_>, id: &str) -> ApiResult<&'a RefundRecord> {
    ctx.state
        .refund(id)
        .filter(|r| ctx.sees(&r.owner))
        .ok_or_else(|| ApiError::not_found("refund", id))
}

fn state_of(record: &RefundRecord) -> Option<&State> {
    record.document.status_details.as_ref()?.state.as_ref()
}

/// What a simulation code on Create Refund makes of it (§6.2 leaves the codes open).
fn simulated_decline(ctx: &Ctx<'_>) -> ApiResult<Option<String>> {
    match ctx.simulation.as_deref() {
        None => Ok(None),
        Some("RefundDeclined" | "AmazonRejected") => Ok(Some("AmazonRejected".to_owned())),
        Some("ProcessingFailure") => Ok(Some("ProcessingFailure".to_owned())),
        Some(code) => Err(ApiError::new(
            ErrorCode::InvalidSandboxSimulationSpecified,
            format!("The simulation code {code} does not fit Create Refund."),
        )),
    }
}

pub fn create(
    ctx: &mut Ctx<'_>,
    charge_id: &str,
    amount: &Money,
    soft_descriptor: Option<String>,
) -> ApiResult<String> {
    let charge = charge::get(ctx, charge_id)?;
    if charge::state_of(charge) != Some(&State::Captured) {
        return Err(ApiError::new(
            ErrorCode::InvalidChargeStatus,
            format!("The charge {charge_id} is not Captured."),
        ));
    }
    let owner = charge.owner.clone();
    let captured = charge.document.capture_amount.clone();
    let permission_id = charge.permission_id().to_owned();
    if let Some(captured) = &captured {
        let refunded: i64 = ctx
            .state
            .refunds_of(charge_id)
            .filter(|r| state_of(r) != Some(&State::Declined))
            .filter_map(|r| r.document.refund_amount.as_ref().map(Money::minor_units))
            .sum();
        limits::check_within(captured, refunded, amount, "captured amount")?;
    }
    if ctx.state.refunds_of(charge_id).count() >= limits::MAX_REFUNDS_PER_CHARGE {
        return Err(ApiError::new(
            ErrorCode::TransactionCountExceeded,
            format!(
                "The charge already has {} refunds.",
                limits::MAX_REFUNDS_PER_CHARGE
            ),
        ));
    }
    let declines_with = simulated_decline(ctx)?;
    let id = ctx.common.new_child_id(charge_id, 'R');
    let mut document = Refund::default();
    document.refund_id = Some(RefundId::new(id.clone()));
    document.charge_id = Some(charge_id.into());
    document.refund_amount = Some(amount.clone());
    document.soft_descriptor = soft_descriptor;
    document.creation_timestamp = Some(ctx.now);
    document.status_details = Some(ctx.status(State::RefundInitiated, None));
    document.release_environment = Some(ctx.release_environment());
    ctx.state.insert_refund(
        id.clone(),
        RefundRecord {
            owner: owner.clone(),
            document,
            declines_with,
        },
    );
    ctx.schedule(
        ctx.settle_after,
        Event::SettleRefund {
            refund_id: id.clone(),
        },
    );
    ctx.notify(ObjectType::Refund, &id, &permission_id, &owner);
    Ok(id)
}

/// The refund ends: Refunded (the charge's refunded amount grows) or Declined.
pub fn settle(ctx: &mut Ctx<'_>, id: &str) {
    let Some(record) = ctx.state.refund(id) else {
        return;
    };
    if state_of(record) != Some(&State::RefundInitiated) {
        return;
    }
    let declines_with = record.declines_with.clone();
    let owner = record.owner.clone();
    let amount = record.document.refund_amount.clone();
    let charge_id = record.charge_id().to_owned();
    let status = match &declines_with {
        Some(reason) => ctx.status(State::Declined, Some(ReasonCode::parse(reason))),
        None => ctx.status(State::Refunded, None),
    };
    if let Some(record) = ctx.state.refund_mut(id) {
        record.document.status_details = Some(status);
    }
    let permission_id = ctx
        .state
        .update_charge(&charge_id, |charge| {
            if declines_with.is_none()
                && let Some(amount) = &amount
            {
                let total = match &charge.document.refunded_amount {
                    Some(before) => before.checked_add(amount),
                    None => Some(amount.clone()),
                };
                charge.document.refunded_amount = total;
            }
            charge.permission_id().to_owned()
        })
        .unwrap_or_default();
    ctx.notify(ObjectType::Refund, id, &permission_id, &owner);
}
