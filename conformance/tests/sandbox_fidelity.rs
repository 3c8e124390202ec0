//! What a merchant's code meets on the simulator, driven by the client over real HTTP: limits
//! that hold whichever operation charges, elements Amazon always sends, the sandbox and live
//! environments kept apart, and the buyer's side bound to the seller that owns the object.

mod common;

use amazon_pay_conformance::sandbox::{Sandbox, SandboxConfig};
use amazon_pay_protocol::Money;
use amazon_pay_protocol::client::{Client, ClientError};
use amazon_pay_protocol::v1::{self, Environment, Region};

fn client(sandbox: &Sandbox, environment: Environment) -> Client {
    Client::builder(
        sandbox.account(Region::Jp).unwrap().credentials(),
        sandbox.endpoint(environment),
    )
    .build()
    .unwrap()
}

fn service_code(error: ClientError) -> v1::ErrorCode {
    match error {
        ClientError::Service { error, .. } => error.code,
        other => panic!("not a service error: {other}"),
    }
}

/// CreateOrderReferenceForId with ConfirmNow: an Open order reference of the agreement.
async fn order_for_agreement(client: &Client, agreement: &str, yen: i64) -> String {
    client
        .create_order_reference_for_id(
            &v1::CreateOrderReferenceForIdRequest::builder()
                .id(agreement)
                .id_type(v1::IdType::BillingAgreement)
                .confirm_now(true)
                .order_reference_attributes(
                    v1::OrderReferenceAttributes::builder()
                        .order_total(Money::jpy(yen).unwrap())
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .await
        .unwrap()
        .result
        .order_reference_details
        .amazon_order_reference_id
        .as_str()
        .to_owned()
}

fn authorize(order: &str, reference: &str, yen: i64) -> v1::AuthorizeRequest {
    v1::AuthorizeRequest::builder()
        .amazon_order_reference_id(order)
        .authorization_reference_id(reference)
        .authorization_amount(Money::jpy(yen).unwrap())
        .transaction_timeout(0)
        .capture_now(true)
        .build()
        .unwrap()
}

#[tokio::test]
async fn authorizations_on_order_references_of_an_agreement_count_against_its_monthly_limit() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let c = client(&sandbox, Environment::Sandbox);
    let ba = common::confirmed_agreement(&sandbox, &c).await;

    let first = order_for_agreement(&c, &ba, 40_000).await;
    c.authorize(&authorize(&first, "limit-1", 40_000))
        .await
        .unwrap();
    let limits = common::agreement_details(&c, &ba)
        .await
        .billing_agreement_limits
        .unwrap();
    assert_eq!(
        limits.current_remaining_balance,
        Money::jpy(10_000).unwrap()
    );

    let second = order_for_agreement(&c, &ba, 40_000).await;
    let error = c
        .authorize(&authorize(&second, "limit-2", 40_000))
        .await
        .unwrap_err();
    assert_eq!(service_code(error), v1::ErrorCode::PeriodicAmountExceeded);
    let over = c
        .authorize_on_billing_agreement(
            &v1::AuthorizeOnBillingAgreementRequest::builder()
                .amazon_billing_agreement_id(ba.as_str())
                .authorization_reference_id("limit-3")
                .authorization_amount(Money::jpy(10_001).unwrap())
                .transaction_timeout(0)
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(service_code(over), v1::ErrorCode::PeriodicAmountExceeded);
    sandbox.shutdown().await;
}
