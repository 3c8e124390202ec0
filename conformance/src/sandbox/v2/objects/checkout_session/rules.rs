//! The documented combinations of a checkout session's members (§3.3, §3.4), its amounts, and
//! what it still lacks (`constraints`) before the buyer can be sent to Amazon and it can
//! complete.

use amazon_pay_protocol::Money;
use amazon_pay_protocol::v2::{
    Address, AddressDetails, ChargePermissionType, CheckoutMode, CheckoutSession, Constraint,
    ConstraintId, ErrorCode, PaymentIntent, State,
};

use crate::sandbox::v2::ctx::Ctx;
use crate::sandbox::v2::error::{ApiError, ApiResult};
use crate::sandbox::v2::limits;
use crate::sandbox::v2::records::SessionRecord;

pub(super) fn setup_only(session: &CheckoutSession) -> bool {
    session
        .payment_method_on_file_metadata
        .as_ref()
        .and_then(|m| m.setup_only)
        == Some(true)
}

pub(super) fn intent(session: &CheckoutSession) -> Option<&PaymentIntent> {
    session.payment_details.as_ref()?.payment_intent.as_ref()
}

pub(super) fn charge_amount(session: &CheckoutSession) -> Option<&Money> {
    session.payment_details.as_ref()?.charge_amount.as_ref()
}

pub(super) fn authorizes(session: &CheckoutSession) -> bool {
    matches!(
        intent(session),
        Some(PaymentIntent::Authorize | PaymentIntent::AuthorizeWithCapture)
    )
}

pub(super) fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidParameterCombination, message)
}

/// The documented combinations (§3.3, §3.4) and amounts: a setup-only Saved Wallet checkout
/// confirms without an amount, an Additional Payment Button checkout (ProcessOrder) needs
/// its result URL, intent and amount, and every amount fits the region and the maximum.
pub(super) fn check(ctx: &Ctx<'_>, session: &CheckoutSession) -> ApiResult<()> {
    if setup_only(session) {
        if session.charge_permission_type != Some(ChargePermissionType::PaymentMethodOnFile) {
            return Err(invalid(
                "setupOnly is only for chargePermissionType PaymentMethodOnFile.",
            ));
        }
        if intent(session).is_some_and(|i| *i != PaymentIntent::Confirm) {
            return Err(invalid("A setup-only checkout uses paymentIntent Confirm."));
        }
        if charge_amount(session).is_some() {
            return Err(invalid("A setup-only checkout has no chargeAmount."));
        }
    }
    let details = session.web_checkout_details.as_ref();
    if details.and_then(|d| d.checkout_mode.as_ref()) == Some(&CheckoutMode::ProcessOrder) {
        if details
            .and_then(|d| d.checkout_result_return_url.as_ref())
            .is_none()
        {
            return Err(ApiError::new(
                ErrorCode::MissingParameterValue,
                "checkoutMode ProcessOrder needs webCheckoutDetails.checkoutResultReturnUrl.",
            ));
        }
        if !authorizes(session) || charge_amount(session).is_none() {
            return Err(invalid(
                "checkoutMode ProcessOrder needs paymentIntent Authorize or AuthorizeWithCapture and a chargeAmount.",
            ));
        }
    }
    if details.is_none_or(|d| {
        d.checkout_review_return_url.is_none() && d.checkout_result_return_url.is_none()
    }) {
        return Err(ApiError::new(
            ErrorCode::MissingParameterValue,
            "webCheckoutDetails needs checkoutReviewReturnUrl or checkoutResultReturnUrl.",
        ));
    }
    if let Some(amount) = charge_amount(session) {
        limits::check_charge(ctx.region, amount)?;
    }
    Ok(())
}

/// What is still missing, and the redirect URL once the merchant's part is done.
pub(super) fn refresh(ctx: &Ctx<'_>, record: &mut SessionRecord) {
    let session = &mut record.document;
    if state_of_document(session) != Some(&State::Open) {
        session.constraints = None;
        return;
    }
    let mut missing = Vec::new();
    let result_url = session
        .web_checkout_details
        .as_ref()
        .and_then(|d| d.checkout_result_return_url.clone());
    if result_url.is_none() {
        missing.push(ConstraintId::CheckoutResultReturnUrlNotSet);
    }
    if authorizes(session) && charge_amount(session).is_none() {
        missing.push(ConstraintId::ChargeAmountNotSet);
    }
    // The merchant's part is done: Amazon can take the buyer to its page.
    let merchant_done = missing.is_empty() && (intent(session).is_some() || setup_only(session));
    if record.buyer.is_none() {
        missing.push(ConstraintId::BuyerNotAssociated);
        missing.push(ConstraintId::PaymentMethodNotSet);
    }
    let id = session
        .checkout_session_id
        .as_ref()
        .map(|i| i.as_str().to_owned())
        .unwrap_or_default();
    if let Some(details) = session.web_checkout_details.as_mut() {
        details.amazon_pay_redirect_url = merchant_done.then(|| redirect_url(ctx, &id));
    }
    session.constraints = (!missing.is_empty()).then(|| {
        missing
            .into_iter()
            .map(|id| {
                let mut constraint = Constraint::default();
                constraint.description =
                    Some(format!("{} must be resolved before Complete.", id.as_str()));
                constraint.constraint_id = Some(id);
                constraint
            })
            .collect::<Vec<_>>()
            .into()
    });
}

fn state_of_document(session: &CheckoutSession) -> Option<&State> {
    session.status_details.as_ref()?.state.as_ref()
}

/// Where the buyer is sent (the sandbox's processing page of the region, §3.2). The buyer
/// acts there through the simulator's buyer endpoint, which takes this URL.
fn redirect_url(ctx: &Ctx<'_>, id: &str) -> String {
    let host = match ctx.region.map(|r| r.code()) {
        Some("eu") => "apay-eu.amazon.com",
        Some("jp") => "apay-fe.amazon.com",
        _ => "apay-us.amazon.com",
    };
    format!("https://{host}/checkout/processing?amazonCheckoutSessionId={id}")
}

pub(super) fn shipping_from(details: &AddressDetails) -> Address {
    let mut address = Address::default();
    address.name = details.name.clone();
    address.address_line1 = details.address_line1.clone();
    address.address_line2 = details.address_line2.clone();
    address.address_line3 = details.address_line3.clone();
    address.city = details.city.clone();
    address.county = details.district_or_county.clone();
    address.state_or_region = details.state_or_region.clone();
    address.postal_code = details.postal_code.clone();
    address.country_code = details.country_code.clone();
    address.phone_number = details.phone_number.clone();
    address
}
