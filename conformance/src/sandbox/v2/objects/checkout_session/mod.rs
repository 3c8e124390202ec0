//! Checkout sessions (§3.2, §4.1): Open → Completed or Canceled (24 h expiry, buyer cancel,
//! decline). While Open, `constraints` list what is missing; once the merchant has set the
//! return URL and the payment details, the session carries `amazonPayRedirectUrl` and the
//! buyer acts on Amazon's pages (`buyer.rs` here, driven by `v2/buyer.rs`). Completing it makes
//! the charge permission (or repairs the one named in `chargePermissionId`) and, for Authorize
//! intents, the charge. `rules.rs` holds the documented combinations and the constraints.

mod buyer;
mod rules;

pub use buyer::{buyer_canceled, buyer_chose};
use rules::{authorizes, charge_amount, check, invalid, refresh, shipping_from};

use amazon_pay_protocol::Money;
use amazon_pay_protocol::v2::{
    ChargePermissionType, CheckoutSession, CheckoutSessionId, CreateCheckoutSessionRequest,
    ErrorCode, FinalizeCheckoutSessionRequest, PaymentDetails, PaymentIntent, ProductType,
    ReasonCode, State, UpdateCheckoutSessionRequest,
};

use crate::sandbox::v2::ctx::Ctx;
use crate::sandbox::v2::error::{ApiError, ApiResult};
use crate::sandbox::v2::limits;
use crate::sandbox::v2::objects::{charge, charge_permission};
use crate::sandbox::v2::records::{Event, SessionRecord};

pub fn get<'a>(ctx: &'a Ctx<'_>, id: &str) -> ApiResult<&'a SessionRecord> {
    ctx.state
        .session(id)
        .filter(|s| ctx.sees(&s.owner))
        .ok_or_else(|| ApiError::not_found("checkout session", id))
}

pub fn state_of(record: &SessionRecord) -> Option<&State> {
    record.document.status_details.as_ref()?.state.as_ref()
}

pub fn create(
    ctx: &mut Ctx<'_>,
    request: CreateCheckoutSessionRequest,
    store_id: &str,
) -> ApiResult<CheckoutSession> {
    let owner = ctx.asker()?;
    if request.store_id.as_str() != store_id {
        return Err(ApiError::new(
            ErrorCode::InvalidParameterValue,
            format!(
                "The storeId {} is not a store of this merchant.",
                request.store_id.as_str()
            ),
        ));
    }
    if let Some(permission_id) = &request.charge_permission_id {
        let permission = charge_permission::get(ctx, permission_id.as_str())?;
        if charge_permission::kind_of(permission) != ChargePermissionType::PaymentMethodOnFile {
            return Err(invalid(
                "chargePermissionId names a permission that is not a Saved Wallet.",
            ));
        }
        if charge_permission::state_of(permission) == Some(&State::Closed) {
            return Err(ApiError::new(
                ErrorCode::InvalidChargePermissionStatus,
                "A Closed charge permission cannot be updated; start a new setup.",
            ));
        }
    }
    let id = ctx.common.new_uuid();
    let mut session = CheckoutSession::default();
    session.checkout_session_id = Some(CheckoutSessionId::new(id.clone()));
    session.product_type = Some(if request.address_details.is_some() {
        ProductType::PayAndShip
    } else {
        ProductType::PayOnly
    });
    session.shipping_address = request.address_details.as_ref().map(shipping_from);
    session.web_checkout_details = Some(request.web_checkout_details);
    session.payment_details = request.payment_details;
    session.charge_permission_type = Some(
        request
            .charge_permission_type
            .unwrap_or(ChargePermissionType::OneTime),
    );
    session.recurring_metadata = request.recurring_metadata;
    session.payment_method_on_file_metadata = request.payment_method_on_file_metadata;
    session.merchant_metadata = request.merchant_metadata;
    session.supplementary_data = request.supplementary_data;
    session.multi_addresses_checkout_metadata = request.multi_addresses_checkout_metadata;
    session.platform_id = request.platform_id;
    session.charge_permission_id = request.charge_permission_id;
    session.store_id = Some(request.store_id);
    session.provider_metadata = request.provider_metadata;
    session.delivery_specifications = request.delivery_specifications;
    session.status_details = Some(ctx.status(State::Open, None));
    session.creation_timestamp = Some(ctx.now);
    session.expiration_timestamp = Some(ctx.later(limits::SESSION_LIFETIME));
    session.release_environment = Some(ctx.release_environment());
    check(ctx, &session)?;
    let mut record = SessionRecord {
        owner,
        document: session,
        buyer: None,
        simulation: None,
    };
    refresh(ctx, &mut record);
    let answer = record.document.clone();
    ctx.state.insert_session(id.clone(), record);
    ctx.schedule(
        limits::SESSION_LIFETIME,
        Event::ExpireSession {
            checkout_session_id: id,
        },
    );
    Ok(answer)
}

fn require_open(record: &SessionRecord, id: &str) -> ApiResult<()> {
    match state_of(record) {
        Some(State::Open) => Ok(()),
        Some(State::Canceled) => Err(ApiError::new(
            ErrorCode::CheckoutSessionCanceled,
            format!("The checkout session {id} was canceled; start a new checkout."),
        )),
        _ => Err(ApiError::new(
            ErrorCode::InvalidCheckoutSessionStatus,
            format!("The checkout session {id} is not Open."),
        )),
    }
}

/// The codes a checkout session takes (§6.2), sent on Update or on Complete.
fn check_session_code(code: &str) -> ApiResult<()> {
    match code {
        "BuyerCanceled" | "Declined" | "AmazonCanceled" | "AuthorizationInitiated" => Ok(()),
        other => Err(ApiError::new(
            ErrorCode::InvalidSandboxSimulationSpecified,
            format!("The simulation code {other} does not fit a checkout session."),
        )),
    }
}

pub fn update(
    ctx: &mut Ctx<'_>,
    request: UpdateCheckoutSessionRequest,
) -> ApiResult<CheckoutSession> {
    let id = request.checkout_session_id.as_str().to_owned();
    let record = get(ctx, &id)?;
    require_open(record, &id)?;
    if let Some(code) = ctx.simulation.as_deref() {
        check_session_code(code)?;
    }
    let mut record = record.clone();
    let session = &mut record.document;
    if let Some(details) = request.web_checkout_details {
        session.web_checkout_details = Some(details);
    }
    if let Some(payment) = request.payment_details {
        session.payment_details = Some(merge_payment(session.payment_details.take(), payment));
    }
    macro_rules! replace {
        ($($field:ident),*) => {$(
            if request.$field.is_some() {
                session.$field = request.$field;
            }
        )*};
    }
    replace!(
        merchant_metadata,
        supplementary_data,
        platform_id,
        provider_metadata,
        charge_permission_type,
        recurring_metadata,
        multi_addresses_checkout_metadata
    );
    check(ctx, session)?;
    if ctx.simulation.is_some() {
        record.simulation = ctx.simulation.clone();
    }
    refresh(ctx, &mut record);
    let answer = record.document.clone();
    ctx.state.insert_session(id, record);
    Ok(answer)
}

/// Update's payment details replace the members they set and keep the others.
fn merge_payment(before: Option<PaymentDetails>, update: PaymentDetails) -> PaymentDetails {
    let Some(mut merged) = before else {
        return update;
    };
    macro_rules! take {
        ($($field:ident),*) => {$(
            if update.$field.is_some() {
                merged.$field = update.$field;
            }
        )*};
    }
    take!(
        payment_intent,
        can_handle_pending_authorization,
        charge_amount,
        total_order_amount,
        presentment_currency,
        allow_overcharge,
        extend_expiration,
        soft_descriptor,
        estimate_order_total
    );
    merged
}

/// Completes an Open session whose buyer has acted. Returns the session and whether an
/// authorization is still pending (answered 202).
pub fn complete(
    ctx: &mut Ctx<'_>,
    id: &str,
    amount: Option<Money>,
) -> ApiResult<(CheckoutSession, bool)> {
    let record = get(ctx, id)?.clone();
    require_open(&record, id)?;
    let code = ctx.simulation.clone().or_else(|| record.simulation.clone());
    if let Some(code) = &code {
        check_session_code(code)?;
        if let Some(reason) = match code.as_str() {
            "BuyerCanceled" => Some(ReasonCode::BuyerCanceled),
            "Declined" => Some(ReasonCode::Declined),
            "AmazonCanceled" => Some(ReasonCode::AmazonCanceled),
            _ => None,
        } {
            let status = ctx.status(State::Canceled, Some(reason));
            if let Some(record) = ctx.state.session_mut(id) {
                record.document.status_details = Some(status);
                record.document.constraints = None;
            }
            return Err(ApiError::new(
                ErrorCode::CheckoutSessionCanceled,
                format!("The checkout session {id} was canceled (simulation {code})."),
            ));
        }
    }
    if let Some(constraints) = &record.document.constraints {
        let ids: Vec<&str> = constraints
            .items
            .iter()
            .filter_map(|c| c.constraint_id.as_ref().map(|i| i.as_str()))
            .collect();
        return Err(ApiError::new(
            ErrorCode::InvalidCheckoutSessionStatus,
            format!(
                "The checkout session {id} has constraints: {}.",
                ids.join(", ")
            ),
        ));
    }
    let session = &record.document;
    let expected = charge_amount(session);
    match (expected, &amount) {
        (Some(expected), Some(given)) if expected != given => {
            return Err(ApiError::new(
                ErrorCode::AmountMismatch,
                format!("chargeAmount {given} differs from the session's {expected}."),
            ));
        }
        (Some(_), None) if authorizes(session) => {
            return Err(ApiError::new(
                ErrorCode::MissingParameterValue,
                "chargeAmount is required to complete this checkout session.",
            ));
        }
        (None, Some(given)) => {
            return Err(ApiError::new(
                ErrorCode::AmountMismatch,
                format!("The checkout session charges nothing, but chargeAmount is {given}."),
            ));
        }
        _ => {}
    }
    let buyer = record
        .buyer
        .clone()
        .ok_or_else(|| ApiError::internal("a session without constraints has a buyer"))?;
    let permission_id = match &session.charge_permission_id {
        Some(existing) => {
            charge_permission::repair(ctx, existing.as_str(), &buyer.card)?;
            existing.as_str().to_owned()
        }
        None => charge_permission::create(ctx, session, &record.owner, &buyer),
    };
    let mut charge_id = None;
    let mut pending = false;
    if authorizes(session) {
        let payment = session.payment_details.clone().unwrap_or_default();
        let new = charge::NewCharge {
            amount: payment.charge_amount,
            capture_now: payment.payment_intent == Some(PaymentIntent::AuthorizeWithCapture),
            can_handle_pending: payment.can_handle_pending_authorization == Some(true),
            soft_descriptor: payment.soft_descriptor,
            merchant_metadata: session.merchant_metadata.clone(),
            provider_metadata: session.provider_metadata.clone(),
            platform_id: session.platform_id.clone(),
            ..Default::default()
        };
        // A checkout's code keeps the authorization pending; Create Charge reads it too.
        ctx.simulation = code.filter(|c| c == "AuthorizationInitiated");
        let (id, is_pending) = charge::create(ctx, &permission_id, new)?;
        charge_id = Some(id);
        pending = is_pending;
    }
    let status = ctx.status(State::Completed, None);
    let Some(stored) = ctx.state.session_mut(id) else {
        return Err(ApiError::not_found("checkout session", id));
    };
    stored.document.status_details = Some(status);
    stored.document.charge_permission_id = Some(permission_id.into());
    stored.document.charge_id = charge_id.map(Into::into);
    stored.document.constraints = None;
    Ok((stored.document.clone(), pending))
}

/// Finalize (the JavaScript integrations, §3.2): the payment details and addresses it carries
/// are set on the session, which then completes as Complete would. When it cannot complete,
/// the session is left as it was.
pub fn finalize(
    ctx: &mut Ctx<'_>,
    request: FinalizeCheckoutSessionRequest,
) -> ApiResult<(CheckoutSession, bool)> {
    let id = request.checkout_session_id.as_str().to_owned();
    let before = get(ctx, &id)?.clone();
    require_open(&before, &id)?;
    let mut record = before.clone();
    let mut payment = PaymentDetails::default();
    payment.payment_intent = request.payment_intent;
    payment.can_handle_pending_authorization = request.can_handle_pending_authorization;
    payment.charge_amount = request.charge_amount.clone();
    payment.total_order_amount = request.total_order_amount;
    let session = &mut record.document;
    session.payment_details = Some(merge_payment(session.payment_details.take(), payment));
    if request.supplementary_data.is_some() {
        session.supplementary_data = request.supplementary_data;
    }
    if request.shipping_address.is_some() {
        session.shipping_address = request.shipping_address;
    }
    if request.billing_address.is_some() {
        session.billing_address = request.billing_address;
    }
    check(ctx, &record.document)?;
    refresh(ctx, &mut record);
    ctx.state.insert_session(id.clone(), record);
    let completed = complete(ctx, &id, request.charge_amount);
    // A simulated cancel stands; any other refusal leaves the session as it was.
    if let Err(e) = &completed
        && e.code != ErrorCode::CheckoutSessionCanceled
    {
        ctx.state.insert_session(id, before);
    }
    completed
}

/// An Open session not completed within 24 hours is canceled.
pub fn expire(ctx: &mut Ctx<'_>, id: &str) {
    let open = ctx.state.session(id).and_then(state_of) == Some(&State::Open);
    if !open {
        return;
    }
    let status = ctx.status(State::Canceled, Some(ReasonCode::Expired));
    if let Some(record) = ctx.state.session_mut(id) {
        record.document.status_details = Some(status);
        record.document.constraints = None;
    }
}
