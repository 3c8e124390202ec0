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

pub use amazon_pay_runtime::client::{
    Attempt, CallOptions, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_ANSWER_BYTES,
    DEFAULT_REQUEST_TIMEOUT, HttpRequest, HttpResponse, ReqwestTransport, RetryBudget, RetryPolicy,
    Transport, TransportError, TransportErrorKind, TransportFuture, retry, transport,
};

pub use crate::handwritten::charge::{
    ReferenceCharge, ReferenceChargeError, ReferenceChargeOutcome,
};

use crate::handwritten::service::V1;

/// Defines a generation's client type: the runtime's engine for protocol `$protocol`, wrapped
/// so that the generated typed methods can be inherent; `send`, `send_with`, `endpoint` and
/// `clock_offset` come from the engine through `Deref`.
macro_rules! engine_client {
    ($(#[$doc:meta])* $protocol:ty, $credentials:ty, $code:ty) => {
        /// Builds a [`Client`].
        pub type ClientBuilder = ::amazon_pay_runtime::client::ClientBuilder<$protocol>;

        /// Why a call failed.
        pub type ClientError = ::amazon_pay_runtime::client::ClientError<$code>;

        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct Client(::amazon_pay_runtime::client::Engine<$protocol>);

        impl Client {
            pub fn builder(
                credentials: $credentials,
                endpoint: $crate::endpoint::Endpoint,
            ) -> ClientBuilder {
                ClientBuilder::new(credentials, endpoint)
            }
        }

        impl From<::amazon_pay_runtime::client::Engine<$protocol>> for Client {
            fn from(engine: ::amazon_pay_runtime::client::Engine<$protocol>) -> Client {
                Client(engine)
            }
        }

        impl ::std::ops::Deref for Client {
            type Target = ::amazon_pay_runtime::client::Engine<$protocol>;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }
    };
}

engine_client!(
    /// An Amazon Pay v1 client: one typed method per operation (generated) and
    /// [`Client::charge`]. Cheap to clone; clones share the connection pool, the retry budget
    /// and the learned clock offset.
    V1,
    crate::credentials::Credentials,
    crate::v1::ErrorCode
);

/// The v2 (Checkout API) client.
///
/// # Payment method on file, the seed flows end to end
///
/// Step 2 of each flow signs the button payload ([`crate::button`]); after the buyer returns
/// to `checkoutResultReturnUrl?amazonCheckoutSessionId=…`, the server completes the session and
/// keeps the charge permission id, charges it later without the buyer, and refunds.
///
/// ```no_run
/// # async fn flows(private_key_pem: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
/// use std::sync::Arc;
/// use amazon_pay_protocol::button;
/// use amazon_pay_protocol::client::v2::Client;
/// use amazon_pay_protocol::endpoint::Endpoint;
/// use amazon_pay_protocol::v2::{self, ChargeInitiator, Environment, PaymentIntent, Region};
/// use amazon_pay_protocol::v2_runtime::{Credentials, PrivateKey};
/// use amazon_pay_protocol::Money;
///
/// // Load the key once; the key id decides the path (`SANDBOX-…`/`LIVE-…`: `/v2`).
/// let key = Arc::new(PrivateKey::from_pem(private_key_pem)?);
/// let credentials = Credentials::new("SANDBOX-AEXAMPLEKEY", key, Region::Jp.code());
/// let store = "amzn1.application-oa2-client.0123456789abcdef0123456789abcdef";
///
/// // 1. Setup only: the button saves the payment method; Complete takes no amount.
/// let payload = button::setup_only(store, "https://shop.example/return")?.build()?;
/// let config = button::sign(&payload, &credentials)?; // → renderButton's createCheckoutSessionConfig
/// # let _ = config;
/// let endpoint = Endpoint::amazon(
///     Region::Jp,
///     Environment::Sandbox.base_path(&credentials.public_key_id),
/// );
/// let client = Client::builder(credentials.clone(), endpoint).build()?;
/// let session_id = "the amazonCheckoutSessionId the buyer returned with";
/// let completed = client
///     .complete_checkout_session(
///         &v2::CompleteCheckoutSessionRequest::builder()
///             .checkout_session_id(session_id)
///             .build()?,
///     )
///     .await?;
/// let permission = completed.charge_permission_id.ok_or("no charge permission")?;
///
/// // 2. Checkout and setup: authorize this order too; Complete with the same amount returns
/// //    the permission and the charge.
/// let _payload = button::checkout_and_setup(
///     store,
///     "https://shop.example/review",
///     "https://shop.example/return",
///     PaymentIntent::Authorize,
///     Money::jpy(3980)?,
/// )?
/// .build()?;
///
/// // 3. The Additional Payment Button: the buyer pays on Amazon's page (ProcessOrder).
/// let address = v2::AddressDetails::builder()
///     .name("山田 花子").address_line1("銀座1-2-3").city("中央区")
///     .postal_code("104-0061").country_code("JP").build()?;
/// let _payload = button::additional_payment_button(
///     store, "https://shop.example/return", PaymentIntent::AuthorizeWithCapture,
///     Money::jpy(1200)?, address,
/// )?
/// .build()?;
///
/// // A later charge on the saved method, without the buyer (merchant-initiated). Every POST
/// // carries an idempotency key; give your own (stored before the call) to repeat it safely
/// // across restarts, or let the client make one per call.
/// let charge = client
///     .create_charge(
///         &v2::CreateChargeRequest::builder()
///             .charge_permission_id(permission)
///             .charge_amount(Money::jpy(3980)?)
///             .capture_now(true)
///             .charge_initiator(ChargeInitiator::Mitu)
///             .idempotency_key("sub-42-2026-12")
///             .build()?,
///     )
///     .await?;
///
/// // A refund of part of it (asynchronous: RefundInitiated, then Refunded by notification).
/// client
///     .create_refund(
///         &v2::CreateRefundRequest::builder()
///             .charge_id(charge.charge_id.ok_or("no charge id")?)
///             .refund_amount(Money::jpy(1000)?)
///             .build()?,
///     )
///     .await?;
///
/// // Going live is configuration only: the LIVE- key id and its key, the live environment.
/// let live = Credentials::new("LIVE-AEXAMPLEKEY", Arc::new(PrivateKey::from_pem(private_key_pem)?), Region::Jp.code());
/// let _live = Client::builder(
///     live.clone(),
///     Endpoint::amazon(Region::Jp, Environment::Live.base_path(&live.public_key_id)),
/// )
/// .build()?;
/// # Ok(()) }
/// ```
pub mod v2 {
    use crate::handwritten::v2_service::V2;

    engine_client!(
        /// An Amazon Pay v2 client: one typed method per operation (generated). Every POST
        /// carries an idempotency key (the request's, or one made for the call and sent on
        /// every attempt), so retries never create a second object. Cheap to clone.
        V2,
        amazon_pay_runtime::v2::Credentials,
        crate::v2::ErrorCode
    );
}

/// Redaction with the v1 service's facts: what the client's tracing and the conformance
/// recorder write.
pub mod redact {
    use amazon_pay_runtime::protocol::Protocol;

    pub use amazon_pay_runtime::v1::redact::REDACTED;

    use crate::handwritten::service::V1;

    /// A form body with the values of secret parameters replaced (keys and order kept).
    pub fn form(body: &[u8]) -> String {
        V1::redact_request(body)
    }

    /// An XML document with the text of personal-data elements replaced.
    pub fn xml(body: &[u8]) -> String {
        V1::redact_response(body)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn forms_lose_credentials() {
            let body = b"AWSAccessKeyId=AKIA&Action=Authorize&MWSAuthToken=amzn.mws.1&SellerId=A1&SellerNote=hi&Signature=abc%3D";
            assert_eq!(
                form(body),
                "AWSAccessKeyId=[redacted]&Action=Authorize&MWSAuthToken=[redacted]&SellerId=[redacted]&SellerNote=hi&Signature=[redacted]"
            );
        }

        #[test]
        fn documents_lose_personal_data() {
            let body = "<R xmlns=\"x\"><Buyer><Name>山田 花子</Name><Email>a@example.com</Email></Buyer>\
                        <Destination><PhysicalDestination><City>Tokyo</City><CountryCode>JP</CountryCode>\
                        </PhysicalDestination></Destination><State>Open</State></R>";
            let out = xml(body.as_bytes());
            for secret in ["山田", "a@example.com", "Tokyo"] {
                assert!(!out.contains(secret), "{out}");
            }
            assert!(out.contains("<CountryCode>JP</CountryCode>"));
            assert!(out.contains("<State>Open</State>"));
            assert!(
                xml(b"<unclosed><Name>x").starts_with(REDACTED)
                    || !xml(b"<unclosed><Name>x").contains('x')
            );
        }

        #[test]
        fn buyer_elements_and_everything_inside_them_are_redacted() {
            let body = "<R><BuyerNickname>hana</BuyerNickname>\n  <Buyer>\n    <Id>amzn1.account.X</Id>\n  </Buyer>\
                        <BillingAddress><PhysicalAddress><AddressLine1>1-2-3 Ginza</AddressLine1>\
                        <StateOrRegion>Tokyo-to</StateOrRegion><PostalCode>104-0061</PostalCode>\
                        <County>Chuo</County><District>Ginza</District></PhysicalAddress></BillingAddress>\
                        <ShippingPhone><![CDATA[+81 3 0000 0000]]></ShippingPhone>\
                        <SellerOrderAttributes><StoreName>Shop</StoreName><SellerOrderId>o-1</SellerOrderId>\
                        </SellerOrderAttributes><Amount>1000</Amount></R>";
            let out = xml(body.as_bytes());
            for secret in [
                "hana",
                "amzn1.account.X",
                "Ginza",
                "Tokyo-to",
                "104-0061",
                "Chuo",
                "+81",
                "Shop",
            ] {
                assert!(!out.contains(secret), "{secret} in {out}");
            }
            assert!(
                out.contains("<Buyer>\n    <Id>[redacted]</Id>\n  </Buyer>"),
                "{out}"
            );
            assert!(out.contains("<SellerOrderId>o-1</SellerOrderId>"), "{out}");
            assert!(out.contains("<Amount>1000</Amount>"), "{out}");
        }

        #[test]
        fn forms_keep_everything_else_and_odd_pairs() {
            assert_eq!(
                form(b"Action=GetServiceStatus&Signature=&flag&SignatureMethod=HmacSHA256"),
                "Action=GetServiceStatus&Signature=[redacted]&flag&SignatureMethod=HmacSHA256"
            );
            assert_eq!(form(b""), "");
        }

        #[test]
        fn non_xml_is_replaced_whole() {
            let out = xml(b"Name: Hanako </oops>");
            assert!(!out.contains("Hanako"), "{out}");
        }
    }
}
