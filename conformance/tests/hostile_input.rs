//! Hostile requests against the simulator over real HTTP: repeated keys, bytes that are not
//! UTF-8, control characters XML cannot carry. Each is refused as an Amazon error document,
//! changes nothing, and every answer (and every answer of the recorded scenario suite) is
//! well-formed XML 1.0 to a strict parser.

mod common;

use amazon_pay_conformance::sandbox::{Sandbox, SandboxConfig};
use amazon_pay_protocol::Timestamp;
use common::{SANDBOX_PATH, call_raw, error_code, post_form, raw_params, signed_body, strict_xml};

fn now() -> Timestamp {
    Timestamp::from_unix(time::OffsetDateTime::now_utc().unix_timestamp()).unwrap()
}

async fn order(sandbox: &Sandbox) -> String {
    common::buyer_order(sandbox).await
}

/// A validly signed SetOrderReferenceDetails body for `order`.
fn set_details(sandbox: &Sandbox, order: &str, note: &str) -> String {
    let params = raw_params(
        sandbox,
        "SetOrderReferenceDetails",
        &[
            ("AmazonOrderReferenceId", order),
            ("OrderReferenceAttributes.OrderTotal.Amount", "1000"),
            ("OrderReferenceAttributes.OrderTotal.CurrencyCode", "JPY"),
            ("OrderReferenceAttributes.SellerNote", note),
        ],
        now(),
    );
    signed_body(sandbox, SANDBOX_PATH, &params)
}

async fn seller_note(sandbox: &Sandbox, order: &str) -> Option<String> {
    let (status, body) = call_raw(
        sandbox,
        "GetOrderReferenceDetails",
        &[("AmazonOrderReferenceId", order)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    strict_xml(&body).unwrap();
    amazon_pay_protocol::v1::GetOrderReferenceDetailsResponse::from_xml(body.as_bytes())
        .unwrap()
        .result
        .order_reference_details
        .seller_note
}

#[tokio::test]
async fn repeated_keys_are_refused_and_the_earlier_copies_never_count() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let order = order(&sandbox).await;
    let body = set_details(&sandbox, &order, "signed");
    let cases = [
        (
            "repeated Action before a signed body",
            format!("{}{body}", "Action=CancelOrderReference&".repeat(100)),
        ),
        ("a second Signature", format!("{body}&Signature=AAAA")),
        (
            "a repeated note",
            format!("OrderReferenceAttributes.SellerNote=unsigned&{body}"),
        ),
    ];
    for (what, hostile) in cases {
        let (status, answer) = post_form(&sandbox, SANDBOX_PATH, hostile).await;
        strict_xml(&answer).unwrap_or_else(|e| panic!("{what}: {e}: {answer}"));
        assert_eq!(
            (status, error_code(&answer).as_str()),
            (400, "InvalidParameterValue"),
            "{what}: {answer}"
        );
    }
    assert_eq!(
        seller_note(&sandbox, &order).await,
        None,
        "nothing was applied"
    );
    let (status, answer) = post_form(&sandbox, SANDBOX_PATH, body).await;
    assert_eq!(status, 200, "{answer}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn bytes_that_are_not_utf8_after_decoding_are_refused() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let order = order(&sandbox).await;
    // Signed over U+FFFD, sent as a lone 0xFF: the lenient reader turned it into the signed
    // value; a strict one refuses it.
    let body = set_details(&sandbox, &order, "\u{FFFD}").replace("%EF%BF%BD", "%FF");
    let (status, answer) = post_form(&sandbox, SANDBOX_PATH, body).await;
    assert_eq!(
        (status, error_code(&answer).as_str()),
        (400, "InvalidParameterValue"),
        "{answer}"
    );
    assert!(answer.contains("not valid UTF-8"), "{answer}");
    assert_eq!(seller_note(&sandbox, &order).await, None);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn control_characters_are_refused_and_every_answer_stays_well_formed() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let order = order(&sandbox).await;
    for note in ["nul \u{0} here", "escape \u{1b}[31m red", "\u{FFFF}"] {
        let (status, answer) =
            post_form(&sandbox, SANDBOX_PATH, set_details(&sandbox, &order, note)).await;
        strict_xml(&answer).unwrap_or_else(|e| panic!("{note:?}: {e}: {answer}"));
        assert_eq!(
            (status, error_code(&answer).as_str()),
            (400, "InvalidParameterValue"),
            "{answer}"
        );
    }
    assert_eq!(seller_note(&sandbox, &order).await, None);
    // Values the verifier echoes in its messages.
    for (key, value) in [
        ("Timestamp", "2026-01-01T00:00:00Z\u{1b}"),
        ("SignatureMethod", "Hmac\u{0}SHA1"),
        ("Action", "Get\u{7}Status"),
    ] {
        let mut params = raw_params(&sandbox, "GetServiceStatus", &[], now());
        params.insert(key.to_owned(), value.to_owned());
        let (status, answer) = post_form(
            &sandbox,
            SANDBOX_PATH,
            signed_body(&sandbox, SANDBOX_PATH, &params),
        )
        .await;
        strict_xml(&answer).unwrap_or_else(|e| panic!("{key}: {e}: {answer}"));
        assert_eq!(status, 400, "{key}: {answer}");
    }
    sandbox.shutdown().await;
}

#[test]
fn every_recorded_answer_of_the_scenario_suite_is_well_formed_xml() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("recordings/v1");
    let mut answers = 0;
    for file in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        let exchanges: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        for x in exchanges.iter().filter(|x| x["status"].is_number()) {
            let body = x["response"].as_str().unwrap();
            strict_xml(body).unwrap_or_else(|e| panic!("{}: {e}: {body}", x["action"]));
            answers += 1;
        }
    }
    assert!(answers > 100, "{answers} answers");
}

#[tokio::test]
async fn oversized_bodies_unknown_paths_and_other_methods_get_xml_error_documents() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    // About 390,000 empty parameters in 2 MiB.
    let (status, answer) = post_form(&sandbox, SANDBOX_PATH, "a=&".repeat(700_000)).await;
    strict_xml(&answer).unwrap();
    assert_eq!(
        (status, error_code(&answer).as_str()),
        (413, "InvalidParameterValue"),
        "{answer}"
    );
    // Under the size cap but over the parameter cap: refused before the signature is computed.
    let (status, answer) = post_form(&sandbox, SANDBOX_PATH, "a=&".repeat(2000)).await;
    assert_eq!(
        (status, error_code(&answer).as_str()),
        (400, "InvalidParameterValue"),
        "{answer}"
    );
    let (status, answer) = post_form(&sandbox, "/no/such/path/here", "a=1").await;
    strict_xml(&answer).unwrap();
    assert_eq!(
        (status, error_code(&answer).as_str()),
        (404, "InvalidAddress"),
        "{answer}"
    );
    let get = reqwest::get(format!("{}{SANDBOX_PATH}", sandbox.base_url()))
        .await
        .unwrap();
    assert_eq!(get.status().as_u16(), 405);
    let answer = get.text().await.unwrap();
    strict_xml(&answer).unwrap();
    assert_eq!(error_code(&answer), "InvalidAddress", "{answer}");
    sandbox.shutdown().await;
}
