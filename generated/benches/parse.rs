//! Typed parsing of v1 documents beside raw quick-xml event loops over the same bytes: the
//! ratio is the cost of typing on top of tokenizing.
//!
//! Two baselines: `quick_xml_events` reads into a reused buffer (`read_event_into`, the loop
//! of a reader over any `BufRead`), `quick_xml_events_borrowed` borrows events from the slice
//! (`read_event`, as the typed reader itself does, so no copy at all). Both touch every
//! event. `list_owned_texts` also keeps every text as an owned `String`: the floor under a
//! reader whose values own their text. The large list responses show that reading stays
//! linear in the number of items, and the `parse_scaling` group that it stays linear in what a
//! reader never keeps: attributes, the depth of unknown elements and the number of unknown
//! siblings (the time per element does not grow from 100 to 10,000, the event loop's neither).

#[path = "workloads/parse.rs"]
mod workloads;

use amazon_pay_protocol::error::ErrorDocument;
use amazon_pay_protocol::v1::{GetBillingAgreementDetailsResponse, ListOrderReferenceResponse};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use workloads::{BODY, ERROR, LIST, events, events_borrowed, large_list, owned_texts};

/// The GetBillingAgreementDetails fixture with `extra` inserted right after `marker`.
fn inserted(marker: &str, extra: &str) -> String {
    let body = std::str::from_utf8(BODY).unwrap();
    let at = body.find(marker).unwrap() + marker.len();
    let mut doc = body.to_owned();
    doc.insert_str(at, extra);
    doc
}

/// The fixture grown by `n` of something a reader passes over without keeping it.
type Grown = fn(usize) -> String;

/// The ways to grow it, by name.
const GROWTHS: [(&str, Grown); 3] = [
    // Inside the start tag of BillingAgreementDetails.
    ("attributes", |n| {
        let attributes: String = (0..n).map(|i| format!(" a{i}=\"v\"")).collect();
        inserted("<BillingAgreementDetails", &attributes)
    }),
    ("depth", |n| {
        let nested = "<Deep>".repeat(n) + &"</Deep>".repeat(n);
        inserted("<BillingAgreementDetails>", &nested)
    }),
    ("unknown_siblings", |n| {
        let siblings = "<Unknown x=\"1\">text</Unknown>".repeat(n);
        inserted("<BillingAgreementDetails>", &siblings)
    }),
];

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    group.bench_function("get_billing_agreement_details", |b| {
        b.iter(|| GetBillingAgreementDetailsResponse::from_xml(black_box(BODY)).unwrap())
    });
    group.bench_function("quick_xml_events", |b| b.iter(|| events(black_box(BODY))));
    group.bench_function("quick_xml_events_borrowed", |b| {
        b.iter(|| events_borrowed(black_box(BODY)))
    });
    group.bench_function("error_document", |b| {
        b.iter(|| ErrorDocument::from_xml(black_box(ERROR)).unwrap())
    });
    group.bench_function("error_document_events", |b| {
        b.iter(|| events(black_box(ERROR)))
    });
    group.bench_function("list_order_reference", |b| {
        b.iter(|| ListOrderReferenceResponse::from_xml(black_box(LIST.as_bytes())).unwrap())
    });
    group.bench_function("list_order_reference_events", |b| {
        b.iter(|| events(black_box(LIST.as_bytes())))
    });
    group.bench_function("list_owned_texts", |b| {
        b.iter(|| owned_texts(black_box(LIST.as_bytes())))
    });
    group.finish();

    let mut group = c.benchmark_group("parse_large_list");
    for items in [10, 100, 1000] {
        let doc = large_list(items);
        let read = ListOrderReferenceResponse::from_xml(doc.as_bytes()).unwrap();
        assert_eq!(read.result.order_reference_list.unwrap().items.len(), items);
        group.throughput(Throughput::Elements(items as u64));
        group.bench_with_input(BenchmarkId::new("typed", items), &doc, |b, doc| {
            b.iter(|| ListOrderReferenceResponse::from_xml(black_box(doc.as_bytes())).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("events", items), &doc, |b, doc| {
            b.iter(|| events(black_box(doc.as_bytes())))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("parse_scaling");
    let plain = GetBillingAgreementDetailsResponse::from_xml(BODY).unwrap();
    for (kind, grown) in GROWTHS {
        for n in [100, 1000, 10_000] {
            let doc = grown(n);
            // What is passed over changes nothing that is read.
            assert_eq!(
                GetBillingAgreementDetailsResponse::from_xml(doc.as_bytes()).unwrap(),
                plain
            );
            group.throughput(Throughput::Elements(n as u64));
            group.bench_with_input(
                BenchmarkId::new(format!("{kind}/typed"), n),
                &doc,
                |b, doc| {
                    b.iter(|| {
                        GetBillingAgreementDetailsResponse::from_xml(black_box(doc.as_bytes()))
                            .unwrap()
                    })
                },
            );
            group.bench_with_input(
                BenchmarkId::new(format!("{kind}/events"), n),
                &doc,
                |b, doc| b.iter(|| events(black_box(doc.as_bytes()))),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
