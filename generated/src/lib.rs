//! Amazon Pay protocol types, generated from the declarative spec in `spec/`.
//!
//! This crate is sans-IO: it turns typed requests into signed HTTP requests and HTTP responses
//! into typed results, and never opens a socket (the optional `client` feature adds an async
//! client). The hand-written runtime is the crate `amazon-pay-runtime`; the code generated
//! for each API generation, with the little hand-written code that needs its types, is the
//! crate `amazon-pay-protocol-v1` or `-v2` (separate so that they compile in parallel). This
//! crate re-exports all three under the paths below. See `ARCHITECTURE.md` at the repository
//! root.
//!
//! ```
//! use amazon_pay_protocol::credentials::{Credentials, SecretKey};
//! use amazon_pay_protocol::endpoint::Endpoint;
//! use amazon_pay_protocol::v1::{self, Environment, Region};
//! use amazon_pay_protocol::{Currency, Money, Timestamp, sign};
//!
//! let request = v1::AuthorizeOnBillingAgreementRequest::builder()
//!     .amazon_billing_agreement_id("C01-1234567-1234567")
//!     .authorization_reference_id("order-42-1")
//!     .authorization_amount(Money::jpy(1000)?)
//!     .capture_now(true)
//!     .build()?; // names every missing required field at once
//! assert!(Money::new("1000.00", Currency::Jpy).is_err()); // JPY has no minor unit
//!
//! let credentials = Credentials::new("AKIAEXAMPLE", SecretKey::new("secret"), "A1EXAMPLE");
//! let endpoint = Endpoint::amazon(Region::Jp, Environment::Sandbox);
//! let signed = sign::sign(&request, &credentials, &endpoint, Timestamp::parse("2024-01-02T03:04:05Z")?);
//! assert_eq!(signed.url, "https://mws.amazonservices.jp/OffAmazonPayments_Sandbox/2013-01-01");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use amazon_pay_protocol_v1::{V1, V1Service, error};
pub use amazon_pay_protocol_v2::{V2, V2Service, button};
pub use amazon_pay_runtime::root_paths::*;

pub use amazon_pay_protocol_v1::v1;
pub use amazon_pay_protocol_v2::v2;

/// Where requests go, and the clock they are signed with.
pub mod endpoint {
    pub use amazon_pay_runtime::clock::*;
    pub use amazon_pay_runtime::endpoint::*;
}

/// What every operation provides.
pub mod operation {
    pub use amazon_pay_runtime::operation::*;
    pub use amazon_pay_runtime::v1::operation::*;
}

/// Instant Payment Notifications: the SNS envelope, its verification, and the typed v1
/// notifications.
pub mod ipn {
    pub use amazon_pay_protocol_v1::notification::Notification;
    pub use amazon_pay_rsa::ipn::*;
    pub use amazon_pay_runtime::ipn::*;
    pub use amazon_pay_runtime::v1::ipn_message::NotificationMessage;
}

/// The v2 wire protocol under the generated v2 code (canonical requests, signing, JSON,
/// errors), with the OpenSSL key that signs and verifies.
pub mod v2_runtime {
    pub use amazon_pay_rsa::{PrivateKey, PublicKey};
    pub use amazon_pay_runtime::v2::*;

    /// The v2 signature algorithms, the signing key trait, and the OpenSSL keys.
    pub mod key {
        pub use amazon_pay_rsa::key::*;
        pub use amazon_pay_runtime::v2::key::*;
    }
}

#[cfg(feature = "client")]
pub mod client {
    //! The optional async client (`features = ["client"]`): a thin layer over the sans-IO core
    //! that sends, retries safely, and reports.
    //!
    //! Every attempt is signed anew (fresh timestamp) from the same typed request, so a retry of
    //! AuthorizeOnBillingAgreement, Authorize, Capture or Refund carries the same reference id and
    //! the service treats it as the same request: money never moves twice. Operations the spec
    //! marks unsafe to repeat are retried only when the request never left this machine. When an
    //! answer was lost and nothing settled it, the call ends in
    //! [`ClientError::MayHaveBeenApplied`], never in a silent second request.
    //!
    //! One `tracing` span per call (`amazon_pay.call`: operation, attempts, status, request id,
    //! latency); bodies appear only at TRACE level and only redacted ([`redact`]).
    //!
    //! # Payment method on file, in three calls
    //!
    //! After the buyer consented on Amazon's pages (the widget hands you the billing agreement
    //! id): set it up once, charge it whenever the order comes, refund from the capture. The same
    //! flows, run against the local simulator, are in `conformance/examples/v1_billing_agreements.rs`
    //! (the v2 seed flows: `conformance/examples/v2_*.rs`).
    //!
    //! ```no_run
    //! # async fn flows(creds: amazon_pay_protocol::credentials::Credentials) -> Result<(), Box<dyn std::error::Error>> {
    //! use amazon_pay_protocol::client::{ReferenceChargeError, ReferenceCharge, Client, ClientError};
    //! use amazon_pay_protocol::endpoint::Endpoint;
    //! use amazon_pay_protocol::v1::{self, Environment, Region};
    //! use amazon_pay_protocol::Money;
    //!
    //! let client = Client::builder(creds, Endpoint::amazon(Region::Jp, Environment::Sandbox)).build()?;
    //! let agreement = "C01-1234567-1234567";
    //!
    //! // Setup only: describe, confirm (Draft → Open), validate. Nothing is charged.
    //! client.set_billing_agreement_details(&v1::SetBillingAgreementDetailsRequest::builder()
    //!     .amazon_billing_agreement_id(agreement)
    //!     .billing_agreement_attributes(v1::BillingAgreementAttributes::builder()
    //!         .seller_note("Monthly coffee").build()?)
    //!     .build()?).await?;
    //! client.confirm_billing_agreement(&v1::ConfirmBillingAgreementRequest::builder()
    //!     .amazon_billing_agreement_id(agreement).build()?).await?;
    //!
    //! // Charge later: the reference id is the idempotency key; store it before the call and
    //! // reuse it on any retry, so the buyer is never charged twice.
    //! let charge = ReferenceCharge::new(agreement, "sub-42-2026-12", Money::jpy(3980)?)
    //!     .store_name("Example Coffee")
    //!     .seller_order_id("order-42");
    //! let capture = match client.charge(&charge).await {
    //!     Ok(outcome) => outcome.authorization.id_list.and_then(|ids| ids.items.into_iter().next()),
    //!     Err(e @ ReferenceChargeError::Client(ClientError::MayHaveBeenApplied { .. })) => {
    //!         // The answer was lost: call `charge` again with the same reference id later.
    //!         return Err(e.into());
    //!     }
    //!     Err(e) => return Err(e.into()), // typed: the service's code, every attempt, the last body
    //! };
    //!
    //! // Refund part of the capture.
    //! if let Some(capture) = capture {
    //!     client.refund(&v1::RefundRequest::builder()
    //!         .amazon_capture_id(capture)
    //!         .refund_reference_id("sub-42-2026-12-refund-1")
    //!         .refund_amount(Money::jpy(1000)?)
    //!         .build()?).await?;
    //! }
    //! # Ok(()) }
    //! ```

    pub use amazon_pay_protocol_v1::client::*;

    pub mod v2 {
        //! The v2 (Checkout API) client.
        //!
        //! # Payment method on file, the seed flows end to end
        //!
        //! Step 2 of each flow signs the button payload ([`crate::button`]); after the buyer returns
        //! to `checkoutResultReturnUrl?amazonCheckoutSessionId=…`, the server completes the session and
        //! keeps the charge permission id, charges it later without the buyer, and refunds.
        //!
        //! ```no_run
        //! # async fn flows(private_key_pem: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
        //! use std::sync::Arc;
        //! use amazon_pay_protocol::button;
        //! use amazon_pay_protocol::client::v2::Client;
        //! use amazon_pay_protocol::endpoint::Endpoint;
        //! use amazon_pay_protocol::v2::{self, ChargeInitiator, Environment, PaymentIntent, Region};
        //! use amazon_pay_protocol::v2_runtime::{Credentials, PrivateKey};
        //! use amazon_pay_protocol::Money;
        //!
        //! // Load the key once; the key id decides the path (`SANDBOX-…`/`LIVE-…`: `/v2`).
        //! let key = Arc::new(PrivateKey::from_pem(private_key_pem)?);
        //! let credentials = Credentials::new("SANDBOX-AEXAMPLEKEY", key, Region::Jp.code());
        //! let store = "amzn1.application-oa2-client.0123456789abcdef0123456789abcdef";
        //!
        //! // 1. Setup only: the button saves the payment method; Complete takes no amount.
        //! let payload = button::setup_only(store, "https://shop.example/return")?.build()?;
        //! let config = button::sign(&payload, &credentials)?; // → renderButton's createCheckoutSessionConfig
        //! # let _ = config;
        //! let endpoint = Endpoint::amazon(
        //!     Region::Jp,
        //!     Environment::Sandbox.base_path(&credentials.public_key_id),
        //! );
        //! let client = Client::builder(credentials.clone(), endpoint).build()?;
        //! let session_id = "the amazonCheckoutSessionId the buyer returned with";
        //! let completed = client
        //!     .complete_checkout_session(
        //!         &v2::CompleteCheckoutSessionRequest::builder()
        //!             .checkout_session_id(session_id)
        //!             .build()?,
        //!     )
        //!     .await?;
        //! let permission = completed.charge_permission_id.ok_or("no charge permission")?;
        //!
        //! // 2. Checkout and setup: authorize this order too; Complete with the same amount returns
        //! //    the permission and the charge.
        //! let _payload = button::checkout_and_setup(
        //!     store,
        //!     "https://shop.example/review",
        //!     "https://shop.example/return",
        //!     PaymentIntent::Authorize,
        //!     Money::jpy(3980)?,
        //! )?
        //! .build()?;
        //!
        //! // 3. The Additional Payment Button: the buyer pays on Amazon's page (ProcessOrder).
        //! let address = v2::AddressDetails::builder()
        //!     .name("山田 花子").address_line1("銀座1-2-3").city("中央区")
        //!     .postal_code("104-0061").country_code("JP").build()?;
        //! let _payload = button::additional_payment_button(
        //!     store, "https://shop.example/return", PaymentIntent::AuthorizeWithCapture,
        //!     Money::jpy(1200)?, address,
        //! )?
        //! .build()?;
        //!
        //! // A later charge on the saved method, without the buyer (merchant-initiated). Every POST
        //! // carries an idempotency key; give your own (stored before the call) to repeat it safely
        //! // across restarts, or let the client make one per call.
        //! let charge = client
        //!     .create_charge(
        //!         &v2::CreateChargeRequest::builder()
        //!             .charge_permission_id(permission)
        //!             .charge_amount(Money::jpy(3980)?)
        //!             .capture_now(true)
        //!             .charge_initiator(ChargeInitiator::Mitu)
        //!             .idempotency_key("sub-42-2026-12")
        //!             .build()?,
        //!     )
        //!     .await?;
        //!
        //! // A refund of part of it (asynchronous: RefundInitiated, then Refunded by notification).
        //! client
        //!     .create_refund(
        //!         &v2::CreateRefundRequest::builder()
        //!             .charge_id(charge.charge_id.ok_or("no charge id")?)
        //!             .refund_amount(Money::jpy(1000)?)
        //!             .build()?,
        //!     )
        //!     .await?;
        //!
        //! // Going live is configuration only: the LIVE- key id and its key, the live environment.
        //! let live = Credentials::new("LIVE-AEXAMPLEKEY", Arc::new(PrivateKey::from_pem(private_key_pem)?), Region::Jp.code());
        //! let _live = Client::builder(
        //!     live.clone(),
        //!     Endpoint::amazon(Region::Jp, Environment::Live.base_path(&live.public_key_id)),
        //! )
        //! .build()?;
        //! # Ok(()) }
        //! ```

        pub use amazon_pay_protocol_v2::client::v2::*;
    }
}
