//! The buyer on Amazon's hosted pages (test endpoints only): opening a checkout from its
//! `amazonPayRedirectUrl`, choosing a simulated card (§6.1) and an address, passing or failing
//! the EU strong-authentication step, canceling; later, updating the saved payment method on
//! the hosted Update page, and canceling the saved wallet from the buyer's account.

use amazon_pay_protocol::v2::{self, Address, ChargePermissionType, ReasonCode};
use serde::Deserialize;

use super::ctx::Ctx;
use super::error::{ApiError, ApiResult};
use super::objects::{charge_permission, checkout_session};
use super::records::{BuyerChoice, BuyerRecord};
use amazon_pay_protocol::v2::ErrorCode;

/// What the buyer does on the checkout page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Checkout {
    /// The session's `amazonPayRedirectUrl` (or just its id).
    pub redirect_url: String,
    /// The last four digits of a simulated card (default 1111: the happy path).
    #[serde(default)]
    pub card: Option<String>,
    /// The shipping and billing address (default: a test address of the region).
    #[serde(default)]
    pub address: Option<Address>,
    /// Fail the EU strong-authentication step (EU merchants only).
    #[serde(default)]
    pub fail_authentication: bool,
    /// Leave with Cancel instead of paying.
    #[serde(default)]
    pub cancel: bool,
}

impl Checkout {
    /// The happy path: the default card and address, authenticated, paid.
    pub fn pays(redirect_url: impl Into<String>) -> Checkout {
        Checkout {
            redirect_url: redirect_url.into(),
            card: None,
            address: None,
            fail_authentication: false,
            cancel: false,
        }
    }
}

/// The session id in a redirect URL (`…?amazonCheckoutSessionId=<id>`), or the text itself.
fn session_id(redirect_url: &str) -> &str {
    redirect_url
        .split_once("amazonCheckoutSessionId=")
        .map_or(redirect_url, |(_, rest)| {
            rest.split('&').next().unwrap_or(rest)
        })
}

/// A test address in the merchant's region.
fn default_address(region: Option<v2::Region>) -> Address {
    let mut address = Address::default();
    let (name, line, city, postal, country) = match region {
        Some(v2::Region::Jp) => (
            "Taro Amazon",
            "1-2-3 Shimomeguro",
            "Meguro-ku",
            "153-0064",
            "JP",
        ),
        Some(v2::Region::Eu) => (
            "Erika Mustermann",
            "Marcel-Breuer-Str. 12",
            "München",
            "80807",
            "DE",
        ),
        _ => ("Jane Buyer", "410 Terry Ave N", "Seattle", "98109", "US"),
    };
    address.name = Some(name.to_owned());
    address.address_line1 = Some(line.to_owned());
    address.city = Some(city.to_owned());
    address.postal_code = Some(postal.to_owned());
    address.country_code = Some(country.to_owned());
    address
}

/// The buyer signs in with Amazon on the merchant's site (the sign-in button); returns the
/// buyer token the merchant's `signInReturnUrl` receives, for Get Buyer.
pub fn sign_in(ctx: &mut Ctx<'_>) -> ApiResult<String> {
    let owner = ctx.asker()?;
    let address = default_address(ctx.region);
    let token = format!("amzn1.buyertoken.{}", ctx.common.new_uuid());
    let mut buyer = v2::Buyer::default();
    buyer.buyer_id = Some(format!("amzn1.account.SIMULATOR{}", &token[17..25]).into());
    buyer.name = address.name.clone();
    buyer.email = Some("buyer@example.com".to_owned());
    buyer.country_code = address.country_code.clone();
    buyer.postal_code = address.postal_code.clone();
    buyer.shipping_address = Some(address.clone());
    buyer.billing_address = Some(address);
    ctx.state
        .insert_buyer(token.clone(), BuyerRecord { owner, buyer });
    Ok(token)
}

/// Acts on the checkout page; returns where Amazon sends the buyer back (the merchant's
/// return URL with `amazonCheckoutSessionId`).
pub fn checkout(ctx: &mut Ctx<'_>, action: Checkout) -> ApiResult<String> {
    let id = session_id(&action.redirect_url).to_owned();
    if action.cancel {
        checkout_session::buyer_canceled(ctx, &id)?;
        return Ok(String::new());
    }
    let authenticated = !(action.fail_authentication && ctx.region == Some(v2::Region::Eu));
    let choice = BuyerChoice {
        card: action.card.unwrap_or_else(|| "1111".to_owned()),
        address: action
            .address
            .unwrap_or_else(|| default_address(ctx.region)),
        authenticated,
    };
    checkout_session::buyer_chose(ctx, &id, choice)
}

fn saved_wallet(ctx: &Ctx<'_>, id: &str) -> ApiResult<()> {
    let permission = charge_permission::get(ctx, id)?;
    if charge_permission::kind_of(permission) != ChargePermissionType::PaymentMethodOnFile {
        return Err(ApiError::new(
            ErrorCode::InvalidParameterValue,
            format!("{id} is not a Saved Wallet charge permission."),
        ));
    }
    Ok(())
}

/// The hosted Update page: a new payment method makes the permission Chargeable again.
pub fn update_payment_method(ctx: &mut Ctx<'_>, id: &str, card: &str) -> ApiResult<()> {
    saved_wallet(ctx, id)?;
    charge_permission::repair(ctx, id, card)
}

/// The buyer cancels the saved wallet from their Amazon account (BuyerClosed).
pub fn cancel_saved_wallet(ctx: &mut Ctx<'_>, id: &str) -> ApiResult<()> {
    saved_wallet(ctx, id)?;
    charge_permission::close(ctx, id, ReasonCode::BuyerClosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_id_is_read_from_the_redirect_url() {
        let url =
            "https://apay-fe.amazon.com/checkout/processing?amazonCheckoutSessionId=ab-12&x=1";
        assert_eq!(session_id(url), "ab-12");
        assert_eq!(session_id("ab-12"), "ab-12");
    }
}
