//! Runs every signing vector of `conformance/vectors/` (expected values from the official
//! Python SDK) through the library's signer, every raw HMAC vector through HMAC-SHA256, and
//! every v2 vector (published SDK and documentation values, and the official Node SDK's)
//! through the v2 signer.
//! Cases are found by listing folders; each test counts what it ran against the folder count,
//! so a case that silently did not run fails the suite.

use amazon_pay_conformance::folder::Folder;
use amazon_pay_conformance::vectors;
use amazon_pay_conformance::vectors::v2;

/// The issue asks for the six Java vectors plus at least 30 pitfall cases; fewer folders means
/// some were lost.
const MIN_SIGNING_CASES: usize = 38;

#[test]
fn every_signing_vector_matches_the_official_sdk() {
    let dir = Folder::Disk(vectors::default_dir());
    let folders = vectors::case_folders(&dir.join("v1")).expect("list v1 vector folders");
    let cases = vectors::load_signing_cases(&dir).expect("load v1 vectors");

    let mut ran = 0;
    let mut failures = Vec::new();
    for case in &cases {
        ran += 1;
        let problems = vectors::check_signing_case(case);
        if !problems.is_empty() {
            failures.push(format!(
                "{} ({}):\n{}",
                case.name,
                case.context.pitfall,
                problems.join("\n")
            ));
        }
    }
    println!("signing vectors: {ran} run, {} failed", failures.len());
    assert!(
        failures.is_empty(),
        "{} of {ran} vectors differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert_eq!(ran, folders.len(), "every folder under vectors/v1 must run");
    assert!(
        ran >= MIN_SIGNING_CASES,
        "only {ran} signing vectors (expected at least {MIN_SIGNING_CASES})"
    );
}

#[test]
fn every_hmac_vector_matches_its_published_value() {
    let dir = Folder::Disk(vectors::default_dir());
    let folders = vectors::case_folders(&dir.join("hmac")).expect("list hmac vector folders");
    let cases = vectors::load_hmac_cases(&dir).expect("load hmac vectors");

    let mut ran = 0;
    for case in &cases {
        ran += 1;
        assert_eq!(
            vectors::hmac_sha256_base64(case),
            case.signature,
            "hmac/{} ({})",
            case.name,
            case.pitfall
        );
    }
    assert_eq!(
        ran,
        folders.len(),
        "every folder under vectors/hmac must run"
    );
    assert_eq!(ran, 2, "the reference publishes two raw HMAC vectors");
}

/// The checker itself must be able to fail: a vector with one byte of its expected signature
/// changed, or with a parameter dropped from its expected body, is reported.
#[test]
fn a_tampered_vector_is_reported() {
    let dir = Folder::Disk(vectors::default_dir());
    let cases = vectors::load_signing_cases(&dir).expect("load v1 vectors");
    let original = cases
        .iter()
        .find(|c| c.name == "value-space")
        .expect("the value-space case exists");
    assert!(
        vectors::check_signing_case(original).is_empty(),
        "the untouched case conforms"
    );

    let mut wrong_signature = original.clone();
    wrong_signature.signature.replace_range(
        0..1,
        if wrong_signature.signature.starts_with('A') {
            "B"
        } else {
            "A"
        },
    );
    assert!(
        vectors::check_signing_case(&wrong_signature)
            .iter()
            .any(|p| p.starts_with("signature"))
    );

    let mut wrong_body = original.clone();
    wrong_body.body = String::from_utf8(wrong_body.body)
        .unwrap()
        .replace("&SellerId=", "&SellerIdX=")
        .into_bytes();
    assert!(
        vectors::check_signing_case(&wrong_body)
            .iter()
            .any(|p| p.starts_with("body decodes differently"))
    );
}

/// The Java SDK's 34, .NET's 13 under both algorithms, PHP's 3, the docs example, the button
/// payload under both algorithms, and the Node SDK pitfalls.
const MIN_V2_CASES: usize = 34 + 26 + 3 + 1 + 2 + 15;

#[test]
fn every_v2_vector_conforms() {
    let dir = Folder::Disk(vectors::default_dir());
    let folders = vectors::case_folders(&dir.join("v2")).expect("list v2 vector folders");
    let cases = v2::load_cases(&dir).expect("load v2 vectors");
    let key = v2::load_test_key(&dir).expect("load the v2 test key");

    let mut ran = 0;
    let mut node_signatures = 0;
    let mut failures = Vec::new();
    for case in &cases {
        ran += 1;
        node_signatures += usize::from(case.sdk_signature.is_some());
        let problems = v2::check_case(case, &key);
        if !problems.is_empty() {
            failures.push(format!(
                "{} ({}):\n{}",
                case.name,
                case.context.pitfall,
                problems.join("\n")
            ));
        }
    }
    println!(
        "v2 vectors: {ran} run ({node_signatures} with a Node SDK signature), {} failed",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {ran} v2 vectors differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert_eq!(ran, folders.len(), "every folder under vectors/v2 must run");
    assert!(
        ran >= MIN_V2_CASES,
        "only {ran} v2 vectors (expected at least {MIN_V2_CASES})"
    );
    assert!(
        node_signatures >= 15,
        "only {node_signatures} Node SDK signatures"
    );
}

/// The v2 checker must be able to fail: a changed canonical request, a signature that is not
/// the SDK's, and a path the endpoint rules would not give are each reported.
#[test]
fn a_tampered_v2_vector_is_reported() {
    let dir = Folder::Disk(vectors::default_dir());
    let key = v2::load_test_key(&dir).expect("load the v2 test key");
    let cases = v2::load_cases(&dir).expect("load v2 vectors");
    let original = cases
        .iter()
        .find(|c| c.name == "node-key-legacy-live")
        .expect("the node-key-legacy-live case exists");
    assert!(v2::check_case(original, &key).is_empty());

    let mut request = original.clone();
    request
        .expected
        .entry("canonical_request.txt")
        .and_modify(|text| *text = text.replacen("GET", "PUT", 1));
    assert!(
        v2::check_case(&request, &key)
            .iter()
            .any(|p| p.starts_with("canonical_request.txt"))
    );

    let other = cases
        .iter()
        .find(|c| c.name == "node-key-legacy-sandbox")
        .expect("the node-key-legacy-sandbox case exists");
    let mut signature = original.clone();
    signature.sdk_signature = other.sdk_signature.clone();
    assert!(
        v2::check_case(&signature, &key)
            .iter()
            .any(|p| p.contains("SDK's signature does not verify"))
    );

    let mut endpoint = original.clone();
    if let Some(e) = endpoint.context.endpoint.as_mut() {
        e.public_key_id = "LIVE-AEXAMPLE".to_owned();
    }
    assert!(
        v2::check_case(&endpoint, &key)
            .iter()
            .any(|p| p.starts_with("path"))
    );
}
