//! Billing agreement operations (reference §3.A, §4.1; seed 003).

use amazon_pay_protocol::v1::{self, BillingAgreementState as S, ErrorCode};

use crate::sandbox::v1::amounts::{check_currency, check_timeout};
use crate::sandbox::v1::buyer_view::{self, billing_agreement_view, open_constraints};
use crate::sandbox::v1::ctx::Ctx;
use crate::sandbox::v1::error::{SimError, SimResult};
use crate::sandbox::v1::objects::authorization::{self, NewAuthorization};
use crate::sandbox::v1::objects::{billing_agreement, capture, order_reference};
use crate::sandbox::v1::records::{BuyerMessage, PaymentMethod};
use crate::sandbox::v1::simulation::{NoteField, Simulation};
use crate::sandbox::v1::status::{self, check_token};

fn details(ctx: &Ctx<'_>, id: &str, token_valid: bool) -> SimResult<v1::BillingAgreementDetails> {
    let ba = status::agreement(ctx, id)?;
    billing_agreement_view(ctx.state, ba, ctx.now, token_valid)
}

fn wrong_state(id: &str, state: &S, action: &str) -> SimError {
    SimError::new(
        ErrorCode::InvalidBillingAgreementStatus,
        format!(
            "The billing agreement {id} is in the {} state; {action} is not allowed in it.",
            state.as_str()
        ),
    )
}

pub fn get(
    ctx: &mut Ctx<'_>,
    r: v1::GetBillingAgreementDetailsRequest,
) -> SimResult<v1::GetBillingAgreementDetailsResponse> {
    let id = r.amazon_billing_agreement_id.as_str();
    let ba = status::agreement(ctx, id)?;
    let token_valid = check_token(
        r.access_token.as_deref(),
        r.address_consent_token.as_deref(),
        &ba.buyer.access_token,
    )?;
    let result = v1::GetBillingAgreementDetailsResult::builder()
        .billing_agreement_details(details(ctx, id, token_valid)?)
        .build()?;
    Ok(v1::GetBillingAgreementDetailsResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}

pub fn set(
    ctx: &mut Ctx<'_>,
    r: v1::SetBillingAgreementDetailsRequest,
) -> SimResult<v1::SetBillingAgreementDetailsResponse> {
    let id = r.amazon_billing_agreement_id.as_str();
    let ba = status::agreement(ctx, id)?;
    if ba.details.billing_agreement_status.state != S::Draft {
        return Err(SimError::new(
            ErrorCode::BillingAgreementNotModifiable,
            format!(
                "The billing agreement {id} is in the {} state and cannot be modified.",
                ba.details.billing_agreement_status.state.as_str()
            ),
        ));
    }
    let a = r.billing_agreement_attributes;
    ctx.simulation(a.seller_note.as_deref(), NoteField::SellerNote)?;
    let Some(ba) = ctx.state.billing_agreement_mut(id) else {
        return Err(SimError::internal("agreement vanished"));
    };
    let d = &mut ba.details;
    // Amazon keeps what was set before when a later call leaves a field out.
    if a.seller_note.is_some() {
        d.seller_note = a.seller_note;
    }
    if a.platform_id.is_some() {
        d.platform_id = a.platform_id;
    }
    if a.seller_billing_agreement_attributes.is_some() {
        d.seller_billing_agreement_attributes = a.seller_billing_agreement_attributes;
    }
    if a.billing_agreement_type.is_some() {
        d.billing_agreement_type = a.billing_agreement_type;
    }
    if a.subscription_amount.is_some() {
        d.subscription_amount = a.subscription_amount;
    }
    let result = v1::SetBillingAgreementDetailsResult::builder()
        .billing_agreement_details(details(ctx, id, false)?)
        .build()?;
    Ok(v1::SetBillingAgreementDetailsResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}

pub fn confirm(
    ctx: &mut Ctx<'_>,
    r: v1::ConfirmBillingAgreementRequest,
) -> SimResult<v1::ConfirmBillingAgreementResponse> {
    let id = r.amazon_billing_agreement_id.as_str();
    let ba = status::agreement(ctx, id)?;
    let state = ba.details.billing_agreement_status.state.clone();
    match state {
        S::Draft => {
            let constraints = open_constraints(
                &ba.buyer,
                true,
                false,
                buyer_view::ba_method_not_allowed(ba),
            )?;
            if !constraints.is_empty() {
                return Err(buyer_view::constraints_error(
                    ErrorCode::BillingAgreementConstraintsExist,
                    &format!("The billing agreement {id}"),
                    &constraints,
                ));
            }
            let email = ba.buyer.email.clone();
            billing_agreement::open(ctx, id)?;
            let at = ctx.now.to_document();
            ctx.state.tell_buyer(BuyerMessage {
                at,
                email,
                object_id: id.to_owned(),
                subject: "Your Amazon Pay billing agreement is active".to_owned(),
            });
        }
        S::Open => {}
        S::Suspended => {
            if ba.buyer.payment_method != PaymentMethod::Valid {
                return Err(SimError::new(
                    ErrorCode::PaymentMethodNotUpdated,
                    format!("The buyer has not updated the payment method of {id}."),
                ));
            }
            billing_agreement::open(ctx, id)?;
        }
        other => return Err(wrong_state(id, &other, "ConfirmBillingAgreement")),
    }
    let result = v1::ConfirmBillingAgreementResult::builder().build()?;
    Ok(v1::ConfirmBillingAgreementResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}

pub fn validate(
    ctx: &mut Ctx<'_>,
    r: v1::ValidateBillingAgreementRequest,
) -> SimResult<v1::ValidateBillingAgreementResponse> {
    let id = r.amazon_billing_agreement_id.as_str();
    let ba = status::agreement(ctx, id)?;
    let state = &ba.details.billing_agreement_status.state;
    if matches!(state, S::Closed | S::Canceled) {
        return Err(wrong_state(id, state, "ValidateBillingAgreement"));
    }
    let usable = *state != S::Suspended && ba.buyer.payment_method == PaymentMethod::Valid;
    let mut b = v1::ValidateBillingAgreementResult::builder()
        .billing_agreement_status(ba.details.billing_agreement_status.clone());
    b = if usable {
        b.validation_result(v1::ValidationResult::Success)
    } else {
        b.validation_result(v1::ValidationResult::Failure)
            .failure_reason_code("InvalidPaymentMethod")
    };
    Ok(v1::ValidateBillingAgreementResponse::new(
        b.build()?,
        ctx.request_id.clone(),
    ))
}

pub fn close(
    ctx: &mut Ctx<'_>,
    r: v1::CloseBillingAgreementRequest,
) -> SimResult<v1::CloseBillingAgreementResponse> {
    let id = r.amazon_billing_agreement_id.as_str();
    let ba = status::agreement(ctx, id)?;
    let state = ba.details.billing_agreement_status.state.clone();
    let simulated = ctx.simulation(r.closure_reason.as_deref(), NoteField::ClosureReason)?;
    match state {
        // Closing twice is a retry, not a mistake.
        S::Closed => {}
        S::Draft | S::Open | S::Suspended => {
            let (reason, description) = match simulated {
                Some(Simulation::AmazonClosed) => {
                    (v1::BillingAgreementReasonCode::AmazonClosed, None)
                }
                _ => (
                    v1::BillingAgreementReasonCode::SellerClosed,
                    r.closure_reason,
                ),
            };
            billing_agreement::close(ctx, id, reason, description)?;
        }
        other => {
            return Err(SimError::new(
                ErrorCode::InvalidCloseAttempt,
                format!(
                    "The billing agreement {id} is {} and cannot be closed.",
                    other.as_str()
                ),
            ));
        }
    }
    let result = v1::CloseBillingAgreementResult::builder().build()?;
    Ok(v1::CloseBillingAgreementResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}

pub fn create_order_reference(
    ctx: &mut Ctx<'_>,
    r: v1::CreateOrderReferenceForIdRequest,
) -> SimResult<v1::CreateOrderReferenceForIdResponse> {
    if r.id_type != v1::IdType::BillingAgreement {
        return Err(SimError::new(
            ErrorCode::InvalidParameterValue,
            format!(
                "IdType {} is not supported; only BillingAgreement is.",
                r.id_type.as_str()
            ),
        ));
    }
    let ba = status::agreement(ctx, &r.id)?;
    match &ba.details.billing_agreement_status.state {
        S::Draft if !ba.order_references.is_empty() => {
            return Err(SimError::new(
                ErrorCode::OrderReferenceCountExceeded,
                "The number of Order References that could be created on a DRAFT Billing \
                 Agreement has exceeded the maximum allowed limit of one Order Reference.",
            ));
        }
        S::Draft | S::Open => {}
        other => return Err(wrong_state(&r.id, other, "CreateOrderReferenceForId")),
    }
    let confirm_now = r.confirm_now == Some(true);
    if confirm_now && r.order_reference_attributes.is_none() {
        return Err(SimError::new(
            ErrorCode::MissingParameter,
            "OrderReferenceAttributes.OrderTotal is required when ConfirmNow is true.",
        ));
    }
    let state = if confirm_now {
        v1::OrderReferenceState::Open
    } else {
        v1::OrderReferenceState::Draft
    };
    let oro_id = order_reference::create_for_agreement(
        ctx,
        &r.id,
        r.order_reference_attributes,
        r.inherit_shipping_address != Some(false),
        state,
    )?;
    let oro = status::order_reference(ctx, &oro_id)?;
    let result = v1::CreateOrderReferenceForIdResult::builder()
        .order_reference_details(buyer_view::order_reference_view(oro, false)?)
        .build()?;
    Ok(v1::CreateOrderReferenceForIdResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}

pub fn authorize(
    ctx: &mut Ctx<'_>,
    r: v1::AuthorizeOnBillingAgreementRequest,
) -> SimResult<v1::AuthorizeOnBillingAgreementResponse> {
    let id = r.amazon_billing_agreement_id.as_str().to_owned();
    let reference = r.authorization_reference_id.as_str().to_owned();
    let simulation = ctx.simulation(
        r.seller_authorization_note.as_deref(),
        NoteField::Authorization,
    )?;
    let ba = status::agreement(ctx, &id)?;
    let region = ba.owner.region();
    if let Some(auth_id) = ctx.retry_of(
        "AuthorizationReferenceId",
        &reference,
        "AuthorizeOnBillingAgreement",
        &id,
    )? {
        let auth = status::authorization(ctx, &auth_id)?;
        let oro = auth.order_reference_id.clone();
        return respond(ctx, auth.details.clone(), oro);
    }
    let state = &ba.details.billing_agreement_status.state;
    if *state != S::Open {
        return Err(wrong_state(&id, state, "AuthorizeOnBillingAgreement"));
    }
    check_timeout(r.transaction_timeout)?;
    let amount = r.authorization_amount.clone();
    check_currency(&amount, region.currencies())?;
    billing_agreement::check_monthly_limit(ctx, &id, &amount)?;

    let attributes = {
        let mut b = v1::OrderReferenceAttributes::builder().order_total(amount.clone());
        if let Some(v) = r.seller_note.clone() {
            b = b.seller_note(v);
        }
        if let Some(v) = r.platform_id.clone() {
            b = b.platform_id(v);
        }
        if let Some(v) = r.seller_order_attributes.clone() {
            b = b.seller_order_attributes(v);
        }
        b.build()?
    };
    let oro_id = order_reference::create_for_agreement(
        ctx,
        &id,
        Some(attributes),
        r.inherit_shipping_address != Some(false),
        v1::OrderReferenceState::Open,
    )?;
    let auth_id = authorization::create(
        ctx,
        NewAuthorization {
            order_reference_id: oro_id.clone(),
            billing_agreement_id: Some(id.clone()),
            reference_id: reference.clone(),
            amount,
            note: r.seller_authorization_note,
            timeout: r.transaction_timeout,
            capture_now: r.capture_now == Some(true),
            soft_descriptor: r.soft_descriptor,
            simulation,
        },
        capture::capture_in_full,
    )?;
    order_reference::close_behind_authorization(ctx, &oro_id)?;
    ctx.record_reference(
        "AuthorizationReferenceId",
        &reference,
        "AuthorizeOnBillingAgreement",
        &id,
        &auth_id,
    );
    let auth = status::authorization(ctx, &auth_id)?;
    respond(ctx, auth.details.clone(), oro_id)
}

fn respond(
    ctx: &Ctx<'_>,
    details: v1::AuthorizationDetails,
    oro_id: String,
) -> SimResult<v1::AuthorizeOnBillingAgreementResponse> {
    let result = v1::AuthorizeOnBillingAgreementResult::builder()
        .authorization_details(details)
        .amazon_order_reference_id(oro_id)
        .build()?;
    Ok(v1::AuthorizeOnBillingAgreementResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}
