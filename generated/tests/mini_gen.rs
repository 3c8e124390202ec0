//! Compiles the generator's output for the small fixture spec (codegen/tests/fixtures/mini)
//! and checks its behaviour: canonical order, builders, parsing from form parameters, XML.

#[rustfmt::skip]
#[path = "mini_gen/mod.rs"]
#[allow(dead_code, unused_imports)]
mod mini;

use amazon_pay_protocol::params::{CanonicalQuery, CollectedParams, reference_canonical_query};
use amazon_pay_protocol::{CommonParams, Currency, ErrorClass, Money, Operation, ParamMap};
use mini::*;

const COMMON: CommonParams<'static> = CommonParams {
    aws_access_key_id: "AKID",
    seller_id: "SELLER",
    mws_auth_token: Some("tok"),
    timestamp: "2024-01-02T03:04:05Z",
};

fn jpy(n: i64) -> Money {
    Money::from_minor(n, Currency::Jpy).unwrap()
}

fn full_request(credits: usize) -> ChargeAgreementRequest {
    let credits: Vec<Credit> = (0..credits)
        .map(|i| {
            Credit::builder()
                .provider_id(format!("P{i}"))
                .credit_amount(jpy(i as i64))
                .build()
                .unwrap()
        })
        .collect();
    ChargeAgreementRequest::builder()
        .agreement_id("C01-1234567-1234567")
        .charge_reference_id("ref 1")
        .charge_amount(jpy(1000))
        .note("日本語 + *~")
        .timeout(0)
        .capture_now(true)
        .attributes(
            ChargeAttributes::builder()
                .store_name("s")
                .store("t")
                .build()
                .unwrap(),
        )
        .credits(credits)
        .build()
        .unwrap()
}

#[test]
fn builder_names_every_missing_field() {
    let err = ChargeAgreementRequest::builder()
        .note("x")
        .build()
        .unwrap_err();
    assert_eq!(
        err.missing,
        vec!["AgreementId", "ChargeReferenceId", "ChargeAmount"]
    );
    let text = err.to_string();
    assert!(
        text.contains("AgreementId, ChargeReferenceId, ChargeAmount"),
        "{text}"
    );
    assert!(!text.contains("None"));
}

#[test]
fn builder_checks_lengths_and_ranges() {
    let err = ChargeAgreementRequest::builder()
        .agreement_id("C01-1234567-1234567-too-long")
        .charge_reference_id("r")
        .charge_amount(jpy(1))
        .timeout(2000)
        .build()
        .unwrap_err();
    let fields: Vec<&str> = err.invalid.iter().map(|(f, _)| *f).collect();
    assert_eq!(fields, vec!["AgreementId", "Timeout"]);
}

#[test]
fn fast_writer_equals_sorted_reference_for_long_lists() {
    for n in [0, 1, 2, 9, 10, 11, 25] {
        let request = full_request(n);
        let mut fast = CanonicalQuery::default();
        request.write_params(&COMMON, &mut fast);
        let mut collected = CollectedParams::default();
        request.write_params(&COMMON, &mut collected);
        let reference =
            reference_canonical_query(collected.0.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(fast.as_str(), reference, "{n} credits");
    }
    let mut q = CanonicalQuery::default();
    full_request(11).write_params(&COMMON, &mut q);
    let s = q.as_str();
    let m10 = s.find("Credits.member.10.").unwrap();
    let m2 = s.find("Credits.member.2.").unwrap();
    assert!(m10 < m2, "member.10 must sort before member.2: {s}");
    assert!(s.contains("Action=ChargeAgreement&AgreementId=C01-1234567-1234567&Attributes.Store=t&Attributes.StoreName=s"), "{s}");
}

#[test]
fn parses_back_from_form_parameters() {
    let request = full_request(12);
    let mut collected = CollectedParams::default();
    request.write_params(&COMMON, &mut collected);
    let map = ParamMap(collected.0.into_iter().collect());
    assert_eq!(ChargeAgreementRequest::from_params(&map).unwrap(), request);
    assert_eq!(
        AnyRequest::from_params("ChargeAgreement", &map).unwrap(),
        AnyRequest::ChargeAgreement(request)
    );

    let mut missing = map.clone();
    missing.0.remove("ChargeAmount.Amount");
    assert_eq!(
        ChargeAgreementRequest::from_params(&missing)
            .unwrap_err()
            .to_string(),
        "missing required parameter ChargeAmount.Amount"
    );
    let mut bad = map.clone();
    bad.0.insert("Timeout".into(), "soon".into());
    assert!(ChargeAgreementRequest::from_params(&bad).is_err());
}

#[test]
fn reads_responses_tolerantly_and_writes_them_back() {
    let body = "\u{feff}<ChargeAgreementResponse xmlns=\"urn:mini\"><ChargeAgreementResult>\
        <Unexpected><Deep/></Unexpected><State>Suspendedish</State><ChargeId>X</ChargeId>\
        <Amount><CurrencyCode>JPY</CurrencyCode><Amount>1000.00</Amount></Amount>\
        <Ids><member>a</member><member>b</member></Ids>\
        <LastUpdateTimestamp>2015-11-02T17:36:30.173Z</LastUpdateTimestamp>\
        </ChargeAgreementResult><ResponseMetadata><RequestID>rid</RequestID></ResponseMetadata></ChargeAgreementResponse>";
    let parsed = ChargeAgreementResponse::from_xml(body.as_bytes()).unwrap();
    assert_eq!(
        parsed.result.state,
        Some(State::Unknown("Suspendedish".into()))
    );
    assert_eq!(parsed.result.amount, Some(jpy(1000)));
    assert_eq!(parsed.result.ids.as_ref().unwrap().items, vec!["a", "b"]);
    assert_eq!(parsed.response_metadata.request_id, "rid");
    assert!(parsed.result.last_updated_timestamp.is_some());

    let xml = parsed.to_xml();
    assert!(
        xml.contains("<ChargeAgreementResponse xmlns=\"urn:mini\">"),
        "{xml}"
    );
    assert_eq!(
        ChargeAgreementResponse::from_xml(xml.as_bytes()).unwrap(),
        parsed
    );

    let missing_required =
        "<ChargeAgreementResponse><ChargeAgreementResult/></ChargeAgreementResponse>";
    assert!(ChargeAgreementResponse::from_xml(missing_required.as_bytes()).is_err());
}

#[test]
fn enums_keep_unknown_values() {
    assert_eq!(State::parse("GREEN_I"), State::GreenI);
    assert_eq!(State::parse("Purple").as_str(), "Purple");
    assert_eq!(
        ErrorCode::parse("RequestThrottled").http_status(),
        Some(503)
    );
    assert!(ErrorCode::RequestThrottled.retryable());
    assert!(!ErrorCode::parse("Whatever").retryable());
    assert_eq!(ErrorCode::RequestThrottled.class(), ErrorClass::Throttled);
    assert_eq!(
        ErrorCode::DuplicateReferenceId.class(),
        ErrorClass::DuplicateKey
    );
    assert!(!ErrorCode::DuplicateReferenceId.retryable());
    assert_eq!(ErrorCode::parse("Whatever").class(), ErrorClass::Final);
    assert_eq!(PERSONAL_ELEMENTS, ["ContactEmail"]);
    assert_eq!(
        ChargeAgreementRequest::INFO.idempotency_key,
        Some("ChargeReferenceId")
    );
    assert_eq!(full_request(0).idempotency_key(), Some("ref 1"));
    assert_eq!(
        Region::Jp.billing_agreement_monthly_limit(),
        Some(jpy(50_000))
    );
}
