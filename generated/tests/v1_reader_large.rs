//! Large documents read correctly by the generated pull reader, which is linear by
//! construction (one pass over the events; attributes are tokenized, never parsed into a
//! list; unknown subtrees are skipped with a counter, not recursion). Sizes are bounded (each
//! document stays under 2 MB) and nothing here measures time: each case checks the value
//! read from the large document against the plain one.

use amazon_pay_protocol::v1::GetBillingAgreementDetailsResponse;

const PLAIN: &str =
    include_str!("../../fixtures/v1/amazon-pay-sdk-java/GetBillingAgreementDetailsResponse.xml");

fn plain() -> GetBillingAgreementDetailsResponse {
    GetBillingAgreementDetailsResponse::from_xml(PLAIN.as_bytes()).unwrap()
}

/// The fixture with `extra` inserted right after `<BillingAgreementDetails`'s name (inside
/// its start tag) or after its start tag (`inside_tag == false`).
fn with(extra: &str, inside_tag: bool) -> String {
    let tag = "<BillingAgreementDetails";
    let at = PLAIN.find(tag).unwrap() + tag.len() + usize::from(!inside_tag);
    let mut doc = PLAIN.to_owned();
    doc.insert_str(at, extra);
    doc
}

#[test]
fn a_hundred_thousand_attributes_on_one_element() {
    // The shape of the report: 100,000 attributes on BillingAgreementDetails, about 1.1 MB.
    let attrs: String = (0..100_000).map(|i| format!(" a{i}=\"v\"")).collect();
    let doc = with(&attrs, true);
    assert!(
        doc.len() > 1_000_000 && doc.len() < 2_000_000,
        "{}",
        doc.len()
    );
    assert_eq!(
        GetBillingAgreementDetailsResponse::from_xml(doc.as_bytes()).unwrap(),
        plain()
    );
}

#[test]
fn deeply_nested_unknown_elements_are_skipped() {
    let depth = 50_000;
    let nested = "<Deep>".repeat(depth) + &"</Deep>".repeat(depth);
    let doc = with(&nested, false);
    assert_eq!(
        GetBillingAgreementDetailsResponse::from_xml(doc.as_bytes()).unwrap(),
        plain()
    );
}

#[test]
fn many_unknown_siblings_and_repeated_list_items() {
    let item = "<Constraint><ConstraintID>PaymentPlanNotSet</ConstraintID><Description>d</Description></Constraint>";
    let items = item.repeat(10_000);
    let unknown = "<Unknown x=\"1\">text</Unknown>".repeat(20_000);
    let doc = PLAIN.replacen(
        "<Constraints>",
        &format!("<Constraints>{unknown}{items}"),
        1,
    );
    let read = GetBillingAgreementDetailsResponse::from_xml(doc.as_bytes()).unwrap();
    let constraints = read
        .result
        .billing_agreement_details
        .constraints
        .unwrap()
        .items;
    assert_eq!(constraints.len(), 10_001);
    assert_eq!(
        constraints[..10_000]
            .iter()
            .filter(|c| c.constraint_id.as_str() == "PaymentPlanNotSet")
            .count(),
        10_000
    );
}
