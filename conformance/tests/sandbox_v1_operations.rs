//! The v1 operations beyond charging, through the crate's own client over real HTTP: listing
//! order references in pages, solution-provider credits and their reversals, per-seller IPN
//! URLs, and documented value lengths refused by the builders and by the simulator alike.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use amazon_pay_conformance::sandbox::{Sandbox, SandboxConfig};
use amazon_pay_protocol::Money;
use amazon_pay_protocol::client::{Client, ClientError};
use amazon_pay_protocol::v1::{self, Environment, Region};
use common::{call_raw, error_code};

fn client(sandbox: &Sandbox, region: Region) -> Client {
    Client::builder(
        sandbox.account(region).unwrap().credentials(),
        sandbox.endpoint(Environment::Sandbox),
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

/// An order reference of the agreement carrying `seller_order_id`, Open when `confirm`.
async fn order(client: &Client, agreement: &str, seller_order_id: &str, confirm: bool) -> String {
    client
        .create_order_reference_for_id(
            &v1::CreateOrderReferenceForIdRequest::builder()
                .id(agreement)
                .id_type(v1::IdType::BillingAgreement)
                .confirm_now(confirm)
                .order_reference_attributes(
                    v1::OrderReferenceAttributes::builder()
                        .order_total(Money::jpy(1000).unwrap())
                        .seller_order_attributes(
                            v1::SellerOrderAttributes::builder()
                                .seller_order_id(seller_order_id)
                                .build()
                                .unwrap(),
                        )
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

fn search(seller_order_id: &str, page_size: i64) -> v1::ListOrderReferenceRequestBuilder {
    v1::ListOrderReferenceRequest::builder()
        .query_id(seller_order_id)
        .query_id_type(v1::QueryIdType::SellerOrderId)
        .payment_domain(v1::PaymentDomain::FeJpy)
        .page_size(page_size)
}

fn ids(list: Option<v1::OrderReferenceList>) -> Vec<String> {
    list.map(|l| l.items)
        .unwrap_or_default()
        .into_iter()
        .map(|o| o.amazon_order_reference_id.as_str().to_owned())
        .collect()
}

#[tokio::test]
async fn order_references_are_listed_by_seller_order_id_in_pages_with_filters() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let c = client(&sandbox, Region::Jp);
    let ba = common::confirmed_agreement(&sandbox, &c).await;
    let mut made = Vec::new();
    for i in 0..5 {
        made.push(order(&c, &ba, "shop-7", i % 2 == 0).await);
    }
    order(&c, &ba, "shop-8", true).await;

    // Three pages of 2, 2 and 1, newest first, each order reference once.
    let first = c
        .list_order_reference(&search("shop-7", 2).build().unwrap())
        .await
        .unwrap()
        .result;
    let mut seen = ids(first.order_reference_list);
    let mut token = first.next_page_token;
    let mut pages = 1;
    while let Some(t) = token {
        assert!(pages < 5, "more pages than order references");
        let next = c
            .list_order_reference_by_next_token(
                &v1::ListOrderReferenceByNextTokenRequest::builder()
                    .next_page_token(t)
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap()
            .result;
        seen.extend(ids(next.order_reference_list));
        token = next.next_page_token;
        pages += 1;
    }
    assert_eq!(pages, 3);
    let newest_first: Vec<String> = made.iter().rev().cloned().collect();
    assert_eq!(seen, newest_first);

    // Ascending, and only the Open ones (the 1st, 3rd and 5th were confirmed).
    let open = c
        .list_order_reference(
            &search("shop-7", 10)
                .sort_order(v1::SortOrder::Ascending)
                .order_reference_status_list_filter(vec![v1::OrderReferenceState::Open])
                .build()
                .unwrap(),
        )
        .await
        .unwrap()
        .result;
    assert_eq!(
        ids(open.order_reference_list),
        vec![made[0].clone(), made[2].clone(), made[4].clone()]
    );
    assert!(open.next_page_token.is_none());

    // A creation window that ends before them finds none; one without an end is refused.
    let past = amazon_pay_protocol::Timestamp::parse("2020-01-01T00:00:00Z").unwrap();
    let window = v1::CreatedTimeRange::builder()
        .start_time(past)
        .end_time(amazon_pay_protocol::Timestamp::parse("2020-01-30T00:00:00Z").unwrap())
        .build()
        .unwrap();
    let none = c
        .list_order_reference(
            &search("shop-7", 10)
                .created_time_range(window)
                .build()
                .unwrap(),
        )
        .await
        .unwrap()
        .result;
    assert!(ids(none.order_reference_list).is_empty());
    let open_ended = v1::CreatedTimeRange::builder()
        .start_time(past)
        .build()
        .unwrap();
    let refused = c
        .list_order_reference(
            &search("shop-7", 10)
                .created_time_range(open_ended)
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(service_code(refused), v1::ErrorCode::MissingParameter);

    // Another region's domain, a page too large, and a token of another seller are refused.
    let wrong_domain = search("shop-7", 2)
        .payment_domain(v1::PaymentDomain::NaUsd)
        .build()
        .unwrap();
    let e = c.list_order_reference(&wrong_domain).await.unwrap_err();
    assert_eq!(service_code(e), v1::ErrorCode::InvalidParameterValue);
    let e = c
        .list_order_reference(&search("shop-7", 101).build().unwrap())
        .await
        .unwrap_err();
    assert_eq!(service_code(e), v1::ErrorCode::InvalidParameterValue);
    let token = c
        .list_order_reference(&search("shop-7", 2).build().unwrap())
        .await
        .unwrap()
        .result
        .next_page_token
        .unwrap();
    let uk = client(&sandbox, Region::Uk);
    let e = uk
        .list_order_reference_by_next_token(
            &v1::ListOrderReferenceByNextTokenRequest::builder()
                .next_page_token(token)
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(service_code(e), v1::ErrorCode::InvalidParameterValue);
    sandbox.shutdown().await;
}

/// An Open, uncaptured authorization of `yen` on a new agreement's order reference.
async fn open_authorization(sandbox: &Sandbox, c: &Client, yen: i64) -> String {
    let ba = common::confirmed_agreement(sandbox, c).await;
    c.authorize_on_billing_agreement(
        &v1::AuthorizeOnBillingAgreementRequest::builder()
            .amazon_billing_agreement_id(ba.as_str())
            .authorization_reference_id("pc-auth")
            .authorization_amount(Money::jpy(yen).unwrap())
            .transaction_timeout(0)
            .build()
            .unwrap(),
    )
    .await
    .unwrap()
    .result
    .authorization_details
    .amazon_authorization_id
    .as_str()
    .to_owned()
}

fn capture(auth: &str, reference: &str, yen: i64, credits: &[(&str, i64)]) -> v1::CaptureRequest {
    let credits: Vec<v1::ProviderCredit> = credits
        .iter()
        .map(|(provider, amount)| {
            v1::ProviderCredit::builder()
                .provider_id(*provider)
                .credit_amount(Money::jpy(*amount).unwrap())
                .build()
                .unwrap()
        })
        .collect();
    v1::CaptureRequest::builder()
        .amazon_authorization_id(auth)
        .capture_reference_id(reference)
        .capture_amount(Money::jpy(yen).unwrap())
        .provider_credit_list(credits)
        .build()
        .unwrap()
}

fn reversal(credit: &str, reference: &str, yen: i64) -> v1::ReverseProviderCreditRequest {
    v1::ReverseProviderCreditRequest::builder()
        .amazon_provider_credit_id(credit)
        .credit_reversal_reference_id(reference)
        .credit_reversal_amount(Money::jpy(yen).unwrap())
        .build()
        .unwrap()
}

async fn credit_details(c: &Client, id: &str) -> v1::ProviderCreditDetails {
    c.get_provider_credit_details(
        &v1::GetProviderCreditDetailsRequest::builder()
            .amazon_provider_credit_id(id)
            .build()
            .unwrap(),
    )
    .await
    .unwrap()
    .result
    .provider_credit_details
}

#[tokio::test]
async fn a_capture_pays_provider_credits_that_reversals_take_back_up_to_their_amount() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let c = client(&sandbox, Region::Jp);
    let auth = open_authorization(&sandbox, &c, 5000).await;

    // Credits above the captured amount: refused, and nothing was made.
    let e = c
        .capture(&capture(
            &auth,
            "pc-cap-0",
            1000,
            &[("PROV-A", 800), ("PROV-B", 300)],
        ))
        .await
        .unwrap_err();
    assert_eq!(service_code(e), v1::ErrorCode::TransactionAmountExceeded);
    let made = sandbox.inspect(|w| (w.v1.captures.len(), w.v1.provider_credits.len()));
    assert_eq!(made, (0, 0));

    let details = c
        .capture(&capture(&auth, "pc-cap-1", 5000, &[("PROV-A", 300)]))
        .await
        .unwrap()
        .result
        .capture_details;
    let summaries = details.provider_credit_summary_list.unwrap().items;
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].provider_id.as_deref(), Some("PROV-A"));
    let credit_id = summaries[0].provider_credit_id.clone().unwrap();
    let credit = credit_details(&c, credit_id.as_str()).await;
    assert_eq!(credit.credit_amount, Some(Money::jpy(300).unwrap()));
    assert_eq!(credit.credit_reversal_amount, Some(Money::jpy(0).unwrap()));
    assert_eq!(
        credit.credit_status.unwrap().state,
        v1::ProviderCreditState::Completed
    );

    // Part, the same request again (the same reversal), the rest; then nothing is left.
    let first = c
        .reverse_provider_credit(&reversal(credit_id.as_str(), "rev-1", 100))
        .await
        .unwrap()
        .result
        .provider_credit_reversal_details;
    let again = c
        .reverse_provider_credit(&reversal(credit_id.as_str(), "rev-1", 100))
        .await
        .unwrap()
        .result
        .provider_credit_reversal_details;
    assert_eq!(
        first.amazon_provider_credit_reversal_id,
        again.amazon_provider_credit_reversal_id
    );
    let e = c
        .reverse_provider_credit(&reversal(credit_id.as_str(), "rev-2", 201))
        .await
        .unwrap_err();
    assert_eq!(service_code(e), v1::ErrorCode::TransactionAmountExceeded);
    c.reverse_provider_credit(&reversal(credit_id.as_str(), "rev-2", 200))
        .await
        .unwrap();
    let credit = credit_details(&c, credit_id.as_str()).await;
    assert_eq!(
        credit.credit_reversal_amount,
        Some(Money::jpy(300).unwrap())
    );
    assert_eq!(credit.credit_reversal_id_list.unwrap().items.len(), 2);
    let status = credit.credit_status.unwrap();
    assert_eq!(status.state, v1::ProviderCreditState::Closed);
    assert_eq!(
        status.reason_code,
        Some(v1::ProviderCreditReasonCode::MaxAmountReversed)
    );
    let read = c
        .get_provider_credit_reversal_details(
            &v1::GetProviderCreditReversalDetailsRequest::builder()
                .amazon_provider_credit_reversal_id(first.amazon_provider_credit_reversal_id)
                .build()
                .unwrap(),
        )
        .await
        .unwrap()
        .result
        .provider_credit_reversal_details;
    assert_eq!(read.credit_reversal_amount, Some(Money::jpy(100).unwrap()));

    // Another seller cannot read the credit.
    let e = client(&sandbox, Region::Uk)
        .get_provider_credit_details(
            &v1::GetProviderCreditDetailsRequest::builder()
                .amazon_provider_credit_id(credit_id.as_str())
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(service_code(e), v1::ErrorCode::InvalidTransactionId);
    sandbox.shutdown().await;
}

fn configuration(
    url: &str,
    events: Vec<v1::NotificationEventType>,
) -> v1::NotificationConfiguration {
    v1::NotificationConfiguration::builder()
        .notification_url(url)
        .event_types(events)
        .build()
        .unwrap()
}

/// The URLs the simulator posted `kind` notifications to (waiting, boundedly, for `count`).
async fn posted_to(sandbox: &Sandbox, kind: &str, count: usize) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let log: serde_json::Value = reqwest::get(format!("{}/__sandbox/ipn", sandbox.base_url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let urls: Vec<String> = log["sent"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["notification_type"] == kind)
            .map(|r| r["url"].as_str().unwrap().to_owned())
            .collect();
        if urls.len() >= count {
            return urls;
        }
        assert!(tokio::time::Instant::now() < deadline, "{kind} IPNs: {log}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_sellers_notification_urls_take_precedence_per_event_type() {
    // Nobody listens on port 9: deliveries fail fast, and the log still shows where they went.
    let sandbox = Sandbox::start(SandboxConfig {
        ipn_url: Some("http://127.0.0.1:9/simulator".into()),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let c = client(&sandbox, Region::Jp);
    let configured = c
        .get_merchant_notification_configuration(
            &v1::GetMerchantNotificationConfigurationRequest::builder()
                .build()
                .unwrap(),
        )
        .await
        .unwrap()
        .result;
    assert!(
        configured
            .notification_configuration_list
            .unwrap_or_default()
            .items
            .is_empty()
    );

    let refused = v1::SetMerchantNotificationConfigurationRequest::builder()
        .notification_configuration_list(vec![configuration(
            "http://example.com/ipn",
            vec![v1::NotificationEventType::All],
        )])
        .build()
        .unwrap();
    let e = c
        .set_merchant_notification_configuration(&refused)
        .await
        .unwrap_err();
    assert_eq!(service_code(e), v1::ErrorCode::InvalidParameterValue);

    let list = vec![
        configuration(
            "http://127.0.0.1:9/captures",
            vec![v1::NotificationEventType::PaymentCapture],
        ),
        configuration(
            "https://seller.example/ipn",
            vec![v1::NotificationEventType::PaymentAuthorize],
        ),
    ];
    c.set_merchant_notification_configuration(
        &v1::SetMerchantNotificationConfigurationRequest::builder()
            .notification_configuration_list(list.clone())
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let read = c
        .get_merchant_notification_configuration(
            &v1::GetMerchantNotificationConfigurationRequest::builder()
                .build()
                .unwrap(),
        )
        .await
        .unwrap()
        .result
        .notification_configuration_list
        .unwrap();
    assert_eq!(read.items, list);

    let ba = common::confirmed_agreement(&sandbox, &c).await;
    common::charge_now(&c, &ba, "ipn-seller-1", 500).await;
    // Each type goes to the seller's URL for it; a type the seller did not configure goes to
    // the simulator's URL.
    for (notification_type, url) in [
        ("PaymentCapture", "http://127.0.0.1:9/captures"),
        ("PaymentAuthorize", "https://seller.example/ipn"),
        (
            "BillingAgreementNotification",
            "http://127.0.0.1:9/simulator",
        ),
    ] {
        let urls: BTreeSet<String> = posted_to(&sandbox, notification_type, 1)
            .await
            .into_iter()
            .collect();
        assert_eq!(
            urls,
            BTreeSet::from([url.to_owned()]),
            "{notification_type}"
        );
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_value_longer_than_its_documented_maximum_is_refused_and_changes_nothing() {
    // The builder names the field.
    let long = "n".repeat(1025);
    let e = v1::BillingAgreementAttributes::builder()
        .seller_note(long.as_str())
        .build()
        .unwrap_err();
    assert_eq!(e.invalid.len(), 1);
    assert_eq!(e.invalid[0].0, "SellerNote");
    assert!(e.to_string().contains("SellerNote"), "{e}");
    let e = v1::CaptureRequest::builder()
        .amazon_authorization_id("S01-0000001-0000001-A0000001")
        .capture_reference_id("c")
        .capture_amount(Money::jpy(1).unwrap())
        .soft_descriptor("x".repeat(17))
        .build()
        .unwrap_err();
    assert_eq!(e.invalid[0].0, "SoftDescriptor");

    // The simulator refuses what a client sends past its builder, and stores nothing.
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let c = client(&sandbox, Region::Jp);
    let (ba, _) = sandbox
        .buyer_creates_billing_agreement(Region::Jp, &Default::default())
        .unwrap();
    let set = |note: &str| {
        [
            ("AmazonBillingAgreementId", ba.clone()),
            ("BillingAgreementAttributes.SellerNote", note.to_owned()),
        ]
    };
    let params = set(&long);
    let borrowed: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = call_raw(&sandbox, "SetBillingAgreementDetails", &borrowed).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), "InvalidParameterValue");
    assert!(body.contains("SellerNote"), "{body}");
    assert!(!body.contains(&long), "the value is not echoed");
    assert_eq!(common::agreement_details(&c, &ba).await.seller_note, None);

    let at_limit = "n".repeat(1024);
    let params = set(&at_limit);
    let borrowed: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = call_raw(&sandbox, "SetBillingAgreementDetails", &borrowed).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        common::agreement_details(&c, &ba).await.seller_note,
        Some(at_limit)
    );
    sandbox.shutdown().await;
}

fn authorize(order_reference: &str, reference: &str) -> v1::AuthorizeRequest {
    common::authorization(order_reference, reference, 1)
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_order_reference_takes_25_authorizations_and_those_of_others_do_not_count() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let c = client(&sandbox, Region::Jp);
    let ba = common::confirmed_agreement(&sandbox, &c).await;
    let (first, other) = (
        order(&c, &ba, "count-first", true).await,
        order(&c, &ba, "count-other", true).await,
    );
    // The other order reference's authorizations are no part of the first's count.
    for i in 0..3 {
        c.authorize(&authorize(&other, &format!("other-{i}")))
            .await
            .unwrap();
    }
    for i in 0..25 {
        c.authorize(&authorize(&first, &format!("first-{i}")))
            .await
            .unwrap_or_else(|e| panic!("authorization {} of 25: {e}", i + 1));
    }
    let refused = c
        .authorize(&authorize(&first, "first-25"))
        .await
        .unwrap_err();
    assert_eq!(
        service_code(refused),
        v1::ErrorCode::TransactionCountExceeded
    );

    // The refusal changed nothing: the first still lists 25, the other takes more.
    let details = c
        .get_order_reference_details(
            &v1::GetOrderReferenceDetailsRequest::builder()
                .amazon_order_reference_id(first.as_str())
                .build()
                .unwrap(),
        )
        .await
        .unwrap()
        .result
        .order_reference_details;
    assert_eq!(details.id_list.map_or(0, |l| l.items.len()), 25);
    c.authorize(&authorize(&other, "other-3")).await.unwrap();
    sandbox.shutdown().await;
}
