//! The request pipeline, the same for every API generation: fault injection, verification
//! and reading before the lock, then under it the front's work (events due, the operation),
//! and after it persistence of what changed (`journal.rs`) and the IPNs; the answer carries
//! a `Date` header from the simulator clock. A change is answered with success only once it
//! is written: when the write fails the world is put back from the store and the answer is a
//! 500, which clients retry safely.

use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use amazon_pay_protocol::Timestamp;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use tower::ServiceExt as _;

use super::clock::date_header;
use super::delivery::Outgoing;
use super::faults::Fault;
use super::front::{Env, Front, Incoming, Refusal, Reply};
use super::journal::{Journal, Pending, Saved};
use super::persist::StoreError;
use super::shared::Shared;
use super::world::World;
use amazon_pay_protocol::v2_runtime::error::REQUEST_ID;

/// The v2 path prefixes: legacy keys name the environment, `LIVE-`/`SANDBOX-` keys use `/v2`
/// (§1.2).
const V2_PREFIXES: [&str; 3] = ["/v2/", "/sandbox/v2/", "/live/v2/"];

/// Whether a path is under a v2 prefix (what an answer of the HTTP layer is formatted by).
fn is_v2(path: &str) -> bool {
    V2_PREFIXES.iter().any(|prefix| path.starts_with(prefix))
}

/// The generation whose API a path is: v2 below one of its prefixes (with something after
/// it), else v1 for any path of two non-empty segments (`/OffAmazonPayments_Sandbox/2013-01-01`).
fn generation_of(path: &str) -> Option<Generation> {
    let v2 = V2_PREFIXES.iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty())
    });
    if v2 {
        return Some(Generation::V2);
    }
    let (section, version) = path.strip_prefix('/')?.split_once('/')?;
    let v1 = !section.is_empty() && !version.is_empty() && !version.contains('/');
    v1.then_some(Generation::V1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Generation {
    V1,
    V2,
}

/// Where the control routes live (`control.rs`); nothing of the API starts so.
const CONTROL_PREFIX: &str = "/__sandbox/";

/// The simulator's HTTP service: an API request goes straight to its generation's pipeline,
/// told from the path; only the control routes go through an axum router. Routing the API
/// too (a fallback is a catch-all route to axum) cost each request a parameter map, a
/// matched-path extension and a method router, about as much as reading the request's
/// signature headers.
#[derive(Clone)]
pub struct App {
    shared: Arc<Shared>,
    /// The control routes, when the simulator has them.
    control: Option<Router>,
}

impl App {
    pub fn new(shared: Arc<Shared>, control: Option<Router>) -> App {
        let control = control.map(|routes| {
            routes
                // A path below the prefix that no control route has is the API's, as any
                // other path is (two segments make a v1 path).
                .fallback({
                    let shared = Arc::clone(&shared);
                    move |request: Request| async move { serve(&shared, request).await }
                })
                .method_not_allowed_fallback({
                    let shared = Arc::clone(&shared);
                    move |uri: Uri| async move {
                        refused(&shared, uri.path(), Refusal::MethodNotAllowed)
                    }
                })
        });
        App { shared, control }
    }
}

impl<B> tower::Service<axum::http::Request<B>> for App
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = futures_util::future::BoxFuture<'static, Result<Response, Self::Error>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: axum::http::Request<B>) -> Self::Future {
        let request = request.map(Body::new);
        match &self.control {
            Some(control) if request.uri().path().starts_with(CONTROL_PREFIX) => {
                Box::pin(control.clone().oneshot(request))
            }
            _ => {
                let shared = Arc::clone(&self.shared);
                Box::pin(async move { Ok(serve(&shared, request).await) })
            }
        }
    }
}

/// One API request: v1 takes only `POST`, v2 every method.
async fn serve(shared: &Shared, request: Request) -> Response {
    let (head, body) = request.into_parts();
    let path = head.uri.path();
    let generation = match generation_of(path) {
        Some(Generation::V1) if head.method != Method::POST => {
            return refused(shared, path, Refusal::MethodNotAllowed);
        }
        Some(generation) => generation,
        None => return refused(shared, path, Refusal::NotFound),
    };
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(body) => body,
        Err(_) => return refused(shared, path, Refusal::TooLarge),
    };
    let (method, uri, headers) = (&head.method, &head.uri, &head.headers);
    match generation {
        Generation::V1 => api(shared, &shared.v1, method, uri, headers, &body).await,
        Generation::V2 => api(shared, &shared.v2, method, uri, headers, &body).await,
    }
}

/// Larger than any request of the API (1,000 parameters of the longest documented values):
/// a bigger body is refused unread (413).
pub const MAX_BODY: usize = 1024 * 1024;

/// An answer of the HTTP layer, in the format of the generation whose path it is.
fn refused(shared: &Shared, path: &str, refusal: Refusal) -> Response {
    let now = shared.now(&shared.lock().world);
    let id = shared.request_id();
    let reply = if is_v2(path) {
        shared.v2.refuse(refusal, &id)
    } else {
        shared.v1.refuse(refusal, &id)
    };
    respond(reply, now)
}

/// The answer as sent, built directly: `(status, text).into_response()` would set a content
/// type only for it to be replaced.
fn respond(reply: Reply, now: Timestamp) -> Response {
    let Reply {
        status,
        content_type,
        body,
        request_id,
    } = reply;
    let mut response = Response::new(Body::from(body.into_text()));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Some(date) = date_header(now) {
        headers.insert(header::DATE, date);
    }
    if let Some(id) = request_id.and_then(|id| HeaderValue::try_from(id).ok()) {
        headers.insert(REQUEST_ID, id);
    }
    response
}

/// A response whose body fails after the headers: the connection ends without an answer the
/// client can read, after the request was applied.
fn dropped() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "fault injection: connection dropped after the request was applied",
        ))
    });
    Response::new(Body::from_stream(failing))
}

async fn api<F: Front>(
    shared: &Shared,
    front: &F,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let faults = shared.faults();
    if let Some(delay) = faults.latency() {
        tokio::time::sleep(delay).await;
    }
    let fault = faults.pick();
    let id = shared.request_id();
    let refused = match fault {
        Fault::Throttle => Some(Refusal::Throttled),
        Fault::Unavailable => Some(Refusal::Unavailable),
        Fault::ServerError => Some(Refusal::ServerError),
        Fault::None | Fault::DropAfterApply => None,
    };
    if let Some(refusal) = refused {
        let now = shared.now(&shared.lock().world);
        return respond(front.refuse(refusal, &id), now);
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let request = Incoming {
        method: method.as_str(),
        host,
        path: uri.path(),
        query: uri.query(),
        headers,
        body,
        request_id: &id,
    };
    // The costly part (parsing, the signature) runs before the lock.
    let checked = match front.check(&shared.gate(), &request) {
        Ok(checked) => checked,
        Err(reply) => {
            let now = shared.now(&shared.lock().world);
            return respond(reply, now);
        }
    };
    // The answer is written once the lock is let go (`Document`).
    let applied = apply(shared, front, |env, world, notices| {
        (front.serve(env, checked, world, notices), env.now)
    });
    let saved = match applied {
        Ok(applied) => applied.saved(shared).await,
        Err(e) => Err(e),
    };
    let (reply, now) = match saved {
        Ok(served) => served,
        Err(_) => {
            let now = shared.now(&shared.lock().world);
            return respond(front.refuse(Refusal::NotSaved, &id), now);
        }
    };
    if fault == Fault::DropAfterApply {
        return dropped();
    }
    respond(reply, now)
}

/// Runs one piece of work of `front` under the state lock and queues what it changed to be
/// written. The answer waits for [`Applied::saved`]: when the write fails, the world is put
/// back as it was before the work (by the next piece of work), no IPN is sent, and the error
/// is returned: the work did not happen.
pub fn apply<F: Front, R>(
    shared: &Shared,
    front: &F,
    work: impl FnOnce(&Env<'_>, &mut World, &mut Vec<F::Notice>) -> R,
) -> Result<Applied<R>, StoreError> {
    let mut inner = shared.lock();
    let world = &mut inner.world;
    if let Some(journal) = shared.journal.as_ref().filter(|j| j.poisoned()) {
        reload(journal, world)?;
    }
    let now = shared.now(world);
    let mut notices = Vec::new();
    let result = work(&shared.env(now), world, &mut notices);
    let pending = match &shared.journal {
        Some(journal) => journal.queue(world.changes()),
        None => {
            world.forget_changes();
            None
        }
    };
    let outgoing = match notices.is_empty() {
        true => Vec::new(),
        false => front.notifications(world, &notices, now),
    };
    Ok(Applied {
        result,
        pending,
        outgoing,
        now,
    })
}

/// Puts the world back to what the state file holds: the state after the last change that
/// was written. Until it succeeds every piece of work fails.
fn reload(journal: &Journal, world: &mut World) -> Result<(), StoreError> {
    let mut back = World::restore(journal.rows()?)?;
    back.common.keep_salts(&mut world.common);
    *world = back;
    journal.reloaded();
    Ok(())
}

/// Work done on the world and not yet answered: its result, the wait for what it changed or
/// saw to be written, and the IPNs to send once it is.
pub struct Applied<R> {
    result: R,
    pending: Option<Pending>,
    outgoing: Vec<Outgoing>,
    now: Timestamp,
}

impl<R> Applied<R> {
    /// The result once the change is durable (the IPNs are sent then).
    pub async fn saved(mut self, shared: &Shared) -> Result<R, StoreError> {
        if let Some(pending) = self.pending.take() {
            if let Some(journal) = &shared.journal {
                journal.write_here();
            }
            settled(pending.await.ok())?;
        }
        Ok(self.sent(shared))
    }

    /// The same, writing on this thread: for callers that cannot wait asynchronously.
    pub fn saved_now(mut self, shared: &Shared) -> Result<R, StoreError> {
        if let Some(mut pending) = self.pending.take() {
            if let Some(journal) = &shared.journal {
                journal.flush();
            }
            settled(pending.try_recv().ok())?;
        }
        Ok(self.sent(shared))
    }

    fn sent(self, shared: &Shared) -> R {
        if !self.outgoing.is_empty() {
            shared.delivery.send(self.outgoing, self.now);
        }
        self.result
    }
}

/// A change's outcome; `None` when the writer went away without one (it is not written).
fn settled(outcome: Option<Saved>) -> Result<(), StoreError> {
    match outcome {
        Some(Ok(())) => Ok(()),
        Some(Err(e)) => Err(StoreError::Failed(e)),
        None => Err(StoreError::Undone),
    }
}

/// Applies due events even when no request comes (asynchronous IPNs arrive on their own).
pub async fn tick_forever(shared: Arc<Shared>, every: Duration) {
    let mut interval = tokio::time::interval(every);
    loop {
        interval.tick().await;
        tick(&shared).await;
    }
}

/// Applies the events due now, of every front.
pub async fn tick(shared: &Shared) {
    // A failed write is logged by the journal and the events stay due; there is no one to
    // answer.
    if let Ok(applied) = apply(shared, &shared.v1, |env, world, notices| {
        shared.v1.run_due(env, world, notices);
    }) {
        let _ = applied.saved(shared).await;
    }
    if let Ok(applied) = apply(shared, &shared.v2, |env, world, notices| {
        shared.v2.run_due(env, world, notices);
    }) {
        let _ = applied.saved(shared).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_names_its_generation_as_the_routes_it_replaced_did() {
        let cases = [
            (
                "/OffAmazonPayments_Sandbox/2013-01-01",
                Some(Generation::V1),
            ),
            ("/v2/charges/S03-1", Some(Generation::V2)),
            ("/sandbox/v2/checkoutSessions", Some(Generation::V2)),
            ("/live/v2/x", Some(Generation::V2)),
            // Two segments, not a v2 path with something after its prefix: v1's shape.
            ("/sandbox/v2", Some(Generation::V1)),
            ("/v2/", None),
            ("/a/b/", None),
            ("/a//b", None),
            ("//b", None),
            ("/a", None),
            ("/", None),
            ("/no/such/path", None),
        ];
        for (path, generation) in cases {
            assert_eq!(generation_of(path), generation, "{path}");
        }
    }
}
