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
/// at once (most values, ids, amounts and codes, are one run) and escaping the rest through
/// tables: one pass, one table look-up per byte.
pub fn encode_into(out: &mut String, value: &str) {
    let bytes = value.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if UNRESERVED[usize::from(b)] {
            continue;
        }
        // A run of unreserved (ASCII) bytes starts and ends on character boundaries.
        if let Some(text) = value.get(run..i) {
            out.push_str(text);
        }
        out.push_str(ESCAPES[usize::from(b)]);
        run = i + 1;
    }
    if let Some(text) = value.get(run..) {
        out.push_str(text);
    }
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

/// `%XX` (upper-case hex) of every byte.
const ESCAPES: [&str; 256] = {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    const BYTES: [[u8; 3]; 256] = {
        let mut table = [[0u8; 3]; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = [b'%', HEX[b >> 4], HEX[b & 0xF]];
            b += 1;
        }
        table
    };
    let mut table = [""; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match std::str::from_utf8(&BYTES[b]) {
            Ok(text) => text,
            Err(_) => panic!("%XX is ASCII"),
        };
        b += 1;
    }
    table
};

/// The RFC 3986 encoding of `value`.
pub fn encode(value: &str) -> String {
    utf8_percent_encode(value, RFC3986).to_string()
}
