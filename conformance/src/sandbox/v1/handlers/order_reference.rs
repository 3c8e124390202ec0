//! Order reference operations: the one-time payment flow (reference §3.B, §4.2).

use amazon_pay_protocol::v1::{self, ErrorCode, OrderReferenceState as S};

use crate::sandbox::v1::buyer_view::{self, open_constraints, order_reference_view};
use crate::sandbox::v1::ctx::Ctx;
use crate::sandbox::v1::error::{SimError, SimResult};
use crate::sandbox::v1::objects::{authorization, order_reference};
use crate::sandbox::v1::records::PaymentMethod;
use crate::sandbox::v1::simulation::{NoteField, Simulation};
use crate::sandbox::v1::status::{self, check_token};

fn not_modifiable(id: &str, state: &S) -> SimError {
    SimError::new(
        ErrorCode::OrderReferenceNotModifiable,
        format!(
            "OrderReference {id} is not in Draft state. It is in {} state and cannot be modified.",
            state.as_str()
        ),
    )
}

fn view(ctx: &Ctx<'_>, id: &str) -> SimResult<v1::OrderReferenceDetails> {
    order_reference_view(status::order_reference(ctx, id)?, false)
}

pub fn get(
    ctx: &mut Ctx<'_>,
    r: v1::GetOrderReferenceDetailsRequest,
) -> SimResult<v1::GetOrderReferenceDetailsResponse> {
    let id = r.amazon_order_reference_id.as_str();
    let oro = status::order_reference(ctx, id)?;
    let token_valid = check_token(
        r.access_token.as_deref(),
        r.address_consent_token.as_deref(),
        &oro.buyer.access_token,
    )?;
    let result = v1::GetOrderReferenceDetailsResult::builder()
        .order_reference_details(order_reference_view(oro, token_valid)?)
        .build()?;
    Ok(v1::GetOrderReferenceDetailsResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}

pub fn set(
    ctx: &mut Ctx<'_>,
    r: v1::SetOrderReferenceDetailsRequest,
) -> SimResult<v1::SetOrderReferenceDetailsResponse> {
    let id = r.amazon_order_reference_id.as_str();
    let oro = status::order_reference(ctx, id)?;
    let state = &oro.details.order_reference_status.state;
    if *state != S::Draft {
        return Err(not_modifiable(id, state));
    }
    let a = r.order_reference_attributes;
    ctx.simulation(a.seller_note.as_deref(), NoteField::SellerNote)?;
    if let Some(oro) = ctx.state.order_reference_mut(id) {
        let d = &mut oro.details;
        d.order_total = Some(a.order_total);
        // The simulation constraint goes away when the note is overwritten (reference §6).
        d.seller_note = a.seller_note;
        if a.platform_id.is_some() {
            d.platform_id = a.platform_id;
        }
        if a.seller_order_attributes.is_some() {
            d.seller_order_attributes = a.seller_order_attributes;
        }
        if a.request_payment_authorization.is_some() {
            d.request_payment_authorization = a.request_payment_authorization;
        }
    }
    let result = v1::SetOrderReferenceDetailsResult::builder()
        .order_reference_details(view(ctx, id)?)
        .build()?;
    Ok(v1::SetOrderReferenceDetailsResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}

/// SetOrderAttributes: any field while Draft; once Open only the seller's own ids and notes,
/// never the amount.
pub fn set_attributes(
    ctx: &mut Ctx<'_>,
    r: v1::SetOrderAttributesRequest,
) -> SimResult<v1::SetOrderAttributesResponse> {
    let id = r.amazon_order_reference_id.as_str();
    let oro = status::order_reference(ctx, id)?;
    let state = oro.details.order_reference_status.state.clone();
    let a = r.order_attributes;
    match (&state, &a) {
        (S::Draft, _) => {}
        (S::Open, Some(a)) if a.order_total.is_none() => {}
        (S::Open, None) => {}
        _ => return Err(not_modifiable(id, &state)),
    }
    if let (Some(a), Some(oro)) = (a, ctx.state.order_reference_mut(id)) {
        let d = &mut oro.details;
        if a.order_total.is_some() {
            d.order_total = a.order_total;
        }
        if a.seller_note.is_some() {
            d.seller_note = a.seller_note;
        }
        if a.platform_id.is_some() {
            d.platform_id = a.platform_id;
        }
        if a.seller_order_attributes.is_some() {
            d.seller_order_attributes = a.seller_order_attributes;
        }
    }
    let result = v1::SetOrderAttributesResult::builder()
        .order_reference_details(view(ctx, id)?)
        .build()?;
    Ok(v1::SetOrderAttributesResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}

pub fn confirm(
    ctx: &mut Ctx<'_>,
    r: v1::ConfirmOrderReferenceRequest,
) -> SimResult<v1::ConfirmOrderReferenceResponse> {
    let id = r.amazon_order_reference_id.as_str();
    let oro = status::order_reference(ctx, id)?;
    let state = oro.details.order_reference_status.state.clone();
    match state {
        S::Draft => {
            let constraints = open_constraints(
                &oro.buyer,
                false,
                oro.details.order_total.is_none(),
                buyer_view::oro_method_not_allowed(oro),
            )?;
            if !constraints.is_empty() {
                return Err(buyer_view::constraints_error(
                    ErrorCode::ConstraintsExist,
                    &format!("The OrderReference {id}"),
                    &constraints,
                ));
            }
        }
        S::Open => {}
        S::Suspended if oro.buyer.payment_method == PaymentMethod::Valid => {}
        S::Suspended => {
            return Err(SimError::new(
                ErrorCode::PaymentMethodNotUpdated,
                format!("The buyer has not updated the payment method of {id}."),
            ));
        }
        other => {
            return Err(SimError::new(
                ErrorCode::InvalidOrderReferenceStatus,
                format!(
                    "OrderReference {id} is {} and cannot be confirmed.",
                    other.as_str()
                ),
            ));
        }
    }
    if state != S::Open {
        order_reference::open(ctx, id)?;
    }
    let result = v1::ConfirmOrderReferenceResult::builder().build()?;
    Ok(v1::ConfirmOrderReferenceResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}

pub fn cancel(
    ctx: &mut Ctx<'_>,
    r: v1::CancelOrderReferenceRequest,
) -> SimResult<v1::CancelOrderReferenceResponse> {
    let id = r.amazon_order_reference_id.as_str();
    let oro = status::order_reference(ctx, id)?;
    let state = oro.details.order_reference_status.state.clone();
    let auth_ids: Vec<String> = oro
        .details
        .id_list
        .as_ref()
        .map(|l| l.items.clone())
        .unwrap_or_default();
    let captured = auth_ids.iter().any(|a| {
        ctx.state
            .authorization(a)
            .and_then(|a| a.details.captured_amount.as_ref())
            .is_some_and(|m| m.minor_units() > 0)
    });
    match state {
        S::Canceled => {}
        S::Draft | S::Open | S::Suspended if !captured => {
            order_reference::cancel(ctx, id, r.cancelation_reason)?;
            authorization::close_with_order(ctx, &auth_ids)?;
        }
        other => {
            return Err(SimError::new(
                ErrorCode::InvalidCancelAttempt,
                format!(
                    "OrderReference {id} ({}) cannot be canceled{}.",
                    other.as_str(),
                    if captured {
                        ": funds were already captured"
                    } else {
                        ""
                    }
                ),
            ));
        }
    }
    let result = v1::CancelOrderReferenceResult::builder().build()?;
    Ok(v1::CancelOrderReferenceResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}

pub fn close(
    ctx: &mut Ctx<'_>,
    r: v1::CloseOrderReferenceRequest,
) -> SimResult<v1::CloseOrderReferenceResponse> {
    let id = r.amazon_order_reference_id.as_str();
    let oro = status::order_reference(ctx, id)?;
    let state = oro.details.order_reference_status.state.clone();
    let simulated = ctx.simulation(r.closure_reason.as_deref(), NoteField::ClosureReason)?;
    match state {
        S::Closed => {}
        S::Open | S::Suspended => {
            let (reason, description) = match simulated {
                Some(Simulation::AmazonClosed) => {
                    (v1::OrderReferenceReasonCode::AmazonClosed, None)
                }
                _ => (v1::OrderReferenceReasonCode::SellerClosed, r.closure_reason),
            };
            order_reference::close(ctx, id, reason, description)?;
        }
        other => {
            return Err(SimError::new(
                ErrorCode::InvalidCloseAttempt,
                format!(
                    "OrderReference {id} is {} and cannot be closed.",
                    other.as_str()
                ),
            ));
        }
    }
    let result = v1::CloseOrderReferenceResult::builder().build()?;
    Ok(v1::CloseOrderReferenceResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}
