//! Authorizations, captures and refunds (reference §3.C, §4.3–4.5, §6).

use amazon_pay_protocol::Money;
use amazon_pay_protocol::v1::{self, AuthorizationState as A, ErrorCode, OrderReferenceState as O};

use super::agreement;
use super::status::{self, authorization_status, capture_status, push_id, refund_status};
use super::{Ctx, Notice, Reuse, check_reference, record_reference};
use crate::sandbox::error::{SimError, SimResult};
use crate::sandbox::simulation::{NoteField, Simulation};
use crate::sandbox::world::{
    Authorization, Capture, Charge, Event, OrderReference, Outcome, PaymentMethod, Refund, World,
};

/// At most this many authorizations per order reference [doc "Terminology"].
const MAX_AUTHORIZATIONS: usize = 25;
/// At most this many refunds per capture (reference §4.4, MaxRefundsProcessed).
const MAX_REFUNDS: usize = 10;

/// TransactionTimeout: 0 or a multiple of 5 minutes, at most 1440.
pub fn check_timeout(timeout: Option<i64>) -> SimResult<()> {
    match timeout {
        None => Ok(()),
        Some(t) if (0..=1440).contains(&t) && t % 5 == 0 => Ok(()),
        Some(t) => Err(SimError::new(
            ErrorCode::InvalidParameterValue,
            format!("TransactionTimeout {t} is invalid: use 0 or a multiple of 5 up to 1440."),
        )),
    }
}

pub fn check_currency(amount: &Money, allowed: &[&str]) -> SimResult<()> {
    if allowed.contains(&amount.currency().as_str()) {
        return Ok(());
    }
    Err(SimError::new(
        ErrorCode::CurrencyMismatch,
        format!(
            "The currency {} is not the currency of this object ({}).",
            amount.currency().as_str(),
            allowed.join(", ")
        ),
    ))
}

pub struct NewAuthorization {
    pub order_reference_id: String,
    pub billing_agreement_id: Option<String>,
    pub reference_id: String,
    pub amount: Money,
    pub note: Option<String>,
    pub timeout: Option<i64>,
    pub capture_now: bool,
    pub soft_descriptor: Option<String>,
    pub simulation: Option<Simulation>,
}

fn outcome(simulation: Option<&Simulation>, method: PaymentMethod) -> Outcome {
    match simulation {
        Some(Simulation::DeclineInvalidPaymentMethod {
            update_after_minutes,
            soft,
        }) => Outcome::Declined {
            reason: "InvalidPaymentMethod".into(),
            soft: *soft,
            update_after_minutes: *update_after_minutes,
        },
        Some(Simulation::DeclineAmazonRejected) => Outcome::Declined {
            reason: "AmazonRejected".into(),
            soft: false,
            update_after_minutes: None,
        },
        Some(Simulation::DeclineTransactionTimedOut) => Outcome::Declined {
            reason: "TransactionTimedOut".into(),
            soft: false,
            update_after_minutes: None,
        },
        Some(Simulation::ExpireUnused { after_minutes }) => Outcome::ExpireUnused {
            after_minutes: *after_minutes,
        },
        Some(Simulation::AmazonClosed) => Outcome::AmazonClosed,
        _ if method != PaymentMethod::Valid => Outcome::Declined {
            reason: "InvalidPaymentMethod".into(),
            soft: false,
            update_after_minutes: None,
        },
        _ => Outcome::Open,
    }
}

/// Creates an authorization; synchronous ones (TransactionTimeout=0) reach their final state
/// now, the others are Pending until `Timing::settle_after` has passed.
pub fn create_authorization(ctx: &mut Ctx<'_>, n: NewAuthorization) -> SimResult<String> {
    let oro = status::order_reference(ctx, &n.order_reference_id)?;
    let owner = oro.owner.clone();
    let target = outcome(n.simulation.as_ref(), oro.buyer.payment_method);
    let auth_id = ctx.world.new_child_id(&n.order_reference_id, 'A');
    // Authorizations may be captured for 30 days, 2 in the sandbox (reference §4.3).
    let validity_days = if ctx.sandbox { 2 } else { 30 };
    let mut b = v1::AuthorizationDetails::builder()
        .amazon_authorization_id(auth_id.as_str())
        .authorization_reference_id(n.reference_id.as_str())
        .authorization_amount(n.amount.clone())
        .captured_amount(
            Money::from_minor(0, n.amount.currency().clone()).map_err(SimError::internal)?,
        )
        .authorization_fee(
            Money::from_minor(0, n.amount.currency().clone()).map_err(SimError::internal)?,
        )
        .creation_timestamp(ctx.now)
        .expiration_timestamp(ctx.later(validity_days * 24 * 3600))
        .authorization_status(authorization_status(A::Pending, None, ctx.now)?)
        .capture_now(n.capture_now);
    if let Some(v) = n.note {
        b = b.seller_authorization_note(v);
    }
    if let Some(v) = n.soft_descriptor {
        b = b.soft_descriptor(v);
    }
    let details = b.build()?;
    ctx.world.insert_authorization(
        auth_id.clone(),
        Authorization {
            owner,
            order_reference_id: n.order_reference_id.clone(),
            billing_agreement_id: n.billing_agreement_id.clone(),
            details,
            pending: Some(target),
        },
    );
    if let Some(oro) = ctx.world.order_reference_mut(&n.order_reference_id) {
        push_id(&mut oro.details.id_list, &auth_id);
    }
    if let Some(ba) = n
        .billing_agreement_id
        .as_deref()
        .and_then(|id| ctx.world.billing_agreement_mut(id))
    {
        ba.charges.push(Charge {
            authorization_id: auth_id.clone(),
            at: ctx.now.unix(),
            amount_minor: n.amount.minor_units(),
            declined: false,
        });
    }
    let synchronous = n.timeout == Some(0);
    if synchronous {
        settle_authorization(ctx, &auth_id, true)?;
    } else {
        let at = ctx.later(ctx.timing.settle_after);
        ctx.world
            .schedule(at, Event::SettleAuthorization(auth_id.clone()));
        ctx.notices.push(Notice::Authorization(auth_id.clone()));
    }
    let expires = ctx.later(validity_days * 24 * 3600);
    ctx.world
        .schedule(expires, Event::ExpireAuthorization(auth_id.clone()));
    Ok(auth_id)
}

/// A Pending authorization reaches the state it was headed for, with the consequences for its
/// order reference and billing agreement (reference §4.3 declines).
pub fn settle_authorization(ctx: &mut Ctx<'_>, auth_id: &str, synchronous: bool) -> SimResult<()> {
    let Some(auth) = ctx.world.authorization(auth_id) else {
        return Ok(());
    };
    let Some(target) = auth.pending.clone() else {
        return Ok(());
    };
    let oro_id = auth.order_reference_id.clone();
    let ba_id = auth.billing_agreement_id.clone();
    let capture_now = auth.details.capture_now == Some(true);
    let now = ctx.now;
    let (state, reason) = match &target {
        Outcome::Open | Outcome::ExpireUnused { .. } => (A::Open, None),
        Outcome::Declined { reason, .. } => (
            A::Declined,
            Some(v1::AuthorizationReasonCode::parse(reason)),
        ),
        Outcome::AmazonClosed => (A::Closed, Some(v1::AuthorizationReasonCode::AmazonClosed)),
    };
    let new_status = authorization_status(state, reason, now)?;
    if let Some(auth) = ctx.world.authorization_mut(auth_id) {
        auth.pending = None;
        auth.details.authorization_status = new_status;
        if let Outcome::Declined { soft, .. } = &target {
            auth.details.soft_decline = Some(*soft);
        }
    }
    if let (Outcome::Declined { .. }, Some(ba)) = (
        &target,
        ba_id
            .as_deref()
            .and_then(|id| ctx.world.billing_agreement_mut(id)),
    ) {
        if let Some(charge) = ba
            .charges
            .iter_mut()
            .rev()
            .find(|c| c.authorization_id == auth_id)
        {
            charge.declined = true;
        }
    }
    ctx.notices.push(Notice::Authorization(auth_id.to_owned()));
    match target {
        Outcome::Open => {
            if capture_now {
                capture_in_full(ctx, auth_id)?;
            }
        }
        Outcome::ExpireUnused { after_minutes } => {
            let at = ctx.later(after_minutes * 60);
            ctx.world
                .schedule(at, Event::ExpireAuthorization(auth_id.to_owned()));
        }
        Outcome::AmazonClosed => {}
        Outcome::Declined {
            reason,
            update_after_minutes,
            ..
        } => match reason.as_str() {
            "InvalidPaymentMethod" => {
                let parent = match &ba_id {
                    Some(ba) => {
                        agreement::suspend(ctx, ba)?;
                        ba.clone()
                    }
                    None => {
                        status::move_order_reference(
                            ctx,
                            &oro_id,
                            &[O::Open],
                            O::Suspended,
                            v1::OrderReferenceReasonCode::InvalidPaymentMethod,
                        )?;
                        oro_id.clone()
                    }
                };
                // The sandbox reopens the agreement only for asynchronous authorizations
                // (reference §6); an order reference reopens either way.
                let reopens = !synchronous || ba_id.is_none();
                if let (Some(minutes), true) = (update_after_minutes, reopens) {
                    let at = ctx.later(minutes * 60);
                    ctx.world
                        .schedule(at, Event::BuyerUpdatesPaymentMethod(parent));
                }
            }
            "AmazonRejected" => status::move_order_reference(
                ctx,
                &oro_id,
                &[O::Open, O::Suspended],
                O::Closed,
                v1::OrderReferenceReasonCode::AmazonClosed,
            )?,
            _ => {}
        },
    }
    Ok(())
}

/// An authorization already checked to be the caller's (or reached by a scheduled event,
/// which has no caller).
fn stored_authorization<'a>(ctx: &'a Ctx<'_>, id: &str) -> SimResult<&'a Authorization> {
    ctx.world
        .authorization(id)
        .ok_or_else(|| SimError::internal(format!("authorization {id} vanished")))
}

/// CaptureNow: the whole authorized amount, captured as soon as the authorization is Open.
fn capture_in_full(ctx: &mut Ctx<'_>, auth_id: &str) -> SimResult<()> {
    let auth = stored_authorization(ctx, auth_id)?;
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
    let descriptor = auth.details.soft_descriptor.clone();
    new_capture(ctx, auth_id, &reference, amount, None, descriptor, None)?;
    Ok(())
}

pub fn authorize(ctx: &mut Ctx<'_>, r: v1::AuthorizeRequest) -> SimResult<v1::AuthorizeResponse> {
    let oro_id = r.amazon_order_reference_id.as_str().to_owned();
    let reference = r.authorization_reference_id.as_str().to_owned();
    let simulation = ctx.simulation(
        r.seller_authorization_note.as_deref(),
        NoteField::Authorization,
    )?;
    let oro = status::order_reference(ctx, &oro_id)?;
    if let Reuse::Retry(auth_id) = check_reference(
        ctx,
        "AuthorizationReferenceId",
        &reference,
        "Authorize",
        &oro_id,
    )? {
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
    let auths: Vec<&Authorization> = ctx
        .world
        .authorizations
        .values()
        .filter(|a| a.order_reference_id == oro_id)
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
    let auth_id = create_authorization(
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
    )?;
    record_reference(
        ctx,
        "AuthorizationReferenceId",
        &reference,
        "Authorize",
        &oro_id,
        &auth_id,
    );
    authorize_response(ctx, &auth_id)
}

fn text(minor: i64, like: &Money) -> String {
    Money::from_minor(minor, like.currency().clone())
        .map(|m| m.amount_text())
        .unwrap_or_else(|_| minor.to_string())
}

/// The lesser of 15 % and 75 units (JPY 8,400) of an amount, in minor units: how far
/// authorizations and captures may go above the order total, and refunds above the captured
/// amount (reference §3.C, §4.2, §4.4).
fn allowance_above(amount: &Money) -> i64 {
    let fifteen_percent = amount.minor_units() * 15 / 100;
    let cap = if amount.currency().as_str() == "JPY" {
        8_400
    } else {
        75 * 10_i64.pow(amount.currency().decimals())
    };
    fifteen_percent.min(cap)
}

fn authorize_response(ctx: &Ctx<'_>, auth_id: &str) -> SimResult<v1::AuthorizeResponse> {
    let auth = status::authorization(ctx, auth_id)?;
    let result = v1::AuthorizeResult::builder()
        .authorization_details(auth.details.clone())
        .build()?;
    Ok(v1::AuthorizeResponse::new(result, ctx.request_id.clone()))
}

pub fn get_authorization(
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

pub fn close_authorization(
    ctx: &mut Ctx<'_>,
    r: v1::CloseAuthorizationRequest,
) -> SimResult<v1::CloseAuthorizationResponse> {
    let id = r.amazon_authorization_id.as_str();
    let auth = status::authorization(ctx, id)?;
    match &auth.details.authorization_status.state {
        A::Closed => {}
        A::Open | A::Pending => {
            let status = authorization_status(
                A::Closed,
                Some(v1::AuthorizationReasonCode::SellerClosed),
                ctx.now,
            )?;
            if let Some(auth) = ctx.world.authorization_mut(id) {
                auth.pending = None;
                auth.details.authorization_status = status;
                auth.details.authorization_status.reason_description = r.closure_reason;
            }
            ctx.notices.push(Notice::Authorization(id.to_owned()));
        }
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

pub fn capture(ctx: &mut Ctx<'_>, r: v1::CaptureRequest) -> SimResult<v1::CaptureResponse> {
    let auth_id = r.amazon_authorization_id.as_str().to_owned();
    let reference = r.capture_reference_id.as_str().to_owned();
    let simulation = ctx.simulation(r.seller_capture_note.as_deref(), NoteField::Capture)?;
    let auth = status::authorization(ctx, &auth_id)?;
    if let Reuse::Retry(capture_id) =
        check_reference(ctx, "CaptureReferenceId", &reference, "Capture", &auth_id)?
    {
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
    let capture_id = new_capture(
        ctx,
        &auth_id,
        &reference,
        r.capture_amount,
        r.seller_capture_note,
        r.soft_descriptor,
        simulation,
    )?;
    record_reference(
        ctx,
        "CaptureReferenceId",
        &reference,
        "Capture",
        &auth_id,
        &capture_id,
    );
    capture_response(ctx, &capture_id)
}

/// Creates a capture on an Open authorization and closes the authorization behind it (one
/// capture per authorization, `MaxCapturesProcessed`), unless the capture was declined.
fn new_capture(
    ctx: &mut Ctx<'_>,
    auth_id: &str,
    reference: &str,
    amount: Money,
    note: Option<String>,
    descriptor: Option<String>,
    simulation: Option<Simulation>,
) -> SimResult<String> {
    let auth = stored_authorization(ctx, auth_id)?;
    let owner = auth.owner.clone();
    let base = auth_id
        .rsplit_once('-')
        .map_or(auth_id, |(b, _)| b)
        .to_owned();
    let capture_id = ctx.world.new_child_id(&base, 'C');
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
    let mut b = v1::CaptureDetails::builder()
        .amazon_capture_id(capture_id.as_str())
        .capture_reference_id(reference)
        .capture_amount(amount.clone())
        .refunded_amount(zero.clone())
        .capture_fee(zero)
        .creation_timestamp(ctx.now)
        .capture_status(capture_status(state, reason, ctx.now)?);
    if let Some(v) = note {
        b = b.seller_capture_note(v);
    }
    if let Some(v) = descriptor {
        b = b.soft_descriptor(v);
    }
    let details = b.build()?;
    ctx.world.insert_capture(
        capture_id.clone(),
        Capture {
            owner,
            authorization_id: auth_id.to_owned(),
            details,
        },
    );
    ctx.notices.push(Notice::Capture(capture_id.clone()));
    if pending {
        let at = ctx.later(ctx.timing.settle_after);
        ctx.world
            .schedule(at, Event::SettleCapture(capture_id.clone()));
    }
    if !declined {
        let closed = authorization_status(
            A::Closed,
            Some(v1::AuthorizationReasonCode::MaxCapturesProcessed),
            ctx.now,
        )?;
        if let Some(auth) = ctx.world.authorization_mut(auth_id) {
            auth.details.captured_amount = Some(amount);
            auth.details.authorization_status = closed;
            push_id(&mut auth.details.id_list, &capture_id);
        }
        ctx.notices.push(Notice::Authorization(auth_id.to_owned()));
    }
    if completed {
        close_fully_charged_order(ctx, &capture_id)?;
    }
    Ok(capture_id)
}

/// The captures made on an order reference's authorizations, through their IdLists.
fn captures_of<'a>(world: &'a World, oro: &'a OrderReference) -> impl Iterator<Item = &'a Capture> {
    status::listed(&oro.details.id_list)
        .filter_map(|id| world.authorization(id))
        .flat_map(|a| status::listed(&a.details.id_list))
        .filter_map(|id| world.capture(id))
}

/// The refunds issued on a capture, through its IdList.
fn refunds_of<'a>(world: &'a World, capture: &'a Capture) -> impl Iterator<Item = &'a Refund> {
    status::listed(&capture.details.id_list).filter_map(|id| world.refund(id))
}

/// An Open order reference whose captures reach the order total plus the allowance closes
/// (MaxAmountCharged, reference §4.2). Runs when a capture completes.
fn close_fully_charged_order(ctx: &mut Ctx<'_>, capture_id: &str) -> SimResult<()> {
    let world = &ctx.world;
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
    status::move_order_reference(
        ctx,
        &oro_id,
        &[O::Open],
        O::Closed,
        v1::OrderReferenceReasonCode::MaxAmountCharged,
    )
}

fn capture_response(ctx: &Ctx<'_>, capture_id: &str) -> SimResult<v1::CaptureResponse> {
    let capture = status::capture(ctx, capture_id)?;
    let result = v1::CaptureResult::builder()
        .capture_details(capture.details.clone())
        .build()?;
    Ok(v1::CaptureResponse::new(result, ctx.request_id.clone()))
}

pub fn get_capture(
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

pub fn refund(ctx: &mut Ctx<'_>, r: v1::RefundRequest) -> SimResult<v1::RefundResponse> {
    let capture_id = r.amazon_capture_id.as_str().to_owned();
    let reference = r.refund_reference_id.as_str().to_owned();
    let simulation = ctx.simulation(r.seller_refund_note.as_deref(), NoteField::Refund)?;
    let capture = status::capture(ctx, &capture_id)?;
    if let Reuse::Retry(refund_id) =
        check_reference(ctx, "RefundReferenceId", &reference, "Refund", &capture_id)?
    {
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
    let refunds: Vec<&Refund> = refunds_of(ctx.world, capture).collect();
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
    let owner = capture.owner.clone();
    let base = capture_id
        .rsplit_once('-')
        .map_or(capture_id.as_str(), |(b, _)| b)
        .to_owned();
    let refund_id = ctx.world.new_child_id(&base, 'R');
    let zero = Money::from_minor(0, captured.currency().clone()).map_err(SimError::internal)?;
    let mut b = v1::RefundDetails::builder()
        .amazon_refund_id(refund_id.as_str())
        .refund_reference_id(reference.as_str())
        .refund_type(v1::RefundType::SellerInitiated)
        .refund_amount(r.refund_amount)
        .fee_refunded(zero)
        .creation_timestamp(ctx.now)
        .refund_status(refund_status(v1::RefundState::Pending, None, ctx.now)?);
    if let Some(v) = r.seller_refund_note {
        b = b.seller_refund_note(v);
    }
    if let Some(v) = r.soft_descriptor {
        b = b.soft_descriptor(v);
    }
    ctx.world.insert_refund(
        refund_id.clone(),
        Refund {
            owner,
            capture_id: capture_id.clone(),
            details: b.build()?,
            declines: simulation == Some(Simulation::Rejected),
        },
    );
    if let Some(capture) = ctx.world.capture_mut(&capture_id) {
        push_id(&mut capture.details.id_list, &refund_id);
    }
    let at = ctx.later(ctx.timing.settle_after);
    ctx.world
        .schedule(at, Event::SettleRefund(refund_id.clone()));
    ctx.notices.push(Notice::Refund(refund_id.clone()));
    record_reference(
        ctx,
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

pub fn get_refund(
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

/// A Pending capture completes.
pub fn settle_capture(ctx: &mut Ctx<'_>, id: &str) -> SimResult<()> {
    let status = capture_status(v1::CaptureState::Completed, None, ctx.now)?;
    let Some(capture) = ctx.world.capture_mut(id) else {
        return Ok(());
    };
    if capture.details.capture_status.state == v1::CaptureState::Pending {
        capture.details.capture_status = status;
        ctx.notices.push(Notice::Capture(id.to_owned()));
        close_fully_charged_order(ctx, id)?;
    }
    Ok(())
}

/// A Pending refund completes, or is declined as its simulation asked; a completed refund adds
/// to the capture's RefundedAmount.
pub fn settle_refund(ctx: &mut Ctx<'_>, id: &str) -> SimResult<()> {
    let Some(refund) = ctx.world.refund(id) else {
        return Ok(());
    };
    if refund.details.refund_status.state != v1::RefundState::Pending {
        return Ok(());
    }
    let declines = refund.declines;
    let capture_id = refund.capture_id.clone();
    let amount = refund.details.refund_amount.clone();
    let status = if declines {
        refund_status(
            v1::RefundState::Declined,
            Some(v1::RefundReasonCode::AmazonRejected),
            ctx.now,
        )?
    } else {
        refund_status(v1::RefundState::Completed, None, ctx.now)?
    };
    if let Some(refund) = ctx.world.refund_mut(id) {
        refund.details.refund_status = status;
    }
    if let (false, Some(amount)) = (declines, amount) {
        if let Some(capture) = ctx.world.capture_mut(&capture_id) {
            let sum = capture
                .details
                .refunded_amount
                .as_ref()
                .and_then(|r| r.checked_add(&amount))
                .unwrap_or(amount);
            capture.details.refunded_amount = Some(sum);
        }
        close_spent_capture(ctx, &capture_id)?;
    }
    ctx.notices.push(Notice::Refund(id.to_owned()));
    Ok(())
}

/// A Completed capture closes once its completed refunds reach the captured amount plus the
/// allowance (MaxAmountRefunded) or number ten (MaxRefundsProcessed), reference §4.4.
fn close_spent_capture(ctx: &mut Ctx<'_>, capture_id: &str) -> SimResult<()> {
    // Events run with no seller, so the world is read directly (no ownership check).
    let Some(capture) = ctx.world.capture(capture_id) else {
        return Ok(());
    };
    if capture.details.capture_status.state != v1::CaptureState::Completed {
        return Ok(());
    }
    let Some(captured) = &capture.details.capture_amount else {
        return Ok(());
    };
    let refunded = capture
        .details
        .refunded_amount
        .as_ref()
        .map_or(0, Money::minor_units);
    let completed = refunds_of(ctx.world, capture)
        .filter(|f| f.details.refund_status.state == v1::RefundState::Completed)
        .count();
    let reason = if refunded >= captured.minor_units() + allowance_above(captured) {
        v1::CaptureReasonCode::MaxAmountRefunded
    } else if completed >= MAX_REFUNDS {
        v1::CaptureReasonCode::MaxRefundsProcessed
    } else {
        return Ok(());
    };
    let closed = capture_status(v1::CaptureState::Closed, Some(reason), ctx.now)?;
    if let Some(capture) = ctx.world.capture_mut(capture_id) {
        capture.details.capture_status = closed;
    }
    ctx.notices.push(Notice::Capture(capture_id.to_owned()));
    Ok(())
}

/// An Open authorization that was never captured closes (ExpiredUnused).
pub fn expire_authorization(ctx: &mut Ctx<'_>, id: &str) -> SimResult<()> {
    let status = authorization_status(
        A::Closed,
        Some(v1::AuthorizationReasonCode::ExpiredUnused),
        ctx.now,
    )?;
    let Some(auth) = ctx.world.authorization_mut(id) else {
        return Ok(());
    };
    if auth.details.authorization_status.state == A::Open {
        auth.details.authorization_status = status;
        ctx.notices.push(Notice::Authorization(id.to_owned()));
    }
    Ok(())
}
