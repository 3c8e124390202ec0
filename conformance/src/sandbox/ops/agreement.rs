//! Billing agreement operations (reference §3.A, §4.1; seed 003).

use amazon_pay_protocol::Money;
use amazon_pay_protocol::v1::{self, BillingAgreementState as S, ErrorCode};

use super::buyer_view::{self, billing_agreement_view, month_window, open_constraints};
use super::payment::{self, NewAuthorization};
use super::status::{self, agreement_status, check_token, order_status};
use super::{Ctx, Notice, Reuse, check_reference, record_reference};
use crate::sandbox::error::{SimError, SimResult};
use crate::sandbox::simulation::{NoteField, Simulation};
use crate::sandbox::world::{BuyerMessage, OrderReference};

fn details(ctx: &Ctx<'_>, id: &str, token_valid: bool) -> SimResult<v1::BillingAgreementDetails> {
    let ba = status::agreement(ctx, id)?;
    billing_agreement_view(ctx.world, ba, ctx.now, token_valid)
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
    let Some(ba) = ctx.world.billing_agreement_mut(id) else {
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
            open(ctx, id)?;
            let at = ctx.now.to_document();
            ctx.world.tell_buyer(BuyerMessage {
                at,
                email,
                object_id: id.to_owned(),
                subject: "Your Amazon Pay billing agreement is active".to_owned(),
            });
        }
        S::Open => {}
        S::Suspended => {
            if ba.buyer.payment_method != crate::sandbox::world::PaymentMethod::Valid {
                return Err(SimError::new(
                    ErrorCode::PaymentMethodNotUpdated,
                    format!("The buyer has not updated the payment method of {id}."),
                ));
            }
            open(ctx, id)?;
        }
        other => return Err(wrong_state(id, &other, "ConfirmBillingAgreement")),
    }
    let result = v1::ConfirmBillingAgreementResult::builder().build()?;
    Ok(v1::ConfirmBillingAgreementResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}

/// Draft or Suspended → Open, with the seller's IPN.
pub(super) fn open(ctx: &mut Ctx<'_>, id: &str) -> SimResult<()> {
    let status = agreement_status(S::Open, None, None, ctx.now)?;
    if let Some(ba) = ctx.world.billing_agreement_mut(id) {
        ba.details.billing_agreement_status = status;
    }
    ctx.notices.push(Notice::BillingAgreement {
        id: id.to_owned(),
        event_type: "BillingAgreementStatusUpdated",
    });
    Ok(())
}

/// Open → Suspended/InvalidPaymentMethod after a decline.
pub(super) fn suspend(ctx: &mut Ctx<'_>, id: &str) -> SimResult<()> {
    let status = agreement_status(
        S::Suspended,
        Some(v1::BillingAgreementReasonCode::InvalidPaymentMethod),
        Some("The payment method was declined; the buyer must update it.".to_owned()),
        ctx.now,
    )?;
    if let Some(ba) = ctx.world.billing_agreement_mut(id) {
        ba.details.billing_agreement_status = status;
    }
    ctx.notices.push(Notice::BillingAgreement {
        id: id.to_owned(),
        event_type: "BillingAgreementStatusUpdated",
    });
    Ok(())
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
    let usable = *state != S::Suspended
        && ba.buyer.payment_method == crate::sandbox::world::PaymentMethod::Valid;
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
            let status = agreement_status(S::Closed, Some(reason), description, ctx.now)?;
            if let Some(ba) = ctx.world.billing_agreement_mut(id) {
                ba.details.billing_agreement_status = status;
            }
            ctx.notices.push(Notice::BillingAgreement {
                id: id.to_owned(),
                event_type: "BillingAgreementStatusUpdated",
            });
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

/// Creates the order reference of an agreement (AuthorizeOnBillingAgreement and
/// CreateOrderReferenceForId), inheriting the buyer and, unless told not to, the address.
fn new_order_reference(
    ctx: &mut Ctx<'_>,
    agreement_id: &str,
    attributes: Option<v1::OrderReferenceAttributes>,
    inherit_address: bool,
    state: v1::OrderReferenceState,
) -> SimResult<String> {
    let ba = status::agreement(ctx, agreement_id)?;
    let mut buyer = ba.buyer.clone();
    if !inherit_address {
        buyer.address = None;
    }
    let owner = ba.owner.clone();
    let prefix = if ctx.sandbox { "S01" } else { "P01" };
    let oro_id = ctx.world.new_root_id(prefix);
    let expires = super::events::order_reference_expiry(ctx, &oro_id);
    let mut b = v1::OrderReferenceDetails::builder()
        .amazon_order_reference_id(oro_id.as_str())
        .order_reference_status(order_status(state, None, None, ctx.now)?)
        .creation_timestamp(ctx.now)
        .expiration_timestamp(expires)
        .release_environment(release_environment(ctx))
        .parent_details(
            v1::ParentDetails::builder()
                .id(agreement_id)
                .r#type(v1::ParentType::BillingAgreement)
                .build()?,
        );
    if let Some(a) = attributes {
        b = b.order_total(a.order_total);
        if let Some(v) = a.seller_note {
            b = b.seller_note(v);
        }
        if let Some(v) = a.platform_id {
            b = b.platform_id(v);
        }
        if let Some(v) = a.seller_order_attributes {
            b = b.seller_order_attributes(v);
        }
    }
    let details = b.build()?;
    ctx.world.insert_order_reference(
        oro_id.clone(),
        OrderReference {
            owner,
            buyer,
            details,
        },
    );
    if let Some(ba) = ctx.world.billing_agreement_mut(agreement_id) {
        ba.order_references.push(oro_id.clone());
    }
    Ok(oro_id)
}

pub(super) fn release_environment(ctx: &Ctx<'_>) -> v1::ReleaseEnvironment {
    if ctx.sandbox {
        v1::ReleaseEnvironment::Sandbox
    } else {
        v1::ReleaseEnvironment::Live
    }
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
    let oro_id = new_order_reference(
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
    if let Reuse::Retry(auth_id) = check_reference(
        ctx,
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
    payment::check_timeout(r.transaction_timeout)?;
    let amount = r.authorization_amount.clone();
    payment::check_currency(&amount, region.currencies())?;
    check_monthly_limit(ctx, &id, &amount)?;

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
    let oro_id = new_order_reference(
        ctx,
        &id,
        Some(attributes),
        r.inherit_shipping_address != Some(false),
        v1::OrderReferenceState::Open,
    )?;
    let auth_id = payment::create_authorization(
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
    )?;
    // The order reference exists for this one authorization and closes behind it (reference
    // §3.A); MaxAuthorizationsProcessed is the reason the SDK fixtures show for that.
    let closed = order_status(
        v1::OrderReferenceState::Closed,
        Some(v1::OrderReferenceReasonCode::MaxAuthorizationsProcessed),
        None,
        ctx.now,
    )?;
    if let Some(oro) = ctx.world.order_reference_mut(&oro_id) {
        if oro.details.order_reference_status.state == v1::OrderReferenceState::Open {
            oro.details.order_reference_status = closed;
        }
    }
    record_reference(
        ctx,
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

/// Seed 003 and reference §3.A: the sum authorized in the calendar month may not pass the
/// region's limit; going over is a 400 error, not a Declined authorization.
fn check_monthly_limit(ctx: &Ctx<'_>, id: &str, amount: &Money) -> SimResult<()> {
    let ba = status::agreement(ctx, id)?;
    let Some(limit) = ba.owner.region().billing_agreement_monthly_limit() else {
        return Ok(());
    };
    let (start, end) = month_window(ctx.now);
    let used = ctx.world.authorized_on_agreement(id, start, end);
    if used + amount.minor_units() <= limit.minor_units() {
        return Ok(());
    }
    let text = |minor: i64| {
        Money::from_minor(minor, limit.currency().clone())
            .map(|m| m.amount_text())
            .unwrap_or_else(|_| minor.to_string())
    };
    Err(SimError::new(
        ErrorCode::PeriodicAmountExceeded,
        format!(
            "BillingAgreement {id} has already been authorized for amount {} in time period \
             i.e. {} - {}. A new authorization with amount {} cannot be accepted as the total \
             authorization amount cannot exceed {} {}.",
            text(used),
            start.to_wire(),
            end.to_wire(),
            amount.amount_text(),
            limit.amount_text(),
            limit.currency().as_str(),
        ),
    ))
}
