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

/// Appends the RFC 3986 encoding of `value` to `out`.
#[inline]
pub fn encode_into(out: &mut String, value: &str) {
    encode_bytes_into(out, value.as_bytes());
}

/// Appends the RFC 3986 encoding of `bytes`, which need not be UTF-8 (text the caller made,
/// such as base64, is not checked first).
///
/// Every byte takes the same few steps, with no branch on what it is: the four bytes of its
/// [`WRITTEN`] entry are stored where the output has got to, which then moves on by the
/// entry's length (1 for a bare byte, 3 for `%XX`); what a short entry stored past its
/// length is overwritten by the next one or left past the end. About 5.5 instructions a
/// byte: copying each run of bare bytes with `push_str` and pushing escapes a character at
/// a time cost twice to three times as much on a signed request (more on Japanese text,
/// which is all escapes), and the safe versions tried (bounds-checked stores into the spare
/// capacity, or escapes gathered in a checked buffer) were slower still.
pub(crate) fn encode_bytes_into(out: &mut String, bytes: &[u8]) {
    // Each byte becomes at most three, and the last store may write one past them.
    out.reserve(bytes.len().saturating_mul(3).saturating_add(1));
    // SAFETY: only ASCII bytes are appended (every byte outside the unreserved ASCII set is
    // escaped), so `out` stays UTF-8.
    let buf = unsafe { out.as_mut_vec() };
    let start = buf.len();
    let dst = buf.spare_capacity_mut().as_mut_ptr().cast::<u8>();
    let mut len = 0;
    for &b in bytes {
        let entry = WRITTEN[usize::from(b)].to_le_bytes();
        // SAFETY: before the i-th byte (from 0) `len` is at most 3 * i, so the four bytes
        // stored end within the 3 * bytes.len() + 1 spare bytes reserved above.
        unsafe { dst.add(len).cast::<[u8; 4]>().write_unaligned(entry) };
        len += usize::from(entry[3]);
    }
    // SAFETY: each store wrote the four bytes from where the output had got to, and the
    // output moved on by at most three, so every byte below `len` is written; `len` is at
    // most 3 * bytes.len(), within the capacity reserved above.
    unsafe { buf.set_len(start + len) };
}

/// What each byte becomes, as it is stored: the byte itself, or `%XX` with upper-case hex,
/// padded to four bytes whose last is the length (little-endian words, so that each is one
/// load).
const WRITTEN: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = u32::from_le_bytes(if UNRESERVED[b] {
            [b as u8, 0, 0, 1]
        } else {
            [b'%', HEX[b >> 4], HEX[b & 0xF], 3]
        });
        b += 1;
    }
    table
};

/// Whether `text` needs no encoding.
pub(crate) fn is_unreserved(text: &str) -> bool {
    text.bytes().all(|b| UNRESERVED[usize::from(b)])
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
    fn the_table_agrees_with_the_percent_encoding_crate() {
        // Every ASCII character, escapes and multi-byte characters at every offset, and runs
        // of several lengths.
        let mut cases = vec![
            String::new(),
            (0..=0x7Fu8).map(char::from).collect(),
            "a".repeat(15),
            "a".repeat(16),
            "a".repeat(40),
            "定期購入 1月分".to_owned(),
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
            // Appended after what is there, from a full buffer (so it must grow).
            let mut appended = String::with_capacity(2);
            appended.push_str("k=");
            encode_into(&mut appended, &text);
            assert_eq!(appended, format!("k={}", encode(&text)), "{text:?}");
        }
    }

    #[test]
    fn any_bytes_encode_like_the_percent_encoding_crate() {
        // Every byte value, lone continuation and lead bytes included: not UTF-8 as a whole.
        let bytes: Vec<u8> = (0..=255u8).rev().chain(0..=255).collect();
        let mut fast = String::new();
        encode_bytes_into(&mut fast, &bytes);
        assert_eq!(
            fast,
            percent_encoding::percent_encode(&bytes, RFC3986).to_string()
        );
    }
}
