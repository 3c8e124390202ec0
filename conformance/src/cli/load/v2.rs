//! The v2 load: Get Charge with every Nth a Create Charge (JPY 1, captureNow, merchant
//! initiated), one Chargeable Saved Wallet permission per worker, set up as a shop does: a
//! setup-only checkout session, the buyer on Amazon's page, Complete.

use amazon_pay_protocol::Money;
use amazon_pay_protocol::button;
use amazon_pay_protocol::client::RetryPolicy;
use amazon_pay_protocol::client::v2::Client;
use amazon_pay_protocol::endpoint::{Endpoint, EndpointError};
use amazon_pay_protocol::v2::{
    self, ChargeInitiator, ChargePermissionId, CompleteCheckoutSessionRequest, CreateChargeRequest,
    Environment, GetChargeRequest, Region,
};
use axum::http::{Method, StatusCode, header};

use super::LoadArgs;
use super::drive::{Stats, Worker, drive};
use crate::sandbox::v2::buyer::Checkout;
use crate::sandbox::{Accounts, Merchant, Sandbox};

/// What the mix writes and reads.
pub const MIX: (&str, &str) = ("a Create Charge", "Get Charge");

struct PermissionWorker {
    client: Client,
    charge: CreateChargeRequest,
    get: GetChargeRequest,
}

/// A JPY 1 charge captured at once, without the buyer.
fn charge_request(
    permission: ChargePermissionId,
) -> Result<CreateChargeRequest, Box<dyn std::error::Error>> {
    Ok(CreateChargeRequest::builder()
        .charge_permission_id(permission)
        .charge_amount(Money::jpy(1)?)
        .capture_now(true)
        .charge_initiator(ChargeInitiator::Mitu)
        .build()?)
}

impl Worker for PermissionWorker {
    async fn call(&self, _i: u64, write: bool) -> bool {
        // Without a key of its own, each Create Charge gets a new one from the client.
        if write {
            self.client.create_charge(&self.charge).await.is_ok()
        } else {
            self.client.get_charge(&self.get).await.is_ok()
        }
    }
}

/// A client without retries for the JP merchant's `SANDBOX-` key, at the endpoint made for it.
fn client(
    merchant: Option<&Merchant>,
    endpoint: impl FnOnce(&str) -> Result<Endpoint, EndpointError>,
) -> Result<(Client, Merchant), Box<dyn std::error::Error>> {
    let merchant = merchant.ok_or("no JP merchant")?.clone();
    let key = &merchant.sandbox_key_id;
    let client = Client::builder(merchant.credentials(key), endpoint(key)?)
        .retry_policy(RetryPolicy::none())
        .build()?;
    Ok((client, merchant))
}

/// A Chargeable Saved Wallet permission of the JP merchant, and a first charge on it.
async fn saved_wallet(
    sandbox: &Sandbox,
    client: &Client,
    store_id: &str,
) -> Result<(ChargePermissionId, v2::Charge), Box<dyn std::error::Error>> {
    let create = button::setup_only(store_id, "https://shop.example/return")?.build()?;
    let session = client.create_checkout_session(&create).await?;
    let redirect_url = session
        .web_checkout_details
        .and_then(|d| d.amazon_pay_redirect_url)
        .ok_or("the session has no amazonPayRedirectUrl")?;
    sandbox.buyer_checks_out(Region::Jp, Checkout::pays(redirect_url))?;
    let complete = CompleteCheckoutSessionRequest::builder()
        .checkout_session_id(
            session
                .checkout_session_id
                .ok_or("no checkout session id")?,
        )
        .build()?;
    let permission = client
        .complete_checkout_session(&complete)
        .await?
        .charge_permission_id
        .ok_or("the completed session has no charge permission")?;
    let charge = client
        .create_charge(&charge_request(permission.clone())?)
        .await?;
    Ok((permission, charge))
}

fn worker(
    client: &Client,
    permission: ChargePermissionId,
    charge: &v2::Charge,
) -> Result<PermissionWorker, Box<dyn std::error::Error>> {
    let get = GetChargeRequest::builder()
        .charge_id(charge.charge_id.clone().ok_or("the charge has no id")?)
        .build()?;
    Ok(PermissionWorker {
        client: client.clone(),
        charge: charge_request(permission)?,
        get,
    })
}

/// Measures the simulator; also returns one of its Charge documents, the baseline's answer.
pub async fn against_simulator(
    sandbox: &Sandbox,
    args: &LoadArgs,
) -> Result<(Stats, String), Box<dyn std::error::Error>> {
    let (client, merchant) = client(sandbox.merchant(Region::Jp), |key| {
        Ok(sandbox.v2_endpoint(key, Environment::Sandbox))
    })?;
    let mut workers = Vec::new();
    let mut answer = String::new();
    for _ in 0..args.concurrency {
        let (permission, charge) = saved_wallet(sandbox, &client, &merchant.store_id).await?;
        answer = serde_json::to_string(&charge)?;
        workers.push(worker(&client, permission, &charge)?);
    }
    Ok((
        drive(workers, args.requests, args.authorize_every).await?,
        answer,
    ))
}

/// The same load against a bare axum handler answering every request with `charge` (201 to
/// a POST, as Create Charge answers): no signature check, no state.
pub async fn against_baseline(
    args: &LoadArgs,
    charge: String,
) -> Result<Stats, Box<dyn std::error::Error>> {
    let document: v2::Charge = serde_json::from_str(&charge)?;
    let app = axum::Router::new().fallback(move |method: Method| {
        let charge = charge.clone();
        async move {
            let status = match method {
                Method::POST => StatusCode::CREATED,
                _ => StatusCode::OK,
            };
            (status, [(header::CONTENT_TYPE, "application/json")], charge)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    // The simulator's test key signs here too, so both runs pay for the same RSA-PSS work.
    // The simulator's test key signs here too, so both runs pay for the same RSA-PSS work.
    let (client, _) = client(Accounts::builtin().merchant(Region::Jp), |key| {
        Endpoint::loopback_http(&addr.to_string(), Environment::Sandbox.base_path(key))
    })?;
    let workers = (0..args.concurrency)
        .map(|_| {
            let permission = document
                .charge_permission_id
                .clone()
                .ok_or("the answer has no charge permission id")?;
            worker(&client, permission, &document)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let stats = drive(workers, args.requests, args.authorize_every).await?;
    server.abort();
    Ok(stats)
}
