//! v2 "payment method on file", checkout and setup (seed 000, flow 2), end to end against the
//! local sandbox simulator with the protocol crate's v2 client: the buyer pays a first order
//! and saves the payment method for later charges in the same checkout.
//!
//! 1. The button's payload (`button::checkout_and_setup`: PaymentMethodOnFile, Authorize,
//!    the order's amount) becomes a checkout session; the buyer chooses a payment method and
//!    an address on Amazon's page.
//! 2. The shop reads the buyer's choices, then completes the session with the amount: the
//!    answer names the charge permission and the first order's charge, Authorized.
//! 3. The shop captures the charge when it ships; next month it charges the saved method, and
//!    refunds part of the first order.
//!
//! Run: `cargo run -p amazon-pay-conformance --example v2_checkout_and_setup`.

#[allow(dead_code)] // each example uses part of the shared shop
#[path = "v2_shop/mod.rs"]
mod shop;

use amazon_pay_protocol::Money;
use amazon_pay_protocol::button;
use amazon_pay_protocol::v2::{CaptureChargeRequest, PaymentIntent, State};
use shop::{Result, Shop, is, state};

/// The first order's amount.
const FIRST_ORDER_YEN: i64 = 5480;

/// Starts the embedded simulator and plays the flow against it, as the shop.
pub async fn run() -> Result<()> {
    let shop = Shop::open().await?;
    let button = button::checkout_and_setup(
        &shop.merchant.store_id,
        "https://shop.example/amazon-pay/review",
        shop::RETURN_URL,
        PaymentIntent::Authorize,
        Money::jpy(FIRST_ORDER_YEN)?,
    )?
    .build()?;
    let (session, redirect) = shop.create_session(&button).await?;
    shop.buyer_pays(redirect)?;

    let chosen = shop.session(&session).await?;
    println!(
        "the buyer ships to {:?}, {:?}",
        chosen
            .shipping_address
            .as_ref()
            .and_then(|a| a.city.clone()),
        chosen
            .shipping_address
            .as_ref()
            .and_then(|a| a.country_code.clone())
    );
    let completed = shop
        .complete(&session, Some(Money::jpy(FIRST_ORDER_YEN)?))
        .await?;
    let permission = completed
        .charge_permission_id
        .ok_or("no charge permission")?;
    let first = completed
        .charge_id
        .ok_or("checkout and setup charges the first order")?;
    is(
        state(shop.charge(&first).await?.status_details.as_ref()),
        State::Authorized,
    )?;

    // The order ships: capture the authorization.
    let capture = CaptureChargeRequest::builder()
        .charge_id(first.clone())
        .capture_amount(Money::jpy(FIRST_ORDER_YEN)?)
        .build()?;
    let captured = shop.client.capture_charge(&capture).await?;
    is(state(captured.status_details.as_ref()), State::Captured)?;
    println!(
        "the first order shipped: charge {} is Captured",
        first.as_str()
    );

    shop.advance(31 * 24 * 3600).await?;
    println!("next month, without the buyer:");
    shop.permission(&permission).await?;
    let later = shop.charge_later(&permission, 3980).await?;
    // The buyer returns part of the first order.
    shop.refund(&first, 1480).await?;
    shop.charge(&later).await?;
    shop.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    run().await
}
