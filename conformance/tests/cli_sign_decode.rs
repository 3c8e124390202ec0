//! The `sign` and `decode` commands, run as the built binary.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn run(args: &[&str], stdin: &str, envs: &[(&str, &str)]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_amazon-pay-conformance"))
        .args(args)
        .env_remove("AMAZON_PAY_SECRET_KEY")
        .envs(envs.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the binary");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The official SDKs' public test files, kept in the repository (`fixtures/README.md`).
fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/v1")
}

const EXAMPLE: &str = r#"{"method":"POST","host":"mws.amazonservices.com","path":"/OffAmazonPayments_Sandbox/2013-01-01",
 "secret_key":"TEST_SECRET_KEY","params":{"AWSAccessKeyId":"TEST_ACCESS_KEY","Action":"GetOrderReferenceDetails",
 "AmazonOrderReferenceId":"AMAZON_ORDER_REFERENCE_ID","SellerId":"TEST_MERCHANT_ID","Timestamp":"2015-12-31T23:59:58Z"}}"#;

#[test]
fn sign_reproduces_the_java_vector_and_never_prints_the_secret() {
    let out = run(&["sign"], EXAMPLE, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        json["signature"],
        "cpkDC72d5lMIbo5ET2dvERTw4F2cGQJL3eQPzUe2pAE="
    );
    assert!(
        json["string_to_sign"]
            .as_str()
            .unwrap()
            .starts_with("POST\nmws.amazonservices.com\n")
    );
    assert!(!text.contains("TEST_SECRET_KEY"));
}

#[test]
fn sign_agrees_with_the_oracle_script() {
    let Some(oracle) = amazon_pay_oracle::find() else {
        return;
    };
    let input = r#"{"method":"POST","host":"mws.amazonservices.jp","path":"/OffAmazonPayments_Sandbox/2013-01-01",
      "secret_key":"EXAMPLE/SECRET+KEY","access_key":"AKIAEXAMPLE","merchant_id":"A1EXAMPLE","now":"2024-01-02T03:04:05Z",
      "params":{"Action":"AuthorizeOnBillingAgreement","AmazonBillingAgreementId":"C01-1234567-1234567",
      "AuthorizationAmount.Amount":"1000","AuthorizationAmount.CurrencyCode":"JPY","AuthorizationReferenceId":"auth-2024 01*~'()!",
      "SellerNote":"日本語 メモ+plus"}}"#;
    let ours: Value = serde_json::from_slice(&run(&["sign"], input, &[]).stdout).unwrap();
    let input: Value = serde_json::from_str(input).unwrap();
    let theirs: Value = oracle
        .run("v1_sign.py", &input)
        .unwrap_or_else(|e| panic!("{e}"));
    for key in ["string_to_sign", "signature", "canonical_query"] {
        assert_eq!(ours[key], theirs[key], "{key}");
    }
    assert_eq!(ours["params"], theirs["params"]);
}

#[test]
fn typed_sign_checks_parameters_against_the_spec() {
    let env = [
        ("AMAZON_PAY_ACCESS_KEY_ID", "AK"),
        ("AMAZON_PAY_SECRET_KEY", "SK"),
        ("AMAZON_PAY_SELLER_ID", "S"),
    ];
    let args = [
        "sign",
        "--operation",
        "AuthorizeOnBillingAgreement",
        "--region",
        "JP",
        "--now",
        "2024-01-02T03:04:05Z",
    ];
    let ok = run(
        &args,
        r#"{"AmazonBillingAgreementId":"C01-1","AuthorizationReferenceId":"r1","AuthorizationAmount.Amount":"1000","AuthorizationAmount.CurrencyCode":"JPY"}"#,
        &env,
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let json: Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert!(json["string_to_sign"].as_str().unwrap().starts_with("POST\nmws.amazonservices.jp\n/OffAmazonPayments_Sandbox/2013-01-01\nAWSAccessKeyId=AK&Action=AuthorizeOnBillingAgreement"));

    let jpy_with_decimals = run(
        &args,
        r#"{"AmazonBillingAgreementId":"C01-1","AuthorizationReferenceId":"r1","AuthorizationAmount.Amount":"1000.00","AuthorizationAmount.CurrencyCode":"JPY"}"#,
        &env,
    );
    assert_eq!(jpy_with_decimals.status.code(), Some(2));
    let err = String::from_utf8_lossy(&jpy_with_decimals.stderr);
    assert!(
        err.contains("AuthorizationAmount.Amount") && err.contains("JPY has 0 decimal places"),
        "{err}"
    );
    assert!(!err.contains("SK"));

    let missing = run(&args, r#"{"AmazonBillingAgreementId":"C01-1"}"#, &env);
    assert!(
        String::from_utf8_lossy(&missing.stderr)
            .contains("missing required parameter AuthorizationReferenceId")
    );
}

#[test]
fn decode_prints_typed_responses_and_errors() {
    let dir = fixtures().join("amazon-pay-sdk-java");
    let ok = run(
        &[
            "decode",
            "GetBillingAgreementDetails",
            dir.join("GetBillingAgreementDetailsResponse.xml")
                .to_str()
                .unwrap(),
        ],
        "",
        &[],
    );
    assert!(ok.status.success());
    let json: Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(
        json["GetBillingAgreementDetailsResult"]["BillingAgreementDetails"]["BillingAgreementStatus"]
            ["State"],
        "Draft"
    );

    let err = run(
        &[
            "decode",
            "SetOrderReferenceDetails",
            dir.join("ErrorResponse.xml").to_str().unwrap(),
        ],
        "",
        &[],
    );
    assert_eq!(err.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&err.stdout).unwrap();
    assert_eq!(json["Error"]["Code"], "OrderReferenceNotModifiable");

    let bad = run(
        &[
            "decode",
            "NoSuchAction",
            dir.join("ErrorResponse.xml")
                .parent()
                .unwrap()
                .join("Throttled.xml")
                .to_str()
                .unwrap(),
        ],
        "",
        &[],
    );
    assert_eq!(bad.status.code(), Some(1));
    let unknown = run(
        &[
            "decode",
            "NoSuchAction",
            dir.join("GetBillingAgreementDetailsResponse.xml")
                .to_str()
                .unwrap(),
        ],
        "",
        &[],
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown Action `NoSuchAction`"));
}

#[test]
fn default_command_runs_the_suite_and_reports() {
    let out = run(&[], "", &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let summary = text.lines().last().unwrap();
    assert!(summary.contains(" passed, 0 failed"), "{summary}");
    assert!(
        text.contains("java-j1") || text.contains("signing "),
        "{text}"
    );
}

#[test]
fn ipn_verify_accepts_the_python_sdk_body_and_rejects_the_invalid_one() {
    let dir = fixtures().join("amazon-pay-sdk-python");
    let cert = dir.join("test.pem");
    let args = |file: &str| {
        vec![
            "ipn".to_owned(),
            "verify".to_owned(),
            dir.join(file).display().to_string(),
            "--cert".to_owned(),
            cert.display().to_string(),
            "--at".to_owned(),
            "2015-01-01T00:00:00Z".to_owned(),
        ]
    };
    let valid_args = args("test_ipn.body_valid.json");
    let ok = run(
        &valid_args.iter().map(String::as_str).collect::<Vec<_>>(),
        "",
        &[],
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let json: Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(json["valid"], true);
    assert!(json["notification"]["OrderReference"]["AmazonOrderReferenceId"].is_string());

    let invalid_args = args("test_ipn.body_invalid.json");
    let bad = run(
        &invalid_args.iter().map(String::as_str).collect::<Vec<_>>(),
        "",
        &[],
    );
    assert_eq!(bad.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(json["valid"], false);
    assert!(json["reason"].as_str().unwrap().contains("certificate URL"));
}

/// The test-only key of the v2 vectors (`conformance/vectors/v2-test-key/`).
fn v2_test_key() -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors/v2-test-key/private_key.pem");
    std::fs::read_to_string(path).expect("the v2 test key")
}

/// Every header but `authorization`, and the authorization header up to its signature (PSS
/// signatures are randomised).
fn without_signature(headers: &Value) -> (Value, String) {
    let mut rest = headers.clone();
    let authorization = rest
        .as_object_mut()
        .and_then(|map| map.remove("authorization"))
        .unwrap_or_default();
    let head = authorization
        .as_str()
        .unwrap_or_default()
        .split("Signature=")
        .next()
        .unwrap_or_default()
        .to_owned();
    (rest, head)
}

#[test]
fn v2_sign_agrees_with_the_node_sdk_byte_for_byte() {
    let Some(oracle) = amazon_pay_oracle::find() else {
        return;
    };
    let mut input = serde_json::json!({
        "method": "POST",
        "url_fragment": "chargePermissions/S02-1234567-1234567/close/",
        "query": {"note": "a b&c=d/e?f#g[h]@$+,;% 日本語 🎉"},
        "headers": {"x-amz-pay-idempotency-key": "idem 1", "x-amz-pay-simulation-code": "Declined"},
        "body_raw": "{\"closureReason\":\"M\\u00fcller: ご注文 \\/ 🎉\",\"cancelPendingCharges\":false}",
        "region": "eu",
        "sandbox": true,
        "public_key_id": "AEXAMPLELEGACYKEY00000000",
        "algorithm": "AMZN-PAY-RSASSA-PSS-V2",
        "private_key_pem": v2_test_key(),
        "now": "2024-01-02T03:04:05Z",
    });
    let sdk: Value = oracle
        .run("v2_canonical.js", &input)
        .unwrap_or_else(|e| panic!("{e}"));
    // The SDK signs its user-agent and its extended-form date; given as headers, ours match.
    input["headers"]["user-agent"] = sdk["headers"]["user-agent"].clone();
    input["headers"]["x-amz-pay-date"] = sdk["headers"]["x-amz-pay-date"].clone();
    let out = run(&["sign"], &input.to_string(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains("PRIVATE KEY"),
        "the private key is never printed"
    );
    let ours: Value = serde_json::from_str(&text).unwrap();
    for key in [
        "canonical_uri",
        "canonical_request",
        "string_to_sign",
        "signed_headers",
    ] {
        assert_eq!(ours[key], sdk[key], "{key}");
    }
    assert_eq!(
        without_signature(&ours["headers"]),
        without_signature(&sdk["headers"])
    );

    // Our signature verifies with Node's crypto.
    let mut check = input.clone();
    check["verify"] = serde_json::json!({
        "signature": ours["signature"],
        "string_to_sign": ours["string_to_sign"],
    });
    let verified: Value = oracle
        .run("v2_canonical.js", &check)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(verified["verifies"], true);
}

#[test]
fn v2_sign_without_a_key_prints_the_public_half_and_rejects_bad_input() {
    let input = r#"{"method":"GET","url_fragment":"charges/S02-1","region":"us","public_key_id":"LIVE-AEXAMPLE","now":"2024-01-02T03:04:05Z"}"#;
    let out = run(&["sign"], input, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["canonical_uri"], "/v2/charges/S02-1");
    assert_eq!(json["headers"]["x-amz-pay-host"], "pay-api.amazon.com");
    assert_eq!(json["headers"]["x-amz-pay-region"], "na");
    assert_eq!(json["headers"]["x-amz-pay-date"], "20240102T030405Z");
    assert!(
        json["public_key_pem"]
            .as_str()
            .unwrap()
            .contains("BEGIN PUBLIC KEY")
    );

    let bad_region = run(&["sign"], &input.replace("\"us\"", "\"mars\""), &[]);
    assert_eq!(bad_region.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_region.stderr).contains("unknown region \"mars\""));

    let secret = v2_test_key();
    let bad_algorithm = serde_json::json!({
        "method": "GET", "url_fragment": "x", "region": "jp", "public_key_id": "A",
        "algorithm": "RSA", "private_key_pem": secret,
    });
    let out = run(&["sign"], &bad_algorithm.to_string(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown algorithm \"RSA\""), "{err}");
    assert!(!err.contains("PRIVATE KEY"));
}

#[test]
fn decode_reads_v2_documents_and_error_bodies() {
    let dotnet =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/v2/amazon-pay-api-sdk-dotnet");
    let file = dotnet.join("ChargePermissionResponseTests.line13.json");
    let ok = run(
        &["decode", "GetChargePermission", file.to_str().unwrap()],
        "",
        &[],
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let json: Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(json["chargePermissionId"], "S00-0000000-0000000");
    assert_eq!(json["buyer"]["name"], "Test Buyer SBX");

    let dir = std::env::temp_dir().join(format!("decode-v2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let error = dir.join("error.json");
    std::fs::write(
        &error,
        r#"{"reasonCode":"InvalidChargePermissionStatus","message":"You tried to call an operation on a Charge Permission that is in a state where that operation is not allowed"}"#,
    )
    .unwrap();
    let garbage = dir.join("garbage.json");
    std::fs::write(&garbage, "{\"chargePermissionId\": 12").unwrap();
    let err = run(
        &["decode", "CloseChargePermission", error.to_str().unwrap()],
        "",
        &[],
    );
    let bad = run(
        &["decode", "GetChargePermission", garbage.to_str().unwrap()],
        "",
        &[],
    );
    std::fs::remove_dir_all(&dir).unwrap();

    assert_eq!(err.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&err.stdout).unwrap();
    assert_eq!(json["reasonCode"], "InvalidChargePermissionStatus");
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr)
            .contains("not the JSON document of GetChargePermission"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

/// `decode` picks the generation by the operation name, so no name may be in both.
#[test]
fn no_operation_name_is_in_both_generations() {
    let v1: Vec<&str> = amazon_pay_protocol::v1::OPERATIONS
        .iter()
        .map(|o| o.action)
        .collect();
    let shared: Vec<&str> = amazon_pay_protocol::v2::OPERATIONS
        .iter()
        .map(|o| o.action)
        .filter(|name| v1.contains(name))
        .collect();
    assert!(shared.is_empty(), "{shared:?}");
}
