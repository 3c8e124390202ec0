//! One handler per simulated v2 operation: read the typed request, run the object's state
//! machine, answer the object's document as JSON with the operation's success status.

use amazon_pay_protocol::v2::{AnyRequest, ErrorCode, ReasonCode};
use serde::Serialize;

use super::ctx::Ctx;
use super::error::{ApiError, ApiResult};
use super::limits;
use super::objects::{charge, charge_permission, checkout_session, refund};

/// An answer: status and JSON body.
pub struct Answer {
    pub status: u16,
    pub body: String,
}

fn answer(status: u16, document: &impl Serialize) -> ApiResult<Answer> {
    let body = serde_json::to_string(document).map_err(ApiError::internal)?;
    Ok(Answer { status, body })
}

fn reason_length(name: &str, text: Option<&str>) -> ApiResult<()> {
    match text {
        Some(text) if text.chars().count() > limits::REASON_MAX_CHARS => Err(ApiError::new(
            ErrorCode::InvalidParameterValue,
            format!(
                "{name} is longer than {} characters.",
                limits::REASON_MAX_CHARS
            ),
        )),
        _ => Ok(()),
    }
}

pub fn handle(ctx: &mut Ctx<'_>, request: AnyRequest, store_id: &str) -> ApiResult<Answer> {
    let status = request.success_status();
    match request {
        AnyRequest::CreateCheckoutSession(r) => {
            answer(status, &checkout_session::create(ctx, r, store_id)?)
        }
        AnyRequest::GetCheckoutSession(r) => answer(
            status,
            &checkout_session::get(ctx, r.checkout_session_id.as_str())?.document,
        ),
        AnyRequest::UpdateCheckoutSession(r) => answer(status, &checkout_session::update(ctx, r)?),
        AnyRequest::CompleteCheckoutSession(r) => {
            let (session, pending) =
                checkout_session::complete(ctx, r.checkout_session_id.as_str(), r.charge_amount)?;
            answer(if pending { 202 } else { status }, &session)
        }
        AnyRequest::GetChargePermission(r) => answer(
            status,
            &charge_permission::get(ctx, r.charge_permission_id.as_str())?.document,
        ),
        AnyRequest::UpdateChargePermission(r) => {
            let id = r.charge_permission_id.as_str();
            let record = charge_permission::get(ctx, id)?;
            if charge_permission::state_of(record) == Some(&amazon_pay_protocol::v2::State::Closed)
            {
                return Err(ApiError::new(
                    ErrorCode::ChargePermissionNotModifiable,
                    format!("The charge permission {id} is Closed."),
                ));
            }
            let Some(record) = ctx.state.permission_mut(id) else {
                return Err(ApiError::not_found("charge permission", id));
            };
            if r.merchant_metadata.is_some() {
                record.document.merchant_metadata = r.merchant_metadata;
            }
            if r.recurring_metadata.is_some() {
                record.document.recurring_metadata = r.recurring_metadata;
            }
            answer(status, &record.document.clone())
        }
        AnyRequest::CloseChargePermission(r) => {
            let id = r.charge_permission_id.as_str();
            reason_length("closureReason", r.closure_reason.as_deref())?;
            let reason = match ctx.simulation.as_deref() {
                None => ReasonCode::MerchantClosed,
                Some("AmazonClosed") => ReasonCode::AmazonClosed,
                Some(code) => {
                    return Err(ApiError::new(
                        ErrorCode::InvalidSandboxSimulationSpecified,
                        format!("The simulation code {code} does not fit Close Charge Permission."),
                    ));
                }
            };
            // Close refuses a Closed permission before anything changes.
            charge_permission::close(ctx, id, reason)?;
            if r.cancel_pending_charges == Some(true) {
                charge::cancel_pending(ctx, id);
            }
            answer(status, &charge_permission::get(ctx, id)?.document)
        }
        AnyRequest::CreateCharge(r) => {
            let new = charge::NewCharge {
                amount: Some(r.charge_amount),
                capture_now: r.capture_now == Some(true),
                can_handle_pending: r.can_handle_pending_authorization == Some(true),
                soft_descriptor: r.soft_descriptor,
                merchant_metadata: r.merchant_metadata,
                provider_metadata: r.provider_metadata,
                platform_id: r.platform_id,
                charge_initiator: r.charge_initiator,
                channel: r.channel,
                web_checkout_details: r.web_checkout_details,
            };
            let (id, _) = charge::create(ctx, r.charge_permission_id.as_str(), new)?;
            answer(status, &charge::get(ctx, &id)?.document)
        }
        AnyRequest::GetCharge(r) => {
            answer(status, &charge::get(ctx, r.charge_id.as_str())?.document)
        }
        AnyRequest::CaptureCharge(r) => {
            let id = r.charge_id.as_str();
            charge::capture(ctx, id, &r.capture_amount, r.soft_descriptor)?;
            answer(status, &charge::get(ctx, id)?.document)
        }
        AnyRequest::CancelCharge(r) => {
            let id = r.charge_id.as_str();
            reason_length("cancellationReason", r.cancellation_reason.as_deref())?;
            if let Some(code) = ctx.simulation.as_deref() {
                return Err(ApiError::new(
                    ErrorCode::InvalidSandboxSimulationSpecified,
                    format!("The simulation code {code} does not fit Cancel Charge."),
                ));
            }
            charge::cancel(ctx, id)?;
            answer(status, &charge::get(ctx, id)?.document)
        }
        AnyRequest::CreateRefund(r) => {
            let id = refund::create(
                ctx,
                r.charge_id.as_str(),
                &r.refund_amount,
                r.soft_descriptor,
            )?;
            answer(status, &refund::get(ctx, &id)?.document)
        }
        AnyRequest::FinalizeCheckoutSession(r) => {
            let (session, pending) = checkout_session::finalize(ctx, r)?;
            answer(if pending { 202 } else { status }, &session)
        }
        AnyRequest::GetBuyer(r) => {
            let buyer = ctx
                .state
                .buyer(&r.buyer_token)
                .filter(|b| ctx.sees(&b.owner))
                .ok_or_else(|| ApiError::not_found("buyer token", &r.buyer_token))?;
            answer(status, &buyer.buyer)
        }
        AnyRequest::GetRefund(r) => {
            answer(status, &refund::get(ctx, r.refund_id.as_str())?.document)
        }
        other => Err(ApiError::new(
            ErrorCode::UnsupportedOperation,
            format!(
                "{} is not simulated: the simulator covers checkout sessions, charge permissions, charges, refunds and buyers.",
                other.action()
            ),
        )),
    }
}
