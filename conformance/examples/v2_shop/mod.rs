//! What the three v2 examples share: a shop back end (the JP merchant's `SANDBOX-` key and the
//! crate's v2 client) in front of the embedded simulator, the buyer's part on Amazon's pages
//! (played by the simulator's buyer endpoint), and the merchant's later charges and refunds.
//!
//! Against Amazon's sandbox, build the client with `Endpoint::amazon(Region::Jp,
//! Environment::Sandbox.base_path(key_id))` and your key instead; the calls are the same, and
//! the buyer's part happens in a browser.

use amazon_pay_conformance::sandbox::v2::buyer::Checkout;
use amazon_pay_conformance::sandbox::{Merchant, Sandbox, SandboxConfig};
use amazon_pay_protocol::Money;
use amazon_pay_protocol::client::v2::Client;
use amazon_pay_protocol::v2::{
    Channel, Charge, ChargeId, ChargeInitiator, ChargePermission, ChargePermissionId,
    CheckoutSession, CheckoutSessionId, CompleteCheckoutSessionRequest, CreateChargeRequest,
    CreateCheckoutSessionRequest, CreateRefundRequest, Environment, GetChargePermissionRequest,
    GetChargeRequest, GetCheckoutSessionRequest, GetRefundRequest, Region, State, StatusDetails,
};

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Where Amazon sends the buyer back (never opened: the simulator plays the browser).
pub const RETURN_URL: &str = "https://shop.example/amazon-pay/return";

/// The state of an object's status details.
pub fn state(status: Option<&StatusDetails>) -> Option<&State> {
    status.and_then(|s| s.state.as_ref())
}

/// Fails unless an object is in the `expected` state.
pub fn is(state: Option<&State>, expected: State) -> Result<()> {
    match state {
        Some(state) if *state == expected => Ok(()),
        other => Err(format!("expected {expected:?}, the service says {other:?}").into()),
    }
}

/// A shop back end and the simulator it talks to.
pub struct Shop {
    pub sandbox: Sandbox,
    pub client: Client,
    pub merchant: Merchant,
}

impl Shop {
    /// Starts the embedded simulator and a client with the JP merchant's `SANDBOX-` key.
    pub async fn open() -> Result<Shop> {
        let sandbox = Sandbox::start(SandboxConfig::default()).await?;
        let merchant = sandbox
            .merchant(Region::Jp)
            .ok_or("no JP merchant")?
            .clone();
        let key = &merchant.sandbox_key_id;
        let client = Client::builder(
            merchant.credentials(key),
            sandbox.v2_endpoint(key, Environment::Sandbox),
        )
        .build()?;
        Ok(Shop {
            sandbox,
            client,
            merchant,
        })
    }

    /// The button's payload becomes a checkout session; returns its id and the page the
    /// buyer is sent to.
    pub async fn create_session(
        &self,
        request: &CreateCheckoutSessionRequest,
    ) -> Result<(CheckoutSessionId, String)> {
        let session = self.client.create_checkout_session(request).await?;
        let id = session
            .checkout_session_id
            .ok_or("no checkout session id")?;
        let redirect = session
            .web_checkout_details
            .and_then(|d| d.amazon_pay_redirect_url)
            .ok_or("the session has no amazonPayRedirectUrl yet")?;
        println!(
            "checkout session {}: the buyer goes to {redirect}",
            id.as_str()
        );
        Ok((id, redirect))
    }

    /// The buyer signs in on Amazon's page, chooses the default card and address and
    /// consents; returns the URL Amazon sends them back to.
    pub fn buyer_pays(&self, redirect_url: String) -> Result<String> {
        let back = self
            .sandbox
            .buyer_checks_out(Region::Jp, Checkout::pays(redirect_url))?;
        println!("the buyer is back at {back}");
        Ok(back)
    }

    pub async fn session(&self, id: &CheckoutSessionId) -> Result<CheckoutSession> {
        let request = GetCheckoutSessionRequest::builder()
            .checkout_session_id(id.clone())
            .build()?;
        Ok(self.client.get_checkout_session(&request).await?)
    }

    /// Completes the session (with the amount it charges, if any); it must be Completed.
    pub async fn complete(
        &self,
        id: &CheckoutSessionId,
        amount: Option<Money>,
    ) -> Result<CheckoutSession> {
        let mut request = CompleteCheckoutSessionRequest::builder().checkout_session_id(id.clone());
        if let Some(amount) = amount {
            request = request.charge_amount(amount);
        }
        let session = self
            .client
            .complete_checkout_session(&request.build()?)
            .await?;
        is(state(session.status_details.as_ref()), State::Completed)?;
        println!(
            "completed: charge permission {:?}, charge {:?}",
            session.charge_permission_id.as_ref().map(|i| i.as_str()),
            session.charge_id.as_ref().map(|i| i.as_str())
        );
        Ok(session)
    }

    /// The saved payment method, which must be Chargeable.
    pub async fn permission(&self, id: &ChargePermissionId) -> Result<ChargePermission> {
        let request = GetChargePermissionRequest::builder()
            .charge_permission_id(id.clone())
            .build()?;
        let permission = self.client.get_charge_permission(&request).await?;
        println!(
            "charge permission {}: {:?}, {:?}, expires {:?}",
            id.as_str(),
            permission
                .status_details
                .as_ref()
                .and_then(|s| s.state.as_ref()),
            permission.charge_permission_type,
            permission.expiration_timestamp.map(|t| t.to_wire())
        );
        Ok(permission)
    }

    pub async fn charge(&self, id: &ChargeId) -> Result<Charge> {
        let request = GetChargeRequest::builder().charge_id(id.clone()).build()?;
        let charge = self.client.get_charge(&request).await?;
        println!(
            "charge {}: {:?}",
            id.as_str(),
            state(charge.status_details.as_ref())
        );
        Ok(charge)
    }

    /// A later charge without the buyer (merchant-initiated, captured at once), which must be
    /// Captured. The client sends one idempotency key on every attempt: a retry never
    /// charges twice.
    pub async fn charge_later(
        &self,
        permission: &ChargePermissionId,
        yen: i64,
    ) -> Result<ChargeId> {
        let request = CreateChargeRequest::builder()
            .charge_permission_id(permission.clone())
            .charge_amount(Money::jpy(yen)?)
            .capture_now(true)
            .charge_initiator(ChargeInitiator::Mitu)
            .channel(Channel::Web)
            .build()?;
        let charge = self.client.create_charge(&request).await?;
        is(state(charge.status_details.as_ref()), State::Captured)?;
        let id = charge.charge_id.ok_or("no charge id")?;
        println!(
            "charged JPY {yen} later: charge {} is Captured",
            id.as_str()
        );
        Ok(id)
    }

    /// Refunds part of a charge: RefundInitiated, then Refunded once Amazon settles it (the
    /// simulator's clock moves a minute on).
    pub async fn refund(&self, charge: &ChargeId, yen: i64) -> Result<()> {
        let request = CreateRefundRequest::builder()
            .charge_id(charge.clone())
            .refund_amount(Money::jpy(yen)?)
            .build()?;
        let refund = self.client.create_refund(&request).await?;
        is(
            state(refund.status_details.as_ref()),
            State::RefundInitiated,
        )?;
        let id = refund.refund_id.ok_or("no refund id")?;
        self.advance(60).await?;
        let done = self
            .client
            .get_refund(&GetRefundRequest::builder().refund_id(id.clone()).build()?)
            .await?;
        is(state(done.status_details.as_ref()), State::Refunded)?;
        println!(
            "refund {} of JPY {yen}: RefundInitiated, then Refunded",
            id.as_str()
        );
        Ok(())
    }

    /// Moves the simulator's clock (`POST /__sandbox/clock`): a month passes in no time.
    pub async fn advance(&self, seconds: i64) -> Result<()> {
        let answer = reqwest::Client::new()
            .post(format!("{}/__sandbox/clock", self.sandbox.base_url()))
            .json(&serde_json::json!({ "advance_seconds": seconds }))
            .send()
            .await?;
        answer.error_for_status()?;
        Ok(())
    }

    pub async fn close(self) {
        self.sandbox.shutdown().await;
    }
}
