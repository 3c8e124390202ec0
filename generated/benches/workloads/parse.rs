//! The documents and raw event loops that the `parse` and `paired` benchmarks share.

use quick_xml::events::Event;

pub const BODY: &[u8] = include_bytes!(
    "../../../fixtures/v1/amazon-pay-sdk-java/GetBillingAgreementDetailsResponse.xml"
);
pub const ERROR: &[u8] =
    include_bytes!("../../../fixtures/v1/amazon-pay-sdk-java/ErrorResponse.xml");
pub const LIST: &str =
    include_str!("../../../fixtures/v1/amazon-pay-sdk-java/ListOrderReferenceResponse.xml");

/// The events of `body`, each read into a reused buffer.
pub fn events(body: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(body);
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
}

/// The events of `body`, each borrowed from it.
pub fn events_borrowed(body: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut events = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => events += 1,
        }
    }
    events
}

/// The list fixture with its first `<OrderReference>` repeated `items` times in place of
/// the fixture's own items.
pub fn large_list(items: usize) -> String {
    let (open, close) = ("<OrderReference>", "</OrderReference>");
    let first = LIST.find(open).unwrap();
    let last = LIST.rfind(close).unwrap() + close.len();
    let item_end = LIST.find(close).unwrap() + close.len();
    let item = &LIST[first..item_end];
    format!("{}{}{}", &LIST[..first], item.repeat(items), &LIST[last..])
}
