//! The v2 test endpoints under `/__sandbox/v2/` (loopback only, like the rest of
//! `control.rs`): the buyer on Amazon's checkout page, on the hosted Update page and in their
//! account, and the stored v2 objects. The buyer acts for the region's built-in merchant.

use std::sync::Arc;

use amazon_pay_protocol::v2::Region;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::control::{Answer, Refusal, refuse};
use super::server;
use super::shared::Shared;
use super::v2::buyer::{self, Checkout};
use super::v2::ctx::Ctx;
use super::v2::error::{ApiError, ApiResult};

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__sandbox/v2/buyer/sign-in", post(sign_in))
        .route("/__sandbox/v2/buyer/checkout", post(checkout))
        .route(
            "/__sandbox/v2/buyer/charge-permissions/{id}/payment-method",
            post(update_payment_method),
        )
        .route(
            "/__sandbox/v2/buyer/charge-permissions/{id}/cancel",
            post(cancel_saved_wallet),
        )
        .route("/__sandbox/v2/objects/{kind}", get(objects))
}

/// Runs a buyer's action as the sandbox merchant of `region`, with the same persistence and
/// notifications as a request.
pub(super) fn act<T>(
    shared: &Shared,
    region: Region,
    action: impl FnOnce(&mut Ctx<'_>) -> ApiResult<T>,
) -> ApiResult<T> {
    server::apply(shared, &shared.v2, |env, world, notices| {
        shared.v2.as_buyer(env, world, notices, region, action)
    })
    .and_then(|applied| applied.saved_now(shared))
    .map_err(ApiError::internal)?
}

fn api_error(e: ApiError) -> Refusal {
    refuse(
        StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST),
        format!("{}: {}", e.code.as_str(), e.message),
    )
}

fn region_of(name: Option<&str>) -> Result<Region, Refusal> {
    match name {
        None => Ok(Region::Jp),
        Some(n) => Region::parse(n)
            .ok_or_else(|| refuse(StatusCode::BAD_REQUEST, format!("unknown region {n}"))),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckoutBody {
    /// NA, EU or JP (default JP).
    #[serde(default)]
    region: Option<String>,
    #[serde(flatten)]
    action: Checkout,
}

async fn checkout(State(shared): State<Arc<Shared>>, Json(body): Json<CheckoutBody>) -> Answer {
    let region = region_of(body.region.as_deref())?;
    let back = act(&shared, region, |ctx| buyer::checkout(ctx, body.action)).map_err(api_error)?;
    Ok(Json(json!({ "returnUrl": back })).into_response())
}

async fn sign_in(State(shared): State<Arc<Shared>>, Json(body): Json<RegionBody>) -> Answer {
    let region = region_of(body.region.as_deref())?;
    let token = act(&shared, region, buyer::sign_in).map_err(api_error)?;
    Ok(Json(json!({ "buyerToken": token })).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PaymentMethodBody {
    #[serde(default)]
    region: Option<String>,
    /// The last four digits of the new card (default 1111).
    #[serde(default)]
    card: Option<String>,
}

async fn update_payment_method(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Json(body): Json<PaymentMethodBody>,
) -> Answer {
    let region = region_of(body.region.as_deref())?;
    let card = body.card.unwrap_or_else(|| "1111".to_owned());
    act(&shared, region, |ctx| {
        buyer::update_payment_method(ctx, &id, &card)
    })
    .map_err(api_error)?;
    Ok(Json(json!({ "chargePermissionId": id })).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionBody {
    #[serde(default)]
    region: Option<String>,
}

async fn cancel_saved_wallet(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Json(body): Json<RegionBody>,
) -> Answer {
    let region = region_of(body.region.as_deref())?;
    act(&shared, region, |ctx| buyer::cancel_saved_wallet(ctx, &id)).map_err(api_error)?;
    Ok(Json(json!({ "chargePermissionId": id })).into_response())
}

/// The stored v2 documents of a kind.
async fn objects(State(shared): State<Arc<Shared>>, Path(kind): Path<String>) -> Answer {
    let inner = shared.lock();
    let w = &inner.world.v2;
    let value: Value = match kind.as_str() {
        "checkout-sessions" => json!(w.sessions.values().map(|s| &s.document).collect::<Vec<_>>()),
        "charge-permissions" => json!(
            w.permissions
                .values()
                .map(|p| &p.document)
                .collect::<Vec<_>>()
        ),
        "charges" => json!(w.charges().map(|c| &c.document).collect::<Vec<_>>()),
        "refunds" => json!(w.refunds.values().map(|r| &r.document).collect::<Vec<_>>()),
        other => {
            return Err(refuse(
                StatusCode::NOT_FOUND,
                format!("no v2 object kind {other}"),
            ));
        }
    };
    Ok(Json(value).into_response())
}
