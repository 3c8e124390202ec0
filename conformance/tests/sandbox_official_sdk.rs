//! The official Python SDK (PyPI amazon-pay 2.7.1, through the oracle harness), unmodified but
//! for its endpoint URL, drives seed 003's flow against the simulator over real HTTP: a
//! billing agreement set up and confirmed, a charge, the clock moved a month on, and the charge
//! of the next month. The SDK signs with the machine's clock throughout, so the simulator must
//! check request timestamps against real time while business runs on its own clock.

use amazon_pay_conformance::sandbox::{Account, BuyerChoices, Sandbox, SandboxConfig};
use amazon_pay_protocol::v1::{Environment, Region};
use serde_json::{Value, json};

fn charge(ba: &str, reference: &str) -> Value {
    json!({ "operation": "authorize_on_billing_agreement", "kwargs": {
        "amazon_billing_agreement_id": ba,
        "authorization_reference_id": reference,
        "authorization_amount": "30000",
        "transaction_timeout": 0,
        "capture_now": true,
    }})
}

fn details(ba: &str) -> Value {
    json!({ "operation": "get_billing_agreement_details", "kwargs": {
        "amazon_billing_agreement_id": ba,
    }})
}

/// What GetBillingAgreementDetails said was left of the month's limit.
fn remaining(result: &Value) -> &str {
    result["dict"]["GetBillingAgreementDetailsResponse"]["GetBillingAgreementDetailsResult"]
        ["BillingAgreementDetails"]["BillingAgreementLimits"]["CurrentRemainingBalance"]["Amount"]
        .as_str()
        .unwrap_or_else(|| panic!("no remaining balance in {result}"))
}

#[tokio::test]
async fn the_official_sdk_charges_an_agreement_again_a_month_later_across_a_clock_move() {
    let Some(oracle) = amazon_pay_oracle::find() else {
        return;
    };
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let account = sandbox.account(Region::Jp).unwrap().clone();
    let (ba, _) = sandbox
        .buyer_creates_billing_agreement(Region::Jp, &BuyerChoices::default())
        .unwrap();
    let endpoint = format!("{}{}", sandbox.base_url(), Environment::Sandbox.path());
    let input = json!({
        "client": {
            "mws_access_key": account.access_key_id,
            "mws_secret_key": Account::builtin_secret(Region::Jp),
            "merchant_id": account.seller_id,
            "region": "jp",
            "currency_code": "JPY",
            "sandbox": true,
        },
        "endpoint": endpoint,
        "steps": [
            { "operation": "set_billing_agreement_details", "kwargs": {
                "amazon_billing_agreement_id": ba,
                "seller_note": "定期便",
                "store_name": "Oracle Store",
            }},
            { "operation": "confirm_billing_agreement", "kwargs": {
                "amazon_billing_agreement_id": ba,
            }},
            charge(&ba, "sdk-month-1"),
            details(&ba),
            // 32 days on is always another calendar month.
            { "control": "/__sandbox/clock", "json": { "advance_seconds": 32 * 24 * 3600 } },
            charge(&ba, "sdk-month-2"),
            details(&ba),
        ],
    });
    // The script blocks on HTTP to this runtime's server: run it off the runtime's thread.
    let flow: Value = tokio::task::spawn_blocking(move || oracle.run("v1_flow.py", &input))
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("{e}"));
    let results = flow["results"].as_array().unwrap();
    for (n, result) in results.iter().enumerate() {
        let ok = result["success"].as_bool().unwrap_or(false) || result["status"] == 200;
        assert!(ok, "step {n} failed: {result}");
    }
    assert_eq!(remaining(&results[3]), "20000");
    assert_eq!(
        remaining(&results[6]),
        "20000",
        "the limit starts again next month"
    );
    let authorization = &results[5]["dict"]["AuthorizeOnBillingAgreementResponse"]["AuthorizeOnBillingAgreementResult"]
        ["AuthorizationDetails"];
    assert_eq!(
        authorization["AuthorizationStatus"]["State"], "Closed",
        "{authorization}"
    );
    assert_eq!(
        authorization["CapturedAmount"]["Amount"], "30000",
        "{authorization}"
    );
    sandbox.shutdown().await;
}

/// The official SDK's client for the JP seller against `sandbox`, with `steps`.
fn flow_input(sandbox: &Sandbox, steps: Vec<Value>) -> Value {
    let account = sandbox.account(Region::Jp).unwrap();
    json!({
        "client": {
            "mws_access_key": account.access_key_id,
            "mws_secret_key": Account::builtin_secret(Region::Jp),
            "merchant_id": account.seller_id,
            "region": "jp",
            "currency_code": "JPY",
            "sandbox": true,
        },
        "endpoint": format!("{}{}", sandbox.base_url(), Environment::Sandbox.path()),
        "steps": steps,
    })
}

async fn run_flow(oracle: &amazon_pay_oracle::Oracle, input: Value) -> Vec<Value> {
    let oracle = oracle.clone();
    let flow: Value = tokio::task::spawn_blocking(move || oracle.run("v1_flow.py", &input))
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("{e}"));
    let results = flow["results"].as_array().unwrap().clone();
    for (n, result) in results.iter().enumerate() {
        assert_eq!(result["success"], true, "step {n} failed: {result}");
    }
    results
}

#[tokio::test]
async fn the_official_sdk_lists_order_references_page_by_page() {
    let Some(oracle) = amazon_pay_oracle::find() else {
        return;
    };
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (ba, _) = sandbox
        .buyer_creates_billing_agreement(Region::Jp, &BuyerChoices::default())
        .unwrap();
    let mut steps = vec![
        json!({ "operation": "confirm_billing_agreement", "kwargs": {
            "amazon_billing_agreement_id": ba,
        }}),
    ];
    for _ in 0..3 {
        steps.push(
            json!({ "operation": "create_order_reference_for_id", "kwargs": {
                "object_id": ba, "object_id_type": "BillingAgreement", "order_total": "1000",
                "confirm_now": true, "seller_order_id": "sdk-order-1",
            }}),
        );
    }
    steps.push(json!({ "operation": "list_order_reference", "kwargs": {
        "query_id": "sdk-order-1", "query_id_type": "SellerOrderId", "page_size": 2,
    }}));
    let results = run_flow(&oracle, flow_input(&sandbox, steps)).await;
    let first = &results[4]["dict"]["ListOrderReferenceResponse"]["ListOrderReferenceResult"];
    assert_eq!(
        first["OrderReferenceList"]["OrderReference"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "{first}"
    );
    let token = first["NextPageToken"].as_str().unwrap().to_owned();
    let steps = vec![
        json!({ "operation": "list_order_reference_by_next_token", "kwargs": {
            "next_page_token": token,
        }}),
    ];
    let results = run_flow(&oracle, flow_input(&sandbox, steps)).await;
    let last = &results[0]["dict"]["ListOrderReferenceByNextTokenResponse"]["ListOrderReferenceByNextTokenResult"];
    // One order reference left: the SDK's parser shows a single element as an object.
    assert!(last["NextPageToken"].is_null(), "{last}");
    assert!(
        last["OrderReferenceList"]["OrderReference"]["AmazonOrderReferenceId"].is_string(),
        "{last}"
    );
    sandbox.shutdown().await;
}
