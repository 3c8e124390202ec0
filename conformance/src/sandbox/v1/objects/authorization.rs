//! The authorization's state machine (reference §4.3, §6): Pending → Open → Closed, or
//! Declined, with what a decline does to its order reference or billing agreement. It may
//! change the objects below it (order reference, billing agreement) and never the captures
//! and refunds above: when a settled authorization is to be captured at once (CaptureNow) it
//! says so, and the caller captures.

use amazon_pay_protocol::Money;
use amazon_pay_protocol::v1::{self, AuthorizationState as A, OrderReferenceState as O};

use super::{billing_agreement, order_reference};
use crate::sandbox::v1::ctx::{Ctx, Notice};
use crate::sandbox::v1::error::{SimError, SimResult};
use crate::sandbox::v1::records::{
    AuthorizationRecord, Event, LedgerEntry, Outcome, PaymentMethod,
};
use crate::sandbox::v1::simulation::Simulation;
use crate::sandbox::v1::status::{self, authorization_status, push_id};

/// At most this many authorizations per order reference [doc "Terminology"].
pub const MAX_AUTHORIZATIONS: usize = 25;

/// What a new authorization is made of.
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

/// How the caller captures an authorization in full (CaptureNow): captures sit above
/// authorizations, so the authorization cannot name them.
pub type CaptureInFull = fn(&mut Ctx<'_>, &str) -> SimResult<()>;

/// The agreement whose monthly ledger counts authorizations on this order reference.
fn charged_agreement(ctx: &Ctx<'_>, oro_id: &str) -> Option<String> {
    ctx.state
        .order_reference(oro_id)
        .and_then(status::agreement_of)
        .map(str::to_owned)
}

/// Creates an authorization; synchronous ones (TransactionTimeout=0) reach their final state
/// now (captured with `capture_in_full` if CaptureNow), the others are Pending until
/// `Timing::settle_after` has passed.
pub fn create(
    ctx: &mut Ctx<'_>,
    n: NewAuthorization,
    capture_in_full: CaptureInFull,
) -> SimResult<String> {
    let oro = status::order_reference(ctx, &n.order_reference_id)?;
    let owner = oro.owner.clone();
    let target = outcome(n.simulation.as_ref(), oro.buyer.payment_method);
    let auth_id = ctx.common.new_child_id(&n.order_reference_id, 'A');
    // Authorizations may be captured for 30 days, 2 in the sandbox (reference §4.3).
    let validity_days = if ctx.sandbox { 2 } else { 30 };
    let b = v1::AuthorizationDetails::builder()
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
        .capture_now(n.capture_now)
        // Amazon always sends these: an empty list and an empty note when there are none.
        .id_list(v1::IdList::default())
        .seller_authorization_note(n.note.unwrap_or_default())
        .soft_descriptor(status::soft_descriptor(
            n.soft_descriptor.as_deref(),
            &owner,
        ));
    let details = b.build()?;
    ctx.state.insert_authorization(
        auth_id.clone(),
        AuthorizationRecord {
            owner,
            order_reference_id: n.order_reference_id.clone(),
            billing_agreement_id: n.billing_agreement_id.clone(),
            details,
            pending: Some(target),
        },
    );
    if let Some(oro) = ctx.state.order_reference_mut(&n.order_reference_id) {
        push_id(&mut oro.details.id_list, &auth_id);
    }
    if let Some(agreement_id) = charged_agreement(ctx, &n.order_reference_id) {
        let entry = LedgerEntry {
            authorization_id: auth_id.clone(),
            at: ctx.now.unix(),
            amount_minor: n.amount.minor_units(),
            declined: false,
        };
        ctx.state.push_ledger(&agreement_id, entry);
    }
    let synchronous = n.timeout == Some(0);
    if synchronous {
        if settle(ctx, &auth_id, true)? {
            capture_in_full(ctx, &auth_id)?;
        }
    } else {
        let at = ctx.later(ctx.timing.settle_after);
        ctx.schedule(at, Event::SettleAuthorization(auth_id.clone()));
        ctx.notices.push(Notice::Authorization(auth_id.clone()));
    }
    let expires = ctx.later(validity_days * 24 * 3600);
    ctx.schedule(expires, Event::ExpireAuthorization(auth_id.clone()));
    Ok(auth_id)
}

/// A Pending authorization reaches the state it was headed for, with the consequences for its
/// order reference and billing agreement (reference §4.3 declines). Returns whether it is now
/// to be captured in full (CaptureNow on an authorization that turned Open).
pub fn settle(ctx: &mut Ctx<'_>, auth_id: &str, synchronous: bool) -> SimResult<bool> {
    let Some(auth) = ctx.state.authorization(auth_id) else {
        return Ok(false);
    };
    let Some(target) = auth.pending.clone() else {
        return Ok(false);
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
    if let Some(auth) = ctx.state.authorization_mut(auth_id) {
        auth.pending = None;
        auth.details.authorization_status = new_status;
        if let Outcome::Declined { soft, .. } = &target {
            auth.details.soft_decline = Some(*soft);
        }
    }
    if let (Outcome::Declined { .. }, Some(agreement_id)) =
        (&target, charged_agreement(ctx, &oro_id))
    {
        ctx.state.decline_on_ledger(&agreement_id, auth_id);
    }
    ctx.notices.push(Notice::Authorization(auth_id.to_owned()));
    match target {
        Outcome::Open => return Ok(capture_now),
        Outcome::ExpireUnused { after_minutes } => {
            let at = ctx.later(after_minutes * 60);
            ctx.schedule(at, Event::ExpireAuthorization(auth_id.to_owned()));
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
                        billing_agreement::suspend(ctx, ba)?;
                        ba.clone()
                    }
                    None => {
                        order_reference::move_to(
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
                    ctx.schedule(at, Event::BuyerUpdatesPaymentMethod(parent));
                }
            }
            "AmazonRejected" => order_reference::move_to(
                ctx,
                &oro_id,
                &[O::Open, O::Suspended],
                O::Closed,
                v1::OrderReferenceReasonCode::AmazonClosed,
            )?,
            _ => {}
        },
    }
    Ok(false)
}

/// An authorization already checked to be the caller's (or reached by a scheduled event,
/// which has no caller).
pub fn stored<'a>(ctx: &'a Ctx<'_>, id: &str) -> SimResult<&'a AuthorizationRecord> {
    ctx.state
        .authorization(id)
        .ok_or_else(|| SimError::internal(format!("authorization {id} vanished")))
}

/// An Open authorization that was never captured closes (ExpiredUnused).
pub fn expire(ctx: &mut Ctx<'_>, id: &str) -> SimResult<()> {
    let status = authorization_status(
        A::Closed,
        Some(v1::AuthorizationReasonCode::ExpiredUnused),
        ctx.now,
    )?;
    let Some(auth) = ctx.state.authorization_mut(id) else {
        return Ok(());
    };
    if auth.details.authorization_status.state == A::Open {
        auth.details.authorization_status = status;
        ctx.notices.push(Notice::Authorization(id.to_owned()));
    }
    Ok(())
}

/// CloseAuthorization: an Open or Pending authorization closes (SellerClosed) with the
/// seller's ClosureReason.
pub fn close_by_seller(ctx: &mut Ctx<'_>, id: &str, reason: Option<String>) -> SimResult<()> {
    let status = authorization_status(
        A::Closed,
        Some(v1::AuthorizationReasonCode::SellerClosed),
        ctx.now,
    )?;
    if let Some(auth) = ctx.state.authorization_mut(id) {
        auth.pending = None;
        auth.details.authorization_status = status;
        auth.details.authorization_status.reason_description = reason;
    }
    ctx.notices.push(Notice::Authorization(id.to_owned()));
    Ok(())
}

/// Open and Pending authorizations go with their canceled order reference.
pub fn close_with_order(ctx: &mut Ctx<'_>, ids: &[String]) -> SimResult<()> {
    let closed = authorization_status(
        A::Closed,
        Some(v1::AuthorizationReasonCode::OrderReferenceCanceled),
        ctx.now,
    )?;
    for id in ids {
        if let Some(auth) = ctx.state.authorization_mut(id) {
            if matches!(
                auth.details.authorization_status.state,
                A::Open | A::Pending
            ) {
                auth.pending = None;
                auth.details.authorization_status = closed.clone();
                ctx.notices.push(Notice::Authorization(id.clone()));
            }
        }
    }
    Ok(())
}

/// A capture was made on it: one capture per authorization, so it closes
/// (MaxCapturesProcessed) with the captured amount and the capture in its IdList.
pub fn captured(ctx: &mut Ctx<'_>, id: &str, amount: Money, capture_id: &str) -> SimResult<()> {
    let closed = authorization_status(
        A::Closed,
        Some(v1::AuthorizationReasonCode::MaxCapturesProcessed),
        ctx.now,
    )?;
    if let Some(auth) = ctx.state.authorization_mut(id) {
        auth.details.captured_amount = Some(amount);
        auth.details.authorization_status = closed;
        push_id(&mut auth.details.id_list, capture_id);
    }
    ctx.notices.push(Notice::Authorization(id.to_owned()));
    Ok(())
}
