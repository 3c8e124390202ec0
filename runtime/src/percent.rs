//! RFC 3986 percent-encoding, as both API generations sign it: unreserved bytes stay bare,
//! every other byte of the UTF-8 text becomes `%XX` with upper-case hex.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// RFC 3986 unreserved characters stay bare; every other byte of the UTF-8 encoding becomes
/// `%XX` with upper-case hex (space is `%20`, `~` stays `~`, `*` is `%2A`).
pub const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Appends the RFC 3986 encoding of `value` to `out`, copying each run of unreserved bytes
/// at once (most values, ids and codes, are one run).
pub fn encode_into(out: &mut String, value: &str) {
    let bytes = value.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let end = start + unreserved_run(&bytes[start..]);
        // A run of unreserved (ASCII) bytes starts and ends on character boundaries.
        if let Some(text) = value.get(start..end) {
            out.push_str(text);
        }
        // Then the run of bytes to escape, a character at a time (no copy call per escape).
        start = end;
        while let Some(&b) = bytes.get(start).filter(|&&b| !UNRESERVED[usize::from(b)]) {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
            start += 1;
        }
    }
}

/// Whether `text` needs no encoding.
pub(crate) fn is_unreserved(text: &str) -> bool {
    unreserved_run(text.as_bytes()) == text.len()
}

/// The length of the run of unreserved bytes `bytes` starts with.
fn unreserved_run(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|&b| !UNRESERVED[usize::from(b)])
        .unwrap_or(bytes.len())
}

/// Whether a byte stays bare (`A-Z a-z 0-9 - _ . ~`).
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    table
};

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// The RFC 3986 encoding of `value`.
pub fn encode(value: &str) -> String {
    utf8_percent_encode(value, RFC3986).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreserved_bytes_are_exactly_rfc3986s() {
        for b in 0..=255u8 {
            let expected = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
            assert_eq!(UNRESERVED[usize::from(b)], expected, "byte {b:#04x}");
        }
    }

    #[test]
    fn the_run_scan_agrees_with_the_percent_encoding_crate() {
        // Escapes and multi-byte characters at every offset, and runs of several lengths.
        let mut cases = vec![
            String::new(),
            "a".repeat(15),
            "a".repeat(16),
            "a".repeat(40),
        ];
        for at in 0..34 {
            let mut text = "x".repeat(34);
            text.insert_str(at, if at % 2 == 0 { " " } else { "定" });
            cases.push(text);
        }
        for text in cases {
            let mut fast = String::new();
            encode_into(&mut fast, &text);
            assert_eq!(fast, encode(&text), "{text:?}");
        }
    }
}
