//! Signing a whole v2 request: the headers the service wants, the canonical request, the
//! `Authorization` header. Sans-IO: the result is bytes and headers to send.

use super::credentials::Credentials;
use super::key::KeyError;
use super::operation::{Method, Operation};
use super::sign::{Canonicalize, Explanation, authorization, signature};
use crate::Timestamp;
use crate::endpoint::Endpoint;
use crate::protocol::HttpRequest;

/// The idempotency key header (lower-case, as signed).
pub const IDEMPOTENCY_KEY: &str = "x-amz-pay-idempotency-key";

/// The User-Agent of requests made with this crate (sent, not signed, as the PHP, Java and
/// .NET SDKs do).
pub const USER_AGENT: &str = concat!("amazon-pay-protocol-rust/", env!("CARGO_PKG_VERSION"));

/// A request before signing: what the operation (or a caller of `sign` on raw parts) gives.
#[derive(Debug, Clone, Copy)]
pub struct Parts<'a> {
    pub method: &'a str,
    /// The path exactly as it will be sent, base path included (`/sandbox/v2/charges`).
    pub path: &'a str,
    pub query: &'a [(&'a str, &'a str)],
    /// Headers of the caller or the operation; all of them are signed.
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
}

/// A signed request: what to send, and how it was signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    pub method: String,
    pub url: String,
    /// Every header to send, `authorization` and `user-agent` included.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub explanation: Explanation,
    /// The base64 signature.
    pub signature: String,
}

impl From<SignedRequest> for HttpRequest {
    fn from(r: SignedRequest) -> HttpRequest {
        HttpRequest {
            method: r.method,
            url: r.url,
            headers: r.headers,
            body: r.body,
        }
    }
}

/// Signs raw parts at `now` for `host` (`host[:port]`, the `x-amz-pay-host` value): the
/// service's headers (accept, content-type, x-amz-pay-date, -host, -region) are added to the
/// caller's, and every one of them is signed. A caller's header of the same name (any case)
/// replaces the added one, and a caller's `user-agent` replaces ours and is signed: so a
/// request can be signed exactly as another SDK signs it (the Node SDK's extended-form date
/// and its signed user-agent), which is how `sign` and the differential tests compare.
pub fn sign_parts(
    parts: &Parts<'_>,
    credentials: &Credentials,
    host: &str,
    now: Timestamp,
) -> Result<SignedRequest, KeyError> {
    // `x-amz-pay-date` in the basic form the SDKs send.
    let date = now.to_basic();
    let given = |name: &str| {
        parts
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    let mut headers: Vec<(&str, &str)> = [
        ("accept", "application/json"),
        ("content-type", "application/json"),
        ("x-amz-pay-date", date.as_str()),
        ("x-amz-pay-host", host),
        ("x-amz-pay-region", credentials.region.as_str()),
    ]
    .into_iter()
    .filter(|(name, _)| !given(name))
    .collect();
    headers.extend_from_slice(parts.headers);
    let explanation = Canonicalize {
        method: parts.method,
        path: parts.path,
        query: parts.query,
        headers: &headers,
        body: parts.body,
    }
    .explain(credentials.algorithm);
    let signature = signature(
        &*credentials.private_key,
        credentials.algorithm,
        &explanation.string_to_sign,
    )?;
    let mut sent: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    sent.push((
        "authorization".to_owned(),
        authorization(
            credentials.algorithm,
            &credentials.public_key_id,
            &explanation.signed_headers,
            &signature,
        ),
    ));
    if !given("user-agent") {
        sent.push(("user-agent".to_owned(), USER_AGENT.to_owned()));
    }
    let mut url = String::with_capacity(parts.path.len() + host.len() + 16);
    url.push_str(parts.path);
    if !parts.query.is_empty() {
        url.push('?');
        url.push_str(&super::sign::canonical_query(parts.query));
    }
    Ok(SignedRequest {
        method: parts.method.to_owned(),
        url,
        headers: sent,
        body: parts.body.to_vec(),
        explanation,
        signature,
    })
}

/// Signs a typed request at `now`. `generated_key` is sent as the idempotency key when the
/// request carries none of its own.
pub fn sign<O: Operation>(
    request: &O,
    credentials: &Credentials,
    endpoint: &Endpoint,
    now: Timestamp,
    generated_key: Option<&str>,
) -> Result<SignedRequest, KeyError> {
    let path = format!("{}/{}", endpoint.path(), request.path());
    let query = request.query();
    let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let own = request.headers();
    let mut headers: Vec<(&str, &str)> = own.iter().map(|(k, v)| (*k, v.as_str())).collect();
    if let Some(key) = generated_key
        && !headers.iter().any(|(n, _)| *n == IDEMPOTENCY_KEY)
    {
        headers.push((IDEMPOTENCY_KEY, key));
    }
    let body = request.body().unwrap_or_default();
    let parts = Parts {
        method: O::METHOD.as_str(),
        path: &path,
        query: &query,
        headers: &headers,
        body: &body,
    };
    let mut signed = sign_parts(&parts, credentials, endpoint.host(), now)?;
    signed.url = format!("{}://{}{}", endpoint.scheme(), endpoint.host(), signed.url);
    Ok(signed)
}

/// Whether a method carries an idempotency key (the service enforces keys on POST only).
pub fn takes_idempotency_key(method: Method) -> bool {
    method == Method::Post
}
