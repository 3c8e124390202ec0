//! Writing v1 documents with the generated writers beside the serde writer (quick-xml's
//! serializer, kept as the reference) on the same values: what the simulator does once per
//! answered request.

use amazon_pay_protocol::error::ErrorDocument;
use amazon_pay_protocol::v1::{
    GetBillingAgreementDetailsResponse, ListOrderReferenceResponse, XML_NAMESPACE,
};
use amazon_pay_protocol::xml;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const BODY: &[u8] =
    include_bytes!("../../fixtures/v1/amazon-pay-sdk-java/GetBillingAgreementDetailsResponse.xml");
const ERROR: &[u8] = include_bytes!("../../fixtures/v1/amazon-pay-sdk-java/ErrorResponse.xml");
const LIST: &[u8] =
    include_bytes!("../../fixtures/v1/amazon-pay-sdk-java/ListOrderReferenceResponse.xml");

fn bench(c: &mut Criterion) {
    let details = GetBillingAgreementDetailsResponse::from_xml(BODY).unwrap();
    let error = ErrorDocument::from_xml(ERROR).unwrap();
    let list = ListOrderReferenceResponse::from_xml(LIST).unwrap();
    // Both write the same documents (the differential tests hold them to it on every value).
    assert_eq!(
        Ok(details.to_xml()),
        xml::to_string(
            "GetBillingAgreementDetailsResponse",
            XML_NAMESPACE,
            &details
        )
    );
    assert_eq!(
        Ok(error.to_xml(XML_NAMESPACE)),
        xml::to_string("ErrorResponse", XML_NAMESPACE, &error)
    );
    assert_eq!(
        Ok(list.to_xml()),
        xml::to_string("ListOrderReferenceResponse", XML_NAMESPACE, &list)
    );

    let mut group = c.benchmark_group("render");
    group.bench_function("get_billing_agreement_details", |b| {
        b.iter(|| black_box(&details).to_xml())
    });
    group.bench_function("get_billing_agreement_details_serde", |b| {
        b.iter(|| {
            xml::to_string(
                "GetBillingAgreementDetailsResponse",
                XML_NAMESPACE,
                black_box(&details),
            )
            .unwrap()
        })
    });
    group.bench_function("error_document", |b| {
        b.iter(|| black_box(&error).to_xml(XML_NAMESPACE))
    });
    group.bench_function("error_document_serde", |b| {
        b.iter(|| xml::to_string("ErrorResponse", XML_NAMESPACE, black_box(&error)).unwrap())
    });
    group.bench_function("list_order_reference", |b| {
        b.iter(|| black_box(&list).to_xml())
    });
    group.bench_function("list_order_reference_serde", |b| {
        b.iter(|| {
            xml::to_string(
                "ListOrderReferenceResponse",
                XML_NAMESPACE,
                black_box(&list),
            )
            .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
