//! v2 request signing (`AMZN-PAY-RSASSA-PSS[-V2]`), without I/O.
//!
//! ```text
//! canonical request = method \n canonical URI \n canonical query \n canonical headers \n
//!                     signed headers \n hex(sha256(body))
//! string to sign    = algorithm \n hex(sha256(canonical request))
//! Authorization     = algorithm PublicKeyId=…, SignedHeaders=…, Signature=base64(pss(string))
//! ```
//!
//! The body is hashed exactly as it is sent: the caller hands over bytes, never a value to be
//! serialised again, so `\/` escapes, umlauts and Japanese text cannot differ between the two.

use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::key::{Algorithm, KeyError, SigningKey};
use crate::percent::{encode, encode_into};

/// The canonical URI of a path: a leading `/`, runs of `/` collapsed to one, every byte outside
/// the unreserved set and `/` percent-encoded (upper-case hex). A trailing `/` is kept, as the
/// .NET SDK sends and signs it.
pub fn canonical_uri(path: &str) -> String {
    let mut uri = String::with_capacity(path.len() + 1);
    let segments: Vec<&str> = path.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        // Empty segments are the runs of `/`; the last one keeps a trailing slash.
        if !segment.is_empty() {
            uri.push('/');
            encode_into(&mut uri, segment);
        } else if i + 1 == segments.len() && i > 0 {
            uri.push('/');
        }
    }
    if uri.is_empty() {
        uri.push('/');
    }
    uri
}

/// The canonical query: keys and values percent-encoded, pairs sorted by encoded key and then
/// by encoded value (byte order, so `A.1 < A.10 < A.2` and `Zoo < aha`), joined with `&`.
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut encoded: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (encode(k.as_ref()), encode(v.as_ref())))
        .collect();
    encoded.sort();
    let mut out = String::new();
    for (i, (k, v)) in encoded.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// Canonical headers (`name:value\n` lines, names lower-cased and trimmed, values trimmed with
/// inner whitespace collapsed, sorted by name, repeated names joined with `,`) and the signed
/// header list (`a;b;c`).
pub fn canonical_headers<N: AsRef<str>, V: AsRef<str>>(headers: &[(N, V)]) -> (String, String) {
    let mut lines: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| {
            let mut value = String::new();
            push_header_value(&mut value, v.as_ref());
            (n.as_ref().trim().to_ascii_lowercase(), value)
        })
        .collect();
    // Stable: values of a repeated name stay in the order given.
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    let mut canonical = String::new();
    let mut signed = String::new();
    let mut previous: Option<&str> = None;
    for (name, value) in &lines {
        if previous == Some(name.as_str()) {
            // Same name again: append to the line just written (before its newline).
            canonical.pop();
            canonical.push(',');
        } else {
            if previous.is_some() {
                signed.push(';');
            }
            signed.push_str(name);
            canonical.push_str(name);
            canonical.push(':');
        }
        canonical.push_str(value);
        canonical.push('\n');
        previous = Some(name);
    }
    (canonical, signed)
}

/// A header's value as it is signed, appended to `out`: trimmed, each inner run of whitespace
/// one space.
pub fn push_header_value(out: &mut String, value: &str) {
    for (i, word) in value.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// The canonical request of its parts, in the layout at the top of this module: the header
/// lines each end in a newline (so a blank line follows them), the body is hashed. The signer
/// and a verifier (the simulator's, which takes the lines in the order SignedHeaders names
/// them) both write it here.
pub fn canonical_request(
    method: &str,
    uri: &str,
    query: &str,
    header_lines: &str,
    signed_headers: &str,
    body: &[u8],
) -> String {
    // Five newlines and the hash's 64 hex digits besides the parts.
    let mut request = String::with_capacity(
        method.len() + uri.len() + query.len() + header_lines.len() + signed_headers.len() + 69,
    );
    for part in [method, uri, query, header_lines, signed_headers] {
        request.push_str(part);
        request.push('\n');
    }
    request.push_str(&hex_sha256(body));
    request
}

/// Lower-case hex SHA-256.
pub fn hex_sha256(bytes: &[u8]) -> String {
    // Into place: `hex::encode` builds its text a character at a time, and a signature (or a
    // check of one) takes three of these.
    let mut digits = [0; 64];
    // Two digits a byte of the 32: the buffer is exactly as long, so this cannot fail.
    let _ = hex::encode_to_slice(Sha256::digest(bytes), &mut digits);
    digits.iter().copied().map(char::from).collect()
}

/// A request as the signer sees it: the path exactly as sent (base path included), the query
/// pairs, every header to be signed, and the body bytes.
#[derive(Debug, Clone, Copy)]
pub struct Canonicalize<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a [(&'a str, &'a str)],
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
}

/// What was signed and how, for a user comparing with the service's
/// `InvalidRequestSignature` or with another SDK. Never contains the key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Explanation {
    pub canonical_uri: String,
    pub canonical_request: String,
    pub signed_headers: String,
    pub string_to_sign: String,
}

impl Canonicalize<'_> {
    pub fn explain(&self, algorithm: Algorithm) -> Explanation {
        let canonical_uri = canonical_uri(self.path);
        let (headers, signed_headers) = canonical_headers(self.headers);
        let canonical_request = canonical_request(
            &self.method.to_ascii_uppercase(),
            &canonical_uri,
            &canonical_query(self.query),
            &headers,
            &signed_headers,
            self.body,
        );
        let string_to_sign = string_to_sign(algorithm, &canonical_request);
        Explanation {
            canonical_uri,
            canonical_request,
            signed_headers,
            string_to_sign,
        }
    }
}

/// `algorithm \n hex(sha256(text))`: the string to sign of a canonical request, and of a
/// button payload.
pub fn string_to_sign(algorithm: Algorithm, text: &str) -> String {
    format!("{}\n{}", algorithm.name(), hex_sha256(text.as_bytes()))
}

/// The base64 RSA-PSS signature of a string to sign.
pub fn signature(
    key: &dyn SigningKey,
    algorithm: Algorithm,
    string_to_sign: &str,
) -> Result<String, KeyError> {
    let raw = key.sign(algorithm, string_to_sign.as_bytes())?;
    Ok(base64::engine::general_purpose::STANDARD.encode(raw))
}

/// The `Authorization` header value.
pub fn authorization(
    algorithm: Algorithm,
    public_key_id: &str,
    signed_headers: &str,
    signature: &str,
) -> String {
    format!(
        "{} PublicKeyId={public_key_id}, SignedHeaders={signed_headers}, Signature={signature}",
        algorithm.name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_hashes_are_lowercase_hex() {
        // FIPS 180-2's examples.
        assert_eq!(
            hex_sha256(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex_sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn uris() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("//"), "/");
        assert_eq!(canonical_uri("///foo//"), "/foo/");
        assert_eq!(canonical_uri("/ /foo"), "/%20/foo");
        assert_eq!(canonical_uri("/\u{1234}"), "/%E1%88%B4");
        assert_eq!(
            canonical_uri("sandbox/in-store/v1/merchantScan"),
            "/sandbox/in-store/v1/merchantScan"
        );
    }

    #[test]
    fn queries() {
        assert_eq!(
            canonical_query(&[("A.2", "foo"), ("A.10", "foo"), ("A.1", "foo")]),
            "A.1=foo&A.10=foo&A.2=foo"
        );
        assert_eq!(
            canonical_query(&[("foo", "aha"), ("foo", "Zoo")]),
            "foo=Zoo&foo=aha"
        );
        assert_eq!(canonical_query(&[("f oo", "b ar")]), "f%20oo=b%20ar");
        assert_eq!(canonical_query::<&str, &str>(&[]), "");
        assert_eq!(
            canonical_query(&[("customInformation", "Information about order")]),
            "customInformation=Information%20about%20order"
        );
    }

    #[test]
    fn headers_as_the_dotnet_sdk_expects() {
        let (canonical, signed) = canonical_headers(&[
            ("X-Amz-Pay-Region", "eu"),
            ("accept", "application/json"),
            ("x-amz-pay-date", "20181013T004102Z"),
            ("content-type", " application/json "),
            ("x-amz-pay-host", "pay-api.amazon.eu"),
        ]);
        assert_eq!(
            canonical,
            "accept:application/json\ncontent-type:application/json\nx-amz-pay-date:20181013T004102Z\nx-amz-pay-host:pay-api.amazon.eu\nx-amz-pay-region:eu\n"
        );
        assert_eq!(
            signed,
            "accept;content-type;x-amz-pay-date;x-amz-pay-host;x-amz-pay-region"
        );
        let (canonical, signed) = canonical_headers(&[("x-a", "1  2"), ("X-A", "3")]);
        assert_eq!(
            (canonical.as_str(), signed.as_str()),
            ("x-a:1 2,3\n", "x-a")
        );
    }

    #[test]
    fn button_vector() {
        let payload = r#"{"storeId":"amzn1.application-oa2-client.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","webCheckoutDetails":{"checkoutReviewReturnUrl":"https://localhost/test/CheckoutReview.php","checkoutResultReturnUrl":"https://localhost/test/CheckoutResult.php"}}"#;
        assert_eq!(
            string_to_sign(Algorithm::Pss, payload),
            "AMZN-PAY-RSASSA-PSS\n8dec52d799607be40f82d5c8e7ecb6c171e6591c41b1111a576b16076c89381c"
        );
    }
}
