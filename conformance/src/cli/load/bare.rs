//! The baseline server: a bare axum handler that answers every request with a fixed answer (the
//! simulator's own first answer of the kind, status, content type and bytes), reading nothing
//! but what tells a write from a read: no signature check, no state.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::task::JoinHandle;

use super::drive::Answers;
use amazon_pay_protocol::client::HttpResponse;

/// One fixed answer, ready to send.
#[derive(Clone)]
struct Fixed {
    status: StatusCode,
    content_type: Option<HeaderValue>,
    body: Bytes,
}

impl Fixed {
    fn of(answer: Option<&HttpResponse>) -> Fixed {
        Fixed {
            status: answer
                .and_then(|a| StatusCode::from_u16(a.status).ok())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            content_type: answer
                .and_then(|a| a.header("content-type"))
                .and_then(|v| HeaderValue::from_str(v).ok()),
            body: Bytes::from(answer.map(|a| a.body.clone()).unwrap_or_default()),
        }
    }

    fn response(self) -> Response {
        let mut response = (self.status, self.body).into_response();
        if let Some(content_type) = self.content_type {
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, content_type);
        }
        response
    }
}

/// A running baseline server; stopped when dropped.
pub struct Bare {
    pub addr: SocketAddr,
    server: JoinHandle<std::io::Result<()>>,
}

impl Drop for Bare {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Starts the baseline on a loopback port. `is_write` tells a request of the mix's write from
/// its read; each gets the simulator's answer of that kind.
pub async fn serve(
    answers: &Answers,
    is_write: fn(&Method, &[u8]) -> bool,
) -> std::io::Result<Bare> {
    let read = Fixed::of(answers.read.as_ref());
    let write = Fixed::of(answers.write.as_ref());
    let app = axum::Router::new().fallback(move |method: Method, body: Bytes| {
        let answer = match is_write(&method, &body) {
            true => write.clone(),
            false => read.clone(),
        };
        async move { answer.response() }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(Bare { addr, server })
}
