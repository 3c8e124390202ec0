//! The buyer's side of a checkout session: choosing a card and an address on Amazon's page
//! (the cards of §6.1 that cancel do so here), or leaving with Cancel.

use amazon_pay_protocol::v2::{Buyer, PaymentIntent, ProductType, ReasonCode, State};

use super::rules::{intent, invalid, refresh};
use super::{get, require_open};
use crate::sandbox::v2::ctx::Ctx;
use crate::sandbox::v2::error::ApiResult;
use crate::sandbox::v2::objects::charge_permission;
use crate::sandbox::v2::records::BuyerChoice;

/// The buyer signed in, chose a payment method and an address and consented. The cards of
/// §6.1 that cancel do so here; the pending cards need an Authorize intent that can wait.
pub fn buyer_chose(ctx: &mut Ctx<'_>, id: &str, choice: BuyerChoice) -> ApiResult<String> {
    let record = get(ctx, id)?;
    require_open(record, id)?;
    let session = &record.document;
    let pending_card = matches!(choice.card.as_str(), "0701" | "4354");
    let can_pend = session
        .payment_details
        .as_ref()
        .and_then(|p| p.can_handle_pending_authorization)
        == Some(true);
    if pending_card && (intent(session) != Some(&PaymentIntent::Authorize) || !can_pend) {
        return Err(invalid(format!(
            "The card ending {} needs paymentIntent Authorize and canHandlePendingAuthorization true.",
            choice.card
        )));
    }
    let return_url = session
        .web_checkout_details
        .as_ref()
        .and_then(|d| {
            d.checkout_result_return_url
                .clone()
                .or_else(|| d.checkout_review_return_url.clone())
        })
        .unwrap_or_default();
    let cancels = match choice.card.as_str() {
        "3064" => Some(ReasonCode::BuyerCanceled),
        "3434" => Some(ReasonCode::Declined),
        _ => None,
    };
    let mut record = record.clone();
    if let Some(reason) = cancels {
        record.document.status_details = Some(ctx.status(State::Canceled, Some(reason)));
    } else {
        let session = &mut record.document;
        let mut buyer = Buyer::default();
        buyer.buyer_id = Some(format!("amzn1.account.SIMULATOR{}", choice.card).into());
        buyer.name = choice.address.name.clone();
        buyer.email = Some("buyer@example.com".to_owned());
        buyer.country_code = choice.address.country_code.clone();
        buyer.postal_code = choice.address.postal_code.clone();
        session.buyer = Some(buyer);
        if session.shipping_address.is_none() && session.product_type != Some(ProductType::PayOnly)
        {
            session.shipping_address = Some(choice.address.clone());
        }
        session.billing_address = Some(choice.address.clone());
        session.payment_preferences =
            Some(vec![charge_permission::descriptor(&choice.card)].into());
        record.buyer = Some(choice);
    }
    refresh(ctx, &mut record);
    ctx.state.insert_session(id.to_owned(), record);
    let separator = if return_url.contains('?') { '&' } else { '?' };
    Ok(format!(
        "{return_url}{separator}amazonCheckoutSessionId={id}"
    ))
}

/// The buyer left Amazon's page with Cancel.
pub fn buyer_canceled(ctx: &mut Ctx<'_>, id: &str) -> ApiResult<()> {
    let record = get(ctx, id)?;
    require_open(record, id)?;
    let status = ctx.status(State::Canceled, Some(ReasonCode::BuyerCanceled));
    if let Some(record) = ctx.state.session_mut(id) {
        record.document.status_details = Some(status);
        record.document.constraints = None;
    }
    Ok(())
}
