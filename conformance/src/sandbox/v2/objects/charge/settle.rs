//! What happens to a charge later on its own: a pending authorization ends (Authorized, or
//! Declined and, when hard, the permission NonChargeable), a pending capture ends Captured, an
//! authorization not captured within 30 days is canceled.

use amazon_pay_protocol::v2::{ReasonCode, State};

use super::{set_state, state_of};
use crate::sandbox::v2::ctx::Ctx;
use crate::sandbox::v2::limits;
use crate::sandbox::v2::objects::charge_permission;
use crate::sandbox::v2::records::Event;

/// A pending authorization ends (§6.1: after about 30 seconds).
pub fn settle_authorization(ctx: &mut Ctx<'_>, id: &str, declines_with: Option<&str>) {
    let Some(charge) = ctx.state.charge(id) else {
        return;
    };
    if state_of(charge) != Some(&State::AuthorizationInitiated) {
        return;
    }
    let capture_now = charge.document.capture_now == Some(true);
    let amount = charge.document.charge_amount.clone();
    let permission_id = charge.permission_id().to_owned();
    match declines_with {
        Some(reason) => {
            let reason = ReasonCode::parse(reason);
            let hard = reason == ReasonCode::HardDeclined;
            set_state(ctx, id, State::Declined, Some(reason));
            if hard {
                charge_permission::set_state(
                    ctx,
                    &permission_id,
                    State::NonChargeable,
                    vec![ReasonCode::PaymentMethodInvalid],
                );
            }
        }
        None if capture_now => {
            ctx.state
                .update_charge(id, |record| record.document.capture_amount = amount);
            set_state(ctx, id, State::Captured, None);
        }
        None => {
            set_state(ctx, id, State::Authorized, None);
            ctx.schedule(
                limits::AUTHORIZATION_LIFETIME,
                Event::ExpireAuthorization {
                    charge_id: id.to_owned(),
                },
            );
        }
    }
}

pub fn settle_capture(ctx: &mut Ctx<'_>, id: &str) {
    let settles = ctx.state.update_charge(id, |record| {
        if state_of(record) != Some(&State::CaptureInitiated) {
            return false;
        }
        if record.document.capture_amount.is_none() {
            record.document.capture_amount = record.document.charge_amount.clone();
        }
        true
    });
    if settles == Some(true) {
        set_state(ctx, id, State::Captured, None);
    }
}

/// An authorization not captured within 30 days is canceled (ExpiredUnused).
pub fn expire_authorization(ctx: &mut Ctx<'_>, id: &str) {
    if ctx.state.charge(id).and_then(state_of) == Some(&State::Authorized) {
        set_state(ctx, id, State::Canceled, Some(ReasonCode::ExpiredUnused));
    }
}
