//! The transport: how bytes reach the service. A trait, so SDK authors can bring their own
//! (a proxy, custom roots, hyper, a recorder); reqwest with rustls is the default.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::protocol::{HttpRequest, HttpResponse};

/// How far a failed exchange got: this decides whether a retry could repeat an effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum TransportErrorKind {
    /// No connection was made: the service never saw the request.
    Connect,
    /// Sent, but no complete answer in time: the service may have applied it.
    Timeout,
    /// The connection broke after the request was sent: the service may have applied it.
    Interrupted,
    /// The answer was longer than the client's cap, so reading stopped: the service received
    /// the request. Not retried (the same request would get the same answer).
    TooLarge,
}

impl TransportErrorKind {
    /// Whether the service may have received (and applied) the request.
    pub fn may_have_been_received(self) -> bool {
        !matches!(self, TransportErrorKind::Connect)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TransportErrorKind::Connect => "connect",
            TransportErrorKind::Timeout => "timeout",
            TransportErrorKind::Interrupted => "interrupted",
            TransportErrorKind::TooLarge => "too_large",
        }
    }

    /// What the kind means for the request, in words.
    fn meaning(self) -> &'static str {
        match self {
            TransportErrorKind::Connect => "could not connect; the request was not sent",
            TransportErrorKind::Timeout => {
                "no answer in time; the service may have received the request"
            }
            TransportErrorKind::Interrupted => {
                "the connection broke after sending; the service may have received the request"
            }
            TransportErrorKind::TooLarge => {
                "the answer exceeds the size cap; reading stopped (the service received the request)"
            }
        }
    }
}

/// A failed exchange. The message names the URL at most, never a body or a credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} ({message})", kind.meaning())]
pub struct TransportError {
    pub kind: TransportErrorKind,
    pub message: String,
}

/// The boxed future a transport returns.
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// Sends one request and reads the whole answer within `timeout`.
pub trait Transport: Send + Sync + 'static {
    fn send(&self, request: HttpRequest, timeout: Duration) -> TransportFuture<'_>;
}

/// The answer size a client reads at most unless told otherwise: far above any real answer
/// (the largest, ListOrderReference pages, are tens of kilobytes), far below what would hurt.
pub const DEFAULT_MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;

/// The error of an answer longer than `cap` bytes.
pub fn too_large(cap: usize) -> TransportError {
    TransportError {
        kind: TransportErrorKind::TooLarge,
        message: format!("more than {cap} bytes"),
    }
}

/// The default transport: reqwest with rustls, connection pooling, a connect timeout, and a
/// cap on the answer size ([`DEFAULT_MAX_ANSWER_BYTES`] unless set).
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_answer_bytes: usize,
}

impl ReqwestTransport {
    pub fn new(connect_timeout: Duration) -> Result<ReqwestTransport, TransportError> {
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .build()
            .map_err(|e| TransportError {
                kind: TransportErrorKind::Connect,
                message: format!("cannot build the HTTP client: {e}"),
            })?;
        Ok(ReqwestTransport::from_client(client))
    }

    /// Uses a client configured by the caller (proxy, roots, pool settings).
    pub fn from_client(client: reqwest::Client) -> ReqwestTransport {
        ReqwestTransport {
            client,
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
        }
    }

    /// Stops reading an answer longer than `bytes` and fails with
    /// [`TransportErrorKind::TooLarge`].
    pub fn max_answer_bytes(mut self, bytes: usize) -> ReqwestTransport {
        self.max_answer_bytes = bytes;
        self
    }
}

fn classify(e: &reqwest::Error) -> TransportErrorKind {
    if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Interrupted
    }
}

fn transport_error(e: reqwest::Error) -> TransportError {
    TransportError {
        kind: classify(&e),
        // reqwest's text names the URL, never the body: no secret or personal data.
        message: e.to_string(),
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest, timeout: Duration) -> TransportFuture<'_> {
        Box::pin(async move {
            let method = reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|e| {
                TransportError {
                    kind: TransportErrorKind::Connect,
                    message: format!("bad method: {e}"),
                }
            })?;
            let mut builder = self
                .client
                .request(method, &request.url)
                .timeout(timeout)
                .body(request.body);
            for (k, v) in &request.headers {
                builder = builder.header(k, v);
            }
            let response = builder.send().await.map_err(transport_error)?;
            let status = response.status().as_u16();
            // Names come lower-case from the HTTP library; values that are not text are
            // dropped (nothing the client reads is ever binary).
            let headers = response
                .headers()
                .iter()
                .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
                .collect();
            let body = read_capped(response, self.max_answer_bytes).await?;
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}

/// Reads the body chunk by chunk, stopping as soon as it would pass `cap` (a declared
/// `Content-Length` above it stops before reading anything).
async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
) -> Result<Vec<u8>, TransportError> {
    if response
        .content_length()
        .is_some_and(|n| n > u64::try_from(cap).unwrap_or(u64::MAX))
    {
        return Err(too_large(cap));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
        if body.len() + chunk.len() > cap {
            return Err(too_large(cap));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
