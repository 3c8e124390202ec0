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

/// The events of `body`, keeping each element's text as an owned `String`, as a reader whose
/// values own their text must (the input checked as UTF-8 once, as the typed reader does,
/// and each text trimmed). It is the floor under any such reader: the typed readers' ratio
/// to it shows how much of their cost is theirs, and its own ratio to `events` how much the
/// owned texts alone take.
pub fn owned_texts(body: &[u8]) -> Vec<String> {
    let Ok(input) = std::str::from_utf8(body) else {
        return Vec::new();
    };
    let mut reader = quick_xml::Reader::from_str(input);
    let mut texts = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(Event::Text(text)) => {
                let text = std::str::from_utf8(&text).unwrap_or_default().trim();
                if !text.is_empty() {
                    texts.push(text.to_owned());
                }
            }
            Ok(_) => {}
        }
    }
    texts
}
