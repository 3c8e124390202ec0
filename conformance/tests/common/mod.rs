//! Set-up shared by the tests that talk to the simulator.
// Each test crate includes this module and uses only part of it.
#![allow(dead_code)]

use amazon_pay_conformance::sandbox::{BuyerChoices, Sandbox};
use amazon_pay_protocol::Money;
use amazon_pay_protocol::client::Client;
use amazon_pay_protocol::v1::{self, Region};

/// A JP billing agreement the buyer consented to and the seller confirmed: Open.
pub async fn confirmed_agreement(sandbox: &Sandbox, client: &Client) -> String {
    let (ba, _) = sandbox
        .buyer_creates_billing_agreement(Region::Jp, &BuyerChoices::default())
        .unwrap();
    client
        .confirm_billing_agreement(
            &v1::ConfirmBillingAgreementRequest::builder()
                .amazon_billing_agreement_id(ba.as_str())
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    ba
}

/// GetBillingAgreementDetails, which must succeed.
pub async fn agreement_details(client: &Client, id: &str) -> v1::BillingAgreementDetails {
    client
        .get_billing_agreement_details(
            &v1::GetBillingAgreementDetailsRequest::builder()
                .amazon_billing_agreement_id(id)
                .build()
                .unwrap(),
        )
        .await
        .unwrap()
        .result
        .billing_agreement_details
}

/// A synchronous AuthorizeOnBillingAgreement with CaptureNow for `yen`, which must succeed.
pub async fn charge_now(
    client: &Client,
    agreement: &str,
    reference: &str,
    yen: i64,
) -> v1::AuthorizationDetails {
    client
        .authorize_on_billing_agreement(
            &v1::AuthorizeOnBillingAgreementRequest::builder()
                .amazon_billing_agreement_id(agreement)
                .authorization_reference_id(reference)
                .authorization_amount(Money::jpy(yen).unwrap())
                .transaction_timeout(0)
                .capture_now(true)
                .build()
                .unwrap(),
        )
        .await
        .unwrap()
        .result
        .authorization_details
}
