//! Charges (§4.3): AuthorizationInitiated → Authorized → CaptureInitiated → Captured, or
//! Declined or Canceled before the capture. An authorization expires after 30 days. A
//! synchronous decline is an error answer with the decline reason; an asynchronous one (the
//! pending simulated card 4354) ends Declined/HardDeclined, and a hard decline makes the
//! permission NonChargeable until the buyer updates the payment method. `paths.rs` decides
//! how an authorization goes, `settle.rs` what happens later.

mod paths;
mod settle;

use paths::{Path, card_path, decline, simulated_path};
pub use settle::{expire_authorization, settle_authorization, settle_capture};

use amazon_pay_protocol::Money;
use amazon_pay_protocol::v2::{
    Channel, Charge, ChargeId, ChargeInitiator, ChargePermissionType, ErrorCode, MerchantMetadata,
    ProviderMetadata, ReasonCode, State, WebCheckoutDetails,
};

use super::charge_permission;
use crate::sandbox::monthly;
use crate::sandbox::v2::ctx::{Ctx, ObjectType};
use crate::sandbox::v2::error::{ApiError, ApiResult};
use crate::sandbox::v2::limits;
use crate::sandbox::v2::records::{ChargeRecord, Event};

/// What a new charge asks for.
#[derive(Debug, Clone, Default)]
pub struct NewCharge {
    pub amount: Option<Money>,
    pub capture_now: bool,
    pub can_handle_pending: bool,
    pub soft_descriptor: Option<String>,
    pub merchant_metadata: Option<MerchantMetadata>,
    pub provider_metadata: Option<ProviderMetadata>,
    pub platform_id: Option<String>,
    pub charge_initiator: Option<ChargeInitiator>,
    pub channel: Option<Channel>,
    pub web_checkout_details: Option<WebCheckoutDetails>,
}

pub fn get<'a>(ctx: &'a Ctx<'_>, id: &str) -> ApiResult<&'a ChargeRecord> {
    ctx.state
        .charge(id)
        .filter(|c| ctx.sees(&c.owner))
        .ok_or_else(|| ApiError::not_found("charge", id))
}

pub fn state_of(record: &ChargeRecord) -> Option<&State> {
    record.document.status_details.as_ref()?.state.as_ref()
}

/// Not yet captured, declined or canceled.
pub fn cancelable(record: &ChargeRecord) -> bool {
    matches!(
        state_of(record),
        Some(State::AuthorizationInitiated | State::Authorized)
    )
}

/// The amount charged on a permission this calendar month (UTC), declined and canceled
/// charges left out.
fn charged_this_month(ctx: &Ctx<'_>, permission_id: &str) -> i64 {
    ctx.state
        .charged_in_month(permission_id, monthly::month_of(ctx.now))
}

/// Checks the amount against the region's currencies, the single-charge maximum, a OneTime
/// permission's balance and a Saved Wallet's monthly limit.
fn check_amount(ctx: &Ctx<'_>, permission_id: &str, amount: &Money) -> ApiResult<()> {
    let currency = amount.currency();
    limits::check_charge(ctx.region, amount)?;
    let permission = charge_permission::get(ctx, permission_id)?;
    let balance = permission
        .document
        .limits
        .as_ref()
        .and_then(|l| l.amount_balance.as_ref());
    if let Some(balance) = balance {
        limits::check_within(balance, 0, amount, "charge permission's balance")?;
    }
    if charge_permission::kind_of(permission) == ChargePermissionType::PaymentMethodOnFile
        && let Some(cap) = limits::saved_wallet_monthly(currency)
        && charged_this_month(ctx, permission_id) + amount.minor_units() > cap.minor_units()
    {
        return Err(ApiError::new(
            ErrorCode::PeriodicAmountExceeded,
            format!("The charge exceeds the maximum monthly charge amount allowed ({cap})."),
        ));
    }
    Ok(())
}

/// Authorizes on a Chargeable permission. Returns the charge id and whether it is still
/// pending (AuthorizationInitiated: 202 from Complete Checkout Session).
pub fn create(ctx: &mut Ctx<'_>, permission_id: &str, new: NewCharge) -> ApiResult<(String, bool)> {
    let permission = charge_permission::get(ctx, permission_id)?;
    if charge_permission::state_of(permission) != Some(&State::Chargeable) {
        return Err(ApiError::new(
            ErrorCode::InvalidChargePermissionStatus,
            format!("The charge permission {permission_id} is not Chargeable."),
        ));
    }
    let owner = permission.owner.clone();
    let card = permission.card.clone();
    let amount = new.amount.clone().ok_or_else(|| {
        ApiError::new(
            ErrorCode::MissingParameterValue,
            "chargeAmount is required.",
        )
    })?;
    if new.soft_descriptor.is_some() && !new.capture_now {
        return Err(ApiError::new(
            ErrorCode::InvalidParameterCombination,
            "softDescriptor can only be set with captureNow true.",
        ));
    }
    check_amount(ctx, permission_id, &amount)?;
    if ctx.simulation.as_deref() == Some("HardDeclined") {
        // A hard decline leaves the permission waiting for the buyer's new payment method.
        charge_permission::set_state(
            ctx,
            permission_id,
            State::NonChargeable,
            vec![ReasonCode::PaymentMethodInvalid],
        );
    }
    let path = match simulated_path(ctx, &new)? {
        Some(path) => path,
        None => card_path(&card, &new)?,
    };
    let id = ctx.common.new_child_id(permission_id, 'C');
    let (state, pending) = match (&path, new.capture_now) {
        (Path::Pending { .. }, _) => (State::AuthorizationInitiated, true),
        (Path::CaptureInitiated, _) => (State::CaptureInitiated, false),
        (Path::Now, true) => (State::Captured, false),
        (Path::Now, false) => (State::Authorized, false),
    };
    let mut document = Charge::default();
    document.charge_id = Some(ChargeId::new(id.clone()));
    document.charge_permission_id = Some(permission_id.into());
    document.charge_amount = Some(amount.clone());
    document.capture_amount = (state == State::Captured).then(|| amount.clone());
    document.soft_descriptor = new.soft_descriptor;
    document.merchant_metadata = new.merchant_metadata;
    document.provider_metadata = new.provider_metadata;
    document.platform_id = new.platform_id;
    document.capture_now = Some(new.capture_now);
    document.can_handle_pending_authorization = Some(new.can_handle_pending);
    document.charge_initiator = new.charge_initiator;
    document.channel = new.channel;
    document.status_details = Some(ctx.status(state.clone(), None));
    document.creation_timestamp = Some(ctx.now);
    document.expiration_timestamp = Some(ctx.later(limits::AUTHORIZATION_LIFETIME));
    document.release_environment = Some(ctx.release_environment());
    document.web_checkout_details = new.web_checkout_details;
    ctx.state.insert_charge(
        id.clone(),
        ChargeRecord {
            owner: owner.clone(),
            document,
        },
    );
    spend_balance(ctx, permission_id, &amount);
    match path {
        Path::Pending { declines_with } => ctx.schedule(
            limits::PENDING_AUTHORIZATION,
            Event::SettleAuthorization {
                charge_id: id.clone(),
                declines_with,
            },
        ),
        Path::CaptureInitiated => ctx.schedule(
            ctx.settle_after,
            Event::SettleCapture {
                charge_id: id.clone(),
            },
        ),
        Path::Now if state == State::Authorized => ctx.schedule(
            limits::AUTHORIZATION_LIFETIME,
            Event::ExpireAuthorization {
                charge_id: id.clone(),
            },
        ),
        Path::Now => {}
    }
    ctx.notify(ObjectType::Charge, &id, permission_id, &owner);
    Ok((id, pending))
}

/// A OneTime permission's balance shrinks by what is charged. The permission is taken mutably
/// only when it has a balance to spend: that marks its row to be written again, and a
/// Recurring or PaymentMethodOnFile permission (no limits) would otherwise be re-encoded and
/// rewritten, unchanged, with every charge made on it.
fn spend_balance(ctx: &mut Ctx<'_>, permission_id: &str, amount: &Money) {
    let left = ctx
        .state
        .permission(permission_id)
        .and_then(|p| p.document.limits.as_ref()?.amount_balance.as_ref())
        .and_then(|balance| balance.checked_sub(amount));
    let Some(left) = left else {
        return;
    };
    if let Some(limits) = ctx
        .state
        .permission_mut(permission_id)
        .and_then(|p| p.document.limits.as_mut())
    {
        limits.amount_balance = Some(left);
    }
}

/// Moves a charge to `state` (with `reason`), and tells the merchant.
fn set_state(ctx: &mut Ctx<'_>, id: &str, state: State, reason: Option<ReasonCode>) {
    let status = ctx.status(state, reason);
    let changed = ctx.state.update_charge(id, |record| {
        record.document.status_details = Some(status);
        (record.owner.clone(), record.permission_id().to_owned())
    });
    if let Some((owner, permission_id)) = changed {
        ctx.notify(ObjectType::Charge, id, &permission_id, &owner);
    }
}

/// Captures an Authorized charge, up to its amount.
pub fn capture(
    ctx: &mut Ctx<'_>,
    id: &str,
    amount: &Money,
    soft_descriptor: Option<String>,
) -> ApiResult<()> {
    let charge = get(ctx, id)?;
    if state_of(charge) != Some(&State::Authorized) {
        return Err(ApiError::new(
            ErrorCode::InvalidChargeStatus,
            format!("The charge {id} is not Authorized."),
        ));
    }
    if let Some(authorized) = &charge.document.charge_amount {
        limits::check_within(authorized, 0, amount, "authorized amount")?;
    }
    let pending = match ctx.simulation.as_deref() {
        None => false,
        Some("CaptureInitiated") => true,
        Some("AmazonRejected") => {
            return Err(decline(
                ErrorCode::AmazonRejected,
                "simulated AmazonRejected",
            ));
        }
        Some("ProcessingFailure") => {
            return Err(decline(
                ErrorCode::ProcessingFailure,
                "simulated ProcessingFailure",
            ));
        }
        Some(code) => {
            return Err(ApiError::new(
                ErrorCode::InvalidSandboxSimulationSpecified,
                format!("The simulation code {code} does not fit Capture Charge."),
            ));
        }
    };
    ctx.state.update_charge(id, |record| {
        record.document.capture_amount = Some(amount.clone());
        if soft_descriptor.is_some() {
            record.document.soft_descriptor = soft_descriptor;
        }
    });
    if pending {
        set_state(ctx, id, State::CaptureInitiated, None);
        ctx.schedule(
            ctx.settle_after,
            Event::SettleCapture {
                charge_id: id.to_owned(),
            },
        );
    } else {
        set_state(ctx, id, State::Captured, None);
    }
    Ok(())
}

/// Cancels a charge not yet captured.
pub fn cancel(ctx: &mut Ctx<'_>, id: &str) -> ApiResult<()> {
    let charge = get(ctx, id)?;
    if !cancelable(charge) {
        return Err(ApiError::new(
            ErrorCode::InvalidChargeStatus,
            format!("The charge {id} cannot be canceled in its state."),
        ));
    }
    mark_canceled(ctx, id, ReasonCode::MerchantCanceled);
    Ok(())
}

pub fn mark_canceled(ctx: &mut Ctx<'_>, id: &str, reason: ReasonCode) {
    set_state(ctx, id, State::Canceled, Some(reason));
}

/// Cancels every charge of a permission not yet captured (Close with `cancelPendingCharges`).
pub fn cancel_pending(ctx: &mut Ctx<'_>, permission_id: &str) {
    let pending: Vec<String> = ctx
        .state
        .charges_of(permission_id)
        .filter(|c| cancelable(c))
        .filter_map(|c| c.document.charge_id.as_ref().map(|i| i.as_str().to_owned()))
        .collect();
    for id in pending {
        mark_canceled(ctx, &id, ReasonCode::ChargePermissionCanceled);
    }
}

#[cfg(test)]
mod tests {
    use amazon_pay_protocol::v2::{ChargePermission, Limits};

    use super::*;
    use crate::sandbox::common::Common;
    use crate::sandbox::v2::records::{Owner, PermissionRecord};
    use crate::sandbox::v2::state::{PERMISSION, State as World};

    /// A state holding one permission, with `limits`, under `P1`.
    fn with_permission(limits: Option<Limits>) -> World {
        let mut document = ChargePermission::default();
        document.limits = limits;
        let mut state = World::default();
        state.insert_permission(
            "P1".into(),
            PermissionRecord {
                owner: Owner {
                    merchant_id: "M".into(),
                    sandbox: true,
                },
                document,
                card: "0000".into(),
            },
        );
        state.forget_changes();
        state
    }

    /// Spends `yen` on P1 and returns the kinds of the rows that are to be written.
    fn spend(state: &mut World, yen: i64) -> Vec<&'static str> {
        let mut common = Common::default();
        let mut notices = Vec::new();
        let mut ctx = Ctx {
            state,
            common: &mut common,
            now: amazon_pay_protocol::Timestamp::parse("2026-12-02T00:00:00Z").unwrap(),
            owner: None,
            region: None,
            simulation: None,
            settle_after: 0,
            notices: &mut notices,
        };
        spend_balance(&mut ctx, "P1", &Money::jpy(yen).unwrap());
        ctx.state
            .changes()
            .into_iter()
            .map(|row| row.kind)
            .collect()
    }

    #[test]
    fn a_balance_is_spent_and_written_and_a_permission_without_one_is_not_rewritten() {
        let mut limits = Limits::default();
        limits.amount_limit = Some(Money::jpy(5000).unwrap());
        limits.amount_balance = Some(Money::jpy(5000).unwrap());
        let mut one_time = with_permission(Some(limits));
        assert_eq!(spend(&mut one_time, 1200), [PERMISSION]);
        let balance = |state: &World| {
            let limits = state.permission("P1").unwrap().document.limits.as_ref();
            limits.unwrap().amount_balance.clone()
        };
        assert_eq!(balance(&one_time), Some(Money::jpy(3800).unwrap()));

        // Recurring and PaymentMethodOnFile permissions have no limits: nothing changes, so
        // nothing is written again.
        let mut recurring = with_permission(None);
        assert!(spend(&mut recurring, 1200).is_empty());
        assert!(
            recurring
                .permission("P1")
                .unwrap()
                .document
                .limits
                .is_none()
        );
    }
}
