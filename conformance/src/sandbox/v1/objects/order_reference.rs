//! The order reference's state machine (reference §4.2): Draft → Open ⇄ Suspended → Closed,
//! or Canceled; created by the buyer (one-time payments) or from a billing agreement. It reads
//! the billing agreement below it and never touches the objects above (authorizations).

use amazon_pay_protocol::v1::{self, OrderReferenceReasonCode as R, OrderReferenceState as S};

use crate::sandbox::v1::ctx::{Ctx, Notice};
use crate::sandbox::v1::error::SimResult;
use crate::sandbox::v1::lifetimes::order_reference_expiry;
use crate::sandbox::v1::records::OrderReferenceRecord;
use crate::sandbox::v1::status::{self, order_language, order_status, release_environment};

fn set_status(ctx: &mut Ctx<'_>, id: &str, status: v1::OrderReferenceStatus) {
    if let Some(oro) = ctx.state.order_reference_mut(id) {
        oro.details.order_reference_status = status;
    }
    ctx.notices.push(Notice::OrderReference(id.to_owned()));
}

/// Moves an order reference in one of the states `from` to `state` with `reason`, and
/// notifies the seller; other states (and unknown ids) are left alone.
pub fn move_to(ctx: &mut Ctx<'_>, id: &str, from: &[S], state: S, reason: R) -> SimResult<()> {
    let status = order_status(state, Some(reason), None, ctx.now)?;
    if let Some(oro) = ctx.state.order_reference_mut(id) {
        if from.contains(&oro.details.order_reference_status.state) {
            oro.details.order_reference_status = status;
            ctx.notices.push(Notice::OrderReference(id.to_owned()));
        }
    }
    Ok(())
}

/// → Open (confirmed, or reopened once the buyer fixed the payment method).
pub fn open(ctx: &mut Ctx<'_>, id: &str) -> SimResult<()> {
    let status = order_status(S::Open, None, None, ctx.now)?;
    set_status(ctx, id, status);
    Ok(())
}

/// → Canceled by the seller.
pub fn cancel(ctx: &mut Ctx<'_>, id: &str, description: Option<String>) -> SimResult<()> {
    let status = order_status(S::Canceled, Some(R::SellerCanceled), description, ctx.now)?;
    set_status(ctx, id, status);
    Ok(())
}

/// → Closed with the reason (the seller's, or AmazonClosed by simulation).
pub fn close(ctx: &mut Ctx<'_>, id: &str, reason: R, description: Option<String>) -> SimResult<()> {
    let status = order_status(S::Closed, Some(reason), description, ctx.now)?;
    set_status(ctx, id, status);
    Ok(())
}

/// A Draft order reference still unconfirmed is canceled as Stale.
pub fn cancel_stale(ctx: &mut Ctx<'_>, id: &str, reason: &str) -> SimResult<()> {
    let status = order_status(
        S::Canceled,
        Some(R::Stale),
        Some(reason.to_owned()),
        ctx.now,
    )?;
    if let Some(oro) = ctx.state.order_reference_mut(id) {
        if oro.details.order_reference_status.state == S::Draft {
            oro.details.order_reference_status = status;
            ctx.notices.push(Notice::OrderReference(id.to_owned()));
        }
    }
    Ok(())
}

/// An Open or Suspended order reference reaches the end of its life: Closed/Expired. (A Draft
/// never reaches Closed in §4.2's state machine; buyer-created ones go Stale long before.)
pub fn expire(ctx: &mut Ctx<'_>, id: &str) -> SimResult<()> {
    move_to(ctx, id, &[S::Open, S::Suspended], S::Closed, R::Expired)
}

/// The order reference of an agreement made for one authorization closes behind it
/// (reference §3.A; MaxAuthorizationsProcessed is the reason the SDK fixtures show), without
/// an IPN.
pub fn close_behind_authorization(ctx: &mut Ctx<'_>, id: &str) -> SimResult<()> {
    let closed = order_status(
        S::Closed,
        Some(R::MaxAuthorizationsProcessed),
        None,
        ctx.now,
    )?;
    if let Some(oro) = ctx.state.order_reference_mut(id) {
        if oro.details.order_reference_status.state == S::Open {
            oro.details.order_reference_status = closed;
        }
    }
    Ok(())
}

/// Creates the order reference of an agreement (AuthorizeOnBillingAgreement and
/// CreateOrderReferenceForId), inheriting the buyer and, unless told not to, the address.
pub fn create_for_agreement(
    ctx: &mut Ctx<'_>,
    agreement_id: &str,
    attributes: Option<v1::OrderReferenceAttributes>,
    inherit_address: bool,
    state: S,
) -> SimResult<String> {
    let ba = status::agreement(ctx, agreement_id)?;
    let mut buyer = ba.buyer.clone();
    if !inherit_address {
        buyer.address = None;
    }
    let owner = ba.owner.clone();
    let prefix = if ctx.sandbox { "S01" } else { "P01" };
    let oro_id = ctx.common.new_root_id(prefix);
    let expires = order_reference_expiry(ctx, &oro_id);
    let mut b = v1::OrderReferenceDetails::builder()
        .amazon_order_reference_id(oro_id.as_str())
        .order_reference_status(order_status(state, None, None, ctx.now)?)
        .creation_timestamp(ctx.now)
        .expiration_timestamp(expires)
        .release_environment(release_environment(ctx))
        .order_language(order_language(owner.region()))
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
    ctx.state.insert_order_reference(
        oro_id.clone(),
        OrderReferenceRecord {
            owner,
            buyer,
            details,
        },
    );
    ctx.state.add_order_reference(agreement_id, oro_id.clone());
    Ok(oro_id)
}
