//! The billing agreement's state machine (reference §4.1; seed 003): Draft → Open ⇄ Suspended
//! → Closed, or Canceled as Stale, and the monthly limit its authorizations count against.
//! The lowest object: it imports no other object.

use amazon_pay_protocol::Money;
use amazon_pay_protocol::v1::{self, BillingAgreementState as S, ErrorCode};

use crate::sandbox::monthly::{month_of, month_window};
use crate::sandbox::v1::ctx::{Ctx, Notice};
use crate::sandbox::v1::error::{SimError, SimResult};
use crate::sandbox::v1::status::{self, agreement_status};

fn status_updated(ctx: &mut Ctx<'_>, id: &str) {
    ctx.notices.push(Notice::BillingAgreement {
        id: id.to_owned(),
        event_type: "BillingAgreementStatusUpdated",
    });
}

fn set_status(ctx: &mut Ctx<'_>, id: &str, status: v1::BillingAgreementStatus) {
    if let Some(ba) = ctx.state.billing_agreement_mut(id) {
        ba.details.billing_agreement_status = status;
    }
    status_updated(ctx, id);
}

/// Draft or Suspended → Open, with the seller's IPN.
pub fn open(ctx: &mut Ctx<'_>, id: &str) -> SimResult<()> {
    let status = agreement_status(S::Open, None, None, ctx.now)?;
    set_status(ctx, id, status);
    Ok(())
}

/// Open → Suspended/InvalidPaymentMethod after a decline.
pub fn suspend(ctx: &mut Ctx<'_>, id: &str) -> SimResult<()> {
    let status = agreement_status(
        S::Suspended,
        Some(v1::BillingAgreementReasonCode::InvalidPaymentMethod),
        Some("The payment method was declined; the buyer must update it.".to_owned()),
        ctx.now,
    )?;
    set_status(ctx, id, status);
    Ok(())
}

/// → Closed with the reason (the seller's, or AmazonClosed by simulation).
pub fn close(
    ctx: &mut Ctx<'_>,
    id: &str,
    reason: v1::BillingAgreementReasonCode,
    description: Option<String>,
) -> SimResult<()> {
    let status = agreement_status(S::Closed, Some(reason), description, ctx.now)?;
    set_status(ctx, id, status);
    Ok(())
}

/// A Draft agreement still unconfirmed is canceled as Stale. Returns whether `id` is an
/// agreement at all (the same event serves order references).
pub fn cancel_stale(ctx: &mut Ctx<'_>, id: &str, reason: &str) -> SimResult<bool> {
    let status = agreement_status(
        S::Canceled,
        Some(v1::BillingAgreementReasonCode::Stale),
        Some(reason.to_owned()),
        ctx.now,
    )?;
    let Some(ba) = ctx.state.billing_agreement_mut(id) else {
        return Ok(false);
    };
    if ba.details.billing_agreement_status.state == S::Draft {
        ba.details.billing_agreement_status = status;
        status_updated(ctx, id);
    }
    Ok(true)
}

/// Seed 003 and reference §3.A: the sum authorized in the calendar month may not pass the
/// region's limit; going over is a 400 error, not a Declined authorization.
pub fn check_monthly_limit(ctx: &Ctx<'_>, id: &str, amount: &Money) -> SimResult<()> {
    let ba = status::agreement(ctx, id)?;
    let Some(limit) = ba.owner.region().billing_agreement_monthly_limit() else {
        return Ok(());
    };
    let (start, end) = month_window(ctx.now);
    let used = ctx.state.authorized_in_month(id, month_of(ctx.now));
    if used + amount.minor_units() <= limit.minor_units() {
        return Ok(());
    }
    let text = |minor: i64| crate::sandbox::v1::amounts::text(minor, &limit);
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
