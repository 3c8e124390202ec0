//! The facts the v1 spec now states once, as the checked-in output exposes them: the lists
//! equal the hand-written ones they replace, and the error classes are those the client's
//! retry rules were written for.

use std::collections::BTreeSet;

use amazon_pay_protocol::ErrorClass;
use amazon_pay_protocol::v1::{
    self, COMMON_PARAMS, ErrorCode, PERSONAL_ELEMENTS, SECRET_PARAMS, VOLATILE_PARAMS,
};

fn set<'a>(names: &[&'a str]) -> BTreeSet<&'a str> {
    names.iter().copied().collect()
}

fn sorted(names: &[&str]) -> bool {
    names.windows(2).all(|w| w[0] < w[1])
}

#[test]
fn parameter_lists_equal_the_hand_lists_they_replace() {
    // The hand list `SECRET_PARAMS` that v1 redaction kept before the spec held it.
    assert_eq!(
        set(SECRET_PARAMS),
        set(&["Signature", "AWSAccessKeyId", "MWSAuthToken", "SellerId"])
    );
    // conformance/src/sandbox/ops/mod.rs `VOLATILE`.
    assert_eq!(
        set(VOLATILE_PARAMS),
        set(&[
            "Timestamp",
            "Signature",
            "SignatureMethod",
            "SignatureVersion",
            "AWSAccessKeyId",
            "MWSAuthToken",
        ])
    );
    // The generator's former `COMMON`, plus the signature the signer appends.
    assert_eq!(
        set(COMMON_PARAMS),
        set(&[
            "AWSAccessKeyId",
            "Action",
            "MWSAuthToken",
            "SellerId",
            "Signature",
            "SignatureMethod",
            "SignatureVersion",
            "Timestamp",
            "Version",
        ])
    );
    for list in [
        COMMON_PARAMS,
        SECRET_PARAMS,
        VOLATILE_PARAMS,
        PERSONAL_ELEMENTS,
    ] {
        assert!(sorted(list), "{list:?} is sorted and has no duplicates");
    }
}

/// The hand list `PERSONAL_NAME_PARTS` that v1 redaction kept before the spec held it: an element is personal when its
/// local name contains one of these.
const PERSONAL_NAME_PARTS: [&str; 11] = [
    "Buyer",
    "Name",
    "Email",
    "Phone",
    "AddressLine",
    "City",
    "County",
    "District",
    "StateOrRegion",
    "PostalCode",
    "CustomInformation",
];

#[test]
fn personal_elements_are_exactly_the_spec_elements_the_substring_rule_matches() {
    let spec = amazon_pay_spec::load(&amazon_pay_spec::v1_dir())
        .unwrap_or_else(|e| panic!("spec/v1:\n{e}"));
    // Every element name a v1 document can carry: structure members and their aliases, list
    // items and theirs.
    let mut elements = BTreeSet::new();
    for shape in &spec.shapes {
        for m in &shape.members {
            elements.insert(m.name().to_owned());
            elements.extend(m.aliases.iter().cloned());
        }
        if shape.kind == amazon_pay_spec::ShapeKind::List {
            elements.insert(shape.xml_member_name().to_owned());
            elements.extend(shape.member_aliases.iter().cloned());
        }
    }
    let matched: BTreeSet<&str> = elements
        .iter()
        .map(String::as_str)
        .filter(|name| PERSONAL_NAME_PARTS.iter().any(|part| name.contains(part)))
        .collect();
    assert!(matched.contains("Buyer") && matched.contains("PostalCode"));
    assert_eq!(set(PERSONAL_ELEMENTS), matched);
}

#[test]
fn error_classes_are_those_the_retry_rules_expect() {
    assert_eq!(ErrorCode::RequestThrottled.class(), ErrorClass::Throttled);
    assert_eq!(ErrorCode::ServiceUnavailable.class(), ErrorClass::Transient);
    assert_eq!(
        ErrorCode::InternalServerError.class(),
        ErrorClass::Transient
    );
    assert_eq!(ErrorCode::RequestExpired.class(), ErrorClass::ClockSkew);
    assert_eq!(
        ErrorCode::DuplicateReferenceId.class(),
        ErrorClass::DuplicateKey
    );
    assert_eq!(
        ErrorCode::DuplicateRequest.class(),
        ErrorClass::DuplicateKey
    );
    assert_eq!(ErrorCode::InvalidParameterValue.class(), ErrorClass::Final);
    assert_eq!(ErrorCode::parse("NoSuchCode").class(), ErrorClass::Final);
    // retryable() is derived from the class: the three codes that were retryable before.
    let retryable: Vec<&str> = ErrorCode::KNOWN
        .iter()
        .filter(|c| c.retryable())
        .map(|c| c.as_str())
        .collect();
    assert_eq!(
        retryable,
        [
            "InternalServerError",
            "RequestThrottled",
            "ServiceUnavailable"
        ]
    );
    for code in ErrorCode::KNOWN {
        assert_eq!(
            code.retryable(),
            matches!(code.class(), ErrorClass::Throttled | ErrorClass::Transient),
            "{code}"
        );
    }
    assert_eq!(v1::SIGNATURE_METHOD, "HmacSHA256");
}
