//! The API endpoint: `POST /OffAmazonPayments_Sandbox/2013-01-01` and the live path, for any
//! host (the signature covers the Host header as sent).

use std::sync::Arc;
use std::time::Duration;

use amazon_pay_protocol::v1::{AnyRequest, ErrorCode};
use amazon_pay_protocol::{DispatchError, ParamError, Timestamp};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use super::error::SimError;
use super::faults::Fault;
use super::ops::{self, Ctx};
use super::verify::verify;
use super::world::Owner;
use super::{Inner, Shared};

pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/{section}/{version}", post(api))
        .with_state(shared)
}

/// `Date` header text of a simulator time (RFC 7231 IMF-fixdate).
pub(super) fn http_date(t: Timestamp) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    t.as_offset_date_time()
        .format(&format)
        .unwrap_or_else(|_| t.to_wire())
}

fn xml(status: u16, body: String, now: Timestamp) -> Response {
    let mut response = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        body,
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
    if let Ok(date) = HeaderValue::from_str(&http_date(now)) {
        headers.insert(header::DATE, date);
    }
    response
}

fn error_response(error: &SimError, request_id: &str, now: Timestamp) -> Response {
    let body = error
        .document(request_id)
        .to_xml(amazon_pay_protocol::v1::XML_NAMESPACE)
        .unwrap_or_else(|e| format!("<ErrorResponse><Error><Code>InternalServerError</Code><Message>{e}</Message></Error></ErrorResponse>"));
    xml(error.http_status(), body, now)
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

async fn api(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let faults = shared.faults();
    if let Some(delay) = faults.latency() {
        tokio::time::sleep(delay).await;
    }
    let fault = faults.pick();
    let id = shared.request_id();
    let refused = match fault {
        Fault::Throttle => Some(SimError::new(
            ErrorCode::RequestThrottled,
            "Request is throttled.",
        )),
        Fault::Unavailable => Some(SimError::new(
            ErrorCode::ServiceUnavailable,
            "Service is temporarily unavailable (fault injection).",
        )),
        Fault::ServerError => Some(SimError::new(
            ErrorCode::InternalServerError,
            "There was an internal service failure (fault injection).",
        )),
        Fault::None | Fault::DropAfterApply => None,
    };
    if let Some(error) = refused {
        let now = shared.now(&shared.lock().world);
        return error_response(&error, &id, now);
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let response = handle(&shared, &host, uri.path(), &body, &id);
    if fault == Fault::DropAfterApply {
        return dropped();
    }
    response
}

/// Verifies, applies and answers one request, under the state lock.
fn handle(shared: &Shared, host: &str, path: &str, body: &[u8], id: &str) -> Response {
    let mut inner = shared.lock();
    let now = shared.now(&inner.world);
    let verified = match verify(&shared.accounts, host, path, body, now) {
        Ok(v) => v,
        Err(e) => return error_response(&e, id, now),
    };
    let sandbox = verified.environment == amazon_pay_protocol::v1::Environment::Sandbox;
    let over_quota = shared.quotas.as_ref().is_some_and(|quotas| {
        amazon_pay_protocol::v1::operation(&verified.action).is_some_and(|info| {
            !quotas.admit(
                &verified.account.seller_id,
                info,
                sandbox,
                std::time::Instant::now(),
            )
        })
    });
    if over_quota {
        let error = SimError::new(ErrorCode::RequestThrottled, "Request is throttled.");
        return error_response(&error, id, now);
    }
    let request = match AnyRequest::from_params(&verified.action, &verified.params) {
        Ok(r) => r,
        Err(e) => return error_response(&parameter_error(e), id, now),
    };
    let owner = Owner {
        seller_id: verified.account.seller_id.clone(),
        region: verified.account.region.name().to_owned(),
        environment: format!("{:?}", verified.environment),
    };
    let Inner { world, store } = &mut *inner;
    let mut ctx = Ctx {
        world,
        now,
        owner,
        sandbox,
        request_id: id.to_owned(),
        fingerprint: ops::fingerprint(&verified.params),
        timing: shared.timing,
        notices: Vec::new(),
    };
    let outcome = ops::events::run_due(&mut ctx).and_then(|()| ops::handle(&mut ctx, request));
    let notices = std::mem::take(&mut ctx.notices);
    if let Some(store) = store {
        if let Err(e) = store.save(world) {
            tracing::error!(error = %e, "could not save the sandbox state");
        }
    }
    shared.delivery.send(world, &notices, now);
    match outcome.and_then(|r| r.to_xml().map_err(SimError::internal)) {
        Ok(body) => xml(200, body, now),
        Err(e) => error_response(&e, id, now),
    }
}

fn parameter_error(e: DispatchError) -> SimError {
    match e {
        DispatchError::Params(ParamError::Missing(key)) => SimError::new(
            ErrorCode::MissingParameter,
            format!("The parameter {key} is required."),
        ),
        DispatchError::Params(ParamError::Invalid { key, reason }) => SimError::new(
            ErrorCode::InvalidParameterValue,
            format!("Value for parameter {key} is invalid: {reason}."),
        ),
        other => SimError::new(ErrorCode::InvalidParameterValue, other.to_string()),
    }
}

/// Applies due events even when no request comes (asynchronous IPNs arrive on their own).
pub(super) async fn tick_forever(shared: Arc<Shared>, every: Duration) {
    let mut interval = tokio::time::interval(every);
    loop {
        interval.tick().await;
        tick(&shared);
    }
}

pub(super) fn tick(shared: &Shared) {
    let mut inner = shared.lock();
    let now = shared.now(&inner.world);
    let Inner { world, store } = &mut *inner;
    if world
        .schedule
        .keys()
        .next()
        .is_none_or(|(at, _)| *at > now.unix())
    {
        return;
    }
    let mut ctx = Ctx {
        world,
        now,
        owner: Owner {
            seller_id: String::new(),
            region: String::new(),
            environment: String::new(),
        },
        sandbox: true,
        request_id: String::new(),
        fingerprint: String::new(),
        timing: shared.timing,
        notices: Vec::new(),
    };
    if let Err(e) = ops::events::run_due(&mut ctx) {
        tracing::error!(error = ?e, "scheduled sandbox event failed");
    }
    let notices = std::mem::take(&mut ctx.notices);
    if let Some(store) = store {
        if let Err(e) = store.save(world) {
            tracing::error!(error = %e, "could not save the sandbox state");
        }
    }
    shared.delivery.send(world, &notices, now);
}
