//! Runs every signing vector of `conformance/vectors/` (expected values from the official
//! Python SDK) through the library's signer, and every raw HMAC vector through HMAC-SHA256.
//! Cases are found by listing folders; each test counts what it ran against the folder count,
//! so a case that silently did not run fails the suite.

use amazon_pay_conformance::folder::Folder;
use amazon_pay_conformance::vectors;

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
