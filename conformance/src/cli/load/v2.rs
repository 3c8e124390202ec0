//! The v2 load: Get Charge with every Nth a Create Charge (JPY 1, captureNow, merchant
//! initiated, a new idempotency key each), one Chargeable Saved Wallet permission per worker,
//! set up as a shop does: a setup-only checkout session, the buyer on Amazon's page, Complete.

use std::net::SocketAddr;

use amazon_pay_protocol::client::RetryPolicy;
use amazon_pay_protocol::client::v2::Client;
use amazon_pay_protocol::endpoint::Endpoint;
use amazon_pay_protocol::v2::{
    ChargeInitiator, ChargePermissionId, CompleteCheckoutSessionRequest, CreateChargeRequest,
    Environment, GetChargeRequest, Region,
};
use amazon_pay_protocol::v2_runtime::Credentials;
use amazon_pay_protocol::{Money, V2, button};
use axum::http::Method;

use super::drive::Prepared;
use super::{Generation, of_worker};
use crate::sandbox::Sandbox;
use crate::sandbox::v2::buyer::Checkout;

/// One worker's permission: the charge it makes on it, and a charge of it to read.
struct Permission {
    charge: CreateChargeRequest,
    get: GetChargeRequest,
}

/// The permissions of one simulator, one per worker, and how to sign for them.
pub struct Permissions {
    credentials: Credentials,
    key_id: String,
    endpoint: Endpoint,
    workers: Vec<Permission>,
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

/// A Chargeable Saved Wallet permission of the JP merchant, and a first charge on it.
async fn saved_wallet(
    sandbox: &Sandbox,
    client: &Client,
    store_id: &str,
) -> Result<Permission, Box<dyn std::error::Error>> {
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
    let charge = charge_request(permission)?;
    let first = client.create_charge(&charge).await?;
    let get = GetChargeRequest::builder()
        .charge_id(first.charge_id.ok_or("the charge has no id")?)
        .build()?;
    Ok(Permission { charge, get })
}

impl Generation for Permissions {
    const NAME: &'static str = "v2";
    const MIX: (&'static str, &'static str) = ("a Create Charge", "Get Charge");

    /// Create Charge is the mix's only POST.
    fn is_write(method: &Method, _: &[u8]) -> bool {
        method == Method::POST
    }

    async fn set_up(
        sandbox: &Sandbox,
        workers: u64,
    ) -> Result<Permissions, Box<dyn std::error::Error>> {
        let merchant = sandbox.merchant(Region::Jp).ok_or("no JP merchant")?;
        let key_id = merchant.sandbox_key_id.clone();
        let credentials = merchant.credentials(&key_id);
        let endpoint = sandbox.v2_endpoint(&key_id, Environment::Sandbox);
        let client = Client::builder(credentials.clone(), endpoint.clone())
            .retry_policy(RetryPolicy::none())
            .build()?;
        let mut permissions = Vec::new();
        for _ in 0..workers {
            permissions.push(saved_wallet(sandbox, &client, &merchant.store_id).await?);
        }
        Ok(Permissions {
            credentials,
            key_id,
            endpoint,
            workers: permissions,
        })
    }

    fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    fn at(&self, addr: SocketAddr) -> Result<Endpoint, Box<dyn std::error::Error>> {
        Ok(Endpoint::loopback_http(
            &addr.to_string(),
            Environment::Sandbox.base_path(&self.key_id),
        )?)
    }

    fn request(
        &self,
        endpoint: &Endpoint,
        run: &str,
        (worker, i): (u64, u64),
        write: bool,
    ) -> Result<Prepared, Box<dyn std::error::Error>> {
        let permission = of_worker(&self.workers, worker)?;
        Ok(match write {
            // The key the client would make for the call: new for every charge.
            true => Prepared::sign::<V2, _>(
                &permission.charge,
                &self.credentials,
                endpoint,
                Some(&format!("{run}-{worker}-{i}")),
                true,
            )?,
            false => {
                Prepared::sign::<V2, _>(&permission.get, &self.credentials, endpoint, None, false)?
            }
        })
    }
}
