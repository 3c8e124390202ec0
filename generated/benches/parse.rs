//! Typed parsing of a GetBillingAgreementDetails response, beside a raw quick-xml event loop
//! over the same bytes: the ratio is the cost of serde and typing on top of tokenizing.

use amazon_pay_protocol::v1::GetBillingAgreementDetailsResponse;
use criterion::{Criterion, criterion_group, criterion_main};
use quick_xml::events::Event;

const BODY: &[u8] =
    include_bytes!("../../fixtures/v1/amazon-pay-sdk-java/GetBillingAgreementDetailsResponse.xml");

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    group.bench_function("get_billing_agreement_details", |b| {
        b.iter(|| GetBillingAgreementDetailsResponse::from_xml(BODY).unwrap())
    });
    group.bench_function("quick_xml_events", |b| {
        b.iter(|| {
            let mut reader = quick_xml::Reader::from_reader(BODY);
            let mut buf = Vec::new();
            let mut events = 0usize;
            loop {
                match reader.read_event_into(&mut buf) {
                    Ok(Event::Eof) | Err(_) => break,
                    Ok(_) => events += 1,
                }
                buf.clear();
            }
            events
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
