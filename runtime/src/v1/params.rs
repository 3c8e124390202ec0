//! Flattened request parameters: the fast canonical writer used by generated requests, the
//! generic reference implementation it is checked against, and the parsed form the simulator
//! reads requests from.
//!
//! Generated requests visit their parameters in canonical (byte) order; the order is decided
//! when the code is generated, so [`CanonicalQuery`] only appends and never sorts. The
//! [`reference_canonical_query`] function collects, encodes and sorts like the official SDKs
//! do; property tests show the two agree.

use crate::money::Money;
use std::collections::BTreeMap;

pub use crate::percent::{RFC3986, encode, encode_into};

/// Receives flattened parameters. Keys are spec wire names, which contain only unreserved
/// characters, so they never need encoding; values are raw text.
pub trait ParamSink {
    fn param(&mut self, key: &str, value: &str);

    /// A value whose text has only unreserved characters by construction: a constant of the
    /// spec (checked when the code was generated), an integer, a boolean, an amount. A sink
    /// that percent-encodes may copy it as it is, sparing the scan.
    fn unreserved_param(&mut self, key: &str, value: &str) {
        self.param(key, value);
    }

    /// An integer (digits and a sign, unreserved): a sink that builds text writes it in
    /// place, with no `String` per value.
    fn integer_param(&mut self, key: &str, value: i64) {
        self.unreserved_param(key, itoa::Buffer::new().format(value));
    }

    /// An amount's wire text ([`Money::amount_wire`], unreserved), written in place as an
    /// integer is.
    fn amount_param(&mut self, key: &str, value: &Money) {
        let mut text = String::new();
        value.amount_wire().push_to(&mut text);
        self.unreserved_param(key, &text);
    }
}

/// The parameters every v1 request carries besides its own.
#[derive(Debug, Clone, Copy)]
pub struct CommonParams<'a> {
    pub aws_access_key_id: &'a str,
    pub seller_id: &'a str,
    pub mws_auth_token: Option<&'a str>,
    /// Already in wire form, `YYYY-MM-DDTHH:MM:SSZ`.
    pub timestamp: &'a str,
}

/// The canonical query string, built by appending parameters that arrive in canonical order.
#[derive(Debug, Default, Clone)]
pub struct CanonicalQuery {
    buf: String,
}

impl CanonicalQuery {
    pub fn with_capacity(capacity: usize) -> CanonicalQuery {
        CanonicalQuery {
            buf: String::with_capacity(capacity),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.buf
    }

    pub fn into_string(self) -> String {
        self.buf
    }
}

impl CanonicalQuery {
    /// `&key=` (no `&` before the first parameter).
    #[inline]
    fn push_key(&mut self, key: &str) {
        if !self.buf.is_empty() {
            self.buf.push('&');
        }
        self.buf.push_str(key);
        self.buf.push('=');
    }
}

// Inlined into the generated `write_params` (another crate): one call per parameter.
impl ParamSink for CanonicalQuery {
    #[inline]
    fn param(&mut self, key: &str, value: &str) {
        self.push_key(key);
        encode_into(&mut self.buf, value);
    }

    #[inline]
    fn unreserved_param(&mut self, key: &str, value: &str) {
        debug_assert!(
            crate::percent::is_unreserved(value),
            "{key}={value} needs encoding"
        );
        self.push_key(key);
        self.buf.push_str(value);
    }

    #[inline]
    fn integer_param(&mut self, key: &str, value: i64) {
        self.push_key(key);
        self.buf.push_str(itoa::Buffer::new().format(value));
    }

    #[inline]
    fn amount_param(&mut self, key: &str, value: &Money) {
        self.push_key(key);
        value.amount_wire().push_to(&mut self.buf);
    }
}

/// Collects parameters as (key, value) pairs in the order they were visited.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CollectedParams(pub Vec<(String, String)>);

impl ParamSink for CollectedParams {
    fn param(&mut self, key: &str, value: &str) {
        self.0.push((key.to_owned(), value.to_owned()));
    }
}

/// The reference implementation of canonicalization: encode every name and value, sort by
/// name in byte order, join with `&`. Slow and obviously right; the generated fast path must
/// produce exactly the same string.
pub fn reference_canonical_query<'a>(
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let mut pairs: Vec<(String, String)> = params
        .into_iter()
        .map(|(k, v)| (encode(k), encode(v)))
        .collect();
    pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// 1-based list indices in the byte order of their decimal text: 1, 10, 11, ..., 2, 20, ...
/// (`member.10` sorts before `member.2`). Produced by walking the decimal digit tree, so no
/// sort is needed at run time.
pub fn lexicographic_indices(len: usize) -> impl Iterator<Item = usize> {
    let mut next = if len == 0 { None } else { Some(1usize) };
    std::iter::from_fn(move || {
        let current = next?;
        next = if current.checked_mul(10).is_some_and(|c| c <= len) {
            Some(current * 10)
        } else {
            let mut n = current;
            while n % 10 == 9 || n + 1 > len {
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            if n == 0 { None } else { Some(n + 1) }
        };
        Some(current)
    })
}

/// A request's parameters as the simulator receives them: decoded, keyed by wire name.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ParamMap(pub BTreeMap<String, String>);

/// Why a set of parameters is not a valid request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    #[error("missing required parameter {0}")]
    Missing(String),
    #[error("invalid value for parameter {key}: {reason}")]
    Invalid { key: String, reason: String },
}

impl ParamMap {
    /// Decodes an `application/x-www-form-urlencoded` body (`+` is a space).
    pub fn from_form(body: &[u8]) -> ParamMap {
        ParamMap(
            form_pairs(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// Whether any parameter lives under `prefix.` (a structure or list element is present).
    pub fn has_prefix(&self, prefix: &str) -> bool {
        let dotted = format!("{prefix}.");
        self.0
            .range(dotted.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&dotted))
    }

    /// The number of list elements under `prefix.N` (N = 1, 2, ...), counting until a gap.
    pub fn list_len(&self, prefix: &str) -> usize {
        (1..)
            .take_while(|i| {
                let key = format!("{prefix}.{i}");
                self.0.contains_key(&key) || self.has_prefix(&key)
            })
            .count()
    }

    /// A required scalar, parsed.
    pub fn required<T: crate::wire::WireValue>(&self, key: &str) -> Result<T, ParamError> {
        self.optional(key)?
            .ok_or_else(|| ParamError::Missing(key.to_owned()))
    }

    /// An optional scalar, parsed.
    pub fn optional<T: crate::wire::WireValue>(&self, key: &str) -> Result<Option<T>, ParamError> {
        self.get(key)
            .map(|v| {
                T::from_wire(v).map_err(|reason| ParamError::Invalid {
                    key: key.to_owned(),
                    reason,
                })
            })
            .transpose()
    }

    /// A required amount under `prefix` (`prefix.Amount`, `prefix.CurrencyCode`).
    pub fn required_money(&self, prefix: &str) -> Result<crate::Money, ParamError> {
        self.optional_money(prefix)?
            .ok_or_else(|| ParamError::Missing(format!("{prefix}.Amount")))
    }

    /// An optional amount under `prefix`; a currency without an amount is ignored, as the
    /// SDKs never send one alone.
    pub fn optional_money(&self, prefix: &str) -> Result<Option<crate::Money>, ParamError> {
        let amount_key = format!("{prefix}.Amount");
        let Some(amount) = self.get(&amount_key) else {
            return Ok(None);
        };
        let currency_key = format!("{prefix}.CurrencyCode");
        let currency = self
            .get(&currency_key)
            .ok_or(ParamError::Missing(currency_key))?;
        crate::Money::new(amount, crate::Currency::parse(currency))
            .map(Some)
            .map_err(|e| ParamError::Invalid {
                key: amount_key,
                reason: e.to_string(),
            })
    }
}

/// The flattened name of `name` under `prefix` (`""` at the top level).
pub fn join_key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

fn form_pairs(
    body: &[u8],
) -> impl Iterator<Item = (std::borrow::Cow<'_, str>, std::borrow::Cow<'_, str>)> {
    body.split(|&b| b == b'&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = match pair.iter().position(|&b| b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            (form_decode(k), form_decode(v))
        })
}

fn form_decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    if !bytes.contains(&b'+') {
        return percent_encoding::percent_decode(bytes).decode_utf8_lossy();
    }
    let spaced: Vec<u8> = bytes
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    std::borrow::Cow::Owned(
        percent_encoding::percent_decode(&spaced)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_rfc3986_with_upper_hex() {
        assert_eq!(encode("a b*~+/=&%é"), "a%20b%2A~%2B%2F%3D%26%25%C3%A9");
        assert_eq!(encode(""), "");
    }

    #[test]
    fn lexicographic_indices_match_a_sort() {
        for len in 0..250 {
            let mut sorted: Vec<usize> = (1..=len).collect();
            sorted.sort_by_key(|i| i.to_string());
            assert_eq!(
                lexicographic_indices(len).collect::<Vec<_>>(),
                sorted,
                "len {len}"
            );
        }
    }

    #[test]
    fn form_bodies_decode_plus_as_space() {
        let map = ParamMap::from_form(b"A=x+y&B=%2B&C=&D");
        assert_eq!(map.get("A"), Some("x y"));
        assert_eq!(map.get("B"), Some("+"));
        assert_eq!(map.get("C"), Some(""));
        assert_eq!(map.get("D"), Some(""));
    }

    #[test]
    fn list_len_counts_until_a_gap() {
        let map = ParamMap::from_form(b"L.member.1.X=a&L.member.2.X=b&L.member.4.X=c");
        assert_eq!(map.list_len("L.member"), 2);
        assert!(map.has_prefix("L"));
        assert!(!map.has_prefix("M"));
    }
}
