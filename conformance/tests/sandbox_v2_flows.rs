//! The three payment-method-on-file flows of seed 000 end to end over real HTTP: the crate's
//! own v2 client (RSA-PSS signed) against the simulator, the buyer acting through the test
//! endpoints, the clock moved for the asynchronous parts.

use std::time::Duration;

use amazon_pay_conformance::sandbox::v2::buyer::Checkout;
use amazon_pay_conformance::sandbox::{Sandbox, SandboxConfig};
use amazon_pay_protocol::Money;
use amazon_pay_protocol::client::v2::Client;
use amazon_pay_protocol::v2::{self, *};
use serde_json::json;

async fn bounded<F: std::future::Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(60), f)
        .await
        .expect("the flow finished in time")
}

/// The machine's clock: requests are signed and checked in real time, while the simulator's
/// business clock moves ahead for the asynchronous parts.
async fn start() -> Sandbox {
    let config = SandboxConfig {
        seed: Some(3),
        ..SandboxConfig::default()
    };
    Sandbox::start(config).await.unwrap()
}

fn client(sandbox: &Sandbox, region: v2::Region, key: &str) -> Client {
    let merchant = sandbox.merchant(region).unwrap();
    let endpoint = sandbox.v2_endpoint(key, v2::Environment::Sandbox);
    Client::builder(merchant.credentials(key), endpoint)
        .build()
        .unwrap()
}

async fn advance(sandbox: &Sandbox, seconds: i64) {
    let answer = reqwest::Client::new()
        .post(format!("{}/__sandbox/clock", sandbox.base_url()))
        .json(&json!({ "advance_seconds": seconds }))
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success());
}

fn state(status: Option<&StatusDetails>) -> Option<State> {
    status.and_then(|s| s.state.clone())
}

#[tokio::test]
async fn setup_only_then_a_later_charge_and_a_refund() {
    bounded(async {
        let sandbox = start().await;
        let merchant = sandbox.merchant(v2::Region::Jp).unwrap().clone();
        let client = client(&sandbox, v2::Region::Jp, &merchant.sandbox_key_id);

        let create = CreateCheckoutSessionRequest::builder()
            .store_id(merchant.store_id.as_str())
            .web_checkout_details(
                WebCheckoutDetails::builder()
                    .checkout_result_return_url("https://shop.example/return")
                    .build()
                    .unwrap(),
            )
            .charge_permission_type(ChargePermissionType::PaymentMethodOnFile)
            .payment_method_on_file_metadata(
                PaymentMethodOnFileMetadata::builder()
                    .setup_only(true)
                    .build()
                    .unwrap(),
            )
            .payment_details(
                PaymentDetails::builder()
                    .payment_intent(PaymentIntent::Confirm)
                    .build()
                    .unwrap(),
            )
            .idempotency_key("setup-1")
            .build()
            .unwrap();
        let session = client.create_checkout_session(&create).await.unwrap();
        let id = session.checkout_session_id.clone().unwrap();
        let constraints: Vec<_> = session
            .constraints
            .iter()
            .flat_map(|c| c.items.iter())
            .filter_map(|c| c.constraint_id.clone())
            .collect();
        assert_eq!(
            constraints,
            [
                ConstraintId::BuyerNotAssociated,
                ConstraintId::PaymentMethodNotSet
            ]
        );
        let redirect = session
            .web_checkout_details
            .and_then(|d| d.amazon_pay_redirect_url)
            .expect("the merchant's part is done: the buyer can be sent to Amazon");

        let back = sandbox
            .buyer_checks_out(
                v2::Region::Jp,
                serde_json::from_value::<Checkout>(json!({ "redirectUrl": redirect })).unwrap(),
            )
            .unwrap();
        assert_eq!(
            back,
            format!(
                "https://shop.example/return?amazonCheckoutSessionId={}",
                id.as_str()
            )
        );

        let get = GetCheckoutSessionRequest::builder()
            .checkout_session_id(id.clone())
            .build()
            .unwrap();
        let open = client.get_checkout_session(&get).await.unwrap();
        assert_eq!(state(open.status_details.as_ref()), Some(State::Open));
        assert!(open.constraints.is_none(), "{:?}", open.constraints);

        let complete = CompleteCheckoutSessionRequest::builder()
            .checkout_session_id(id.clone())
            .build()
            .unwrap();
        let completed = client.complete_checkout_session(&complete).await.unwrap();
        assert_eq!(
            state(completed.status_details.as_ref()),
            Some(State::Completed)
        );
        assert!(
            completed.charge_id.is_none(),
            "setup only: nothing is charged"
        );
        let permission_id = completed.charge_permission_id.unwrap();

        let permission = client
            .get_charge_permission(
                &GetChargePermissionRequest::builder()
                    .charge_permission_id(permission_id.clone())
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(
            permission.status_details.and_then(|s| s.state),
            Some(State::Chargeable)
        );
        assert_eq!(permission.expiration_timestamp, None);
        assert_eq!(
            permission.charge_permission_type,
            Some(ChargePermissionType::PaymentMethodOnFile)
        );

        // A month later, the merchant charges the saved wallet.
        advance(&sandbox, 31 * 24 * 3600).await;
        let charge = CreateChargeRequest::builder()
            .charge_permission_id(permission_id.clone())
            .charge_amount(Money::jpy(3980).unwrap())
            .capture_now(true)
            .charge_initiator(ChargeInitiator::Mitu)
            .channel(Channel::Web)
            .build()
            .unwrap();
        let charged = client.create_charge(&charge).await.unwrap();
        assert_eq!(
            state(charged.status_details.as_ref()),
            Some(State::Captured)
        );
        assert_eq!(charged.charge_initiator, Some(ChargeInitiator::Mitu));
        assert_eq!(charged.capture_amount, Some(Money::jpy(3980).unwrap()));
        let charge_id = charged.charge_id.unwrap();

        let refund = CreateRefundRequest::builder()
            .charge_id(charge_id.clone())
            .refund_amount(Money::jpy(1000).unwrap())
            .build()
            .unwrap();
        let refunded = client.create_refund(&refund).await.unwrap();
        assert_eq!(
            state(refunded.status_details.as_ref()),
            Some(State::RefundInitiated)
        );
        let refund_id = refunded.refund_id.unwrap();
        advance(&sandbox, 60).await;
        let get_refund = GetRefundRequest::builder()
            .refund_id(refund_id)
            .build()
            .unwrap();
        let done = client.get_refund(&get_refund).await.unwrap();
        assert_eq!(state(done.status_details.as_ref()), Some(State::Refunded));
        let charge_now = client
            .get_charge(
                &GetChargeRequest::builder()
                    .charge_id(charge_id)
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(charge_now.refunded_amount, Some(Money::jpy(1000).unwrap()));
    })
    .await;
}

#[tokio::test]
async fn a_javascript_checkout_finalizes_and_get_buyer_reads_the_signed_in_buyer() {
    bounded(async {
        let sandbox = start().await;
        let merchant = sandbox.merchant(v2::Region::Na).unwrap().clone();
        // A legacy key: the environment is in the path (/sandbox/v2).
        let client = client(&sandbox, v2::Region::Na, &merchant.legacy_key_id);

        let token = sandbox.buyer_signs_in(v2::Region::Na).unwrap();
        let buyer = client
            .get_buyer(
                &GetBuyerRequest::builder()
                    .buyer_token(token)
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(buyer.country_code.as_deref(), Some("US"));
        let unknown = client
            .get_buyer(
                &GetBuyerRequest::builder()
                    .buyer_token("nobody")
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap_err();
        assert!(
            unknown.to_string().contains("ResourceNotFound"),
            "{unknown}"
        );

        let create = CreateCheckoutSessionRequest::builder()
            .store_id(merchant.store_id.as_str())
            .web_checkout_details(
                WebCheckoutDetails::builder()
                    .checkout_review_return_url("https://shop.example/review")
                    .checkout_result_return_url("https://shop.example/return")
                    .build()
                    .unwrap(),
            )
            .idempotency_key("js-1")
            .build()
            .unwrap();
        let session = client.create_checkout_session(&create).await.unwrap();
        let id = session.checkout_session_id.unwrap();
        sandbox
            .buyer_checks_out(
                v2::Region::Na,
                serde_json::from_value::<Checkout>(json!({ "redirectUrl": id.as_str() })).unwrap(),
            )
            .unwrap();
        let amount = Money::new("25.00", amazon_pay_protocol::Currency::parse("USD")).unwrap();
        let finalize = FinalizeCheckoutSessionRequest::builder()
            .checkout_session_id(id.clone())
            .payment_intent(PaymentIntent::Authorize)
            .charge_amount(amount.clone())
            .idempotency_key("js-finalize-1")
            .build()
            .unwrap();
        let done = client.finalize_checkout_session(&finalize).await.unwrap();
        assert_eq!(state(done.status_details.as_ref()), Some(State::Completed));
        let charge = client
            .get_charge(
                &GetChargeRequest::builder()
                    .charge_id(done.charge_id.unwrap())
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(
            state(charge.status_details.as_ref()),
            Some(State::Authorized)
        );
        assert_eq!(charge.charge_amount, Some(amount));
        let permission = client
            .get_charge_permission(
                &GetChargePermissionRequest::builder()
                    .charge_permission_id(done.charge_permission_id.unwrap())
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(
            permission.charge_permission_type,
            Some(ChargePermissionType::OneTime)
        );
        assert!(
            permission.expiration_timestamp.is_some(),
            "a OneTime permission expires"
        );
    })
    .await;
}
