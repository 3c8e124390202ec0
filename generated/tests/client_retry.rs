//! The client's retry, clock-skew and may-have-been-applied behaviour against tiny scripted
//! servers on loopback: an axum server that answers a fixed sequence of responses, and a raw
//! TCP listener that reads each request and closes the socket without answering.

use std::collections::VecDeque;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use amazon_pay_protocol::Money;
use amazon_pay_protocol::client::{
    CallOptions, Client, ClientError, ReferenceCharge, ReferenceChargeError, RetryPolicy,
    TransportErrorKind,
};
use amazon_pay_protocol::credentials::{Credentials, SecretKey};
use amazon_pay_protocol::endpoint::{Clock, Endpoint};
use amazon_pay_protocol::v1::{self, Environment, ErrorCode};
use amazon_pay_protocol::{Currency, Timestamp};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const BILLING_AGREEMENT: &str = "C01-1234567-1234567";
const REFERENCE: &str = "order-42-attempt-safe";

/// Every test finishes well within this, or fails.
async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("test took too long")
}

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/v1/amazon-pay-sdk-java")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn error_xml(code: &str, message: &str, request_id: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"http://mws.amazonservices.com/schema/OffAmazonPayments/2013-01-01\">\
         <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
         <RequestId>{request_id}</RequestId></ErrorResponse>"
    )
}

/// An RFC 7231 date (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(unix: i64) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::OffsetDateTime::from_unix_timestamp(unix)
        .unwrap()
        .format(&format)
        .unwrap()
}

fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

// ---------------------------------------------------------------------------------------------
// Scripted servers

#[derive(Clone, Debug)]
enum Reply {
    Answer {
        status: u16,
        date: Option<String>,
        body: String,
    },
    /// Read the request, then close the connection without a word (raw server only).
    Drop,
}

fn answer(status: u16, body: impl Into<String>) -> Reply {
    Reply::Answer {
        status,
        date: None,
        body: body.into(),
    }
}

/// The replies in order (the last one repeats) and the request bodies seen.
#[derive(Default)]
struct Script {
    replies: Mutex<VecDeque<Reply>>,
    seen: Mutex<Vec<String>>,
}

impl Script {
    fn new(replies: impl IntoIterator<Item = Reply>) -> Arc<Script> {
        Arc::new(Script {
            replies: Mutex::new(replies.into_iter().collect()),
            seen: Mutex::default(),
        })
    }

    fn next(&self, body: String) -> Reply {
        self.seen.lock().unwrap().push(body);
        let mut replies = self.replies.lock().unwrap();
        if replies.len() > 1 {
            replies.pop_front().unwrap()
        } else {
            replies.front().cloned().expect("an empty script")
        }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

async fn axum_handler(State(script): State<Arc<Script>>, body: String) -> Response {
    match script.next(body) {
        Reply::Answer { status, date, body } => {
            let mut response = (
                StatusCode::from_u16(status).unwrap(),
                [(header::CONTENT_TYPE, "text/xml")],
                body,
            )
                .into_response();
            if let Some(date) = date {
                response
                    .headers_mut()
                    .insert(header::DATE, date.parse().unwrap());
            }
            response
        }
        Reply::Drop => panic!("the axum server cannot drop a connection; use the raw one"),
    }
}

/// An axum server answering `replies` in order.
async fn axum_server(replies: impl IntoIterator<Item = Reply>) -> (SocketAddr, Arc<Script>) {
    let script = Script::new(replies);
    let app = axum::Router::new()
        .fallback(axum_handler)
        .with_state(script.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, script)
}

/// Reads one HTTP/1.1 request (headers and a Content-Length body); `None` at end of stream.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            if data.len() >= end + 4 + length {
                return Some(String::from_utf8_lossy(&data[end + 4..end + 4 + length]).into());
            }
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&chunk[..n]);
    }
}

/// A raw server: reads each request whole, then answers or drops the connection.
async fn raw_server(replies: impl IntoIterator<Item = Reply>) -> (SocketAddr, Arc<Script>) {
    let script = Script::new(replies);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let serving = script.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let script = serving.clone();
            tokio::spawn(async move {
                while let Some(body) = read_request(&mut socket).await {
                    match script.next(body) {
                        Reply::Drop => return, // the socket closes without an answer
                        Reply::Answer { status, body, .. } => {
                            let head = format!(
                                "HTTP/1.1 {status} X\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\r\n",
                                body.len()
                            );
                            socket.write_all(head.as_bytes()).await.unwrap();
                            socket.write_all(body.as_bytes()).await.unwrap();
                        }
                    }
                }
            });
        }
    });
    (addr, script)
}

// ---------------------------------------------------------------------------------------------
// Clients and requests

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        base: Duration::from_millis(1),
        cap: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

/// A clock one second later at every reading, so that every attempt has its own Timestamp.
struct TickingClock(AtomicI64);

impl Clock for TickingClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix(self.0.fetch_add(1, Ordering::Relaxed)).unwrap()
    }
}

fn credentials() -> Credentials {
    Credentials::new("AKIAEXAMPLE", SecretKey::new("secret"), "A1EXAMPLE")
}

fn builder_for(addr: SocketAddr) -> amazon_pay_protocol::client::ClientBuilder {
    Client::builder(
        credentials(),
        Endpoint::loopback_http(&addr.to_string(), Environment::Sandbox).unwrap(),
    )
    .retry_policy(fast_retries())
}

fn authorize() -> v1::AuthorizeOnBillingAgreementRequest {
    v1::AuthorizeOnBillingAgreementRequest::builder()
        .amazon_billing_agreement_id(BILLING_AGREEMENT)
        .authorization_reference_id(REFERENCE)
        .authorization_amount(Money::new("1.00", Currency::Usd).unwrap())
        .capture_now(true)
        .build()
        .unwrap()
}

fn create_order_reference() -> v1::CreateOrderReferenceForIdRequest {
    v1::CreateOrderReferenceForIdRequest::builder()
        .id(BILLING_AGREEMENT)
        .id_type(v1::IdType::BillingAgreement)
        .build()
        .unwrap()
}

fn get_billing_agreement() -> v1::GetBillingAgreementDetailsRequest {
    v1::GetBillingAgreementDetailsRequest::builder()
        .amazon_billing_agreement_id(BILLING_AGREEMENT)
        .build()
        .unwrap()
}

/// The decoded value of a form parameter.
fn param(body: &str, name: &str) -> Option<String> {
    body.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8()
                .unwrap()
                .into_owned()
        })
    })
}

fn timestamp(body: &str) -> i64 {
    Timestamp::parse(&param(body, "Timestamp").expect("a Timestamp"))
        .unwrap()
        .unix()
}

/// RequestExpired from a service whose Date header is an hour ahead of this machine.
fn expired_an_hour_behind() -> Reply {
    Reply::Answer {
        status: 400,
        date: Some(http_date(now_unix() + 3600)),
        body: error_xml("RequestExpired", "Request has expired", "rid-exp"),
    }
}

fn throttled() -> Reply {
    answer(503, fixture("Throttled.xml"))
}

// ---------------------------------------------------------------------------------------------
// Tests

#[tokio::test]
async fn throttled_twice_then_success_resigns_each_attempt_with_the_same_reference_id() {
    bounded(async {
        let (addr, script) = axum_server([
            throttled(),
            throttled(),
            answer(200, fixture("AuthorizeOnBillingAgreementResponse.xml")),
        ])
        .await;
        let client = builder_for(addr)
            .clock(Arc::new(TickingClock(AtomicI64::new(1_700_000_000))))
            .build()
            .unwrap();
        let response = client
            .authorize_on_billing_agreement(&authorize())
            .await
            .unwrap();
        assert_eq!(
            response
                .result
                .authorization_details
                .amazon_authorization_id
                .as_str(),
            "S01-7347515-9699585-A012416"
        );

        let seen = script.seen();
        assert_eq!(seen.len(), 3, "two retries");
        let stamps: Vec<i64> = seen.iter().map(|b| timestamp(b)).collect();
        assert!(
            stamps.windows(2).all(|w| w[1] > w[0]),
            "a fresh Timestamp per attempt: {stamps:?}"
        );
        for body in &seen {
            assert_eq!(
                param(body, "AuthorizationReferenceId").as_deref(),
                Some(REFERENCE)
            );
        }
        let signatures: Vec<_> = seen.iter().map(|b| param(b, "Signature")).collect();
        assert_ne!(signatures[0], signatures[1], "each attempt is signed anew");
    })
    .await;
}

#[tokio::test]
async fn an_unsafe_operation_is_not_retried_on_503() {
    bounded(async {
        let (addr, script) = axum_server([answer(
            503,
            error_xml("ServiceUnavailable", "try later", "rid-1"),
        )])
        .await;
        let client = builder_for(addr).build().unwrap();
        let error = client
            .create_order_reference_for_id(&create_order_reference())
            .await
            .unwrap_err();
        let ClientError::Service {
            error: service,
            attempts,
            ..
        } = &error
        else {
            panic!("{error}")
        };
        assert_eq!(service.code, ErrorCode::ServiceUnavailable);
        assert_eq!(attempts.len(), 1);
        assert_eq!(error.retry_count(), 0);
        assert_eq!(script.seen().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn an_unsafe_operation_is_retried_when_the_request_was_never_sent() {
    bounded(async {
        // A port nobody listens on: every attempt is refused before anything is sent.
        let closed = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap()
            .local_addr()
            .unwrap();
        let client = builder_for(closed).build().unwrap();
        let error = client
            .create_order_reference_for_id(&create_order_reference())
            .await
            .unwrap_err();
        let ClientError::Transport {
            error: transport,
            attempts,
            ..
        } = &error
        else {
            panic!("{error}")
        };
        assert_eq!(transport.kind, TransportErrorKind::Connect);
        assert_eq!(attempts.len(), 4, "{error}");
        assert!(
            attempts
                .iter()
                .all(|a| a.transport == Some(TransportErrorKind::Connect))
        );
        assert!(error.to_string().contains("not sent"), "{error}");
    })
    .await;
}

#[tokio::test]
async fn a_dropped_connection_on_a_keyed_operation_is_retried_with_the_same_reference_id() {
    bounded(async {
        let (addr, script) = raw_server([
            Reply::Drop,
            Reply::Drop,
            answer(200, fixture("AuthorizeOnBillingAgreementResponse.xml")),
        ])
        .await;
        let client = builder_for(addr).build().unwrap();
        client
            .authorize_on_billing_agreement(&authorize())
            .await
            .unwrap();
        let seen = script.seen();
        assert_eq!(seen.len(), 3);
        for body in &seen {
            assert_eq!(
                param(body, "AuthorizationReferenceId").as_deref(),
                Some(REFERENCE)
            );
        }
    })
    .await;
}

#[tokio::test]
async fn every_attempt_dropped_means_may_have_been_applied() {
    bounded(async {
        let (addr, script) = raw_server([Reply::Drop]).await;
        let client = builder_for(addr).build().unwrap();
        let error = client
            .authorize_on_billing_agreement(&authorize())
            .await
            .unwrap_err();
        let ClientError::MayHaveBeenApplied {
            action,
            idempotency_key,
            attempts,
            ..
        } = &error
        else {
            panic!("{error}")
        };
        assert_eq!(*action, "AuthorizeOnBillingAgreement");
        assert_eq!(idempotency_key.as_deref(), Some(REFERENCE));
        assert_eq!(attempts.len(), 4);
        assert!(
            attempts
                .iter()
                .all(|a| a.transport == Some(TransportErrorKind::Interrupted)),
            "{error}"
        );
        assert_eq!(script.seen().len(), 4);
        let message = error.to_string();
        assert!(message.contains("may have been applied"), "{message}");
        assert!(message.contains(REFERENCE), "{message}");
    })
    .await;
}

#[tokio::test]
async fn an_unsafe_operation_whose_answer_was_lost_is_not_repeated() {
    bounded(async {
        let (addr, script) = raw_server([Reply::Drop]).await;
        let client = builder_for(addr).build().unwrap();
        let error = client
            .create_order_reference_for_id(&create_order_reference())
            .await
            .unwrap_err();
        let ClientError::MayHaveBeenApplied {
            idempotency_key,
            attempts,
            ..
        } = &error
        else {
            panic!("{error}")
        };
        assert_eq!(*idempotency_key, None);
        assert_eq!(attempts.len(), 1);
        assert_eq!(script.seen().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_duplicate_reference_id_after_a_lost_answer_means_the_first_attempt_was_applied() {
    bounded(async {
        let (addr, script) = raw_server([
            Reply::Drop,
            answer(
                400,
                error_xml(
                    "DuplicateReferenceId",
                    "The reference id was already used",
                    "rid-dup",
                ),
            ),
        ])
        .await;
        let client = builder_for(addr).build().unwrap();
        let error = client
            .authorize_on_billing_agreement(&authorize())
            .await
            .unwrap_err();
        let ClientError::MayHaveBeenApplied {
            reason, attempts, ..
        } = &error
        else {
            panic!("{error}")
        };
        assert!(reason.contains("DuplicateReferenceId"), "{reason}");
        assert!(reason.contains("applied"), "{reason}");
        assert_eq!(attempts.len(), 2);
        assert_eq!(attempts[1].code.as_deref(), Some("DuplicateReferenceId"));
        assert_eq!(attempts[0].body, None, "the first answer was lost");
        assert!(
            error
                .last_body()
                .is_some_and(|b| b.contains("<Code>DuplicateReferenceId</Code>")),
            "{error:?}"
        );
        assert_eq!(script.seen().len(), 2, "never retried under a new id");
    })
    .await;
}

#[tokio::test]
async fn a_timeout_on_a_keyed_operation_may_have_been_applied_and_on_a_read_is_a_transport_error() {
    bounded(async {
        // Accepts and reads, never answers.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let mut open = Vec::new();
            loop {
                let (socket, _) = listener.accept().await.unwrap();
                open.push(socket); // kept open, silent
            }
        });
        let client = builder_for(addr).build().unwrap();
        let options = CallOptions {
            timeout: Some(Duration::from_millis(100)),
            max_attempts: Some(2),
        };
        let error = client.send_with(&authorize(), &options).await.unwrap_err();
        assert!(
            matches!(error, ClientError::MayHaveBeenApplied { .. }),
            "{error}"
        );
        assert_eq!(error.attempts().len(), 2, "per-call max_attempts");
        assert!(
            error
                .attempts()
                .iter()
                .all(|a| a.transport == Some(TransportErrorKind::Timeout))
        );

        let read = client
            .send_with(&get_billing_agreement(), &options)
            .await
            .unwrap_err();
        let ClientError::Transport { error: e, .. } = &read else {
            panic!("{read}")
        };
        assert_eq!(e.kind, TransportErrorKind::Timeout);
    })
    .await;
}

#[tokio::test]
async fn request_expired_with_a_date_an_hour_ahead_resigns_once_then_reports_the_skew() {
    bounded(async {
        // The Date header is computed when the script is made; a few seconds of test time
        // change the skew by as much, hence the tolerance below.
        let (addr, script) =
            axum_server([expired_an_hour_behind(), expired_an_hour_behind()]).await;
        let client = builder_for(addr).build().unwrap();
        let error = client
            .get_billing_agreement_details(&get_billing_agreement())
            .await
            .unwrap_err();
        let ClientError::ClockSkew {
            skew_seconds,
            error: service,
            attempts,
            ..
        } = &error
        else {
            panic!("{error}")
        };
        assert_eq!(service.code, ErrorCode::RequestExpired);
        let skew = skew_seconds.unwrap();
        assert!((3590..=3610).contains(&skew), "{skew}");
        assert_eq!(attempts.len(), 2, "one re-signed retry, no more");
        assert!(
            error.to_string().contains("behind the service's"),
            "{error}"
        );
        let seen = script.seen();
        assert_eq!(seen.len(), 2);
        let shift = timestamp(&seen[1]) - timestamp(&seen[0]);
        assert!(
            (3590..=3610).contains(&shift),
            "re-signed an hour ahead: {shift}"
        );
        assert!((3590..=3610).contains(&client.clock_offset()));
    })
    .await;
}

#[tokio::test]
async fn a_learned_clock_offset_is_kept_for_later_calls_and_can_be_turned_off() {
    bounded(async {
        let (addr, script) = axum_server([
            expired_an_hour_behind(),
            answer(200, fixture("GetBillingAgreementDetailsResponse.xml")),
        ])
        .await;
        let client = builder_for(addr).build().unwrap();
        client
            .get_billing_agreement_details(&get_billing_agreement())
            .await
            .unwrap();
        client
            .get_billing_agreement_details(&get_billing_agreement())
            .await
            .unwrap();
        let seen = script.seen();
        assert_eq!(seen.len(), 3);
        let local = now_unix();
        assert!(
            (3590..=3610).contains(&(timestamp(&seen[2]) - local)),
            "the next call is signed with the learned offset"
        );

        let (addr, script) = axum_server([expired_an_hour_behind()]).await;
        let strict = builder_for(addr).learn_clock_skew(false).build().unwrap();
        let error = strict
            .get_billing_agreement_details(&get_billing_agreement())
            .await
            .unwrap_err();
        assert!(matches!(error, ClientError::ClockSkew { .. }), "{error}");
        assert_eq!(error.attempts().len(), 1);
        assert_eq!(script.seen().len(), 1);
        assert_eq!(strict.clock_offset(), 0);
    })
    .await;
}

#[tokio::test]
async fn the_final_service_error_keeps_every_attempt_and_the_last_answer() {
    bounded(async {
        let (addr, _) = axum_server([
            throttled(),
            answer(500, error_xml("InternalServerError", "oops", "rid-500")),
            answer(503, error_xml("ServiceUnavailable", "busy", "rid-503")),
            answer(
                503,
                error_xml(
                    "RequestThrottled",
                    "Request is throttled (last)",
                    "rid-last",
                ),
            ),
        ])
        .await;
        let client = builder_for(addr).build().unwrap();
        let error = client
            .authorize_on_billing_agreement(&authorize())
            .await
            .unwrap_err();
        let ClientError::Service {
            error: service,
            attempts,
            ..
        } = &error
        else {
            panic!("{error}")
        };
        let statuses: Vec<_> = attempts.iter().map(|a| a.status.unwrap()).collect();
        assert_eq!(statuses, [503, 500, 503, 503]);
        let codes: Vec<_> = attempts.iter().map(|a| a.code.clone().unwrap()).collect();
        assert_eq!(
            codes,
            [
                "RequestThrottled",
                "InternalServerError",
                "ServiceUnavailable",
                "RequestThrottled"
            ]
        );
        assert_eq!(service.code, ErrorCode::RequestThrottled);
        assert_eq!(service.message, "Request is throttled (last)");
        assert_eq!(service.request_id, "rid-last");
        assert_eq!(error.retry_count(), 3);
        assert!(
            attempts.iter().all(|a| a.body.is_some()),
            "each answer is kept"
        );
        let last = error.last_body().unwrap();
        assert!(
            last.contains("Request is throttled (last)") && last.contains("rid-last"),
            "{last}"
        );
        let message = error.to_string();
        for part in ["#1: HTTP 503 RequestThrottled", "#2: HTTP 500", "rid-last"] {
            assert!(message.contains(part), "{part} not in {message}");
        }
    })
    .await;
}

#[tokio::test]
async fn an_exhausted_budget_fails_fast_across_calls() {
    bounded(async {
        let (addr, script) = axum_server([throttled()]).await;
        // 10 tokens: two retries at 5 each, then nothing until successes refill it.
        let client = builder_for(addr)
            .retry_policy(RetryPolicy {
                budget: 10,
                ..fast_retries()
            })
            .build()
            .unwrap();
        let first = client
            .get_billing_agreement_details(&get_billing_agreement())
            .await
            .unwrap_err();
        assert!(
            matches!(first, ClientError::BudgetExhausted { .. }),
            "{first}"
        );
        assert_eq!(first.attempts().len(), 3);
        assert!(first.to_string().contains("retry budget"), "{first}");

        let clone = client.clone(); // clones share the budget
        let second = clone
            .get_billing_agreement_details(&get_billing_agreement())
            .await
            .unwrap_err();
        assert!(
            matches!(second, ClientError::BudgetExhausted { .. }),
            "{second}"
        );
        assert_eq!(second.attempts().len(), 1, "no retry at all");
        assert_eq!(script.seen().len(), 4);
    })
    .await;
}

#[tokio::test]
async fn charge_confirms_a_draft_billing_agreement_then_authorizes_with_capture() {
    bounded(async {
        let (addr, script) = axum_server([
            answer(200, fixture("GetBillingAgreementDetailsResponse.xml")), // Draft
            answer(200, fixture("SetBillingAgreementDetailsResponse.xml")),
            answer(200, fixture("ConfirmBillingAgreementResponse.xml")),
            answer(200, fixture("AuthorizeOnBillingAgreementResponse.xml")),
        ])
        .await;
        let client = builder_for(addr).build().unwrap();
        let outcome = client
            .charge(
                &ReferenceCharge::new(
                    BILLING_AGREEMENT,
                    REFERENCE,
                    Money::new("1.00", Currency::Usd).unwrap(),
                )
                .seller_authorization_note("first month")
                .store_name("Shop")
                .seller_order_id("o-42"),
            )
            .await
            .unwrap();
        assert_eq!(
            outcome.authorization.amazon_authorization_id.as_str(),
            "S01-7347515-9699585-A012416"
        );
        let seen = script.seen();
        let actions: Vec<_> = seen.iter().map(|b| param(b, "Action").unwrap()).collect();
        assert_eq!(
            actions,
            [
                "GetBillingAgreementDetails",
                "SetBillingAgreementDetails",
                "ConfirmBillingAgreement",
                "AuthorizeOnBillingAgreement"
            ]
        );
        let authorize = &seen[3];
        assert_eq!(param(authorize, "CaptureNow").as_deref(), Some("true"));
        assert_eq!(param(authorize, "TransactionTimeout").as_deref(), Some("0"));
        assert_eq!(
            param(authorize, "AuthorizationReferenceId").as_deref(),
            Some(REFERENCE)
        );
    })
    .await;
}

#[tokio::test]
async fn charge_refuses_an_id_of_unknown_kind_without_a_request() {
    bounded(async {
        let (addr, script) = axum_server([throttled()]).await;
        let client = builder_for(addr).build().unwrap();
        let error = client
            .charge(&ReferenceCharge::new(
                "X01-0000000-0000000",
                REFERENCE,
                Money::new("1.00", Currency::Usd).unwrap(),
            ))
            .await
            .unwrap_err();
        assert!(
            matches!(error, ReferenceChargeError::UnknownIdKind(_)),
            "{error}"
        );
        assert!(script.seen().is_empty());
    })
    .await;
}

#[tokio::test]
async fn any_request_dispatches_to_its_typed_method() {
    bounded(async {
        let (addr, _) = axum_server([answer(
            200,
            fixture("AuthorizeOnBillingAgreementResponse.xml"),
        )])
        .await;
        let client = builder_for(addr).build().unwrap();
        let response = v1::AnyRequest::AuthorizeOnBillingAgreement(authorize())
            .send(&client)
            .await
            .unwrap();
        assert!(matches!(
            response,
            v1::AnyResponse::AuthorizeOnBillingAgreement(_)
        ));
    })
    .await;
}

#[tokio::test]
async fn an_unreadable_answer_is_a_parse_error_with_the_raw_body_and_a_redacted_history() {
    bounded(async {
        // A 200 that is not a GetBillingAgreementDetails document, holding buyer data.
        let page = "<Unexpected><Buyer><Name>Hanako Yamada</Name></Buyer></Unexpected>";
        let (addr, script) = axum_server([answer(200, page)]).await;
        let client = builder_for(addr).build().unwrap();
        let error = client
            .get_billing_agreement_details(&get_billing_agreement())
            .await
            .unwrap_err();
        let ClientError::Parse {
            http_status,
            raw_body,
            attempts,
            ..
        } = &error
        else {
            panic!("{error}")
        };
        assert_eq!(*http_status, 200);
        assert_eq!(raw_body.as_slice(), page.as_bytes(), "kept as received");
        assert_eq!(
            attempts.len(),
            1,
            "a 200 that cannot be read is not retried"
        );
        assert_eq!(script.seen().len(), 1);
        let logged = error.last_body().unwrap();
        assert!(!logged.contains("Hanako"), "{logged}");
        assert!(!format!("{error}").contains("Hanako"), "{error}");
    })
    .await;
}
