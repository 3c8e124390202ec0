//! Capture and GetCaptureDetails (reference §3.C, §4.4).

use amazon_pay_protocol::v1::{self, AuthorizationState as A, ErrorCode};

use crate::sandbox::v1::amounts::check_currency;
use crate::sandbox::v1::ctx::Ctx;
use crate::sandbox::v1::error::{SimError, SimResult};
use crate::sandbox::v1::objects::{capture, provider_credit};
use crate::sandbox::v1::records::Owner;
use crate::sandbox::v1::simulation::NoteField;
use crate::sandbox::v1::status;

pub fn capture(ctx: &mut Ctx<'_>, r: v1::CaptureRequest) -> SimResult<v1::CaptureResponse> {
    let auth_id = r.amazon_authorization_id.as_str().to_owned();
    let reference = r.capture_reference_id.as_str().to_owned();
    let simulation = ctx.simulation(r.seller_capture_note.as_deref(), NoteField::Capture)?;
    let auth = status::authorization(ctx, &auth_id)?;
    if let Some(capture_id) = ctx.retry_of("CaptureReferenceId", &reference, "Capture", &auth_id)? {
        return capture_response(ctx, &capture_id);
    }
    let state = &auth.details.authorization_status.state;
    if *state != A::Open {
        return Err(SimError::new(
            ErrorCode::InvalidAuthorizationStatus,
            format!(
                "Authorization {auth_id} is currently in {} state. Capture can only be requested \
                 in Open state.",
                state.as_str()
            ),
        ));
    }
    let authorized = auth
        .details
        .authorization_amount
        .clone()
        .ok_or_else(|| SimError::internal("authorization without amount"))?;
    check_currency(&r.capture_amount, &[authorized.currency().as_str()])?;
    if r.capture_amount.minor_units() > authorized.minor_units() {
        return Err(SimError::new(
            ErrorCode::TransactionAmountExceeded,
            format!(
                "Authorization {auth_id} is for {} {}; a capture of {} cannot be accepted.",
                authorized.amount_text(),
                authorized.currency().as_str(),
                r.capture_amount.amount_text()
            ),
        ));
    }
    let credits = r.provider_credit_list.map(|l| l.items).unwrap_or_default();
    provider_credit::check_credits(&credits, &r.capture_amount)?;
    let owner = auth.owner.clone();
    let descriptor = status::soft_descriptor(r.soft_descriptor.as_deref(), &owner);
    let capture_id = capture::create(
        ctx,
        &auth_id,
        &reference,
        r.capture_amount,
        r.seller_capture_note,
        descriptor,
        simulation,
    )?;
    pay_credits(ctx, &owner, &capture_id, &reference, credits)?;
    ctx.record_reference(
        "CaptureReferenceId",
        &reference,
        "Capture",
        &auth_id,
        &capture_id,
    );
    capture_response(ctx, &capture_id)
}

/// The capture's provider credits, shown on it as ProviderCreditSummaryList; a declined
/// capture pays none (GUESSES.md).
fn pay_credits(
    ctx: &mut Ctx<'_>,
    owner: &Owner,
    capture_id: &str,
    reference: &str,
    credits: Vec<v1::ProviderCredit>,
) -> SimResult<()> {
    let declined = status::capture(ctx, capture_id)?
        .details
        .capture_status
        .state
        == v1::CaptureState::Declined;
    if credits.is_empty() || declined {
        return Ok(());
    }
    let summaries = provider_credit::pay(ctx, owner, capture_id, reference, credits)?;
    if let Some(capture) = ctx.state.capture_mut(capture_id) {
        capture.details.provider_credit_summary_list = Some(summaries.into());
    }
    Ok(())
}

fn capture_response(ctx: &Ctx<'_>, capture_id: &str) -> SimResult<v1::CaptureResponse> {
    let capture = status::capture(ctx, capture_id)?;
    let result = v1::CaptureResult::builder()
        .capture_details(capture.details.clone())
        .build()?;
    Ok(v1::CaptureResponse::new(result, ctx.request_id.clone()))
}

pub fn get(
    ctx: &mut Ctx<'_>,
    r: v1::GetCaptureDetailsRequest,
) -> SimResult<v1::GetCaptureDetailsResponse> {
    let capture = status::capture(ctx, r.amazon_capture_id.as_str())?;
    let result = v1::GetCaptureDetailsResult::builder()
        .capture_details(capture.details.clone())
        .build()?;
    Ok(v1::GetCaptureDetailsResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}
