//! v2 "payment method on file", setup only (seed 000, flow 1), end to end against the local
//! sandbox simulator with the protocol crate's v2 client: the buyer saves Amazon Pay as the
//! shop's payment method without buying anything; a month later the shop charges it without
//! the buyer, and refunds part of it.
//!
//! 1. The button's payload (`button::setup_only`: PaymentMethodOnFile, setupOnly, Confirm)
//!    becomes a checkout session; the buyer chooses a payment method on Amazon's page.
//! 2. Back on the shop, the session is Open without constraints; Complete (no amount) makes a
//!    Chargeable charge permission that never expires.
//! 3. A month later: Create Charge (captureNow, chargeInitiator MITU) is Captured; a refund is
//!    RefundInitiated, then Refunded.
//!
//! Run: `cargo run -p amazon-pay-conformance --example v2_setup_only`.

#[allow(dead_code)] // each example uses part of the shared shop
#[path = "v2_shop/mod.rs"]
mod shop;

use amazon_pay_protocol::button;
use amazon_pay_protocol::v2::{ChargePermissionType, State};
use shop::{Result, Shop, is, state};

/// Starts the embedded simulator and plays the flow against it, as the shop.
pub async fn run() -> Result<()> {
    let shop = Shop::open().await?;
    let button = button::setup_only(&shop.merchant.store_id, shop::RETURN_URL)?.build()?;
    let (session, redirect) = shop.create_session(&button).await?;
    shop.buyer_pays(redirect)?;

    let open = shop.session(&session).await?;
    is(state(open.status_details.as_ref()), State::Open)?;
    if let Some(constraints) = open.constraints {
        return Err(format!("the buyer has acted, yet constraints remain: {constraints:?}").into());
    }
    println!(
        "back on the shop: the session is Open, paid with {:?}",
        open.payment_preferences
            .and_then(|p| p.items.into_iter().next())
            .and_then(|p| p.payment_descriptor)
    );
    let completed = shop.complete(&session, None).await?;
    if completed.charge_id.is_some() {
        return Err("a setup-only checkout charged something".into());
    }
    let permission_id = completed
        .charge_permission_id
        .ok_or("no charge permission")?;
    let permission = shop.permission(&permission_id).await?;
    is(
        permission
            .status_details
            .as_ref()
            .and_then(|s| s.state.as_ref()),
        State::Chargeable,
    )?;
    if permission.charge_permission_type != Some(ChargePermissionType::PaymentMethodOnFile)
        || permission.expiration_timestamp.is_some()
    {
        return Err("a saved wallet is PaymentMethodOnFile and never expires".into());
    }

    shop.advance(31 * 24 * 3600).await?;
    println!("a month later, the order comes in:");
    let charge = shop.charge_later(&permission_id, 3980).await?;
    shop.refund(&charge, 1000).await?;
    shop.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    run().await
}
