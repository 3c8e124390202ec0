//! Differential test: random v1 requests signed by this library and by the official Python SDK
//! (through the oracle's `v1_sign.py`, see `oracle/README.md`) must agree exactly.
//!
//! The oracle is `oracle/` in the repository (installed by `oracle/setup.sh`) or where
//! `AMAZON_PAY_ORACLE_DIR` points. Without it the test prints "oracle missing: skipped" and
//! passes, unless `AMAZON_PAY_ORACLE_REQUIRED=1` (CI sets it after installing the oracle).

use std::collections::BTreeMap;

use amazon_pay_protocol::ParamMap;
use amazon_pay_protocol::credentials::SecretKey;
use amazon_pay_protocol::sign::sign_param_map;
use rand::rngs::StdRng;
use rand::seq::SliceRandom as _;
use rand::{Rng, SeedableRng};
use serde::Deserialize;

const REQUESTS: usize = 1000;
const SEED: u64 = 0x5EED_A11A_2013_0101;

const HOSTS: &[&str] = &[
    "mws.amazonservices.jp",
    "mws.amazonservices.com",
    "mws-eu.amazonservices.com",
];
const PATHS: &[&str] = &[
    "/OffAmazonPayments_Sandbox/2013-01-01",
    "/OffAmazonPayments/2013-01-01",
];
const ACTIONS: &[&str] = &[
    "AuthorizeOnBillingAgreement",
    "SetBillingAgreementDetails",
    "ConfirmBillingAgreement",
    "ValidateBillingAgreement",
    "CloseBillingAgreement",
    "Authorize",
    "Capture",
    "Refund",
    "GetServiceStatus",
];
const NAMES: &[&str] = &[
    "AmazonBillingAgreementId",
    "AmazonAuthorizationId",
    "AmazonCaptureId",
    "AuthorizationReferenceId",
    "AuthorizationAmount.Amount",
    "AuthorizationAmount.CurrencyCode",
    "SellerAuthorizationNote",
    "SellerNote",
    "SellerOrderAttributes.CustomInformation",
    "SellerOrderAttributes.StoreName",
    "BillingAgreementAttributes.SellerNote",
    "BillingAgreementAttributes.SellerBillingAgreementAttributes.CustomInformation",
    "ClosureReason",
    "SoftDescriptor",
    "SuccessUrl",
    "CaptureNow",
    "TransactionTimeout",
];
/// Fragments that are known to trip encoders; values are built from these and from arbitrary
/// code points.
const PIECES: &[&str] = &[
    "a",
    "Z",
    "0",
    " ",
    "  ",
    "*",
    "~",
    "+",
    "/",
    "=",
    "&",
    "%",
    "%20",
    "%7E",
    "%2B",
    "!",
    "'",
    "(",
    ")",
    ":",
    "?",
    "#",
    "[",
    "]",
    "@",
    "$",
    ",",
    ";",
    "\"",
    "\\",
    "<",
    ">",
    "{",
    "}",
    "|",
    "^",
    "`",
    "-",
    "_",
    ".",
    "\n",
    "\t",
    "\r\n",
    "é",
    "ß",
    "€",
    "日本語",
    "ｱ",
    "🎉",
    "👍🏽",
    "\u{0}",
    "\u{7f}",
    "\u{a0}",
    "\u{feff}",
    "\u{2028}",
    "\u{fffd}",
    "\u{10ffff}",
    "e\u{301}",
    "{\"SandboxSimulation\":{\"State\":\"Declined\"}}",
];

/// One request as the oracle's `v1_sign.py` takes it.
#[derive(Debug, serde::Serialize)]
struct OracleRequest {
    method: &'static str,
    host: &'static str,
    path: &'static str,
    secret_key: String,
    params: BTreeMap<String, String>,
}

/// What `v1_sign.py` prints (its `params` key is not needed here).
#[derive(Debug, Deserialize)]
struct OracleResult {
    string_to_sign: String,
    signature: String,
    canonical_query: String,
    query: String,
}

fn random_char(rng: &mut StdRng) -> char {
    let upper = match rng.gen_range(0..3) {
        0 => 0x7f,
        1 => 0xffff,
        _ => 0x10ffff,
    };
    // Surrogates are not chars; draw again.
    loop {
        if let Some(c) = char::from_u32(rng.gen_range(0..=upper)) {
            return c;
        }
    }
}

fn random_value(rng: &mut StdRng) -> String {
    let len = rng.gen_range(0..12);
    let mut value = String::new();
    for _ in 0..len {
        if rng.gen_bool(0.6) {
            value.push_str(PIECES.choose(rng).copied().unwrap_or_default());
        } else {
            value.push(random_char(rng));
        }
    }
    value
}

/// ASCII parameter names (the service's are); some start lower-case to exercise byte order.
fn random_name(rng: &mut StdRng) -> String {
    match rng.gen_range(0..4) {
        0 | 1 => NAMES.choose(rng).copied().unwrap_or_default().to_owned(),
        2 => {
            let member = rng.gen_range(1..=12);
            let field = [
                "ProviderId",
                "CreditAmount.Amount",
                "CreditAmount.CurrencyCode",
            ]
            .choose(rng)
            .copied();
            format!(
                "ProviderCreditList.member.{member}.{}",
                field.unwrap_or_default()
            )
        }
        _ => {
            const ALPHABET: &[u8] =
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
            let len = rng.gen_range(1..16);
            let first = char::from(ALPHABET[rng.gen_range(0..52)]);
            std::iter::once(first)
                .chain((1..len).map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())])))
                .collect()
        }
    }
}

fn random_timestamp(rng: &mut StdRng) -> String {
    let base = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        rng.gen_range(2013..2040),
        rng.gen_range(1..=12),
        rng.gen_range(1..=28),
        rng.gen_range(0..24),
        rng.gen_range(0..60),
        rng.gen_range(0..60)
    );
    if rng.gen_bool(0.3) {
        format!("{base}.{:03}Z", rng.gen_range(0..1000))
    } else {
        format!("{base}Z")
    }
}

fn random_secret(rng: &mut StdRng) -> String {
    let len = rng.gen_range(1..64);
    (0..len)
        .map(|_| char::from(rng.gen_range(0x21u8..0x7f)))
        .collect()
}

fn random_request(rng: &mut StdRng) -> OracleRequest {
    let mut params = BTreeMap::new();
    let action = ACTIONS.choose(rng).copied().unwrap_or_default();
    for (name, value) in [
        ("AWSAccessKeyId", format!("AKIA{:016X}", rng.r#gen::<u64>())),
        ("Action", action.to_owned()),
        (
            "SellerId",
            format!("A{:012X}", rng.gen_range(0..1u64 << 48)),
        ),
        ("SignatureMethod", "HmacSHA256".to_owned()),
        ("SignatureVersion", "2".to_owned()),
        ("Timestamp", random_timestamp(rng)),
        ("Version", "2013-01-01".to_owned()),
    ] {
        params.insert(name.to_owned(), value);
    }
    if rng.gen_bool(0.3) {
        params.insert(
            "MWSAuthToken".to_owned(),
            format!("amzn.mws.{}", random_value(rng)),
        );
    }
    for _ in 0..rng.gen_range(0..14) {
        let name = random_name(rng);
        // The SDK appends its own Signature; a parameter of that name is not an input.
        if name != "Signature" {
            params.insert(name, random_value(rng));
        }
    }
    OracleRequest {
        method: "POST",
        host: HOSTS.choose(rng).copied().unwrap_or_default(),
        path: PATHS.choose(rng).copied().unwrap_or_default(),
        secret_key: random_secret(rng),
        params,
    }
}

/// Differences between our signer and the oracle for one request (empty when they agree).
fn differences(request: &OracleRequest, sdk: &OracleResult) -> Vec<String> {
    let secret = SecretKey::new(request.secret_key.clone());
    let ours = sign_param_map(request.host, request.path, &secret, &request.params);
    let mut diffs = Vec::new();
    for (what, got, want) in [
        (
            "canonical query",
            &ours.canonical_query,
            &sdk.canonical_query,
        ),
        ("string to sign", &ours.string_to_sign, &sdk.string_to_sign),
        ("signature", &ours.signature, &sdk.signature),
    ] {
        if got != want {
            diffs.push(format!("{what}\n  ours: {got:?}\n  sdk:  {want:?}"));
        }
    }
    let our_body = ParamMap::from_form(ours.body.as_ref());
    let sdk_body = ParamMap::from_form(sdk.query.as_bytes());
    if our_body != sdk_body {
        diffs.push(format!(
            "body decodes differently\n  ours: {:?}\n  sdk:  {:?}",
            our_body.0, sdk_body.0
        ));
    }
    diffs
}

#[test]
fn random_requests_sign_exactly_like_the_official_python_sdk() {
    let Some(oracle) = amazon_pay_oracle::find() else {
        return;
    };

    let mut rng = StdRng::seed_from_u64(SEED);
    let requests: Vec<OracleRequest> = (0..REQUESTS).map(|_| random_request(&mut rng)).collect();
    // One process signs them all: v1_sign.py answers an array with an array, in order.
    let results: Vec<OracleResult> = oracle
        .run("v1_sign.py", &requests)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        results.len(),
        requests.len(),
        "one oracle result per request"
    );

    let mut agreed = 0;
    let mut disagreements = Vec::new();
    for (i, (request, sdk)) in requests.iter().zip(&results).enumerate() {
        let diffs = differences(request, sdk);
        if diffs.is_empty() {
            agreed += 1;
        } else {
            disagreements.push(format!(
                "request {i} ({:?}):\n{}",
                request.params,
                diffs.join("\n")
            ));
        }
    }
    println!(
        "oracle agreement: {agreed}/{} random requests (seed {SEED:#x})",
        requests.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} of {} requests differ from the official SDK; first ones:\n\n{}",
        disagreements.len(),
        requests.len(),
        disagreements
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
    assert!(
        agreed >= 200,
        "the issue asks for at least 200 compared requests, got {agreed}"
    );
}

/// The comparison must be able to fail without the oracle too: a result that differs from ours
/// in the signature or in one body parameter is reported.
#[test]
fn a_differing_result_is_reported() {
    let mut rng = StdRng::seed_from_u64(SEED);
    let request = random_request(&mut rng);
    let ours = sign_param_map(
        request.host,
        request.path,
        &SecretKey::new(request.secret_key.clone()),
        &request.params,
    );
    let body = ours.body.clone();
    let same = OracleResult {
        string_to_sign: ours.string_to_sign.clone(),
        signature: ours.signature.clone(),
        canonical_query: ours.canonical_query.clone(),
        query: body.clone(),
    };
    assert!(differences(&request, &same).is_empty());

    let wrong_signature = OracleResult {
        signature: format!("x{}", same.signature),
        ..same
    };
    assert!(
        differences(&request, &wrong_signature)
            .iter()
            .any(|d| d.starts_with("signature"))
    );

    let wrong_body = OracleResult {
        query: format!("{body}&Extra=1"),
        ..wrong_signature
    };
    assert!(
        differences(&request, &wrong_body)
            .iter()
            .any(|d| d.starts_with("body"))
    );
}
