//! "Payment method on file" with the v1 API (seeds 000 and 003), end to end against the local
//! sandbox simulator: the three flows a shop back end needs, with the protocol crate's client.
//!
//! 1. **Setup only**: the buyer signs in and consents on Amazon's pages (played here through
//!    the simulator's buyer endpoint); the seller sets its note and store name, confirms the
//!    billing agreement and validates it. Nothing is charged.
//! 2. **Charge later**: months later, without the buyer, the seller charges the saved agreement
//!    (AuthorizeOnBillingAgreement with CaptureNow), or lets `Client::charge` do the steps.
//! 3. **Refund**: part of a capture goes back to the buyer.
//!
//! Run: `cargo run -p amazon-pay-conformance --example v1_billing_agreements`.
//! Against Amazon's sandbox, build the client with `Endpoint::amazon(Region::Jp,
//! Environment::Sandbox)` and your credentials instead; the calls are the same.

use amazon_pay_conformance::sandbox::{BuyerChoices, Sandbox, SandboxConfig};
use amazon_pay_protocol::Money;
use amazon_pay_protocol::client::{Client, ReferenceCharge};
use amazon_pay_protocol::v1::{self, Environment, Region};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Setup only: the agreement the buyer consented to is described, confirmed and validated.
pub async fn setup_only(client: &Client, agreement: &str) -> Result<()> {
    client
        .set_billing_agreement_details(
            &v1::SetBillingAgreementDetailsRequest::builder()
                .amazon_billing_agreement_id(agreement)
                .billing_agreement_attributes(
                    v1::BillingAgreementAttributes::builder()
                        .seller_note("毎月のコーヒー定期便")
                        .seller_billing_agreement_attributes(
                            v1::SellerBillingAgreementAttributes::builder()
                                .store_name("Example Coffee")
                                .build()?,
                        )
                        .build()?,
                )
                .build()?,
        )
        .await?;
    // Before confirmation only the coarse address is visible (enough for shipping fees).
    let draft = client
        .get_billing_agreement_details(
            &v1::GetBillingAgreementDetailsRequest::builder()
                .amazon_billing_agreement_id(agreement)
                .build()?,
        )
        .await?
        .result
        .billing_agreement_details;
    println!(
        "draft: ships to {:?}",
        draft
            .destination
            .and_then(|d| d.physical_destination)
            .and_then(|a| a.state_or_region)
    );
    client
        .confirm_billing_agreement(
            &v1::ConfirmBillingAgreementRequest::builder()
                .amazon_billing_agreement_id(agreement)
                .build()?,
        )
        .await?;
    let validation = client
        .validate_billing_agreement(
            &v1::ValidateBillingAgreementRequest::builder()
                .amazon_billing_agreement_id(agreement)
                .build()?,
        )
        .await?
        .result;
    println!(
        "setup only: {agreement} validated: {:?}",
        validation.validation_result
    );
    Ok(())
}

/// Charge later: returns the capture id. The reference id is the idempotency key: retrying
/// this call (or the whole function) with the same id never charges twice.
pub async fn charge_later(client: &Client, agreement: &str, reference: &str) -> Result<String> {
    let outcome = client
        .charge(
            &ReferenceCharge::new(agreement, reference, Money::jpy(3980)?)
                .seller_authorization_note("December box")
                .store_name("Example Coffee")
                .seller_order_id(format!("order-{reference}")),
        )
        .await?;
    let capture = outcome
        .authorization
        .id_list
        .and_then(|ids| ids.items.into_iter().next())
        .ok_or("the authorization was not captured")?;
    println!(
        "charge later: authorization {} is {:?}, capture {capture}",
        outcome.authorization.amazon_authorization_id,
        outcome.authorization.authorization_status.state
    );
    Ok(capture)
}

/// Refund part of a capture.
pub async fn refund(client: &Client, capture: &str, reference: &str) -> Result<()> {
    let refund = client
        .refund(
            &v1::RefundRequest::builder()
                .amazon_capture_id(capture)
                .refund_reference_id(reference)
                .refund_amount(Money::jpy(1000)?)
                .seller_refund_note("one bag arrived damaged")
                .build()?,
        )
        .await?
        .result
        .refund_details;
    println!(
        "refund: {} is {:?} (refunds complete asynchronously; an IPN or GetRefundDetails tells when)",
        refund.amazon_refund_id, refund.refund_status.state
    );
    Ok(())
}

pub async fn all_flows() -> Result<()> {
    let sandbox = Sandbox::start(SandboxConfig::default()).await?;
    let account = sandbox.account(Region::Jp).ok_or("no JP account")?;
    let client = Client::builder(
        account.credentials(),
        sandbox.endpoint(Environment::Sandbox),
    )
    .build()?;
    // The buyer's part happens on Amazon's pages; the simulator plays it (also over HTTP:
    // `POST /__sandbox/buyer/billing-agreements`, or `amazon-pay-conformance buyer create`).
    let (agreement, _access_token) =
        sandbox.buyer_creates_billing_agreement(Region::Jp, &BuyerChoices::default())?;
    setup_only(&client, &agreement).await?;
    let capture = charge_later(&client, &agreement, "2026-12-box").await?;
    // The same charge again (a retry after a crash, say) returns the same authorization.
    let again = charge_later(&client, &agreement, "2026-12-box").await?;
    assert_eq!(capture, again, "a repeated charge must not charge twice");
    refund(&client, &capture, "2026-12-box-refund-1").await?;
    sandbox.shutdown().await;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    all_flows().await
}
