//! The v2 client against a scripted server on loopback that checks every request the way the
//! service does (RSA-PSS over the canonical request it rebuilds from what it received): one
//! idempotency key per call on every attempt, retries on the statuses the SDKs retry, typed
//! errors with the request id from the header.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use amazon_pay_protocol::Money;
use amazon_pay_protocol::client::RetryPolicy;
use amazon_pay_protocol::client::v2::{Client, ClientError};
use amazon_pay_protocol::endpoint::Endpoint;
use amazon_pay_protocol::v2::{self, ErrorCode};
use amazon_pay_protocol::v2_runtime::sign::Canonicalize;
use amazon_pay_protocol::v2_runtime::{Algorithm, Credentials, PrivateKey};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;

const PERMISSION: &str = "S01-1234567-1234567";

async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("test took too long")
}

fn key() -> Arc<PrivateKey> {
    static KEY: OnceLock<Arc<PrivateKey>> = OnceLock::new();
    Arc::clone(KEY.get_or_init(|| Arc::new(PrivateKey::generate().unwrap())))
}

/// What the server saw of one request, and whether its signature verified.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    idempotency_key: Option<String>,
    verified: bool,
}

struct Script {
    replies: Mutex<VecDeque<(u16, String)>>,
    seen: Mutex<Vec<Seen>>,
}

/// Rebuilds the canonical request from the request as received, using exactly the headers
/// named in SignedHeaders, and verifies the signature with the merchant's public key.
fn verify(method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> bool {
    let Some(authorization) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some((algorithm, rest)) = authorization.split_once(' ') else {
        return false;
    };
    let Some(algorithm) = Algorithm::from_name(algorithm) else {
        return false;
    };
    let part = |name: &str| {
        rest.split(", ")
            .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
    };
    let (Some(signed), Some(signature)) = (part("SignedHeaders"), part("Signature")) else {
        return false;
    };
    let signed_headers: Vec<(&str, &str)> = signed
        .split(';')
        .filter_map(|name| Some((name, headers.get(name)?.to_str().ok()?)))
        .collect();
    let query: Vec<(String, String)> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            Some((decode(k), decode(v)))
        })
        .collect();
    let query: Vec<(&str, &str)> = query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let explanation = Canonicalize {
        method: method.as_str(),
        path: uri.path(),
        query: &query,
        headers: &signed_headers,
        body,
    }
    .explain(algorithm);
    let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(signature) else {
        return false;
    };
    key()
        .public_key()
        .unwrap()
        .verify(algorithm, explanation.string_to_sign.as_bytes(), &raw)
}

async fn handler(
    State(script): State<Arc<Script>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    script.seen.lock().unwrap().push(Seen {
        method: method.to_string(),
        path: uri.path().to_owned(),
        idempotency_key: headers
            .get("x-amz-pay-idempotency-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        verified: verify(&method, &uri, &headers, &body),
    });
    let (status, body) = {
        let mut replies = script.replies.lock().unwrap();
        if replies.len() > 1 {
            replies.pop_front().unwrap()
        } else {
            replies.front().cloned().expect("an empty script")
        }
    };
    (
        axum::http::StatusCode::from_u16(status).unwrap(),
        [
            ("content-type", "application/json"),
            ("x-amz-pay-request-id", "req-v2-1"),
        ],
        body,
    )
        .into_response()
}

async fn serve(replies: Vec<(u16, &str)>) -> (Client, Arc<Script>) {
    let script = Arc::new(Script {
        replies: Mutex::new(
            replies
                .into_iter()
                .map(|(s, b)| (s, b.to_owned()))
                .collect(),
        ),
        seen: Mutex::default(),
    });
    let app = axum::Router::new()
        .fallback(handler)
        .with_state(Arc::clone(&script));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let credentials = Credentials::new("SANDBOX-AEXAMPLEKEY", key(), v2::Region::Jp.code());
    let endpoint = Endpoint::loopback_http(
        &addr.to_string(),
        v2::Environment::Sandbox.base_path(&credentials.public_key_id),
    )
    .unwrap();
    let policy = RetryPolicy {
        base: Duration::from_millis(1),
        cap: Duration::from_millis(5),
        ..RetryPolicy::default()
    };
    let client = Client::builder(credentials, endpoint)
        .retry_policy(policy)
        .build()
        .unwrap();
    (client, script)
}

fn create_charge() -> v2::CreateChargeRequest {
    v2::CreateChargeRequest::builder()
        .charge_permission_id(PERMISSION)
        .charge_amount(Money::jpy(3980).unwrap())
        .capture_now(true)
        .build()
        .unwrap()
}

const CHARGE: &str = r#"{"chargeId":"S01-1234567-1234567-C000001","chargePermissionId":"S01-1234567-1234567","chargeAmount":{"amount":"3980","currencyCode":"JPY"},"statusDetails":{"state":"Captured","lastUpdatedTimestamp":"20260115T090000Z"}}"#;

#[tokio::test]
async fn a_retried_create_charge_carries_one_generated_key_and_verifies_every_time() {
    bounded(async {
        let busy = r#"{"reasonCode":"ServiceUnavailable","message":"try later"}"#;
        let (client, script) = serve(vec![(503, busy), (429, "{}"), (201, CHARGE)]).await;
        let charge = client.create_charge(&create_charge()).await.unwrap();
        assert_eq!(
            charge.charge_id.map(|id| id.to_string()).as_deref(),
            Some("S01-1234567-1234567-C000001")
        );
        assert_eq!(charge.charge_amount, Some(Money::jpy(3980).unwrap()));
        let seen = script.seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 3, "{seen:?}");
        let key = seen[0].idempotency_key.clone().expect("a generated key");
        assert_eq!(key.len(), 32);
        assert!(key.bytes().all(|b| b.is_ascii_alphanumeric()));
        for s in &seen {
            assert_eq!(
                (s.method.as_str(), s.path.as_str()),
                ("POST", "/v2/charges")
            );
            assert_eq!(s.idempotency_key.as_deref(), Some(key.as_str()));
            assert!(s.verified, "the server could not verify {s:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_decline_is_a_typed_final_error_with_the_request_id() {
    bounded(async {
        let declined = r#"{"reasonCode":"HardDeclined","message":"update the payment method"}"#;
        let (client, script) = serve(vec![(422, declined)]).await;
        let own_key = v2::CreateChargeRequest::builder()
            .charge_permission_id(PERMISSION)
            .charge_amount(Money::jpy(100).unwrap())
            .idempotency_key("order-42-charge-1")
            .build()
            .unwrap();
        match client.create_charge(&own_key).await {
            Err(ClientError::Service {
                error, attempts, ..
            }) => {
                assert_eq!(error.code, ErrorCode::HardDeclined);
                assert_eq!(error.http_status, 422);
                assert_eq!(error.request_id, "req-v2-1");
                assert_eq!(error.message, "update the payment method");
                assert_eq!(attempts.len(), 1, "a decline is not retried");
            }
            other => panic!("expected a service error, got {other:?}"),
        }
        let seen = script.seen.lock().unwrap().clone();
        assert_eq!(
            seen[0].idempotency_key.as_deref(),
            Some("order-42-charge-1")
        );
        assert!(seen[0].verified);
    })
    .await;
}

#[tokio::test]
async fn reads_carry_no_key_and_verify() {
    bounded(async {
        let (client, script) = serve(vec![(200, CHARGE)]).await;
        let get = v2::GetChargeRequest::builder()
            .charge_id("S01-1234567-1234567-C000001")
            .build()
            .unwrap();
        client.get_charge(&get).await.unwrap();
        let seen = script.seen.lock().unwrap().clone();
        assert_eq!(seen[0].method, "GET");
        assert_eq!(seen[0].path, "/v2/charges/S01-1234567-1234567-C000001");
        assert_eq!(seen[0].idempotency_key, None);
        assert!(seen[0].verified);
    })
    .await;
}
