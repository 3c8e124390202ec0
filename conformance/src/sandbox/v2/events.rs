//! The v2 events that come due: pending authorizations and captures settle, refunds end,
//! sessions, authorizations and permissions expire.

use super::ctx::Ctx;
use super::objects::{charge, charge_permission, checkout_session, refund};
use super::records::Event;
use amazon_pay_protocol::v2::{ReasonCode, State};

pub fn run_due(ctx: &mut Ctx<'_>) {
    for event in ctx.state.schedule.take_due(ctx.now) {
        match event {
            Event::SettleAuthorization {
                charge_id,
                declines_with,
            } => charge::settle_authorization(ctx, &charge_id, declines_with.as_deref()),
            Event::SettleCapture { charge_id } => charge::settle_capture(ctx, &charge_id),
            Event::SettleRefund { refund_id } => refund::settle(ctx, &refund_id),
            Event::ExpireSession {
                checkout_session_id,
            } => checkout_session::expire(ctx, &checkout_session_id),
            Event::ExpireAuthorization { charge_id } => {
                charge::expire_authorization(ctx, &charge_id);
            }
            Event::ExpirePermission {
                charge_permission_id,
            } => {
                let open = ctx
                    .state
                    .permission(&charge_permission_id)
                    .and_then(charge_permission::state_of)
                    .is_some_and(|s| *s != State::Closed);
                if open {
                    charge_permission::set_state(
                        ctx,
                        &charge_permission_id,
                        State::Closed,
                        vec![ReasonCode::Expired],
                    );
                }
            }
        }
    }
}
