//! v2 "payment method on file" with the Additional Payment Button (seed 000, flow 3), end to
//! end against the local sandbox simulator with the protocol crate's v2 client: the shop
//! already knows the order and the address, the buyer pays on Amazon's page (checkoutMode
//! ProcessOrder) and the payment method is saved for later charges.
//!
//! 1. The button's payload (`button::additional_payment_button`: ProcessOrder, the shop's
//!    addressDetails, AuthorizeWithCapture, the amount) becomes a checkout session; the buyer
//!    chooses a payment method and pays on Amazon's page.
//! 2. Back on the shop's result page, Complete with the amount: the order is charged and
//!    captured, and the charge permission is Chargeable.
//! 3. A later order is charged without the buyer; part of the first one is refunded.
//!
//! Run: `cargo run -p amazon-pay-conformance --example v2_additional_payment_button`.

#[allow(dead_code)] // each example uses part of the shared shop
#[path = "v2_shop/mod.rs"]
mod shop;

use amazon_pay_protocol::Money;
use amazon_pay_protocol::button;
use amazon_pay_protocol::v2::{AddressDetails, PaymentIntent, State};
use shop::{Result, Shop, is, state};

const ORDER_YEN: i64 = 12_800;

/// Starts the embedded simulator and plays the flow against it, as the shop.
pub async fn run() -> Result<()> {
    let shop = Shop::open().await?;
    let address = AddressDetails::builder()
        .name("山田 花子")
        .address_line1("目黒区下目黒1-8-1")
        .city("目黒区")
        .state_or_region("東京都")
        .postal_code("153-0064")
        .country_code("JP")
        .phone_number("03-0000-0000")
        .build()?;
    let button = button::additional_payment_button(
        &shop.merchant.store_id,
        shop::RETURN_URL,
        PaymentIntent::AuthorizeWithCapture,
        Money::jpy(ORDER_YEN)?,
        address,
    )?
    .build()?;
    let (session, redirect) = shop.create_session(&button).await?;
    shop.buyer_pays(redirect)?;

    let completed = shop
        .complete(&session, Some(Money::jpy(ORDER_YEN)?))
        .await?;
    let shipped_to = completed
        .shipping_address
        .as_ref()
        .and_then(|a| a.postal_code.clone());
    if shipped_to.as_deref() != Some("153-0064") {
        return Err(format!("the order ships to the shop's address, not {shipped_to:?}").into());
    }
    let permission = completed
        .charge_permission_id
        .ok_or("no charge permission")?;
    let charge = completed.charge_id.ok_or("the order was not charged")?;
    is(
        state(shop.charge(&charge).await?.status_details.as_ref()),
        State::Captured,
    )?;
    shop.permission(&permission).await?;

    shop.advance(7 * 24 * 3600).await?;
    println!("a week later, another order:");
    shop.charge_later(&permission, 2400).await?;
    // One item of the first order comes back.
    shop.refund(&charge, 3200).await?;
    shop.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    run().await
}
