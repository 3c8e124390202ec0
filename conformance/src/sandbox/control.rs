//! Test-only endpoints under `/__sandbox/`: the buyer's side, the simulator clock, faults,
//! what the buyer was told, the IPNs sent, and the stored objects. JSON in, JSON out.
//! Nothing here exists on Amazon; the runner skips steps that need it on the real sandbox.
//!
//! They answer only requests addressed to a loopback host name: a page in the developer's
//! browser could otherwise reach them by DNS rebinding (its own name resolving to 127.0.0.1),
//! since nothing here is signed. `SandboxConfig::control = false` leaves them out entirely.

use std::sync::Arc;

use amazon_pay_protocol::v1::Region;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::clock;
use super::control_v2;
use super::faults::Faults;
use super::notify::CERT_PEM;
use super::server;
use super::shared::Shared;
use super::v1::buyer::{self, BuyerChoices};
use super::v1::ctx::Ctx;
use super::v1::error::{SimError, SimResult};
use super::v1::records::PaymentMethod;

pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/__sandbox/buyer/billing-agreements",
            post(new_billing_agreement),
        )
        .route(
            "/__sandbox/buyer/order-references",
            post(new_order_reference),
        )
        .route("/__sandbox/buyer/payment-method", post(payment_method))
        .route("/__sandbox/buyer/consent", post(consent))
        .route("/__sandbox/buyer/messages", get(buyer_messages))
        .route("/__sandbox/clock", get(clock).post(move_clock))
        .route("/__sandbox/faults", get(faults).put(set_faults))
        .route("/__sandbox/ipn", get(ipn_log).put(set_ipn_url))
        .route("/__sandbox/ipn-certificate.pem", get(certificate))
        .route("/__sandbox/objects/{kind}", get(objects))
        .merge(control_v2::routes())
        .layer(middleware::from_fn(only_loopback))
        .with_state(shared)
}

/// `localhost`, `127.0.0.1` or `[::1]`, with or without a port.
fn loopback_host(host: &str) -> bool {
    let name = host
        .rsplit_once(':')
        .filter(|(_, port)| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(host, |(name, _)| name);
    matches!(
        name.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "[::1]"
    )
}

async fn only_loopback(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if host.is_some_and(loopback_host) {
        return next.run(request).await;
    }
    refuse(
        StatusCode::FORBIDDEN,
        "the control endpoints answer only requests to localhost, 127.0.0.1 or [::1]",
    )
    .into_response()
}

/// A refused control request: a status and a message, answered as `{"error": ...}`.
pub(super) struct Refusal(StatusCode, String);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

pub(super) fn refuse(status: StatusCode, message: impl std::fmt::Display) -> Refusal {
    Refusal(status, message.to_string())
}

/// With the code's status: a change that could not be saved is a 500, as on the API path.
fn sim_error(e: SimError) -> Refusal {
    refuse(
        StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
        format!("{}: {}", e.code.as_str(), e.message),
    )
}

pub(super) type Answer = Result<Response, Refusal>;

/// Runs a buyer's action (on Amazon's pages, not a seller request) as the seller of `region`,
/// with the same persistence and notifications as a request.
pub(super) fn act<T>(
    shared: &Shared,
    region: Region,
    action: impl FnOnce(&mut Ctx<'_>) -> SimResult<T>,
) -> SimResult<T> {
    server::apply(shared, &shared.v1, |env, world, notices| {
        shared.v1.as_buyer(env, world, notices, region, action)
    })
    .and_then(|applied| applied.saved_now(shared))
    .map_err(SimError::internal)?
}

fn as_buyer<T>(
    shared: &Shared,
    region: Region,
    action: impl FnOnce(&mut Ctx<'_>) -> SimResult<T>,
) -> Result<T, Refusal> {
    act(shared, region, action).map_err(sim_error)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewObject {
    /// JP, NA, EU or UK (default JP).
    #[serde(default)]
    region: Option<String>,
    #[serde(flatten)]
    choices: BuyerChoices,
}

fn region_of(name: Option<&str>) -> Result<Region, Refusal> {
    match name {
        None => Ok(Region::Jp),
        Some(n) => Region::parse(n)
            .ok_or_else(|| refuse(StatusCode::BAD_REQUEST, format!("unknown region {n}"))),
    }
}

async fn new_billing_agreement(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<NewObject>,
) -> Answer {
    let region = region_of(body.region.as_deref())?;
    let (id, token) = as_buyer(&shared, region, |ctx| {
        buyer::create_billing_agreement(ctx, &body.choices)
    })?;
    Ok(Json(json!({ "amazon_billing_agreement_id": id, "access_token": token })).into_response())
}

async fn new_order_reference(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<NewObject>,
) -> Answer {
    let region = region_of(body.region.as_deref())?;
    let (id, token) = as_buyer(&shared, region, |ctx| {
        buyer::create_order_reference(ctx, &body.choices)
    })?;
    Ok(Json(json!({ "amazon_order_reference_id": id, "access_token": token })).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ObjectAction {
    id: String,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    payment_method: Option<PaymentMethod>,
}

async fn payment_method(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<ObjectAction>,
) -> Answer {
    let region = region_of(body.region.as_deref())?;
    let method = body.payment_method.unwrap_or(PaymentMethod::Valid);
    as_buyer(&shared, region, |ctx| {
        buyer::choose_payment_method(ctx, &body.id, method)
    })?;
    Ok(Json(json!({ "updated": body.id })).into_response())
}

async fn consent(State(shared): State<Arc<Shared>>, Json(body): Json<ObjectAction>) -> Answer {
    let region = region_of(body.region.as_deref())?;
    as_buyer(&shared, region, |ctx| buyer::give_consent(ctx, &body.id))?;
    Ok(Json(json!({ "consented": body.id })).into_response())
}

async fn buyer_messages(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.lock().world.v1.buyer_messages.clone()).into_response()
}

/// `frozen`: the clock moves only when told, so a client should sign with `now` itself rather
/// than with its own clock plus `offset_seconds`.
fn clock_json(shared: &Shared) -> Response {
    let inner = shared.lock();
    Json(json!({
        "now": shared.now(&inner.world).to_wire(),
        "offset_seconds": inner.world.common.clock_offset,
        "frozen": shared.clock.frozen.is_some(),
    }))
    .into_response()
}

async fn clock(State(shared): State<Arc<Shared>>) -> Response {
    clock_json(&shared)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MoveClock {
    /// Seconds to move forward (never backward: Amazon's time does not run back).
    #[serde(default)]
    advance_seconds: Option<i64>,
    /// Jump to this time (`2026-12-01T00:00:00Z`), if later than now.
    #[serde(default)]
    set: Option<String>,
}

async fn move_clock(State(shared): State<Arc<Shared>>, Json(body): Json<MoveClock>) -> Answer {
    // Saved like a request: the move is answered only once it is durable.
    let moved = server::apply(&shared, &shared.v1, |env, world, _| {
        let seconds = clock::step(env.now, body.advance_seconds, body.set.as_deref())?;
        let common = &mut world.common;
        common.set_clock_offset(common.clock_offset.saturating_add(seconds));
        Ok::<(), String>(())
    });
    let moved = match moved {
        Ok(applied) => applied.saved(&shared).await,
        Err(e) => Err(e),
    }
    .map_err(|e| refuse(StatusCode::INTERNAL_SERVER_ERROR, e))?;
    moved.map_err(|e| refuse(StatusCode::BAD_REQUEST, e))?;
    // Events that came due happen now, before the caller's next request.
    server::tick(&shared).await;
    Ok(clock_json(&shared))
}

async fn faults(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.faults()).into_response()
}

async fn set_faults(State(shared): State<Arc<Shared>>, Json(body): Json<Faults>) -> Answer {
    body.validate()
        .map_err(|e| refuse(StatusCode::BAD_REQUEST, e))?;
    shared.set_faults(body);
    Ok(Json(body).into_response())
}

async fn ipn_log(State(shared): State<Arc<Shared>>) -> Response {
    Json(json!({ "url": shared.delivery.url(), "sent": shared.delivery.log() })).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IpnUrl {
    url: Option<String>,
}

async fn set_ipn_url(State(shared): State<Arc<Shared>>, Json(body): Json<IpnUrl>) -> Response {
    shared.delivery.set_url(body.url.clone());
    Json(json!({ "url": body.url })).into_response()
}

async fn certificate() -> Response {
    ([(header::CONTENT_TYPE, "application/x-pem-file")], CERT_PEM).into_response()
}

/// The stored objects of a kind, for tests that check totals and uniqueness.
async fn objects(State(shared): State<Arc<Shared>>, Path(kind): Path<String>) -> Answer {
    let inner = shared.lock();
    let w = &inner.world.v1;
    let value: Value = match kind.as_str() {
        "billing-agreements" => json!(
            w.billing_agreements
                .values()
                .map(|b| &b.details)
                .collect::<Vec<_>>()
        ),
        "order-references" => json!(
            w.order_references
                .values()
                .map(|o| &o.details)
                .collect::<Vec<_>>()
        ),
        "authorizations" => json!(
            w.authorizations
                .values()
                .map(|a| &a.details)
                .collect::<Vec<_>>()
        ),
        "captures" => json!(w.captures.values().map(|c| &c.details).collect::<Vec<_>>()),
        "refunds" => json!(w.refunds.values().map(|r| &r.details).collect::<Vec<_>>()),
        other => {
            return Err(refuse(
                StatusCode::NOT_FOUND,
                format!("no object kind {other}"),
            ));
        }
    };
    Ok(Json(value).into_response())
}
