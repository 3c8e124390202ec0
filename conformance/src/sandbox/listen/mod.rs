//! The serving loop: accept on the listener, the TLS handshake when the simulator serves
//! https, then HTTP/1.1 (hyper) into the router, each connection under its timeouts, until
//! the stop signal; then every connection finishes the request it is answering and closes.

mod body;
mod watch;

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch as signal;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tower::{Service, ServiceExt as _};

use body::TimedBody;
use watch::{Activity, Watched};

/// How long a connection may take over each part of its life before the simulator closes
/// it. The defaults are far beyond what a working client needs on loopback (the values and
/// why are in `conformance/GUESSES.md`); tests set short ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// From accepting the connection to the end of the TLS handshake (https only).
    pub handshake: Duration,
    /// From the first byte of a request head to its end.
    pub header: Duration,
    /// From the end of the head to the end of the body; then the answer is 408.
    pub body: Duration,
    /// With no request under way: since the connection opened or the last answer.
    pub idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            handshake: Duration::from_secs(10),
            header: Duration::from_secs(10),
            body: Duration::from_secs(30),
            idle: Duration::from_secs(60),
        }
    }
}

/// Serves `app` on `listener` (https with `tls`) until `stop` resolves, then waits for the
/// open connections to finish.
pub async fn serve<S: HttpService>(
    listener: TcpListener,
    app: S,
    tls: Option<Arc<ServerConfig>>,
    timeouts: Timeouts,
    stop: impl Future<Output = ()>,
) {
    let tls = tls.map(TlsAcceptor::from);
    // Each connection holds a receiver: a change asks it to close once idle, and the
    // sender's `closed()` tells when the last one is gone.
    let (stopping, stop_seen) = signal::channel(());
    tokio::pin!(stop);
    loop {
        let tcp = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => tcp,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
        };
        let connection = Connection {
            app: app.clone(),
            timeouts,
            stop: stop_seen.clone(),
        };
        let tls = tls.clone();
        tokio::spawn(connection.run(tcp, tls));
    }
    drop(listener);
    drop(stop_seen);
    let _ = stopping.send(());
    stopping.closed().await;
}

/// A failed accept: a connection that was reset before it was taken is nobody's concern;
/// anything else (out of file descriptors) is logged, and a short pause keeps the loop from
/// spinning while it lasts.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if !matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        tracing::warn!(error = %e, "sandbox cannot accept a connection");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What a connection hands its requests to: an HTTP service that always answers.
pub trait HttpService:
    Service<Request<Body>, Response = Response<Body>, Error = Infallible, Future: Send>
    + Clone
    + Send
    + 'static
{
}

impl<S> HttpService for S where
    S: Service<Request<Body>, Response = Response<Body>, Error = Infallible, Future: Send>
        + Clone
        + Send
        + 'static
{
}

struct Connection<S> {
    app: S,
    timeouts: Timeouts,
    stop: signal::Receiver<()>,
}

impl<S: HttpService> Connection<S> {
    async fn run(self, tcp: TcpStream, tls: Option<TlsAcceptor>) {
        let Some(acceptor) = tls else {
            return self.http(tcp).await;
        };
        match tokio::time::timeout(self.timeouts.handshake, acceptor.accept(tcp)).await {
            Ok(Ok(stream)) => self.http(stream).await,
            // A client that does not trust the certificate ends here (it sends an alert).
            Ok(Err(e)) => tracing::debug!(error = %e, "sandbox TLS handshake failed"),
            Err(_) => tracing::debug!("sandbox TLS handshake timed out"),
        }
    }

    async fn http<I>(mut self, io: I)
    where
        I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let activity = Activity::new();
        let service = {
            let (app, activity, body_timeout) =
                (self.app, Arc::clone(&activity), self.timeouts.body);
            hyper::service::service_fn(move |request: Request<Incoming>| {
                let busy = activity.begin();
                let (head, body) = request.into_parts();
                let body = TimedBody::new(body, body_timeout);
                let expired = body.expired();
                let answer = app
                    .clone()
                    .oneshot(Request::from_parts(head, Body::new(body)));
                async move {
                    let answer = answer.await;
                    drop(busy);
                    if expired.load(Ordering::Relaxed) {
                        return Ok(request_timeout());
                    }
                    answer
                }
            })
        };
        let connection = http1::Builder::new().serve_connection(
            TokioIo::new(Watched::new(io, Arc::clone(&activity))),
            service,
        );
        tokio::pin!(connection);
        let expired = activity.expired(&self.timeouts);
        tokio::pin!(expired);
        let mut stopping = false;
        loop {
            tokio::select! {
                served = connection.as_mut() => {
                    if let Err(e) = served {
                        tracing::debug!(error = %e, "sandbox connection ended");
                    }
                    return;
                }
                // Idle or stalled: dropping the connection closes it (no request is under way).
                () = &mut expired => return,
                // Finish the request under way, if any, then close.
                _ = self.stop.changed(), if !stopping => {
                    stopping = true;
                    connection.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// The answer when the body timed out: the rest of the body may still be on its way, so the
/// connection closes after it.
fn request_timeout() -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::REQUEST_TIMEOUT;
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
