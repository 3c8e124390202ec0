//! Signature Version 2 (HmacSHA256), without I/O.
//!
//! The string to sign is `POST\n{host}\n{path}\n{canonical query}`; the canonical query comes
//! from the generated request already in byte order, so signing only appends and hashes.
//! The HMAC is fed the prefix and the query in turn rather than a concatenated copy.

use std::collections::BTreeMap;

use crate::Timestamp;
use crate::endpoint::Endpoint;
use crate::percent::encode_bytes_into;
use crate::protocol::HttpRequest;
use crate::v1::Operation;
use crate::v1::credentials::{Credentials, SecretKey};
use crate::v1::params::{CanonicalQuery, ParamSink, encode, reference_canonical_query};

/// What was signed and how, for a user comparing with the service's `SignatureDoesNotMatch`
/// (or with another SDK). Never contains the secret.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Explanation {
    pub canonical_query: String,
    pub string_to_sign: String,
    pub signature: String,
    /// The form body: the canonical query plus `&Signature=…`.
    pub body: String,
}

/// A request ready to send: no I/O has happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: [(&'static str, &'static str); 2],
    pub body: Vec<u8>,
}

impl From<SignedRequest> for HttpRequest {
    fn from(r: SignedRequest) -> HttpRequest {
        HttpRequest {
            method: r.method.to_owned(),
            url: r.url,
            headers: r
                .headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: r.body,
        }
    }
}

/// The User-Agent of requests made with this crate.
pub const USER_AGENT: &str = concat!("amazon-pay-protocol-rust/", env!("CARGO_PKG_VERSION"));

/// HMAC-SHA256 of `POST\n{host}\n{path}\n{query}`, base64.
fn signature(secret: &SecretKey, host: &str, path: &str, canonical_query: &str) -> String {
    secret.mac().sign(&to_sign(host, path, canonical_query))
}

/// The string to sign, in the parts the HMAC is fed one after the other (no copy).
fn to_sign<'a>(host: &'a str, path: &'a str, canonical_query: &'a str) -> [&'a str; 6] {
    ["POST\n", host, "\n", path, "\n", canonical_query]
}

fn explanation(secret: &SecretKey, host: &str, path: &str, canonical_query: String) -> Explanation {
    let signature = signature(secret, host, path, &canonical_query);
    let body = format!("{canonical_query}&Signature={}", encode(&signature));
    Explanation {
        string_to_sign: format!("POST\n{host}\n{path}\n{canonical_query}"),
        canonical_query,
        signature,
        body,
    }
}

/// Signs an arbitrary parameter map (all parameters, the common ones included) with the
/// generic canonicalization: what the `sign` command and the vectors use.
pub fn sign_param_map(
    host: &str,
    path: &str,
    secret: &SecretKey,
    params: &BTreeMap<String, String>,
) -> Explanation {
    let query = reference_canonical_query(
        params
            .iter()
            .filter(|(k, _)| k.as_str() != "Signature")
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    explanation(secret, host, path, query)
}

/// The signature of an arbitrary parameter map, as the service computes it to check a
/// request (`Signature` itself left out): the same value as [`sign_param_map`]'s, without its
/// explanation. A map's keys are already in byte order, so when none needs encoding (every
/// well-formed request) they stream into the canonical query as they are; otherwise the
/// reference canonicalization sorts their encoded forms.
pub fn param_map_signature(
    host: &str,
    path: &str,
    secret: &SecretKey,
    params: &BTreeMap<String, String>,
) -> String {
    let signed = params.iter().filter(|(k, _)| k.as_str() != "Signature");
    let query = if params.keys().all(|k| crate::percent::is_unreserved(k)) {
        let mut query = CanonicalQuery::with_capacity(1024);
        for (key, value) in signed {
            query.param(key, value);
        }
        query.into_string()
    } else {
        reference_canonical_query(signed.map(|(k, v)| (k.as_str(), v.as_str())))
    };
    signature(secret, host, path, &query)
}

/// The canonical query of a typed request at `now`.
fn canonical<O: Operation>(request: &O, credentials: &Credentials, now: Timestamp) -> String {
    let timestamp = now.wire();
    let common = credentials.common_params(timestamp.as_str());
    // Room for a typical request plus `&Signature=…`, so the body is never reallocated.
    let mut query = CanonicalQuery::with_capacity(1024);
    request.write_params(&common, &mut query);
    query.into_string()
}

/// Explains how a typed request is signed at `now`.
pub fn explain<O: Operation>(
    request: &O,
    credentials: &Credentials,
    endpoint: &Endpoint,
    now: Timestamp,
) -> Explanation {
    let query = canonical(request, credentials, now);
    explanation(
        &credentials.secret_key,
        endpoint.host(),
        endpoint.path(),
        query,
    )
}

/// Signs a typed request at `now` into a request ready to send.
pub fn sign<O: Operation>(
    request: &O,
    credentials: &Credentials,
    endpoint: &Endpoint,
    now: Timestamp,
) -> SignedRequest {
    let mut body = canonical(request, credentials, now);
    let signature =
        credentials
            .secret_key
            .mac()
            .sign_base64(&to_sign(endpoint.host(), endpoint.path(), &body));
    body.push_str("&Signature=");
    encode_bytes_into(&mut body, &signature);
    SignedRequest {
        method: "POST",
        url: endpoint.url(),
        headers: [
            (
                "Content-Type",
                "application/x-www-form-urlencoded; charset=UTF-8",
            ),
            ("User-Agent", USER_AGENT),
        ],
        body: body.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hmac(key: &str, message: &str) -> String {
        SecretKey::new(key).mac().sign(&[message])
    }

    #[test]
    fn published_hmac_vectors() {
        // python test_ap.py::test_sign and ruby test_signature (reference §2.3)
        assert_eq!(
            hmac("mws_secret_key", "my_test_string"),
            "JQZYxe8EFlLE3XCAWotsn329rpZF7OFYhA8oo7rUV2E="
        );
        assert_eq!(
            hmac("SECRET_KEY", "test signature code"),
            "VWty3pyWd3Ol4pw3L7nFQ/xI6SXXsV5T2aRdoNPVMg0="
        );
    }

    #[test]
    fn java_vector_j1() {
        let params: BTreeMap<String, String> = [
            ("AWSAccessKeyId", "TEST_ACCESS_KEY"),
            ("Action", "GetOrderReferenceDetails"),
            ("AmazonOrderReferenceId", "AMAZON_ORDER_REFERENCE_ID"),
            ("SellerId", "TEST_MERCHANT_ID"),
            ("SignatureMethod", "HmacSHA256"),
            ("SignatureVersion", "2"),
            ("Timestamp", "2015-12-31T23:59:58Z"),
            ("Version", "2013-01-01"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let e = sign_param_map(
            "mws.amazonservices.com",
            "/OffAmazonPayments_Sandbox/2013-01-01",
            &SecretKey::new("TEST_SECRET_KEY"),
            &params,
        );
        assert_eq!(e.signature, "cpkDC72d5lMIbo5ET2dvERTw4F2cGQJL3eQPzUe2pAE=");
        assert!(
            e.body
                .ends_with("&Signature=cpkDC72d5lMIbo5ET2dvERTw4F2cGQJL3eQPzUe2pAE%3D")
        );
    }
}
