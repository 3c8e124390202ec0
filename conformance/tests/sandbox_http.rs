//! The simulator over real HTTP on 127.0.0.1: what it refuses (and that refusing changes
//! nothing), a request signed by the official Python SDK, state that survives a restart, and
//! signed IPNs verified end to end.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use amazon_pay_conformance::sandbox::{Account, BuyerChoices, Sandbox, SandboxConfig};
use amazon_pay_protocol::client::{Client, ClientError};
use amazon_pay_protocol::error::ErrorDocument;
use amazon_pay_protocol::ipn::Notification;
use amazon_pay_protocol::sign::sign_param_map;
use amazon_pay_protocol::v1::{self, Environment, Region};
use amazon_pay_protocol::{Money, Timestamp};
use serde_json::{Value, json};

const PATH: &str = "/OffAmazonPayments_Sandbox/2013-01-01";

fn now() -> Timestamp {
    Timestamp::from_unix(time::OffsetDateTime::now_utc().unix_timestamp()).unwrap()
}

fn jp(sandbox: &Sandbox) -> Account {
    sandbox.account(Region::Jp).unwrap().clone()
}

/// Posts a form body; returns the status and the body.
async fn post(sandbox: &Sandbox, path: &str, body: String) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", sandbox.base_url()))
        .header(
            "Content-Type",
            "application/x-www-form-urlencoded; charset=UTF-8",
        )
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn code(body: &str) -> String {
    ErrorDocument::from_xml(body.as_bytes())
        .map(|d| d.error.code)
        .unwrap_or_else(|e| format!("not an error document: {e}: {body}"))
}

fn draft_agreement(sandbox: &Sandbox) -> String {
    sandbox
        .buyer_creates_billing_agreement(Region::Jp, &BuyerChoices::default())
        .unwrap()
        .0
}

fn client(sandbox: &Sandbox) -> Client {
    Client::builder(
        jp(sandbox).credentials(),
        sandbox.endpoint(Environment::Sandbox),
    )
    .build()
    .unwrap()
}

#[tokio::test]
async fn refused_requests_get_amazons_errors_and_change_nothing() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let account = jp(&sandbox);
    let host = sandbox.addr().to_string();
    let ba = draft_agreement(&sandbox);
    let confirm = [("AmazonBillingAgreementId", ba.as_str())];
    let signed =
        |p: &BTreeMap<String, String>| sign_param_map(&host, PATH, &account.secret, p).body;

    let cases: Vec<(&str, String, u16, &str)> = vec![
        (
            "wrong signature",
            {
                let body = signed(&common::account_params(
                    &account,
                    "ConfirmBillingAgreement",
                    &confirm,
                    now(),
                ));
                body.replacen("&Signature=", "&Signature=A", 1)
            },
            403,
            "SignatureDoesNotMatch",
        ),
        (
            "unknown access key",
            {
                let mut p =
                    common::account_params(&account, "ConfirmBillingAgreement", &confirm, now());
                p.insert("AWSAccessKeyId".into(), "AKIAUNKNOWN".into());
                signed(&p)
            },
            403,
            "InvalidAccessKeyId",
        ),
        (
            "timestamp 16 minutes old",
            signed(&common::account_params(
                &account,
                "ConfirmBillingAgreement",
                &confirm,
                Timestamp::from_unix(now().unix() - 16 * 60).unwrap(),
            )),
            400,
            "RequestExpired",
        ),
        (
            "timestamp 16 minutes ahead",
            signed(&common::account_params(
                &account,
                "ConfirmBillingAgreement",
                &confirm,
                Timestamp::from_unix(now().unix() + 16 * 60).unwrap(),
            )),
            400,
            "RequestExpired",
        ),
        (
            "wrong version",
            {
                let mut p =
                    common::account_params(&account, "ConfirmBillingAgreement", &confirm, now());
                p.insert("Version".into(), "2012-01-01".into());
                signed(&p)
            },
            400,
            "InvalidParameterValue",
        ),
        (
            "unknown action",
            signed(&common::account_params(
                &account,
                "ConfirmEverything",
                &confirm,
                now(),
            )),
            400,
            "InvalidAction",
        ),
        (
            "missing parameter",
            signed(&common::account_params(
                &account,
                "ConfirmBillingAgreement",
                &[],
                now(),
            )),
            400,
            "MissingParameter",
        ),
        (
            "invalid amount for JPY",
            signed(&common::account_params(
                &account,
                "AuthorizeOnBillingAgreement",
                &[
                    ("AmazonBillingAgreementId", ba.as_str()),
                    ("AuthorizationReferenceId", "x"),
                    ("AuthorizationAmount.Amount", "10.50"),
                    ("AuthorizationAmount.CurrencyCode", "JPY"),
                ],
                now(),
            )),
            400,
            "InvalidParameterValue",
        ),
    ];
    for (what, body, status, expected) in cases {
        let (got_status, got_body) = post(&sandbox, PATH, body).await;
        assert_eq!(
            (got_status, code(&got_body).as_str()),
            (status, expected),
            "{what}: {got_body}"
        );
    }
    let (status, body) = post(
        &sandbox,
        "/OffAmazonPayments_Sandbox/2012-01-01",
        signed(&common::account_params(
            &account,
            "ConfirmBillingAgreement",
            &confirm,
            now(),
        )),
    )
    .await;
    assert_eq!((status, code(&body).as_str()), (400, "InvalidAddress"));

    // Nothing above was applied: the agreement is still a Draft.
    let details = common::agreement_details(&client(&sandbox), &ba).await;
    assert_eq!(
        details.billing_agreement_status.state,
        v1::BillingAgreementState::Draft
    );

    // The same request correctly signed is applied.
    let (status, body) = post(
        &sandbox,
        PATH,
        signed(&common::account_params(
            &account,
            "ConfirmBillingAgreement",
            &confirm,
            now(),
        )),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_request_signed_by_the_official_python_sdk_is_accepted_and_one_changed_byte_is_not() {
    let Some(oracle) = amazon_pay_oracle::find() else {
        return;
    };
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let account = jp(&sandbox);
    let ba = draft_agreement(&sandbox);
    let input = json!({
        "method": "POST",
        "host": sandbox.addr().to_string(),
        "path": PATH,
        "secret_key": Account::builtin_secret(Region::Jp),
        "access_key": account.access_key_id,
        "merchant_id": account.seller_id,
        "params": {
            "Action": "SetBillingAgreementDetails",
            "AmazonBillingAgreementId": ba,
            "BillingAgreementAttributes.SellerNote": "定期便 (Python SDK) *~'!",
            "BillingAgreementAttributes.SellerBillingAgreementAttributes.StoreName": "Oracle Store",
            "Timestamp": now().to_wire(),
        }
    });
    let signed: Value = oracle
        .run("v1_sign.py", &input)
        .unwrap_or_else(|e| panic!("{e}"));
    let body = signed["query"].as_str().unwrap().to_owned();

    // One byte changed in the note: the signature no longer matches.
    let tampered = body.replacen("Oracle", "Oracle2", 1);
    let (status, answer) = post(&sandbox, PATH, tampered).await;
    assert_eq!(
        (status, code(&answer).as_str()),
        (403, "SignatureDoesNotMatch"),
        "{answer}"
    );

    let (status, answer) = post(&sandbox, PATH, body).await;
    assert_eq!(status, 200, "{answer}");
    let doc = v1::SetBillingAgreementDetailsResponse::from_xml(answer.as_bytes()).unwrap();
    let details = doc.result.billing_agreement_details;
    assert_eq!(
        details.seller_note.as_deref(),
        Some("定期便 (Python SDK) *~'!")
    );
    assert_eq!(
        details
            .seller_billing_agreement_attributes
            .unwrap()
            .store_name
            .as_deref(),
        Some("Oracle Store")
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn state_survives_a_restart_with_a_state_file() {
    let (dir, config) = common::with_state_file("sandbox-state");

    let first = Sandbox::start(config.clone()).await.unwrap();
    let c = client(&first);
    let ba = common::confirmed_agreement(&first, &c).await;
    let get = v1::GetBillingAgreementDetailsRequest::builder()
        .amazon_billing_agreement_id(ba.as_str())
        .build()
        .unwrap();
    let authorize = v1::AuthorizeOnBillingAgreementRequest::builder()
        .amazon_billing_agreement_id(ba.as_str())
        .authorization_reference_id("restart-1")
        .authorization_amount(Money::jpy(7000).unwrap())
        .transaction_timeout(0)
        .build()
        .unwrap();
    let before = c.authorize_on_billing_agreement(&authorize).await.unwrap();
    first.shutdown().await;

    let second = Sandbox::start(config).await.unwrap();
    let c = client(&second);
    let details = c
        .get_billing_agreement_details(&get)
        .await
        .unwrap()
        .result
        .billing_agreement_details;
    assert_eq!(
        details.billing_agreement_status.state,
        v1::BillingAgreementState::Open
    );
    assert_eq!(
        details
            .billing_agreement_limits
            .unwrap()
            .current_remaining_balance,
        Money::jpy(43_000).unwrap()
    );
    // The reference id is remembered too: the retry returns the same authorization.
    let again = c.authorize_on_billing_agreement(&authorize).await.unwrap();
    assert_eq!(
        again.result.authorization_details.amazon_authorization_id,
        before.result.authorization_details.amazon_authorization_id
    );
    second.shutdown().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn state_changes_arrive_as_signed_ipns_that_verify() {
    // A receiver on loopback that verifies each notification as a merchant would.
    let (receiver, envelopes) = common::ipn_receiver().await;
    let received = || -> Vec<(String, Notification)> {
        envelopes
            .lock()
            .unwrap()
            .iter()
            .map(|e| {
                let (message, notification) = Notification::parse(e).expect("a notification");
                (message.notification_type, notification)
            })
            .collect()
    };
    let sandbox = Sandbox::start(SandboxConfig {
        ipn_url: Some(receiver),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let c = client(&sandbox);
    let ba = common::confirmed_agreement(&sandbox, &c).await;
    let auth_id = common::charge_now(&c, &ba, "ipn-1", 500)
        .await
        .amazon_authorization_id;

    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let kinds: Vec<String> = received().into_iter().map(|(k, _)| k).collect();
        if [
            "BillingAgreementNotification",
            "PaymentAuthorize",
            "PaymentCapture",
        ]
        .iter()
        .all(|k| kinds.iter().any(|g| g == k))
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "IPNs received: {kinds:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let got = received();
    assert!(got.iter().any(|(_, n)| matches!(n, Notification::BillingAgreement { details, .. }
        if details.amazon_billing_agreement_id.as_str() == ba && details.billing_agreement_status.state == v1::BillingAgreementState::Open)));
    assert!(got.iter().any(|(_, n)| matches!(n, Notification::PaymentAuthorize(d) if d.amazon_authorization_id == auth_id)));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn over_the_monthly_limit_is_a_typed_400_without_an_authorization() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let c = client(&sandbox);
    let ba = common::confirmed_agreement(&sandbox, &c).await;
    let error = c
        .authorize_on_billing_agreement(
            &v1::AuthorizeOnBillingAgreementRequest::builder()
                .amazon_billing_agreement_id(ba.as_str())
                .authorization_reference_id("too-much")
                .authorization_amount(Money::jpy(50_001).unwrap())
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    let ClientError::Service {
        error, attempts, ..
    } = error
    else {
        panic!("{error}")
    };
    assert_eq!(
        (error.http_status, error.code.clone()),
        (400, v1::ErrorCode::PeriodicAmountExceeded)
    );
    assert_eq!(attempts.len(), 1, "a 400 is never retried");
    assert_eq!(sandbox.inspect(|w| w.v1.authorizations.len()), 0);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_tenth_completed_refund_closes_the_capture() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let c = client(&sandbox);
    let ba = common::confirmed_agreement(&sandbox, &c).await;
    let authorization = common::charge_now(&c, &ba, "many-refunds", 10_000).await;
    let capture = authorization.id_list.unwrap().items.remove(0);
    let refund = |n: u32| {
        v1::RefundRequest::builder()
            .amazon_capture_id(capture.as_str())
            .refund_reference_id(format!("small-refund-{n}"))
            .refund_amount(Money::jpy(100).unwrap())
            .build()
            .unwrap()
    };
    for n in 1..=10 {
        c.refund(&refund(n)).await.unwrap();
    }
    let capture_state = |c: Client| {
        let get = v1::GetCaptureDetailsRequest::builder()
            .amazon_capture_id(capture.as_str())
            .build()
            .unwrap();
        async move {
            let status = c
                .get_capture_details(&get)
                .await
                .unwrap()
                .result
                .capture_details
                .capture_status;
            (status.state, status.reason_code)
        }
    };
    // Refunds are Pending until they settle: the capture stays Completed meanwhile.
    assert_eq!(
        capture_state(c.clone()).await,
        (v1::CaptureState::Completed, None)
    );
    let moved = reqwest::Client::new()
        .post(format!("{}/__sandbox/clock", sandbox.base_url()))
        .json(&json!({ "advance_seconds": 60 }))
        .send()
        .await
        .unwrap();
    assert!(moved.status().is_success());
    assert_eq!(
        capture_state(c.clone()).await,
        (
            v1::CaptureState::Closed,
            Some(v1::CaptureReasonCode::MaxRefundsProcessed)
        )
    );
    let error = c.refund(&refund(11)).await.unwrap_err();
    assert_eq!(
        error.service_error().map(|e| e.code.clone()),
        Some(v1::ErrorCode::CaptureNotRefundable)
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn before_confirmation_the_address_is_partial_with_the_city_outside_japan() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    for (region, city_shown) in [(Region::Jp, false), (Region::Uk, true), (Region::Na, true)] {
        let account = sandbox.account(region).unwrap().clone();
        let c = Client::builder(
            account.credentials(),
            sandbox.endpoint(Environment::Sandbox),
        )
        .build()
        .unwrap();
        let (ba, _) = sandbox
            .buyer_creates_billing_agreement(region, &BuyerChoices::default())
            .unwrap();
        let details = common::agreement_details(&c, &ba).await;
        let address = details.destination.unwrap().physical_destination.unwrap();
        assert_eq!(address.city.is_some(), city_shown, "{region}: {address:?}");
        assert!(address.postal_code.is_some() && address.country_code.is_some());
        assert!(address.address_line1.is_none() && address.name.is_none());
        assert!(
            details.buyer.is_none(),
            "{region}: no buyer before confirmation"
        );
    }
    sandbox.shutdown().await;
}
