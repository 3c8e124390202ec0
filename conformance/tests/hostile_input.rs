//! Hostile requests against the simulator over real HTTP: repeated keys, bytes that are not
//! UTF-8, control characters XML cannot carry. Each is refused as an Amazon error document,
//! changes nothing, and every answer (and every answer of the recorded scenario suite) is
//! well-formed XML 1.0 to a strict parser. And every recorded request, its values changed,
//! removed or joined by others and signed again, gets an answer our own parser reads or an
//! Amazon error document, never an internal error (a case whose request went unanswered, as
//! when the simulator died, fails), and when refused it changes no object.

mod common;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use amazon_pay_conformance::sandbox::{Sandbox, SandboxConfig};
use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::client::Client;
use amazon_pay_protocol::v1::{self, Environment, Region};
use common::{SANDBOX_PATH, call_raw, error_code, post_form, raw_params, signed_body, strict_xml};
use proptest::prelude::*;

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

/// The parameters of every v1 request of the recorded scenario suite, without the common ones
/// (each case signs its own), by action.
fn recorded_requests() -> &'static [(String, BTreeMap<String, String>)] {
    static REQUESTS: OnceLock<Vec<(String, BTreeMap<String, String>)>> = OnceLock::new();
    REQUESTS.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("recordings/v1");
        let mut requests = Vec::new();
        for file in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
            let exchanges: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
            for x in &exchanges {
                let (Some(action), Some(form)) = (x["action"].as_str(), x["request"].as_str())
                else {
                    continue;
                };
                let mut params = amazon_pay_protocol::ParamMap::from_form(form.as_bytes()).0;
                params.retain(|k, _| !v1::COMMON_PARAMS.contains(&k.as_str()));
                requests.push((action.to_owned(), params));
            }
        }
        requests.sort();
        requests
    })
}

/// A simulator shared by every case, on a runtime of its own, with an Open billing agreement
/// and a Draft order reference that the recorded ids are replaced by, so that changed
/// requests reach the operations rather than stop at an unknown id.
struct Shared {
    runtime: tokio::runtime::Runtime,
    sandbox: Sandbox,
    agreement: String,
    order: String,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let (sandbox, agreement, order) = runtime.block_on(async {
            let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
            let account = sandbox.account(Region::Jp).unwrap().clone();
            let client = Client::builder(
                account.credentials(),
                sandbox.endpoint(Environment::Sandbox),
            )
            .build()
            .unwrap();
            let agreement = common::confirmed_agreement(&sandbox, &client).await;
            let order = order(&sandbox).await;
            (sandbox, agreement, order)
        });
        Shared {
            runtime,
            sandbox,
            agreement,
            order,
        }
    })
}

/// Every stored v1 object, as the test endpoints show them.
async fn v1_objects(sandbox: &Sandbox) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    for kind in [
        "billing-agreements",
        "order-references",
        "authorizations",
        "captures",
        "refunds",
    ] {
        let answer = reqwest::get(format!("{}/__sandbox/objects/{kind}", sandbox.base_url()))
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        all.push(answer.json().await.unwrap());
    }
    all
}

/// One change to a request: a value replaced, a parameter removed, or one added under a name
/// another request uses.
#[derive(Debug, Clone)]
enum Change {
    Set {
        at: usize,
        value: String,
    },
    Remove {
        at: usize,
    },
    Add {
        from: usize,
        at: usize,
        value: String,
    },
}

fn hostile_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "-?[0-9]{1,22}(\\.[0-9]{0,5})?",
        "(true|false|JPY|USD|EUR|XXX|Open|Closed|None)",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{0,12}Z?",
        "[A-Z][0-9]{2}-[0-9]{7}-[0-9]{7}(-[A-Z][0-9]{6})?",
        any::<String>(),
    ]
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (any::<usize>(), hostile_value()).prop_map(|(at, value)| Change::Set { at, value }),
        any::<usize>().prop_map(|at| Change::Remove { at }),
        (any::<usize>(), any::<usize>(), hostile_value())
            .prop_map(|(from, at, value)| Change::Add { from, at, value }),
    ]
}

/// The `at`-th key of `params` (modulo their number), if it has any.
fn nth_key(params: &BTreeMap<String, String>, at: usize) -> Option<String> {
    params.keys().nth(at.checked_rem(params.len())?).cloned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn changed_recorded_requests_get_readable_answers_or_error_documents(
        which in any::<usize>(),
        changes in prop::collection::vec(change(), 1..5),
    ) {
        let requests = recorded_requests();
        prop_assert!(requests.len() > 50, "{} recorded requests", requests.len());
        let shared = shared();
        let (action, recorded) = &requests[which % requests.len()];
        let mut params = recorded.clone();
        for (key, id) in [
            ("AmazonBillingAgreementId", &shared.agreement),
            ("AmazonOrderReferenceId", &shared.order),
        ] {
            if let Some(value) = params.get_mut(key) {
                value.clone_from(id);
            }
        }
        for change in changes {
            match change {
                Change::Set { at, value } => {
                    if let Some(key) = nth_key(&params, at) {
                        params.insert(key, value);
                    }
                }
                Change::Remove { at } => {
                    if let Some(key) = nth_key(&params, at) {
                        params.remove(&key);
                    }
                }
                Change::Add { from, at, value } => {
                    if let Some(key) = nth_key(&requests[from % requests.len()].1, at) {
                        params.insert(key, value);
                    }
                }
            }
        }
        let extra: Vec<(&str, &str)> =
            params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (before, (status, answer), after) = shared.runtime.block_on(async {
            let before = v1_objects(&shared.sandbox).await;
            let answer = call_raw(&shared.sandbox, action, &extra).await;
            (before, answer, v1_objects(&shared.sandbox).await)
        });
        strict_xml(&answer).map_err(|e| TestCaseError::fail(format!("{e}: {answer}")))?;
        prop_assert!(status != 500, "{action} {params:?}: {answer}");
        if status == 200 {
            let read = v1::AnyResponse::parse(action, answer.as_bytes());
            prop_assert!(read.is_ok(), "{action}: {read:?}: {answer}");
        } else {
            let code = error_code(&answer);
            prop_assert!(!code.starts_with("not an error document"), "{status} {code}");
            prop_assert!(before == after, "{action} was refused ({code}) and changed objects: {params:?}");
        }
    }
}
