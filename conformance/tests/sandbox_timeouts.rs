//! The simulator closes connections that stall (issue 12 item 11): half a request head after
//! the header timeout, a kept-alive connection after the idle timeout, a half-sent body with
//! 408 after the body timeout, a TLS connection without a handshake after the handshake
//! timeout. Raw sockets on 127.0.0.1, short configured timeouts, each wait bounded.

use std::time::Duration;

use amazon_pay_conformance::sandbox::{Sandbox, SandboxConfig, Timeouts};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// The timeout under test.
const SHORT: Duration = Duration::from_millis(200);
/// The others: longer than any test waits.
const LONG: Duration = Duration::from_secs(600);
/// How long a test waits for the server to close; far beyond SHORT, far below LONG.
const BOUND: Duration = Duration::from_secs(20);

fn timeouts(handshake: Duration, header: Duration, body: Duration, idle: Duration) -> Timeouts {
    Timeouts {
        handshake,
        header,
        body,
        idle,
    }
}

async fn sandbox(timeouts: Timeouts, tls: bool) -> Sandbox {
    Sandbox::start(SandboxConfig {
        timeouts,
        tls,
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

/// Connects and sends `bytes`.
async fn send(sandbox: &Sandbox, bytes: &str) -> TcpStream {
    let mut stream = TcpStream::connect(sandbox.addr()).await.unwrap();
    stream.write_all(bytes.as_bytes()).await.unwrap();
    stream
}

/// Everything the server sends until it closes the connection; fails the test if it has not
/// closed it within [`BOUND`].
async fn until_closed(mut stream: TcpStream) -> String {
    let mut received = Vec::new();
    let read = async {
        let mut chunk = [0u8; 4096];
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&chunk[..n]),
            }
        }
    };
    tokio::time::timeout(BOUND, read)
        .await
        .expect("the server should have closed the connection");
    String::from_utf8_lossy(&received).into_owned()
}

#[tokio::test]
async fn half_a_request_head_is_closed_after_the_header_timeout() {
    let sandbox = sandbox(timeouts(LONG, SHORT, LONG, LONG), false).await;
    let stream = send(&sandbox, "GET /__sandbox/clock HTTP/1.1\r\nHost: 127.").await;
    assert_eq!(until_closed(stream).await, "");

    // A whole head, sent at once, is answered as usual.
    let stream = send(
        &sandbox,
        "GET /__sandbox/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .await;
    let answer = until_closed(stream).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
}

#[tokio::test]
async fn an_idle_connection_is_closed_after_the_idle_timeout() {
    let sandbox = sandbox(timeouts(LONG, LONG, LONG, SHORT), false).await;
    // After an answer on a kept-alive connection.
    let stream = send(
        &sandbox,
        "GET /__sandbox/clock HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    )
    .await;
    let answer = until_closed(stream).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert_eq!(answer.matches("HTTP/1.1").count(), 1, "{answer}");

    // And one that never sent a request.
    let stream = send(&sandbox, "").await;
    assert_eq!(until_closed(stream).await, "");
}

#[tokio::test]
async fn a_half_sent_body_is_answered_408_after_the_body_timeout() {
    let sandbox = sandbox(timeouts(LONG, LONG, SHORT, LONG), false).await;
    let stream = send(
        &sandbox,
        "POST /OffAmazonPayments_Sandbox/2013-01-01 HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n\
         Action=GetServiceStatus",
    )
    .await;
    let answer = until_closed(stream).await;
    assert!(
        answer.starts_with("HTTP/1.1 408 Request Timeout\r\n"),
        "{answer}"
    );
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_tls_connection_without_a_handshake_is_closed_after_the_handshake_timeout() {
    let sandbox = sandbox(timeouts(SHORT, LONG, LONG, LONG), true).await;
    let stream = send(&sandbox, "").await;
    assert_eq!(until_closed(stream).await, "");
}

#[tokio::test]
async fn shutdown_closes_kept_alive_connections() {
    let sandbox = sandbox(Timeouts::default(), false).await;
    // reqwest keeps the connection open in its pool after the answer.
    let client = reqwest::Client::new();
    let url = format!("{}/__sandbox/clock", sandbox.base_url());
    assert_eq!(client.get(&url).send().await.unwrap().status(), 200);
    let stream = send(&sandbox, "").await;
    tokio::time::timeout(BOUND, sandbox.shutdown())
        .await
        .expect("shutdown should not wait for idle connections");
    assert_eq!(until_closed(stream).await, "");
}
