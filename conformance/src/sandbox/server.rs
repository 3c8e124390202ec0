//! The request pipeline, the same for every API generation: fault injection, then under one
//! lock the front's work (verification, reading, events due, the operation), persistence of
//! what changed, and the IPNs; the answer carries a `Date` header from the simulator clock.
//! A change is answered with success only once it is written: when the write fails the world
//! is put back from the store and the answer is a 500, which clients retry safely.

use std::sync::Arc;
use std::time::Duration;

use amazon_pay_protocol::Timestamp;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};

use super::clock::http_date;
use super::faults::Fault;
use super::front::{Env, Front, Incoming, Refusal, Reply};
use super::persist::StoreError;
use super::shared::{Inner, Shared};
use super::v1::front::V1Front;
use super::world::World;
use amazon_pay_protocol::v2_runtime::error::REQUEST_ID;

/// The v2 paths: legacy keys name the environment, `LIVE-`/`SANDBOX-` keys use `/v2` (§1.2).
const V2_ROUTES: &[&str] = &["/v2/{*rest}", "/sandbox/v2/{*rest}", "/live/v2/{*rest}"];

fn is_v2(path: &str) -> bool {
    ["/v2/", "/sandbox/v2/", "/live/v2/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// The API routes: v1's POST path, and every method on the v2 paths.
pub fn router(shared: Arc<Shared>) -> Router {
    let mut router = Router::new().route(
        V1Front::ROUTE,
        post(
            |State(shared): State<Arc<Shared>>, uri: Uri, headers: HeaderMap, body: Body| async move {
                match axum::body::to_bytes(body, MAX_BODY).await {
                    Ok(body) => api(&shared, &shared.v1, &Method::POST, &uri, &headers, &body).await,
                    Err(_) => refused(&shared, uri.path(), Refusal::TooLarge),
                }
            },
        ),
    );
    for route in V2_ROUTES {
        router = router.route(
            route,
            any(
                |State(shared): State<Arc<Shared>>,
                 method: Method,
                 uri: Uri,
                 headers: HeaderMap,
                 body: Body| async move {
                    match axum::body::to_bytes(body, MAX_BODY).await {
                        Ok(body) => api(&shared, &shared.v2, &method, &uri, &headers, &body).await,
                        Err(_) => refused(&shared, uri.path(), Refusal::TooLarge),
                    }
                },
            ),
        );
    }
    router
        .fallback(|State(shared): State<Arc<Shared>>, uri: Uri| async move {
            refused(&shared, uri.path(), Refusal::NotFound)
        })
        .method_not_allowed_fallback(|State(shared): State<Arc<Shared>>, uri: Uri| async move {
            refused(&shared, uri.path(), Refusal::MethodNotAllowed)
        })
        // The limit is ours (MAX_BODY), answered in the service's format.
        .layer(DefaultBodyLimit::disable())
        .with_state(shared)
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

fn respond(reply: Reply, now: Timestamp) -> Response {
    let reply_id = reply.request_id.clone();
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = (status, reply.body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(reply.content_type),
    );
    if let Ok(date) = HeaderValue::from_str(&http_date(now)) {
        headers.insert(header::DATE, date);
    }
    if let Some(id) = reply_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
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
    let applied = apply(shared, front, |env, world, notices| {
        respond(front.serve(env, checked, world, notices), env.now)
    });
    let response = match applied {
        Ok(response) => response,
        Err(_) => {
            let now = shared.now(&shared.lock().world);
            return respond(front.refuse(Refusal::NotSaved, &id), now);
        }
    };
    if fault == Fault::DropAfterApply {
        return dropped();
    }
    response
}

/// Runs one piece of work of `front` under the state lock, then writes what changed and sends
/// the IPNs. When the write fails, the world is put back as it was before the work, no IPN is
/// sent, and the error is returned: the work did not happen.
pub fn apply<F: Front, R>(
    shared: &Shared,
    front: &F,
    work: impl FnOnce(&Env<'_>, &mut World, &mut Vec<F::Notice>) -> R,
) -> Result<R, StoreError> {
    let mut inner = shared.lock();
    if inner.stale {
        inner.reload()?;
    }
    let now = shared.now(&inner.world);
    let Inner { world, store, .. } = &mut *inner;
    let mut notices = Vec::new();
    let result = work(&shared.env(now), world, &mut notices);
    let saved = match store {
        Some(store) => store.write(world.changes()),
        None => Ok(()),
    };
    if let Err(e) = saved {
        tracing::error!(error = %e, "could not save the sandbox state; the change is undone");
        inner.stale = true;
        if let Err(again) = inner.reload() {
            tracing::error!(error = %again, "could not read the sandbox state back yet");
        }
        return Err(e);
    }
    if !notices.is_empty() {
        shared
            .delivery
            .send(front.notifications(world, &notices, now), now);
    }
    Ok(result)
}

/// Applies due events even when no request comes (asynchronous IPNs arrive on their own).
pub async fn tick_forever(shared: Arc<Shared>, every: Duration) {
    let mut interval = tokio::time::interval(every);
    loop {
        interval.tick().await;
        tick(&shared);
    }
}

/// Applies the events due now, of every front.
pub fn tick(shared: &Shared) {
    // A failed write is logged by `apply` and the events stay due; there is no one to answer.
    let _ = apply(shared, &shared.v1, |env, world, notices| {
        shared.v1.run_due(env, world, notices);
    });
    let _ = apply(shared, &shared.v2, |env, world, notices| {
        shared.v2.run_due(env, world, notices);
    });
}
