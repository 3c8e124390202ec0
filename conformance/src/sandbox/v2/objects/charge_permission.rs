//! Charge permissions (§4.2): Chargeable, NonChargeable with its reasons, Closed. A Saved
//! Wallet (PaymentMethodOnFile) never expires, OneTime closes after 180 days, Recurring after
//! 13 months; a hard decline makes a Saved Wallet NonChargeable until the buyer updates the
//! payment method.

use amazon_pay_protocol::v2::ErrorCode;
use amazon_pay_protocol::v2::{
    ChargePermission, ChargePermissionId, ChargePermissionStatusDetails, ChargePermissionType,
    CheckoutSession, Limits, PaymentPreference, Reason, ReasonCode, State,
};

use crate::sandbox::v2::ctx::{Ctx, ObjectType, describe};
use crate::sandbox::v2::error::{ApiError, ApiResult};
use crate::sandbox::v2::limits;
use crate::sandbox::v2::records::{BuyerChoice, Event, Owner, PermissionRecord};

/// The permission of `id` the asker may see.
pub fn get<'a>(ctx: &'a Ctx<'_>, id: &str) -> ApiResult<&'a PermissionRecord> {
    ctx.state
        .permission(id)
        .filter(|p| ctx.sees(&p.owner))
        .ok_or_else(|| ApiError::not_found("charge permission", id))
}

pub fn state_of(record: &PermissionRecord) -> Option<&State> {
    record.document.status_details.as_ref()?.state.as_ref()
}

pub fn kind_of(record: &PermissionRecord) -> ChargePermissionType {
    record
        .document
        .charge_permission_type
        .clone()
        .unwrap_or(ChargePermissionType::OneTime)
}

/// The payment descriptor of a simulated card, as the buyer's wallet shows it.
pub fn descriptor(card: &str) -> PaymentPreference {
    let mut preference = PaymentPreference::default();
    preference.payment_descriptor = Some(format!("Visa ****{card}"));
    preference
}

fn status(ctx: &Ctx<'_>, state: State, reasons: Vec<ReasonCode>) -> ChargePermissionStatusDetails {
    let mut details = ChargePermissionStatusDetails::default();
    details.state = Some(state);
    details.reasons = (!reasons.is_empty()).then(|| {
        reasons
            .into_iter()
            .map(|code| {
                let mut reason = Reason::default();
                reason.reason_description = Some(describe(&code).to_owned());
                reason.reason_code = Some(code);
                reason
            })
            .collect::<Vec<_>>()
            .into()
    });
    details.last_updated_timestamp = Some(ctx.now);
    details
}

/// The permission a completed checkout session makes: Chargeable, or NonChargeable with
/// MFAFailed when the buyer failed the EU authentication step.
pub fn create(
    ctx: &mut Ctx<'_>,
    session: &CheckoutSession,
    owner: &Owner,
    buyer: &BuyerChoice,
) -> String {
    let id = ctx.new_permission_id();
    let kind = session
        .charge_permission_type
        .clone()
        .unwrap_or(ChargePermissionType::OneTime);
    let lifetime = match kind {
        ChargePermissionType::PaymentMethodOnFile => None,
        ChargePermissionType::Recurring => Some(limits::RECURRING_LIFETIME),
        _ => Some(limits::ONE_TIME_LIFETIME),
    };
    let mut document = ChargePermission::default();
    document.charge_permission_id = Some(ChargePermissionId::new(id.clone()));
    document.charge_permission_reference_id = session
        .merchant_metadata
        .as_ref()
        .and_then(|m| m.merchant_reference_id.clone());
    document.platform_id = session.platform_id.clone();
    document.buyer = session.buyer.clone();
    document.shipping_address = session.shipping_address.clone();
    document.billing_address = session.billing_address.clone();
    document.payment_preferences = Some(vec![descriptor(&buyer.card)].into());
    document.status_details = Some(if buyer.authenticated {
        status(ctx, State::Chargeable, Vec::new())
    } else {
        status(ctx, State::NonChargeable, vec![ReasonCode::MFAFailed])
    });
    document.creation_timestamp = Some(ctx.now);
    document.expiration_timestamp = lifetime.map(|s| ctx.later(s));
    document.merchant_metadata = session.merchant_metadata.clone();
    document.release_environment = Some(ctx.release_environment());
    let amount = session
        .payment_details
        .as_ref()
        .and_then(|p| p.charge_amount.clone());
    if kind == ChargePermissionType::OneTime {
        document.limits = amount.clone().map(|amount| {
            let mut limits = Limits::default();
            limits.amount_limit = Some(amount.clone());
            limits.amount_balance = Some(amount);
            limits
        });
    }
    document.presentment_currency = session
        .payment_details
        .as_ref()
        .and_then(|p| p.presentment_currency.clone());
    document.charge_permission_type = Some(kind);
    document.recurring_metadata = session.recurring_metadata.clone();
    document.payment_method_on_file_metadata = session.payment_method_on_file_metadata.clone();
    ctx.state.insert_permission(
        id.clone(),
        PermissionRecord {
            owner: owner.clone(),
            document,
            card: buyer.card.clone(),
        },
    );
    if let Some(seconds) = lifetime {
        ctx.schedule(
            seconds,
            Event::ExpirePermission {
                charge_permission_id: id.clone(),
            },
        );
    }
    ctx.notify(ObjectType::ChargePermission, &id, &id, owner);
    id
}

/// Moves a permission to `state` with `reasons`, and tells the merchant.
pub fn set_state(ctx: &mut Ctx<'_>, id: &str, state: State, reasons: Vec<ReasonCode>) {
    let details = status(ctx, state, reasons);
    let Some(record) = ctx.state.permission_mut(id) else {
        return;
    };
    record.document.status_details = Some(details);
    let owner = record.owner.clone();
    ctx.notify(ObjectType::ChargePermission, id, id, &owner);
}

/// The buyer chose a new payment method on the hosted Update page (or in a setup-only checkout
/// against this permission): NonChargeable becomes Chargeable. A Closed permission cannot be
/// repaired (§4.2).
pub fn repair(ctx: &mut Ctx<'_>, id: &str, card: &str) -> ApiResult<()> {
    let record = get(ctx, id)?;
    if state_of(record) == Some(&State::Closed) {
        return Err(ApiError::new(
            ErrorCode::InvalidChargePermissionStatus,
            format!(
                "The charge permission {id} is Closed and cannot be updated; start a new setup."
            ),
        ));
    }
    if let Some(record) = ctx.state.permission_mut(id) {
        record.card = card.to_owned();
        record.document.payment_preferences = Some(vec![descriptor(card)].into());
    }
    set_state(ctx, id, State::Chargeable, Vec::new());
    Ok(())
}

/// Closes a permission with `reason` (the caller cancels its pending charges first when
/// asked to: `charge::cancel_pending`).
pub fn close(ctx: &mut Ctx<'_>, id: &str, reason: ReasonCode) -> ApiResult<()> {
    let record = get(ctx, id)?;
    if state_of(record) == Some(&State::Closed) {
        return Err(ApiError::new(
            ErrorCode::InvalidChargePermissionStatus,
            format!("The charge permission {id} is already Closed."),
        ));
    }
    set_state(ctx, id, State::Closed, vec![reason]);
    Ok(())
}
