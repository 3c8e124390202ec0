//! The request body read strictly: `application/x-www-form-urlencoded` where every key appears
//! once, every escape is well formed, every value is valid UTF-8 after decoding and holds only
//! characters XML 1.0 can carry, and the number of parameters is bounded. What the lenient
//! reader would accept silently (a repeated key where the last copy wins and earlier copies are
//! outside the signature, bytes replaced by U+FFFD so different bodies carry one signed value,
//! a NUL that later breaks every answer about the object) is refused before anything else.

use std::collections::BTreeMap;

use amazon_pay_protocol::ParamMap;
use amazon_pay_protocol::v1::ErrorCode;

use super::error::{SimError, SimResult, xml_char};

/// More parameters than any operation has (a full SetOrderAttributes with its lists has a few
/// hundred): a body beyond this is refused unread (GUESSES.md).
pub const MAX_PARAMETERS: usize = 1000;

fn refused(message: String) -> SimError {
    SimError::new(ErrorCode::InvalidParameterValue, message)
}

/// A key as it may be quoted in an answer: escaped, and cut short.
fn quoted(key: &str) -> String {
    key.chars()
        .take(64)
        .flat_map(char::escape_default)
        .collect()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// Percent-decodes one key or value (`+` is a space) into text XML can carry; `what` names it
/// in a refusal (a closure: it is needed only then, and every parameter is decoded). The runs
/// between escapes are copied whole: decoded a byte at a time, reading the form was most of the
/// time the simulator took to check a v1 signature.
fn decode(raw: &[u8], what: impl Fn() -> String) -> SimResult<String> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.iter().position(|&b| b == b'%' || b == b'+') {
        bytes.extend_from_slice(&rest[..at]);
        if rest[at] == b'+' {
            bytes.push(b' ');
            rest = &rest[at + 1..];
            continue;
        }
        let pair = rest
            .get(at + 1..at + 3)
            .and_then(|h| Some((hex(h[0])?, hex(h[1])?)));
        let Some((high, low)) = pair else {
            return Err(refused(format!(
                "The {} has a malformed percent escape.",
                what()
            )));
        };
        bytes.push(high * 16 + low);
        rest = &rest[at + 3..];
    }
    bytes.extend_from_slice(rest);
    let text = String::from_utf8(bytes)
        .map_err(|_| refused(format!("The {} is not valid UTF-8.", what())))?;
    if let Some(c) = text.chars().find(|c| !xml_char(*c)) {
        return Err(refused(format!(
            "The {} holds the character U+{:04X}, which is not allowed.",
            what(),
            u32::from(c)
        )));
    }
    Ok(text)
}

/// Reads a form body strictly (see the module documentation).
pub fn parse(body: &[u8]) -> SimResult<ParamMap> {
    let mut params = BTreeMap::new();
    for (n, pair) in body
        .split(|&b| b == b'&')
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        if n == MAX_PARAMETERS {
            return Err(refused(format!(
                "The request has more than {MAX_PARAMETERS} parameters."
            )));
        }
        let (raw_key, raw_value) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &b""[..]),
        };
        let key = decode(raw_key, || format!("name of parameter {}", n + 1))?;
        let value = decode(raw_value, || format!("value of parameter {}", quoted(&key)))?;
        if params.contains_key(&key) {
            return Err(refused(format!(
                "The parameter {} appears more than once.",
                quoted(&key)
            )));
        }
        params.insert(key, value);
    }
    Ok(ParamMap(params))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(body: &[u8]) -> String {
        parse(body).unwrap_err().message
    }

    #[test]
    fn ordinary_bodies_read_as_the_lenient_reader_reads_them() {
        let body = b"A=1&B=a+b%20c&C=%E6%9D%B1&D=&E";
        assert_eq!(parse(body).unwrap(), ParamMap::from_form(body));
        // Escapes and spaces at either end, side by side, and alone.
        let body = b"%41b+=+%2B%2b&++=%25&x%3D%26y=c+%20+d%7E";
        assert_eq!(parse(body).unwrap(), ParamMap::from_form(body));
    }

    #[test]
    fn repeated_keys_invalid_utf8_control_characters_and_bad_escapes_are_refused() {
        assert!(message(b"Action=A&Action=B").contains("appears more than once"));
        assert!(message(b"A=%FF%FE").contains("not valid UTF-8"));
        assert!(message(b"Note=%00").contains("U+0000"));
        assert!(message(b"Note=%1B%5B").contains("U+001B"));
        assert!(message(b"Note=%EF%BF%BF").contains("U+FFFF"));
        assert!(message(b"Note=%4").contains("malformed"));
        assert!(message(b"Note=%GG").contains("malformed"));
        assert!(message(b"%00=x").contains("name of parameter 1"));
    }

    #[test]
    fn a_refusal_quotes_no_raw_control_character() {
        let m = message(b"K%1B=1&K%1B=2");
        assert!(m.chars().all(xml_char), "{m:?}");
    }

    #[test]
    fn the_number_of_parameters_is_bounded() {
        let at_cap: Vec<String> = (0..MAX_PARAMETERS).map(|i| format!("k{i}=")).collect();
        assert!(parse(at_cap.join("&").as_bytes()).is_ok());
        let over = format!("{}&one=more", at_cap.join("&"));
        assert!(message(over.as_bytes()).contains("more than 1000"));
    }
}
