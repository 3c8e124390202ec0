//! Set-up shared by the tests that talk to the simulator.
// Each test crate includes this module and uses only part of it.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use amazon_pay_conformance::sandbox::notify::{CERT_PEM, SIGNING_CERT_URL};
use amazon_pay_conformance::sandbox::{BuyerChoices, Sandbox, SandboxConfig};
use amazon_pay_protocol::Money;
use amazon_pay_protocol::client::Client;
use amazon_pay_protocol::endpoint::{Clock, SystemClock};
use amazon_pay_protocol::ipn::{SnsEnvelope, StaticCertificates, verify};
use amazon_pay_protocol::v1::{self, Region};

/// The envelopes an IPN receiver verified, in the order they arrived.
pub type Received = Arc<Mutex<Vec<SnsEnvelope>>>;

/// An IPN receiver on 127.0.0.1 that verifies each notification as a merchant would (against
/// the simulator's certificate, at the machine's time) and keeps it; returns its URL.
pub async fn ipn_receiver() -> (String, Received) {
    let received = Received::default();
    let sink = received.clone();
    let app = axum::Router::new().route(
        "/ipn",
        axum::routing::post(move |body: axum::body::Bytes| {
            let sink = sink.clone();
            async move {
                let envelope = SnsEnvelope::parse(&body).expect("an SNS envelope");
                let certificates = StaticCertificates::new().with(SIGNING_CERT_URL, CERT_PEM);
                verify(&envelope, &certificates, SystemClock.now()).expect("a valid signature");
                sink.lock().unwrap().push(envelope);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/ipn", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

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

/// The sandbox path of v1 requests.
pub const SANDBOX_PATH: &str = "/OffAmazonPayments_Sandbox/2013-01-01";

/// Every parameter of a JP request at `at`, the common ones included, unsigned.
pub fn raw_params(
    sandbox: &Sandbox,
    action: &str,
    extra: &[(&str, &str)],
    at: amazon_pay_protocol::Timestamp,
) -> std::collections::BTreeMap<String, String> {
    account_params(sandbox.account(Region::Jp).unwrap(), action, extra, at)
}

/// Every parameter of a request of `account` at `at`, the common ones included, unsigned.
pub fn account_params(
    account: &amazon_pay_conformance::sandbox::Account,
    action: &str,
    extra: &[(&str, &str)],
    at: amazon_pay_protocol::Timestamp,
) -> std::collections::BTreeMap<String, String> {
    let mut p: std::collections::BTreeMap<String, String> = [
        ("AWSAccessKeyId", account.access_key_id.as_str()),
        ("Action", action),
        ("SellerId", account.seller_id.as_str()),
        ("SignatureMethod", "HmacSHA256"),
        ("SignatureVersion", "2"),
        ("Version", "2013-01-01"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    p.insert("Timestamp".into(), at.to_wire());
    for (k, v) in extra {
        p.insert((*k).to_owned(), (*v).to_owned());
    }
    p
}

/// The form body of `params` signed for `path` with the JP secret.
pub fn signed_body(
    sandbox: &Sandbox,
    path: &str,
    params: &std::collections::BTreeMap<String, String>,
) -> String {
    let secret = &sandbox.account(Region::Jp).unwrap().secret;
    amazon_pay_protocol::sign::sign_param_map(&sandbox.addr().to_string(), path, secret, params)
        .body
}

/// Posts a form body as an SDK would; returns the status and the body as text.
pub async fn post_form(
    sandbox: &Sandbox,
    path: &str,
    body: impl Into<reqwest::Body>,
) -> (u16, String) {
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

/// A JP request signed now and sent to the sandbox path: the status and the raw XML.
pub async fn call_raw(sandbox: &Sandbox, action: &str, extra: &[(&str, &str)]) -> (u16, String) {
    let now =
        amazon_pay_protocol::Timestamp::from_unix(time::OffsetDateTime::now_utc().unix_timestamp())
            .unwrap();
    let params = raw_params(sandbox, action, extra, now);
    post_form(
        sandbox,
        SANDBOX_PATH,
        signed_body(sandbox, SANDBOX_PATH, &params),
    )
    .await
}

/// The error code of an error document (or why the body is not one).
pub fn error_code(body: &str) -> String {
    amazon_pay_protocol::error::ErrorDocument::from_xml(body.as_bytes())
        .map(|d| d.error.code)
        .unwrap_or_else(|e| format!("not an error document: {e}: {body}"))
}

/// The buyer leaves a JP Draft order reference behind (`/__sandbox/buyer/order-references`).
pub async fn buyer_order(sandbox: &Sandbox) -> String {
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!(
            "{}/__sandbox/buyer/order-references",
            sandbox.base_url()
        ))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["amazon_order_reference_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Whether XML 1.0 can carry `c` (its `Char` production).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Checks a document as a strict (expat-like) parser would: one root, matching end tags, and
/// only XML 1.0 characters in text, attributes and references.
pub fn strict_xml(body: &str) -> Result<(), String> {
    use quick_xml::events::Event;
    if let Some(c) = body.chars().find(|c| !xml_char(*c)) {
        return Err(format!("raw character U+{:04X}", u32::from(c)));
    }
    let mut reader = quick_xml::Reader::from_str(body);
    let (mut depth, mut roots) = (0usize, 0usize);
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                if depth == 0 {
                    roots += 1;
                }
                for attribute in e.attributes() {
                    let attribute = attribute.map_err(|e| e.to_string())?;
                    let value = attribute.unescape_value().map_err(|e| e.to_string())?;
                    if let Some(c) = value.chars().find(|c| !xml_char(*c)) {
                        return Err(format!("attribute holds U+{:04X}", u32::from(c)));
                    }
                }
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                }
            }
            Event::End(_) => depth -= 1,
            Event::Text(t) => {
                let text = t.unescape().map_err(|e| e.to_string())?;
                if let Some(c) = text.chars().find(|c| !xml_char(*c)) {
                    return Err(format!("text holds U+{:04X}", u32::from(c)));
                }
                if depth == 0 && !text.trim().is_empty() {
                    return Err("text outside the root".into());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    match (roots, depth) {
        (1, 0) => Ok(()),
        _ => Err(format!("{roots} root elements, {depth} left open")),
    }
}

/// A fresh folder under the system's temporary one (named after `name`), and a simulator
/// configuration keeping its state in `state.sqlite` there.
pub fn with_state_file(name: &str) -> (std::path::PathBuf, SandboxConfig) {
    let dir = std::env::temp_dir().join(format!(
        "{name}-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let config = SandboxConfig {
        state_file: Some(dir.join("state.sqlite")),
        ..SandboxConfig::default()
    };
    (dir, config)
}

/// An authorization of `yen` on order reference `order` that settles at once
/// (`TransactionTimeout` 0); callers add what differs, such as `capture_now`.
pub fn authorization(order: &str, reference: &str, yen: i64) -> v1::AuthorizeRequestBuilder {
    v1::AuthorizeRequest::builder()
        .amazon_order_reference_id(order)
        .authorization_reference_id(reference)
        .authorization_amount(Money::jpy(yen).unwrap())
        .transaction_timeout(0)
}
