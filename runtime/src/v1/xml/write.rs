//! The writer under the generated v1 writers: typed values straight into one `String`, no
//! serde in between.
//!
//! It writes what the serde path (the reference, [`super::to_string`] under the
//! `serde-reference` feature) writes, byte for byte: the declaration, the root element with
//! the service's namespace, members in declaration order, an absent member not at all, an
//! element without content as `<Name/>` (an empty text, a structure whose members are all
//! absent, a list without items), a list as its items repeated, text escaped for `<`, `>`
//! and `&`.

use crate::money::Money;
use crate::timestamp::Timestamp;
use crate::v1::error::ErrorDetail;
use crate::v1::operation::ResponseMetadata;

/// What a document starts with.
const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// The buffer a document starts with: most answers of the service (1 to 2.5 KB) fit, the
/// others grow it once or twice.
const CAPACITY: usize = 2048;

/// A value that is written as one element (the generated structures, lists, enums and
/// identifiers, the scalars, and `Option` of any of them, which writes nothing when absent).
pub trait WriteXml {
    /// Writes the value as the element `name`.
    fn write_xml(&self, w: &mut XmlWriter, name: &str);
}

/// A document being written.
pub struct XmlWriter {
    out: String,
}

impl XmlWriter {
    /// The whole document: the declaration and the root element `root`, declaring
    /// `namespace`, whose content `content` writes.
    pub fn document(root: &str, namespace: &str, content: impl FnOnce(&mut XmlWriter)) -> String {
        let mut w = XmlWriter {
            out: String::with_capacity(CAPACITY),
        };
        w.out.push_str(DECLARATION);
        w.out.push('<');
        w.out.push_str(root);
        w.out.push_str(" xmlns=\"");
        w.out.push_str(namespace);
        w.out.push('"');
        w.content(root, content);
        w.out
    }

    /// The element `name` with the content `content` writes (`<name/>` when it writes
    /// nothing).
    // Inlined into the generated writers (another crate): `content` is their closure.
    #[inline]
    pub fn element(&mut self, name: &str, content: impl FnOnce(&mut XmlWriter)) {
        self.out.push('<');
        self.out.push_str(name);
        self.content(name, content);
    }

    /// The element `name` holding `text`, escaped (`<name/>` when `text` is empty).
    // Inlined into the generated writers, where it runs once per value.
    #[inline]
    pub fn text(&mut self, name: &str, text: &str) {
        self.out.push('<');
        self.out.push_str(name);
        if text.is_empty() {
            self.out.push_str("/>");
            return;
        }
        self.out.push('>');
        // Most texts need no escape: looking for one inline costs less than quick-xml's
        // escaper does to find none (its search is not inlined here), about an eighth of a
        // document's writing.
        if text.bytes().any(|b| matches!(b, b'<' | b'>' | b'&')) {
            self.out.push_str(&quick_xml::escape::partial_escape(text));
        } else {
            self.out.push_str(text);
        }
        self.close(name);
    }

    /// Ends the start tag written up to its name (and attributes), then the content and the
    /// end tag; an element whose content wrote nothing becomes an empty-element tag.
    #[inline]
    fn content(&mut self, name: &str, content: impl FnOnce(&mut XmlWriter)) {
        self.out.push('>');
        let start = self.out.len();
        content(self);
        if self.out.len() == start {
            self.out.pop();
            self.out.push_str("/>");
        } else {
            self.close(name);
        }
    }

    #[inline]
    fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// The element `name` holding a value whose text never needs escaping (a number, an
    /// amount), formatted in place without a `String` of its own.
    fn formatted(&mut self, name: &str, value: impl std::fmt::Display) {
        use std::fmt::Write as _;
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
        // Writing into a `String` cannot fail.
        let _ = write!(self.out, "{value}");
        self.close(name);
    }
}

impl WriteXml for String {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.text(name, self);
    }
}

/// `xs:long`.
impl WriteXml for i64 {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.formatted(name, self);
    }
}

/// `xs:boolean`, as `true` or `false`.
impl WriteXml for bool {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.text(name, if *self { "true" } else { "false" });
    }
}

/// The document form (`2024-01-02T03:04:05Z`, or with milliseconds when it has them).
impl WriteXml for Timestamp {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.text(name, &self.to_document());
    }
}

/// A `Price` element: `Amount` and `CurrencyCode` children.
impl WriteXml for Money {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.element(name, |w| {
            w.formatted("Amount", self.amount_wire());
            w.text("CurrencyCode", self.currency().as_str());
        });
    }
}

/// Nothing when absent.
impl<T: WriteXml> WriteXml for Option<T> {
    #[inline]
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        if let Some(value) = self {
            value.write_xml(w, name);
        }
    }
}

/// `<ResponseMetadata>` with its `RequestId`.
impl WriteXml for ResponseMetadata {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.element(name, |w| self.request_id.write_xml(w, "RequestId"));
    }
}

/// The `<Error>` element.
impl WriteXml for ErrorDetail {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.element(name, |w| {
            self.error_type.write_xml(w, "Type");
            self.code.write_xml(w, "Code");
            self.message.write_xml(w, "Message");
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use crate::v1::error::ErrorDocument;

    fn body(content: impl FnOnce(&mut XmlWriter)) -> String {
        let document = XmlWriter::document("R", "urn:x", content);
        document
            .strip_prefix(DECLARATION)
            .expect("the declaration first")
            .to_owned()
    }

    #[test]
    fn an_element_without_content_is_an_empty_element_tag() {
        assert_eq!(body(|_| {}), "<R xmlns=\"urn:x\"/>");
        assert_eq!(
            body(|w| {
                w.text("A", "");
                w.element("B", |w| None::<String>.write_xml(w, "C"));
                w.element("D", |w| w.element("E", |_| {}));
            }),
            "<R xmlns=\"urn:x\"><A/><B/><D><E/></D></R>"
        );
    }

    #[test]
    fn text_is_escaped_for_markup_only() {
        assert_eq!(
            body(|w| "a<b>&c \"d\" 'e' あ".to_owned().write_xml(w, "T")),
            "<R xmlns=\"urn:x\"><T>a&lt;b&gt;&amp;c \"d\" 'e' あ</T></R>"
        );
    }

    #[test]
    fn scalars_take_their_wire_forms() {
        let money = Money::new("12.30", Currency::Usd).unwrap();
        let at = Timestamp::parse("2024-01-02T03:04:05.678Z").unwrap();
        assert_eq!(
            body(|w| {
                (-42i64).write_xml(w, "I");
                true.write_xml(w, "B");
                at.write_xml(w, "T");
                Some(money).write_xml(w, "M");
            }),
            "<R xmlns=\"urn:x\"><I>-42</I><B>true</B><T>2024-01-02T03:04:05.678Z</T>\
             <M><Amount>12.30</Amount><CurrencyCode>USD</CurrencyCode></M></R>"
        );
    }

    #[test]
    fn the_error_document_reads_back() {
        let document = ErrorDocument {
            error: ErrorDetail {
                error_type: String::new(),
                code: "RequestThrottled".to_owned(),
                message: "Too <many> & fast".to_owned(),
            },
            request_id: "rid-1".to_owned(),
        };
        let xml = document.to_xml("urn:x");
        assert_eq!(
            xml.strip_prefix(DECLARATION),
            Some(
                "<ErrorResponse xmlns=\"urn:x\"><Error><Type/><Code>RequestThrottled</Code>\
                 <Message>Too &lt;many&gt; &amp; fast</Message></Error>\
                 <RequestId>rid-1</RequestId></ErrorResponse>"
            )
        );
        assert_eq!(ErrorDocument::from_xml(xml.as_bytes()), Ok(document));
    }
}
