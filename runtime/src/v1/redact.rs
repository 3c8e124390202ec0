//! Redaction of what may be logged or recorded: request forms lose their secret parameters
//! (signature, access key, delegation token), response documents lose the buyer's personal
//! data (names, emails, phones, addresses). Which parameters and elements those are is a fact
//! of the service, passed in by its generated code. Used by the client's tracing and by the
//! conformance recorder.

use quick_xml::events::{BytesText, Event};
use quick_xml::{Reader, Writer};

/// The replacement text.
pub const REDACTED: &str = "[redacted]";

/// A form body with the values of the `secret` parameters replaced (keys and order kept).
pub fn form(body: &[u8], secret: &[&str]) -> String {
    String::from_utf8_lossy(body)
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if secret.contains(&k) => format!("{k}={REDACTED}"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// An XML document with the text of personal-data elements replaced; everything inside such
/// an element is redacted, at any depth. A body that is not well-formed XML is replaced
/// whole: it cannot be shown to hold no personal data.
pub fn xml(body: &[u8], is_personal: impl Fn(&str) -> bool) -> String {
    redact_xml(body, is_personal)
        .unwrap_or_else(|| format!("{REDACTED} ({} bytes, not XML)", body.len()))
}

fn redact_xml(body: &[u8], is_personal: impl Fn(&str) -> bool) -> Option<String> {
    let mut reader = Reader::from_reader(body);
    let mut writer = Writer::new(Vec::with_capacity(body.len()));
    let mut buf = Vec::new();
    // Depth inside a personal element (0 = outside).
    let mut personal = 0usize;
    loop {
        let event = reader.read_event_into(&mut buf).ok()?;
        match &event {
            Event::Eof => break,
            Event::Start(e) => {
                if personal > 0 || is_personal(local(e.local_name().as_ref())) {
                    personal += 1;
                }
                writer.write_event(event.borrow()).ok()?;
            }
            Event::End(_) => {
                personal = personal.saturating_sub(1);
                writer.write_event(event.borrow()).ok()?;
            }
            // Indentation between child elements stays; any other text is replaced.
            Event::Text(t) if personal > 0 && t.iter().all(u8::is_ascii_whitespace) => {
                writer.write_event(event.borrow()).ok()?;
            }
            Event::Text(_) | Event::CData(_) if personal > 0 => {
                writer
                    .write_event(Event::Text(BytesText::new(REDACTED)))
                    .ok()?;
            }
            _ => writer.write_event(event.borrow()).ok()?,
        }
        buf.clear();
    }
    String::from_utf8(writer.into_inner()).ok()
}

fn local(name: &[u8]) -> &str {
    std::str::from_utf8(name).unwrap_or("")
}
