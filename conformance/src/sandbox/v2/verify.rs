//! Verifying a v2 request as Amazon does (§2): the Authorization header names the algorithm,
//! the public key id, the signed headers and the signature; the canonical request is rebuilt
//! from the path exactly as received, the query, exactly the headers named in SignedHeaders
//! (as they are spelled there: the Node SDK keeps a caller's mixed-case names in the list
//! while it lower-cases them in the header lines) and the body hash, DELETE bodies included;
//! the RSA-PSS signature is checked against the merchant's registered public key with the
//! algorithm's salt length. The key decides the environment with the path: a legacy key needs
//! `/sandbox/v2` or `/live/v2`, a `SANDBOX-`/`LIVE-` key the unified `/v2` or its own
//! environment's path.

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::v2::ErrorCode;
use amazon_pay_protocol::v2_runtime::Algorithm;
use amazon_pay_protocol::v2_runtime::json::parse_timestamp;
use amazon_pay_protocol::v2_runtime::sign::{
    canonical_query, canonical_request, canonical_uri, push_header_value, string_to_sign,
};
use axum::http::HeaderMap;
use base64::Engine as _;
use percent_encoding::percent_decode_str;

use super::error::{ApiError, ApiResult};
use crate::sandbox::accounts::{Accounts, KeyKind, Merchant};

/// How far `x-amz-pay-date` may be ahead of the service's clock, and behind it (the reference
/// leaves both open: GUESSES.md).
pub const FUTURE_TOLERANCE: i64 = 5 * 60;
pub const PAST_TOLERANCE: i64 = 15 * 60;

/// A request whose signature and date were accepted.
pub struct Verified<'a> {
    pub merchant: &'a Merchant,
    pub sandbox: bool,
    /// The path below `v2/`.
    pub operation_path: String,
    /// Decoded query pairs.
    pub query: Vec<(String, String)>,
    /// Every header that is text, lower-case names (the readers look members up by name),
    /// borrowed from the request.
    pub headers: Vec<(&'a str, &'a str)>,
}

struct Authorization<'h> {
    algorithm: Algorithm,
    key_id: &'h str,
    signed_headers: &'h str,
    signature: &'h str,
}

fn missing_header(name: &str) -> ApiError {
    ApiError::new(
        ErrorCode::MissingHeader,
        format!("The header {name} is missing."),
    )
}

fn authentication(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidAuthentication, message)
}

/// `ALGORITHM PublicKeyId=…, SignedHeaders=…, Signature=…`
fn parse_authorization(value: &str) -> ApiResult<Authorization<'_>> {
    let (name, rest) = value
        .split_once(' ')
        .ok_or_else(|| authentication("The authorization header is not `ALGORITHM PublicKeyId=…, SignedHeaders=…, Signature=…`."))?;
    let algorithm = Algorithm::from_name(name).ok_or_else(|| {
        authentication(format!("The signature algorithm {name} is not supported."))
    })?;
    let mut key_id = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (field, text) = part.trim().split_once('=').unwrap_or((part.trim(), ""));
        match field {
            "PublicKeyId" => key_id = Some(text),
            "SignedHeaders" => signed_headers = Some(text),
            "Signature" => signature = Some(text),
            _ => {}
        }
    }
    match (key_id, signed_headers, signature) {
        (Some(key_id), Some(signed_headers), Some(signature)) if !key_id.is_empty() => {
            Ok(Authorization {
                algorithm,
                key_id,
                signed_headers,
                signature,
            })
        }
        _ => Err(authentication(
            "The authorization header needs PublicKeyId, SignedHeaders and Signature.",
        )),
    }
}

/// Splits `/sandbox/v2/…`, `/live/v2/…` or `/v2/…` into its environment (`None` for the
/// unified path) and the path below `v2/`.
fn split_path(path: &str) -> Option<(Option<bool>, &str)> {
    let (sandbox, rest) = if let Some(rest) = path.strip_prefix("/sandbox/v2/") {
        (Some(true), rest)
    } else if let Some(rest) = path.strip_prefix("/live/v2/") {
        (Some(false), rest)
    } else {
        (None, path.strip_prefix("/v2/")?)
    };
    Some((sandbox, rest))
}

/// The environment a key opens on a path, or why it may not.
fn environment(kind: KeyKind, path_sandbox: Option<bool>) -> ApiResult<bool> {
    let unauthorized = |message: &str| ApiError::new(ErrorCode::UnauthorizedAccess, message);
    match (kind, path_sandbox) {
        (KeyKind::Legacy, Some(sandbox)) => Ok(sandbox),
        (KeyKind::Legacy, None) => Err(unauthorized(
            "This public key id does not name its environment: use /sandbox/v2 or /live/v2.",
        )),
        (KeyKind::Sandbox, None | Some(true)) => Ok(true),
        (KeyKind::Live, None | Some(false)) => Ok(false),
        (KeyKind::Sandbox, Some(false)) => Err(unauthorized(
            "A SANDBOX- public key id cannot call the live environment.",
        )),
        (KeyKind::Live, Some(true)) => Err(unauthorized(
            "A LIVE- public key id cannot call the sandbox environment.",
        )),
    }
}

fn decode(text: &str) -> String {
    percent_decode_str(&text.replace('+', "%20"))
        .decode_utf8_lossy()
        .into_owned()
}

fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

fn header_text<'h>(headers: &'h HeaderMap, name: &str) -> ApiResult<Option<&'h str>> {
    let mut values = headers.get_all(name).iter();
    match (values.next(), values.next()) {
        (None, _) => Ok(None),
        (Some(one), None) => one.to_str().map(Some).map_err(|_| {
            ApiError::new(
                ErrorCode::InvalidHeaderValue,
                format!("The header {name} is not text."),
            )
        }),
        (Some(_), Some(_)) => Err(ApiError::new(
            ErrorCode::InvalidHeaderValue,
            format!("The header {name} is repeated."),
        )),
    }
}

/// The date must be within the window around `now`, in either ISO 8601 form.
fn check_date(text: &str, now: Timestamp) -> ApiResult<()> {
    let date = parse_timestamp(text).map_err(|_| {
        ApiError::new(
            ErrorCode::InvalidHeaderValue,
            format!("The value {text} provided for x-amz-pay-date is not a date such as 20240102T030405Z."),
        )
    })?;
    if date.unix() > now.unix() + FUTURE_TOLERANCE {
        return Err(ApiError::new(
            ErrorCode::InvalidHeaderValue,
            format!("The value {text} provided for x-amz-pay-date should not be in future"),
        ));
    }
    if date.unix() < now.unix() - PAST_TOLERANCE {
        return Err(ApiError::new(
            ErrorCode::InvalidHeaderValue,
            format!("The value {text} provided for x-amz-pay-date is too old: sign again."),
        ));
    }
    Ok(())
}

/// The parts of a request the verifier reads.
pub struct Received<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

pub fn verify<'a>(
    accounts: &'a Accounts,
    request: &Received<'a>,
    now: Timestamp,
) -> ApiResult<Verified<'a>> {
    let (path_sandbox, operation_path) = split_path(request.path).ok_or_else(|| {
        ApiError::new(
            ErrorCode::InvalidAPIVersion,
            "The path does not start with /v2, /sandbox/v2 or /live/v2.",
        )
    })?;
    let authorization = header_text(request.headers, "authorization")?
        .ok_or_else(|| missing_header("authorization"))?;
    let authorization = parse_authorization(authorization)?;
    let (merchant, kind) = accounts.by_key_id(authorization.key_id).ok_or_else(|| {
        authentication(format!(
            "The public key id {} is not registered.",
            authorization.key_id
        ))
    })?;
    let sandbox = environment(kind, path_sandbox)?;
    let date = header_text(request.headers, "x-amz-pay-date")?
        .ok_or_else(|| missing_header("x-amz-pay-date"))?;
    check_date(date, now)?;
    // The header lines in the order SignedHeaders names them, each name lower-cased.
    let mut lines = String::with_capacity(256);
    for name in authorization.signed_headers.split(';') {
        let value = header_text(request.headers, name)?.ok_or_else(|| missing_header(name))?;
        let at = lines.len();
        lines.push_str(name);
        lines[at..].make_ascii_lowercase();
        lines.push(':');
        push_header_value(&mut lines, value);
        lines.push('\n');
    }
    let query = query_pairs(request.query);
    let canonical = canonical_request(
        request.method,
        &canonical_uri(request.path),
        &canonical_query(&query),
        &lines,
        authorization.signed_headers,
        request.body,
    );
    let to_sign = string_to_sign(authorization.algorithm, &canonical);
    let signature = base64::engine::general_purpose::STANDARD
        .decode(authorization.signature)
        .unwrap_or_default();
    if !merchant
        .public_key
        .verify(authorization.algorithm, to_sign.as_bytes(), &signature)
    {
        return Err(ApiError::new(
            ErrorCode::InvalidRequestSignature,
            format!(
                "The signature does not match. The canonical request was:\n{canonical}\nand the string to sign:\n{to_sign}"
            ),
        ));
    }
    let headers = request
        .headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
        .collect();
    Ok(Verified {
        merchant,
        sandbox,
        operation_path: operation_path.to_owned(),
        query,
        headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_their_environment_and_keys_must_agree() {
        assert_eq!(
            split_path("/sandbox/v2/charges"),
            Some((Some(true), "charges"))
        );
        assert_eq!(
            split_path("/live/v2/charges/"),
            Some((Some(false), "charges/"))
        );
        assert_eq!(split_path("/v2/refunds"), Some((None, "refunds")));
        assert_eq!(split_path("/v1/refunds"), None);
        assert!(environment(KeyKind::Legacy, Some(true)).unwrap());
        assert!(environment(KeyKind::Legacy, None).is_err());
        assert!(environment(KeyKind::Sandbox, None).unwrap());
        assert!(environment(KeyKind::Sandbox, Some(false)).is_err());
        assert!(!environment(KeyKind::Live, None).unwrap());
        assert!(environment(KeyKind::Live, Some(true)).is_err());
    }

    #[test]
    fn dates_in_both_forms_within_the_window() {
        let now = parse_timestamp("20240102T030405Z").unwrap();
        assert!(check_date("20240102T030405Z", now).is_ok());
        assert!(check_date("2024-01-02T03:04:05Z", now).is_ok());
        let future = check_date("20240102T031500Z", now).unwrap_err();
        assert_eq!(future.code, ErrorCode::InvalidHeaderValue);
        assert!(future.message.contains("should not be in future"));
        assert!(check_date("20240102T024000Z", now).is_err());
        assert!(check_date("yesterday", now).is_err());
    }

    #[test]
    fn the_authorization_header_is_read_in_its_parts() {
        let a = parse_authorization("AMZN-PAY-RSASSA-PSS-V2 PublicKeyId=K1, SignedHeaders=accept;x-amz-pay-date, Signature=c2ln").unwrap();
        assert_eq!(
            a.algorithm,
            Algorithm::from_name("AMZN-PAY-RSASSA-PSS-V2").unwrap()
        );
        assert_eq!(
            (a.key_id, a.signed_headers, a.signature),
            ("K1", "accept;x-amz-pay-date", "c2ln")
        );
        assert!(parse_authorization("HMAC PublicKeyId=K1").is_err());
        assert!(parse_authorization("AMZN-PAY-RSASSA-PSS PublicKeyId=K1").is_err());
    }
}
