//! Authorize, GetAuthorizationDetails and CloseAuthorization (reference §3.C, §4.3).

use amazon_pay_protocol::Money;
use amazon_pay_protocol::v1::{self, AuthorizationState as A, ErrorCode};

use crate::sandbox::v1::amounts::{allowance_above, check_currency, check_timeout, text};
use crate::sandbox::v1::ctx::Ctx;
use crate::sandbox::v1::error::{SimError, SimResult};
use crate::sandbox::v1::objects::authorization::{self, MAX_AUTHORIZATIONS, NewAuthorization};
use crate::sandbox::v1::objects::{billing_agreement, capture};
use crate::sandbox::v1::records::AuthorizationRecord;
use crate::sandbox::v1::simulation::NoteField;
use crate::sandbox::v1::status;

pub fn authorize(ctx: &mut Ctx<'_>, r: v1::AuthorizeRequest) -> SimResult<v1::AuthorizeResponse> {
    let oro_id = r.amazon_order_reference_id.as_str().to_owned();
    let reference = r.authorization_reference_id.as_str().to_owned();
    let simulation = ctx.simulation(
        r.seller_authorization_note.as_deref(),
        NoteField::Authorization,
    )?;
    let oro = status::order_reference(ctx, &oro_id)?;
    if let Some(auth_id) =
        ctx.retry_of("AuthorizationReferenceId", &reference, "Authorize", &oro_id)?
    {
        return authorize_response(ctx, &auth_id);
    }
    let state = &oro.details.order_reference_status.state;
    if *state != v1::OrderReferenceState::Open {
        return Err(SimError::new(
            ErrorCode::InvalidOrderReferenceStatus,
            format!(
                "The order reference {oro_id} is in the {} state; Authorize needs Open.",
                state.as_str()
            ),
        ));
    }
    check_timeout(r.transaction_timeout)?;
    let total = oro
        .details
        .order_total
        .clone()
        .ok_or_else(|| SimError::internal("Open order reference without a total"))?;
    check_currency(&r.authorization_amount, &[total.currency().as_str()])?;
    // Through the order reference's IdList, which lists every authorization made on it: a
    // scan of all authorizations grew with everything the simulator (or its state file) ever
    // authorized, on every Authorize.
    let auths: Vec<&AuthorizationRecord> = status::listed(&oro.details.id_list)
        .filter_map(|id| ctx.state.authorization(id))
        .collect();
    if auths.len() >= MAX_AUTHORIZATIONS {
        return Err(SimError::new(
            ErrorCode::TransactionCountExceeded,
            format!(
                "The order reference {oro_id} already has {MAX_AUTHORIZATIONS} authorizations."
            ),
        ));
    }
    let authorized: i64 = auths
        .iter()
        .filter(|a| !matches!(a.details.authorization_status.state, A::Declined))
        .filter_map(|a| a.details.authorization_amount.as_ref())
        .map(Money::minor_units)
        .sum();
    let ceiling = total.minor_units() + allowance_above(&total);
    if authorized + r.authorization_amount.minor_units() > ceiling {
        return Err(SimError::new(
            ErrorCode::TransactionAmountExceeded,
            format!(
                "OrderReference {oro_id} has already been authorized for amount {} {cur}. A new \
                 Authorization with amount {} {cur} cannot be accepted as the total \
                 Authorization amount cannot exceed {} {cur}.",
                text(authorized, &total),
                r.authorization_amount.amount_text(),
                text(ceiling, &total),
                cur = total.currency().as_str(),
            ),
        ));
    }
    // An order reference made from an agreement charges the agreement: its monthly limit
    // holds whichever operation authorizes.
    if let Some(agreement) = status::agreement_of(oro).map(str::to_owned) {
        billing_agreement::check_monthly_limit(ctx, &agreement, &r.authorization_amount)?;
    }
    let auth_id = authorization::create(
        ctx,
        NewAuthorization {
            order_reference_id: oro_id.clone(),
            billing_agreement_id: None,
            reference_id: reference.clone(),
            amount: r.authorization_amount,
            note: r.seller_authorization_note,
            timeout: r.transaction_timeout,
            capture_now: r.capture_now == Some(true),
            soft_descriptor: r.soft_descriptor,
            simulation,
        },
        capture::capture_in_full,
    )?;
    ctx.record_reference(
        "AuthorizationReferenceId",
        &reference,
        "Authorize",
        &oro_id,
        &auth_id,
    );
    authorize_response(ctx, &auth_id)
}

fn authorize_response(ctx: &Ctx<'_>, auth_id: &str) -> SimResult<v1::AuthorizeResponse> {
    let auth = status::authorization(ctx, auth_id)?;
    let result = v1::AuthorizeResult::builder()
        .authorization_details(auth.details.clone())
        .build()?;
    Ok(v1::AuthorizeResponse::new(result, ctx.request_id.clone()))
}

pub fn get(
    ctx: &mut Ctx<'_>,
    r: v1::GetAuthorizationDetailsRequest,
) -> SimResult<v1::GetAuthorizationDetailsResponse> {
    let auth = status::authorization(ctx, r.amazon_authorization_id.as_str())?;
    let result = v1::GetAuthorizationDetailsResult::builder()
        .authorization_details(auth.details.clone())
        .build()?;
    Ok(v1::GetAuthorizationDetailsResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}

pub fn close(
    ctx: &mut Ctx<'_>,
    r: v1::CloseAuthorizationRequest,
) -> SimResult<v1::CloseAuthorizationResponse> {
    let id = r.amazon_authorization_id.as_str();
    let auth = status::authorization(ctx, id)?;
    match &auth.details.authorization_status.state {
        A::Closed => {}
        A::Open | A::Pending => authorization::close_by_seller(ctx, id, r.closure_reason)?,
        other => {
            return Err(SimError::new(
                ErrorCode::InvalidAuthorizationStatus,
                format!(
                    "Authorization {id} is currently in {} state and cannot be closed.",
                    other.as_str()
                ),
            ));
        }
    }
    let result = v1::CloseAuthorizationResult::builder().build()?;
    Ok(v1::CloseAuthorizationResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}
