//! Set-up shared by the tests that talk to the simulator.

use amazon_pay_conformance::sandbox::{BuyerChoices, Sandbox};
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
