//! Refund and GetRefundDetails (reference §3.C, §4.5).

use amazon_pay_protocol::Money;
use amazon_pay_protocol::v1::{self, ErrorCode};

use crate::sandbox::v1::amounts::{allowance_above, check_currency, text};
use crate::sandbox::v1::ctx::Ctx;
use crate::sandbox::v1::error::{SimError, SimResult};
use crate::sandbox::v1::objects::refund::{self, MAX_REFUNDS, NewRefund, refunds_of};
use crate::sandbox::v1::records::RefundRecord;
use crate::sandbox::v1::simulation::NoteField;
use crate::sandbox::v1::status;

use super::provider_credit;

pub fn refund(ctx: &mut Ctx<'_>, r: v1::RefundRequest) -> SimResult<v1::RefundResponse> {
    let capture_id = r.amazon_capture_id.as_str().to_owned();
    let reference = r.refund_reference_id.as_str().to_owned();
    let simulation = ctx.simulation(r.seller_refund_note.as_deref(), NoteField::Refund)?;
    let capture = status::capture(ctx, &capture_id)?;
    if let Some(refund_id) = ctx.retry_of("RefundReferenceId", &reference, "Refund", &capture_id)? {
        return refund_response(ctx, &refund_id);
    }
    let state = &capture.details.capture_status.state;
    if *state != v1::CaptureState::Completed {
        return Err(SimError::new(
            ErrorCode::CaptureNotRefundable,
            format!(
                "Capture {capture_id} is in the {} state and cannot be refunded.",
                state.as_str()
            ),
        ));
    }
    let captured = capture
        .details
        .capture_amount
        .clone()
        .ok_or_else(|| SimError::internal("capture without amount"))?;
    check_currency(&r.refund_amount, &[captured.currency().as_str()])?;
    let refunds: Vec<&RefundRecord> = refunds_of(&*ctx.state, capture).collect();
    if refunds.len() >= MAX_REFUNDS {
        return Err(SimError::new(
            ErrorCode::TransactionCountExceeded,
            format!("Capture {capture_id} already has {MAX_REFUNDS} refunds."),
        ));
    }
    let refunded: i64 = refunds
        .iter()
        .filter(|f| f.details.refund_status.state != v1::RefundState::Declined)
        .filter_map(|f| f.details.refund_amount.as_ref())
        .map(Money::minor_units)
        .sum();
    let ceiling = captured.minor_units() + allowance_above(&captured);
    if refunded + r.refund_amount.minor_units() > ceiling {
        return Err(SimError::new(
            ErrorCode::TransactionAmountExceeded,
            format!(
                "Capture {capture_id} of {} {cur} has already been refunded {} {cur}; a refund of \
                 {} {cur} would exceed the refundable {} {cur}.",
                captured.amount_text(),
                text(refunded, &captured),
                r.refund_amount.amount_text(),
                text(ceiling, &captured),
                cur = captured.currency().as_str(),
            ),
        ));
    }
    let reversals = r
        .provider_credit_reversal_list
        .map(|l| l.items)
        .unwrap_or_default();
    provider_credit::check_refund_reversals(ctx, &capture_id, &reversals)?;
    let owner = capture.owner.clone();
    let refund_id = refund::create(
        ctx,
        owner,
        NewRefund {
            capture_id: capture_id.clone(),
            reference_id: reference.clone(),
            amount: r.refund_amount,
            note: r.seller_refund_note,
            soft_descriptor: r.soft_descriptor,
            simulation,
        },
    )?;
    if !reversals.is_empty() {
        let summaries =
            provider_credit::reverse_for_refund(ctx, &capture_id, &reference, reversals)?;
        if let Some(refund) = ctx.state.refund_mut(&refund_id) {
            refund.details.provider_credit_reversal_summary_list = Some(summaries.into());
        }
    }
    ctx.record_reference(
        "RefundReferenceId",
        &reference,
        "Refund",
        &capture_id,
        &refund_id,
    );
    refund_response(ctx, &refund_id)
}

fn refund_response(ctx: &Ctx<'_>, refund_id: &str) -> SimResult<v1::RefundResponse> {
    let refund = status::refund(ctx, refund_id)?;
    let result = v1::RefundResult::builder()
        .refund_details(refund.details.clone())
        .build()?;
    Ok(v1::RefundResponse::new(result, ctx.request_id.clone()))
}

pub fn get(
    ctx: &mut Ctx<'_>,
    r: v1::GetRefundDetailsRequest,
) -> SimResult<v1::GetRefundDetailsResponse> {
    let refund = status::refund(ctx, r.amazon_refund_id.as_str())?;
    let result = v1::GetRefundDetailsResult::builder()
        .refund_details(refund.details.clone())
        .build()?;
    Ok(v1::GetRefundDetailsResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}
