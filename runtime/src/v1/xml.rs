//! Reading and writing XML documents: the generated pull readers over [`XmlReader`], the
//! generated writers over [`XmlWriter`], and (feature `serde-reference`) quick-xml's serde
//! reader and writer, the references both are tested against.
//!
//! The readers tolerate what real responses contain: a UTF-8 byte-order mark, no XML
//! declaration, namespaces, unknown elements (ignored) and elements in any order.

mod read;
mod write;

pub use read::XmlReader;
pub use write::{WriteXml, XmlWriter};

/// A document that is not what the expected type describes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("response body is not UTF-8: {0}")]
    NotUtf8(String),
    #[error("cannot read <{root}> document: {reason}")]
    Malformed { root: &'static str, reason: String },
    /// Only the serde reference writer fails (the generated writers cannot).
    #[error("cannot write XML: {0}")]
    Write(String),
}

/// Parses a whole document whose root element maps to `T` with serde (the reference reader).
#[cfg(feature = "serde-reference")]
pub fn from_bytes<T: serde::de::DeserializeOwned>(
    root: &'static str,
    body: &[u8],
) -> Result<T, XmlError> {
    let text = std::str::from_utf8(body).map_err(|e| XmlError::NotUtf8(e.to_string()))?;
    from_str(root, text)
}

/// Parses a whole document whose root element maps to `T` with serde (the reference reader).
#[cfg(feature = "serde-reference")]
pub fn from_str<T: serde::de::DeserializeOwned>(
    root: &'static str,
    text: &str,
) -> Result<T, XmlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    quick_xml::de::from_str(text).map_err(|e| XmlError::Malformed {
        root,
        reason: e.to_string(),
    })
}

/// The name of the root element, for dispatching a document whose kind is not known yet
/// (success or `ErrorResponse`).
pub fn root_name(body: &[u8]) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e)) => {
                return Some(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return None,
            Ok(_) => buf.clear(),
        }
    }
}

/// Writes `value` as a document with root `root` in the service's namespace with serde (the
/// reference writer).
#[cfg(feature = "serde-reference")]
pub fn to_string<T: serde::Serialize>(
    root: &str,
    namespace: &str,
    value: &T,
) -> Result<String, XmlError> {
    let mut body = String::new();
    let serializer = quick_xml::se::Serializer::with_root(&mut body, Some(root))
        .map_err(|e| XmlError::Write(e.to_string()))?;
    value
        .serialize(serializer)
        .map_err(|e| XmlError::Write(e.to_string()))?;
    // quick-xml writes the root without attributes; add the namespace the service declares.
    let open = format!("<{root}");
    let with_ns = body.replacen(&open, &format!("<{root} xmlns=\"{namespace}\""), 1);
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{with_ns}"
    ))
}
