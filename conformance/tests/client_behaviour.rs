//! The client's policies against the simulator over loopback: which operations are retried,
//! per-call timeouts, and clock skew (learned from the Date header, or reported).

mod common;

use std::time::Duration;

use amazon_pay_conformance::sandbox::{BuyerChoices, Faults, Sandbox, SandboxConfig};
use amazon_pay_protocol::Money;
use amazon_pay_protocol::client::{
    CallOptions, Client, ClientError, RetryPolicy, TransportErrorKind,
};
use amazon_pay_protocol::v1::{self, Environment, ErrorCode, Region};

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        base: Duration::from_millis(1),
        cap: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

async fn setup() -> (Sandbox, Client, String) {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let account = sandbox.account(Region::Jp).unwrap().clone();
    let client = Client::builder(
        account.credentials(),
        sandbox.endpoint(Environment::Sandbox),
    )
    .retry_policy(fast_retries())
    .build()
    .unwrap();
    let ba = common::confirmed_agreement(&sandbox, &client).await;
    (sandbox, client, ba)
}

#[tokio::test]
async fn throttling_is_retried_except_for_operations_unsafe_to_repeat() {
    let (sandbox, client, ba) = setup().await;
    sandbox
        .set_faults(Faults {
            throttle: 1.0,
            ..Faults::default()
        })
        .unwrap();

    let read = client
        .get_billing_agreement_details(
            &v1::GetBillingAgreementDetailsRequest::builder()
                .amazon_billing_agreement_id(ba.as_str())
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    let ClientError::Service {
        error, attempts, ..
    } = &read
    else {
        panic!("{read}")
    };
    assert_eq!(
        (error.http_status, error.code.clone()),
        (503, ErrorCode::RequestThrottled)
    );
    assert_eq!(
        attempts.len(),
        4,
        "a read is retried up to the policy's attempts"
    );
    assert!(
        attempts
            .iter()
            .all(|a| a.status == Some(503) && a.code.as_deref() == Some("RequestThrottled"))
    );
    assert!(
        read.to_string().contains("#4: HTTP 503 RequestThrottled"),
        "{read}"
    );

    // CreateOrderReferenceForId is `unsafe` in the spec: a repeat could create a second order.
    let create = client
        .create_order_reference_for_id(
            &v1::CreateOrderReferenceForIdRequest::builder()
                .id(ba.as_str())
                .id_type(v1::IdType::BillingAgreement)
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(create.attempts().len(), 1, "{create}");

    // Once the service recovers the same client works (the budget was not spent by a 1-token loop).
    sandbox.set_faults(Faults::default()).unwrap();
    client
        .get_billing_agreement_details(
            &v1::GetBillingAgreementDetailsRequest::builder()
                .amazon_billing_agreement_id(ba.as_str())
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        sandbox.inspect(|w| w.v1.order_references.len()),
        0,
        "the refused create changed nothing"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_per_call_timeout_is_honoured_and_a_lost_charge_is_reported_as_such() {
    let (sandbox, client, ba) = setup().await;
    sandbox
        .set_faults(Faults {
            latency_ms: (300, 300),
            ..Faults::default()
        })
        .unwrap();
    let short = CallOptions {
        timeout: Some(Duration::from_millis(50)),
        max_attempts: Some(2),
    };

    let read = client
        .send_with(
            &v1::GetBillingAgreementDetailsRequest::builder()
                .amazon_billing_agreement_id(ba.as_str())
                .build()
                .unwrap(),
            &short,
        )
        .await
        .unwrap_err();
    let ClientError::Transport {
        error, attempts, ..
    } = &read
    else {
        panic!("{read}")
    };
    assert_eq!(error.kind, TransportErrorKind::Timeout);
    assert_eq!(attempts.len(), 2);

    // A charge whose answers time out may have been applied: the client says so and names the id.
    let charge = v1::AuthorizeOnBillingAgreementRequest::builder()
        .amazon_billing_agreement_id(ba.as_str())
        .authorization_reference_id("timeout-1")
        .authorization_amount(Money::jpy(800).unwrap())
        .transaction_timeout(0)
        .build()
        .unwrap();
    let lost = client.send_with(&charge, &short).await.unwrap_err();
    let ClientError::MayHaveBeenApplied {
        idempotency_key, ..
    } = &lost
    else {
        panic!("{lost}")
    };
    assert_eq!(idempotency_key.as_deref(), Some("timeout-1"));
    assert!(
        lost.to_string()
            .contains("retry only with the same reference id `timeout-1`"),
        "{lost}"
    );

    // Retrying with the same id once the service answers again gives the one authorization.
    sandbox.set_faults(Faults::default()).unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let settled = client
        .authorize_on_billing_agreement(&charge)
        .await
        .unwrap();
    assert_eq!(
        settled
            .result
            .authorization_details
            .authorization_reference_id
            .unwrap()
            .as_str(),
        "timeout-1"
    );
    assert_eq!(sandbox.inspect(|w| w.v1.authorizations.len()), 1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn clock_skew_is_learned_from_the_date_header_or_reported() {
    // The service's clock runs an hour ahead of this machine's. (A frozen clock is the one
    // the simulator checks timestamps against; a moved clock alone no longer expires them.)
    let ahead = time::OffsetDateTime::now_utc().unix_timestamp() + 3600;
    let sandbox = Sandbox::start(SandboxConfig {
        frozen_clock: amazon_pay_protocol::Timestamp::from_unix(ahead),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let client = Client::builder(
        sandbox.account(Region::Jp).unwrap().credentials(),
        sandbox.endpoint(Environment::Sandbox),
    )
    .retry_policy(fast_retries())
    .build()
    .unwrap();
    let (ba, _) = sandbox
        .buyer_creates_billing_agreement(Region::Jp, &Default::default())
        .unwrap();
    let get = v1::GetBillingAgreementDetailsRequest::builder()
        .amazon_billing_agreement_id(ba.as_str())
        .build()
        .unwrap();

    let strict = Client::builder(
        sandbox.account(Region::Jp).unwrap().credentials(),
        sandbox.endpoint(Environment::Sandbox),
    )
    .learn_clock_skew(false)
    .build()
    .unwrap();
    let error = strict
        .get_billing_agreement_details(&get)
        .await
        .unwrap_err();
    let ClientError::ClockSkew {
        skew_seconds,
        error: service,
        ..
    } = &error
    else {
        panic!("{error}")
    };
    assert_eq!(service.code, ErrorCode::RequestExpired);
    assert!(
        (3595..=3605).contains(&skew_seconds.unwrap()),
        "{skew_seconds:?}"
    );
    assert!(
        error.to_string().contains("s behind the service's"),
        "{error}"
    );

    // Learning: one RequestExpired, then the request is signed again with the service's time.
    client.get_billing_agreement_details(&get).await.unwrap();
    assert!(
        (3595..=3605).contains(&client.clock_offset()),
        "{}",
        client.clock_offset()
    );
    client.get_billing_agreement_details(&get).await.unwrap();
    sandbox.shutdown().await;
}

#[tokio::test]
async fn documented_quotas_throttle_bursts_when_enforced() {
    let sandbox = Sandbox::start(SandboxConfig {
        throttle_quotas: true,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let account = sandbox.account(Region::Jp).unwrap().clone();
    let client = Client::builder(
        account.credentials(),
        sandbox.endpoint(Environment::Sandbox),
    )
    .retry_policy(RetryPolicy::none())
    .build()
    .unwrap();
    let (ba, _) = sandbox
        .buyer_creates_billing_agreement(Region::Jp, &BuyerChoices::default())
        .unwrap();
    let get = v1::GetBillingAgreementDetailsRequest::builder()
        .amazon_billing_agreement_id(ba.as_str())
        .build()
        .unwrap();
    // GetBillingAgreementDetails: sandbox quota 5, one more per second. Ten calls in a row
    // take far less than the 5 s it would need to refill enough for all of them.
    let mut outcomes = Vec::new();
    for _ in 0..10 {
        outcomes.push(
            client
                .get_billing_agreement_details(&get)
                .await
                .map(|_| ())
                .map_err(|e| e.service_error().map(|s| s.code.clone())),
        );
    }
    assert!(outcomes[..5].iter().all(Result::is_ok), "{outcomes:?}");
    assert!(
        outcomes[5..].contains(&Err(Some(ErrorCode::RequestThrottled))),
        "{outcomes:?}"
    );
    sandbox.shutdown().await;
}
