//! The runtime's v2 request signing with a real key: what is signed is exactly what is sent,
//! and the signature verifies under the public key. (The runtime signs through its
//! `SigningKey` trait; these tests live with the key that implements it.)

use std::sync::{Arc, OnceLock};

use base64::Engine as _;

use amazon_pay_rsa::PrivateKey;
use amazon_pay_runtime::Timestamp;
use amazon_pay_runtime::endpoint::Endpoint;
use amazon_pay_runtime::operation::{OperationInfo, Safety};
use amazon_pay_runtime::v2::request::{IDEMPOTENCY_KEY, Parts, sign, sign_parts};
use amazon_pay_runtime::v2::sign::hex_sha256;
use amazon_pay_runtime::v2::{Algorithm, Credentials, Method, Operation};

/// A request shaped like Create Charge, written by hand (the generated ones live in the
/// protocol crate).
struct CreateThing {
    key: Option<String>,
}

impl Operation for CreateThing {
    const INFO: OperationInfo = OperationInfo {
        action: "CreateThing",
        safety: Safety::Keyed,
        idempotency_key: Some(IDEMPOTENCY_KEY),
        errors: &[],
        throttle: None,
        doc: "",
    };
    const METHOD: Method = Method::Post;
    const SUCCESS_STATUS: u16 = 201;
    const IDEMPOTENCY_KEY_REQUIRED: bool = true;
    type Response = serde_json::Value;

    fn path(&self) -> String {
        "things".to_owned()
    }
    fn query(&self) -> Vec<(&'static str, String)> {
        vec![("z", "1 2".to_owned()), ("a", "x".to_owned())]
    }
    fn headers(&self) -> Vec<(&'static str, String)> {
        self.key
            .iter()
            .map(|k| (IDEMPOTENCY_KEY, k.clone()))
            .collect()
    }
    fn body(&self) -> Option<Vec<u8>> {
        Some("{\"note\":\"日本語 ü \\/\"}".as_bytes().to_vec())
    }
}

fn key() -> &'static Arc<PrivateKey> {
    static KEY: OnceLock<Arc<PrivateKey>> = OnceLock::new();
    KEY.get_or_init(|| Arc::new(PrivateKey::generate().unwrap()))
}

fn credentials() -> Credentials {
    Credentials::new("SANDBOX-AEXAMPLE", Arc::clone(key()), "jp")
}

#[test]
fn a_typed_request_is_signed_over_exactly_what_is_sent() {
    let creds = credentials();
    let endpoint = Endpoint::https("pay-api.amazon.jp", "/v2");
    let now = Timestamp::parse("2024-01-02T03:04:05Z").unwrap();
    let signed = sign(
        &CreateThing { key: None },
        &creds,
        &endpoint,
        now,
        Some("gen-1"),
    )
    .unwrap();
    assert_eq!(
        signed.url,
        "https://pay-api.amazon.jp/v2/things?a=x&z=1%202"
    );
    assert_eq!(signed.body, "{\"note\":\"日本語 ü \\/\"}".as_bytes());
    let header = |name: &str| {
        signed
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(header("x-amz-pay-idempotency-key"), Some("gen-1"));
    assert_eq!(header("x-amz-pay-date"), Some("20240102T030405Z"));
    let lines: Vec<&str> = signed.explanation.canonical_request.lines().collect();
    assert_eq!(lines[..3], ["POST", "/v2/things", "a=x&z=1%202"]);
    assert_eq!(
        lines.last().copied(),
        Some(hex_sha256(&signed.body).as_str())
    );
    assert_eq!(
        signed.explanation.signed_headers,
        "accept;content-type;x-amz-pay-date;x-amz-pay-host;x-amz-pay-idempotency-key;x-amz-pay-region"
    );
    let authorization = header("authorization").unwrap();
    assert!(authorization.starts_with(
        "AMZN-PAY-RSASSA-PSS PublicKeyId=SANDBOX-AEXAMPLE, SignedHeaders=accept;content-type;"
    ));
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&signed.signature)
        .unwrap();
    let public = key().public_key().unwrap();
    assert!(public.verify(
        Algorithm::Pss,
        signed.explanation.string_to_sign.as_bytes(),
        &raw
    ));
    // The caller's own key wins over a generated one.
    let own = CreateThing {
        key: Some("mine".into()),
    };
    let signed = sign(&own, &creds, &endpoint, now, Some("gen-1")).unwrap();
    let keys: Vec<_> = signed
        .headers
        .iter()
        .filter(|(n, _)| n == IDEMPOTENCY_KEY)
        .collect();
    assert_eq!(keys, [&(IDEMPOTENCY_KEY.to_owned(), "mine".to_owned())]);
}

#[test]
fn caller_headers_replace_the_added_ones_and_a_caller_user_agent_is_signed() {
    let creds = credentials();
    let now = Timestamp::parse("2024-01-02T03:04:05Z").unwrap();
    let parts = Parts {
        method: "GET",
        path: "/v2/charges/C1",
        query: &[],
        headers: &[
            ("X-Amz-Pay-Date", "2024-01-02T03:04:05Z"),
            ("user-agent", "other-sdk/1.0"),
        ],
        body: b"",
    };
    let signed = sign_parts(&parts, &creds, "pay-api.amazon.jp", now).unwrap();
    let named = |name: &str| {
        signed
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(named("x-amz-pay-date"), ["2024-01-02T03:04:05Z"]);
    assert_eq!(named("user-agent"), ["other-sdk/1.0"]);
    assert_eq!(
        signed.explanation.signed_headers,
        "accept;content-type;user-agent;x-amz-pay-date;x-amz-pay-host;x-amz-pay-region"
    );
    assert!(
        signed
            .explanation
            .canonical_request
            .contains("\nx-amz-pay-date:2024-01-02T03:04:05Z\n")
    );
}

/// A key kept elsewhere (an HSM, a cloud KMS), here one that remembers what it was asked for and
/// lets the OpenSSL key do the arithmetic.
#[derive(Debug)]
struct RemoteKey {
    asked: std::sync::Mutex<Vec<Algorithm>>,
}

impl amazon_pay_runtime::v2::SigningKey for RemoteKey {
    fn sign(
        &self,
        algorithm: Algorithm,
        message: &[u8],
    ) -> Result<Vec<u8>, amazon_pay_runtime::v2::KeyError> {
        self.asked.lock().unwrap().push(algorithm);
        key().sign(algorithm, message)
    }
}

#[test]
fn a_key_of_your_own_signs_through_the_trait() {
    let remote = Arc::new(RemoteKey {
        asked: std::sync::Mutex::new(Vec::new()),
    });
    let creds = Credentials::new("LIVE-AEXAMPLE", Arc::clone(&remote), "jp")
        .with_algorithm(Algorithm::PssV2);
    let now = Timestamp::parse("2024-01-02T03:04:05Z").unwrap();
    let endpoint = Endpoint::https("pay-api.amazon.jp", "/v2");
    let signed = sign(
        &CreateThing { key: None },
        &creds,
        &endpoint,
        now,
        Some("k"),
    )
    .unwrap();
    assert_eq!(*remote.asked.lock().unwrap(), [Algorithm::PssV2]);
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&signed.signature)
        .unwrap();
    assert!(key().public_key().unwrap().verify(
        Algorithm::PssV2,
        signed.explanation.string_to_sign.as_bytes(),
        &raw
    ));
    // The credentials' Debug shows the key's own Debug, which holds no key material.
    assert!(format!("{creds:?}").contains("RemoteKey"));
}
