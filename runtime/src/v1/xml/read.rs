//! The pull reader under the generated v1 readers: quick-xml events straight into typed
//! values, no serde in between.
//!
//! Linear in the input by construction: every event is read once, attributes are never parsed
//! (only the tokenizer passes over them), unknown elements are skipped with a depth counter,
//! and text is unescaped once (borrowed from the input when it holds no entity). It accepts
//! what the serde path accepts: a byte-order mark, no declaration, namespace prefixes (names
//! are matched by local name), unknown elements, any order, repeated list items anywhere
//! among their siblings.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};

use super::XmlError;
use crate::money::{Currency, Money};
use crate::timestamp::Timestamp;
use crate::v1::error::{ErrorDetail, ErrorDocument};
use crate::v1::operation::ResponseMetadata;

/// A document being read; `open` flags passed around say whether the element just entered
/// has content (`<X>`) or none (`<X/>`).
pub struct XmlReader<'a> {
    reader: quick_xml::Reader<&'a [u8]>,
    input: &'a str,
    root: &'static str,
}

impl<'a> XmlReader<'a> {
    /// Reads the root element of `body` with `read` (a generated reader); `root` names the
    /// document in errors. Like the serde path, the root's own name is not checked: the
    /// caller dispatched on it already.
    pub fn document<T>(
        root: &'static str,
        body: &'a [u8],
        read: impl FnOnce(&mut XmlReader<'a>, bool) -> Result<T, XmlError>,
    ) -> Result<T, XmlError> {
        let text = std::str::from_utf8(body).map_err(|e| XmlError::NotUtf8(e.to_string()))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut r = XmlReader {
            reader: quick_xml::Reader::from_str(text),
            input: text,
            root,
        };
        let open = loop {
            match r.event()? {
                Event::Start(_) => break true,
                Event::Empty(_) => break false,
                Event::Eof => return Err(r.error("no root element".to_owned())),
                Event::Text(t) if !is_blank(&t) => {
                    return Err(r.error("text outside the root element".to_owned()));
                }
                _ => {}
            }
        };
        let value = read(&mut r, open)?;
        loop {
            match r.event()? {
                Event::Eof => return Ok(value),
                Event::Start(_) | Event::Empty(_) => {
                    return Err(r.error("a second root element".to_owned()));
                }
                Event::Text(t) if !is_blank(&t) => {
                    return Err(r.error("text after the root element".to_owned()));
                }
                _ => {}
            }
        }
    }

    /// The next child element of the element entered with `open`, as its local name and its
    /// own `open` flag; `None` (and `open` cleared) at the element's end. Text between
    /// children is ignored.
    // Inlined into the generated readers (another crate), where it runs once per element.
    #[inline]
    pub fn next_child(&mut self, open: &mut bool) -> Result<Option<(&'a [u8], bool)>, XmlError> {
        while *open {
            // Matched on the result itself: after `?` the event would be copied out of it
            // first, once for every event of the document.
            match self.reader.read_event() {
                Ok(Event::Start(e)) => return Ok(Some((self.local_name(e)?, true))),
                Ok(Event::Empty(e)) => return Ok(Some((self.local_name(e)?, false))),
                Ok(Event::End(_)) => *open = false,
                Ok(Event::Eof) => return Err(self.error("unexpected end of document".to_owned())),
                Ok(_) => {}
                Err(e) => return Err(self.error(e.to_string())),
            }
        }
        Ok(None)
    }

    /// Skips the element entered with `open`, whatever it holds.
    pub fn skip(&mut self, open: bool) -> Result<(), XmlError> {
        let mut depth = usize::from(open);
        while depth > 0 {
            match self.event()? {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                Event::Eof => return Err(self.error("unexpected end of document".to_owned())),
                _ => {}
            }
        }
        Ok(())
    }

    /// The text of the element entered with `open`, unescaped, trimmed of XML whitespace at
    /// both ends (as the serde path reads it); an element inside is an error.
    // Inlined into the generated readers (another crate), where it runs once per value.
    #[inline]
    pub fn text(&mut self, open: bool) -> Result<Cow<'a, str>, XmlError> {
        let mut text: Option<Cow<'a, str>> = None;
        let mut open = open;
        while open {
            let piece: Cow<'a, str> = match self.event()? {
                Event::Text(t) => {
                    // The input was checked as UTF-8 once; unescape its own slice rather than
                    // have quick-xml check each text again.
                    let raw = self
                        .in_input(&t)
                        .ok_or_else(|| self.error("text outside the input".to_owned()))?;
                    // Most texts hold no entity; looking for `&` alone is cheaper than the
                    // unescaper's own search for `&` and `;` on such short pieces.
                    if raw.as_bytes().contains(&b'&') {
                        quick_xml::escape::unescape(raw).map_err(|e| self.error(e.to_string()))?
                    } else {
                        Cow::Borrowed(raw)
                    }
                }
                Event::CData(c) => match c.into_inner() {
                    Cow::Borrowed(b) => Cow::Borrowed(self.utf8(b)?),
                    Cow::Owned(b) => Cow::Owned(self.utf8(&b)?.to_owned()),
                },
                Event::End(_) => {
                    open = false;
                    continue;
                }
                Event::Start(_) | Event::Empty(_) => {
                    return Err(self.error("an element where text was expected".to_owned()));
                }
                Event::Eof => return Err(self.error("unexpected end of document".to_owned())),
                _ => continue,
            };
            text = Some(match text {
                None => piece,
                Some(before) => Cow::Owned(before.into_owned() + &piece),
            });
        }
        Ok(match text.unwrap_or(Cow::Borrowed("")) {
            Cow::Borrowed(s) => Cow::Borrowed(trim(s)),
            Cow::Owned(s) => Cow::Owned(trim(&s).to_owned()),
        })
    }

    /// `xs:long` text.
    pub fn integer(&mut self, open: bool) -> Result<i64, XmlError> {
        let text = self.text(open)?;
        text.parse()
            .map_err(|_| self.error(format!("invalid integer `{text}`")))
    }

    /// `xs:boolean` text: `true`, `false`, `1` or `0`.
    pub fn boolean(&mut self, open: bool) -> Result<bool, XmlError> {
        match &*self.text(open)? {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(self.error(format!("invalid boolean `{other}`"))),
        }
    }

    pub fn timestamp(&mut self, open: bool) -> Result<Timestamp, XmlError> {
        let text = self.text(open)?;
        Timestamp::parse(&text).map_err(|e| self.error(e.to_string()))
    }

    /// A `Price` element: `Amount` and `CurrencyCode` children, read leniently
    /// ([`Money::from_wire`]); the last of a repeated child wins, as in the serde path.
    pub fn money(&mut self, open: bool) -> Result<Money, XmlError> {
        let (mut amount, mut currency) = (None, None);
        let mut open = open;
        while let Some((name, child)) = self.next_child(&mut open)? {
            match name {
                b"Amount" => amount = Some(self.text(child)?),
                b"CurrencyCode" => currency = Some(self.text(child)?),
                _ => self.skip(child)?,
            }
        }
        let amount = self.required(amount, "Amount")?;
        let currency = self.required(currency, "CurrencyCode")?;
        Money::from_wire(&amount, Currency::parse(&currency)).map_err(|e| self.error(e.to_string()))
    }

    /// `<ResponseMetadata>`: `RequestId`, or `RequestID` in some responses.
    pub fn response_metadata(&mut self, open: bool) -> Result<ResponseMetadata, XmlError> {
        let mut request_id = None;
        let mut open = open;
        while let Some((name, child)) = self.next_child(&mut open)? {
            match name {
                b"RequestId" | b"RequestID" => {
                    self.once(&request_id, "RequestId")?;
                    request_id = Some(self.text(child)?.into_owned());
                }
                _ => self.skip(child)?,
            }
        }
        Ok(ResponseMetadata {
            request_id: request_id.unwrap_or_default(),
        })
    }

    /// `<ErrorResponse>`.
    pub fn error_document(&mut self, open: bool) -> Result<ErrorDocument, XmlError> {
        let (mut error, mut request_id) = (None, None);
        let mut open = open;
        while let Some((name, child)) = self.next_child(&mut open)? {
            match name {
                b"Error" => {
                    self.once(&error, "Error")?;
                    error = Some(self.error_detail(child)?);
                }
                b"RequestId" | b"RequestID" => {
                    self.once(&request_id, "RequestId")?;
                    request_id = Some(self.text(child)?.into_owned());
                }
                _ => self.skip(child)?,
            }
        }
        Ok(ErrorDocument {
            error: self.required(error, "Error")?,
            request_id: request_id.unwrap_or_default(),
        })
    }

    fn error_detail(&mut self, open: bool) -> Result<ErrorDetail, XmlError> {
        let (mut error_type, mut code, mut message) = (None, None, None);
        let mut open = open;
        while let Some((name, child)) = self.next_child(&mut open)? {
            let slot = match name {
                b"Type" => (&mut error_type, "Type"),
                b"Code" => (&mut code, "Code"),
                b"Message" => (&mut message, "Message"),
                _ => {
                    self.skip(child)?;
                    continue;
                }
            };
            self.once(slot.0, slot.1)?;
            *slot.0 = Some(self.text(child)?.into_owned());
        }
        Ok(ErrorDetail {
            error_type: error_type.unwrap_or_default(),
            code: self.required(code, "Code")?,
            message: message.unwrap_or_default(),
        })
    }

    /// Fails when a member that is not a list appears a second time (serde's `duplicate
    /// field`), so both paths reject the same documents.
    pub fn once<T>(&self, slot: &Option<T>, element: &str) -> Result<(), XmlError> {
        match slot {
            Some(_) => Err(self.error(format!("duplicate element `{element}`"))),
            None => Ok(()),
        }
    }

    /// The value of a required member, or the error naming it.
    pub fn required<T>(&self, slot: Option<T>, element: &str) -> Result<T, XmlError> {
        slot.ok_or_else(|| self.error(format!("missing element `{element}`")))
    }

    // Inlined: the call and the move of every event out of it would cost more than the read.
    #[inline]
    fn event(&mut self) -> Result<Event<'a>, XmlError> {
        self.reader
            .read_event()
            .map_err(|e| self.error(e.to_string()))
    }

    /// The same bytes as `part` (a piece of an event), borrowed from the input for `'a`.
    /// quick-xml hands event contents out with the event's lifetime only; a slice reader's
    /// events lie inside the input, so their offset there gives the same text. Events start
    /// and end at markup (`<`, `>`), so the slice is on character boundaries.
    fn in_input(&self, part: &[u8]) -> Option<&'a str> {
        let at = self.offset(part);
        self.input.get(at..at.saturating_add(part.len()))
    }

    /// Where `part` (a piece of an event) starts in the input.
    fn offset(&self, part: &[u8]) -> usize {
        (part.as_ptr() as usize).wrapping_sub(self.input.as_ptr() as usize)
    }

    /// The element's name after its namespace prefix, borrowed from the input as bytes:
    /// names are only compared, so no character boundary is checked. The colon is looked for
    /// with a plain loop: names are short, shorter than a vectorized search's setup pays for.
    /// Inlined into `next_child`: called, it took the event by a copy on the stack.
    #[inline]
    fn local_name(&self, start: BytesStart<'_>) -> Result<&'a [u8], XmlError> {
        let name = start.name();
        let at = self.offset(name.as_ref());
        let bytes: &'a [u8] = self.input.as_bytes();
        let Some(name) = bytes.get(at..at.saturating_add(name.as_ref().len())) else {
            return Err(self.error("an element name outside the input".to_owned()));
        };
        Ok(match name.iter().position(|b| *b == b':') {
            Some(colon) => name.get(colon + 1..).unwrap_or(name),
            None => name,
        })
    }

    fn utf8(&self, bytes: &'a [u8]) -> Result<&'a str, XmlError> {
        std::str::from_utf8(bytes).map_err(|e| XmlError::NotUtf8(e.to_string()))
    }

    fn error(&self, reason: String) -> XmlError {
        XmlError::Malformed {
            root: self.root,
            reason: format!("{reason} at byte {}", self.reader.buffer_position()),
        }
    }
}

fn is_blank(text: &quick_xml::events::BytesText<'_>) -> bool {
    text.iter().all(|b| is_xml_space(*b))
}

fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// `s` without XML whitespace at either end, found byte by byte: the four spaces are ASCII,
/// and an ASCII byte in UTF-8 is always a whole character, so the cuts are on boundaries.
fn trim(s: &str) -> &str {
    let bytes = s.as_bytes();
    let start = bytes
        .iter()
        .position(|b| !is_xml_space(*b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_xml_space(*b))
        .map_or(start, |last| last + 1);
    s.get(start..end).unwrap_or_default()
}
