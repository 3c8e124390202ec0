//! The generated pull readers give the same value as the serde reader (the reference) on every
//! public fixture, every recorded answer of the simulator, and proptest-generated variations
//! of them (unknown elements at any depth, attributes, comments, whitespace, repeated list
//! items): both succeed with equal values, or both refuse the document. Every body is read
//! as the answer of every operation, so mismatched documents are compared too.

mod v1_documents;

use amazon_pay_protocol::Operation;
use amazon_pay_protocol::error::ErrorDocument;
use amazon_pay_protocol::v1::*;
use amazon_pay_protocol::xml;
use proptest::prelude::*;
use v1_documents::{documents, every_operation};

/// Compares both readers on `body` as the answer of `O`.
fn same<O: Operation>(body: &[u8]) -> Result<(), String>
where
    O::Response: serde::de::DeserializeOwned,
{
    let pull = O::read_response(body);
    let reference = xml::from_bytes::<O::Response>(O::ACTION, body);
    compare(O::ACTION, pull, reference)
}

fn compare<T: std::fmt::Debug>(
    what: &str,
    pull: Result<T, xml::XmlError>,
    reference: Result<T, xml::XmlError>,
) -> Result<(), String> {
    match (pull, reference) {
        (Ok(a), Ok(b)) if format!("{a:?}") == format!("{b:?}") => Ok(()),
        (Err(_), Err(_)) => Ok(()),
        (a, b) => Err(format!("{what}: pull reader {a:?}\nserde reader {b:?}")),
    }
}

/// Both readers agree on `body` for every operation and for the error document.
fn agree_everywhere(body: &[u8]) -> Result<(), String> {
    macro_rules! each {
        ($($op:ident)*) => { $( same::<$op>(body)?; )* };
    }
    every_operation!(each);
    compare(
        "ErrorResponse",
        ErrorDocument::from_xml(body),
        xml::from_bytes::<ErrorDocument>("ErrorResponse", body),
    )
}

#[test]
fn every_fixture_and_recording_reads_the_same() {
    let mut parsed = 0;
    for body in documents() {
        agree_everywhere(body).unwrap();
        parsed += usize::from(AnyResponse::parse(&root(body), body).is_ok());
    }
    // Most documents are success answers that parse (the others are error answers).
    assert!(parsed * 2 > documents().len(), "{parsed}");
}

fn root(body: &[u8]) -> String {
    xml::root_name(body)
        .unwrap_or_default()
        .trim_end_matches("Response")
        .to_owned()
}

/// What the generator inserts after a tag.
#[derive(Debug, Clone)]
enum Insert {
    Unknown {
        depth: usize,
        text: bool,
    },
    Comment,
    Whitespace,
    /// A copy of the element that starts here, right after its end (a repeated element).
    Repeat,
}

fn insert() -> impl Strategy<Value = Insert> {
    prop_oneof![
        (0..6usize, any::<bool>()).prop_map(|(depth, text)| Insert::Unknown { depth, text }),
        Just(Insert::Comment),
        Just(Insert::Whitespace),
        Just(Insert::Repeat),
    ]
}

/// Applies `edits` (a tag index, what to do there, attributes to add to it) to `body`.
fn vary(body: &str, edits: &[(prop::sample::Index, Insert, usize)]) -> String {
    let tags: Vec<(usize, usize)> = tag_spans(body);
    if tags.is_empty() {
        return body.to_owned();
    }
    // Apply from the last position backwards so earlier offsets stay valid.
    let mut plans: Vec<(usize, &Insert, usize)> = edits
        .iter()
        .map(|(at, what, attrs)| (at.index(tags.len()), what, *attrs))
        .collect();
    plans.sort_by_key(|p| std::cmp::Reverse(p.0));
    plans.dedup_by_key(|p| p.0);
    let mut out = body.to_owned();
    for (i, what, attrs) in plans {
        let (start, end) = tags[i];
        let text = match what {
            Insert::Unknown { depth, text } => {
                let open: String = (0..=*depth).map(|d| format!("<Zq{d} k=\"v\">")).collect();
                let close: String = (0..=*depth).rev().map(|d| format!("</Zq{d}>")).collect();
                let inner = if *text {
                    "t &amp; <![CDATA[x]]>"
                } else {
                    "<Leaf/>"
                };
                format!("{open}{inner}{close}")
            }
            Insert::Comment => "<!-- note -->".to_owned(),
            Insert::Whitespace => "\n   \t".to_owned(),
            // Repeating the root would make a second document.
            Insert::Repeat if i == 0 => String::new(),
            Insert::Repeat => element_at(&out, start).unwrap_or_default(),
        };
        let after_element = match what {
            Insert::Repeat => start + text.len(),
            _ => end,
        };
        out.insert_str(after_element, &text);
        if !out[start..].starts_with("</") && !out[start..].starts_with("<?") {
            let name_end = start
                + out[start..]
                    .find(|c: char| c == '>' || c == '/' || c.is_whitespace())
                    .unwrap_or(1);
            let extra: String = (0..attrs).map(|a| format!(" a{a}=\"{a}\"")).collect();
            out.insert_str(name_end, &extra);
        }
    }
    out
}

/// Byte spans of every tag (`<…>`) inside the root element, outside CDATA and comments:
/// after the root's start tag and before its end tag. (Content after the root is where the
/// readers differ on purpose: the serde reader ignores it, the pull reader refuses it.)
fn tag_spans(body: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut at = 0;
    while let Some(open) = body[at..].find('<') {
        let start = at + open;
        let Some(close) = body[start..].find('>') else {
            break;
        };
        let end = start + close + 1;
        if !body[start..].starts_with("<!") && !body[start..].starts_with("<?") {
            spans.push((start, end));
        }
        at = end;
    }
    spans.pop();
    spans
}

/// The whole element whose start tag begins at `start` (None for an end tag or a declaration).
fn element_at(body: &str, start: usize) -> Option<String> {
    let rest = &body[start..];
    if rest.starts_with("</") || rest.starts_with("<?") {
        return None;
    }
    let name_len = rest[1..].find(|c: char| c == '>' || c == '/' || c.is_whitespace())?;
    let name = &rest[1..1 + name_len];
    let tag_end = rest.find('>')? + 1;
    if rest[..tag_end].ends_with("/>") {
        return Some(rest[..tag_end].to_owned());
    }
    let close = format!("</{name}>");
    let end = rest.find(&close)? + close.len();
    Some(rest[..end].to_owned())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn generated_variations_read_the_same(
        doc in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), insert(), 0..4usize), 1..6),
    ) {
        let body = String::from_utf8_lossy(doc.get::<Vec<u8>>(documents())).into_owned();
        let varied = vary(&body, &edits);
        if let Err(e) = agree_everywhere(varied.as_bytes()) {
            return Err(TestCaseError::fail(format!("{e}\ndocument:\n{varied}")));
        }
    }
}
