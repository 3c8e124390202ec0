//! The client's answer-size cap over real HTTP on 127.0.0.1: an answer longer than the cap
//! ends the call in `TransportErrorKind::TooLarge` without a retry, whether the server
//! declares its length (axum) or streams it in chunks (a raw server that never stops on its
//! own); an answer under the cap parses.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use amazon_pay_protocol::client::{
    Client, ClientBuilder, ClientError, DEFAULT_MAX_ANSWER_BYTES, TransportErrorKind,
};
use amazon_pay_protocol::credentials::{Credentials, SecretKey};
use amazon_pay_protocol::endpoint::Endpoint;
use amazon_pay_protocol::v1::{Environment, GetBillingAgreementDetailsRequest};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const FIXTURE: &str =
    include_str!("../../fixtures/v1/amazon-pay-sdk-java/GetBillingAgreementDetailsResponse.xml");

/// The fixture grown to about `size` bytes with an unknown element the reader skips.
fn padded(size: usize) -> String {
    let filler = format!("<Filler>{}</Filler>", "x".repeat(size));
    FIXTURE.replacen(
        "<ResponseMetadata>",
        &format!("{filler}<ResponseMetadata>"),
        1,
    )
}

async fn bounded<T>(test: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("test took too long")
}

/// An axum server answering `body` (with its Content-Length); counts the requests.
async fn axum_server(body: String) -> (SocketAddr, Arc<AtomicUsize>) {
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    let app = axum::Router::new().fallback(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        let body = body.clone();
        async move { body }
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, seen)
}

/// A raw server that answers every connection with an endless chunked body (at most 64 MiB,
/// so a client without a cap would still end), counting connections.
async fn endless_server() -> (SocketAddr, Arc<AtomicUsize>) {
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut request = [0u8; 8192];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ntransfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024));
                for _ in 0..1024 {
                    if socket.write_all(chunk.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (addr, seen)
}

fn builder(addr: SocketAddr) -> ClientBuilder {
    Client::builder(
        Credentials::new("AKIAEXAMPLE", SecretKey::new("secret"), "A1EXAMPLE"),
        Endpoint::loopback_http(&addr.to_string(), Environment::Sandbox).unwrap(),
    )
}

fn request() -> GetBillingAgreementDetailsRequest {
    GetBillingAgreementDetailsRequest::builder()
        .amazon_billing_agreement_id("C01-1234567-1234567")
        .build()
        .unwrap()
}

fn assert_too_large(result: Result<impl std::fmt::Debug, ClientError>) {
    match result {
        Err(ClientError::Transport {
            error, attempts, ..
        }) => {
            assert_eq!(error.kind, TransportErrorKind::TooLarge);
            assert_eq!(attempts.len(), 1, "an oversized answer is not retried");
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[test]
fn the_default_cap_is_16_mib() {
    assert_eq!(DEFAULT_MAX_ANSWER_BYTES, 16 * 1024 * 1024);
}

#[tokio::test]
async fn an_answer_over_the_cap_ends_in_too_large() {
    bounded(async {
        let (addr, seen) = axum_server(padded(64 * 1024)).await;
        let client = builder(addr).max_answer_bytes(16 * 1024).build().unwrap();
        assert_too_large(client.get_billing_agreement_details(&request()).await);
        assert_eq!(seen.load(Ordering::SeqCst), 1);

        let roomy = builder(addr).max_answer_bytes(128 * 1024).build().unwrap();
        let answer = roomy
            .get_billing_agreement_details(&request())
            .await
            .unwrap();
        assert_eq!(
            answer
                .result
                .billing_agreement_details
                .amazon_billing_agreement_id
                .as_str(),
            "C01-3925266-2250830"
        );
    })
    .await
}

#[tokio::test]
async fn an_endless_streamed_answer_stops_at_the_cap() {
    bounded(async {
        let (addr, seen) = endless_server().await;
        let client = builder(addr).max_answer_bytes(1024 * 1024).build().unwrap();
        assert_too_large(client.get_billing_agreement_details(&request()).await);
        assert_eq!(seen.load(Ordering::SeqCst), 1);
    })
    .await
}
