//! The Amazon Pay button (step 2 of each "payment method on file" flow): the signed
//! `createCheckoutSessionConfig` that `amazon.Pay.renderButton` takes.
//!
//! The payload is the body of Create Checkout Session, so it is built with the generated
//! [`v2::CreateCheckoutSessionRequest`]; the presets here fill in what each flow needs, and
//! [`sign`] refuses combinations the service refuses before it signs. The signature covers the
//! payload text exactly as returned in `payloadJSON` (`algorithm \n hex(sha256(payload))`, no
//! date: it never expires), so the page must pass that string unchanged.

use serde::Serialize;

use amazon_pay_runtime::v2::sign::{signature, string_to_sign};
use amazon_pay_runtime::v2::{Credentials, KeyError};

use crate::v2::{
    self, AddressDetails, ChargePermissionType, CheckoutMode, CreateCheckoutSessionRequest,
    CreateCheckoutSessionRequestBuilder, PaymentDetails, PaymentIntent,
    PaymentMethodOnFileMetadata, Scope, WebCheckoutDetails,
};
use crate::{BuildError, Money};

/// Why a button payload was refused. Never holds key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ButtonError {
    #[error(
        "a setup-only checkout saves the payment method without charging: it takes paymentIntent \
         Confirm and no chargeAmount"
    )]
    SetupOnlyCharges,
    #[error("setupOnly is only for chargePermissionType PaymentMethodOnFile")]
    SetupOnlyWithoutPaymentMethodOnFile,
    #[error("webCheckoutDetails.checkoutResultReturnUrl is required for {0}")]
    MissingResultReturnUrl(&'static str),
    #[error(
        "webCheckoutDetails.checkoutReviewReturnUrl is required unless checkoutMode is \
         ProcessOrder or the checkout is setup only"
    )]
    MissingReviewReturnUrl,
    #[error(
        "checkoutMode ProcessOrder (the Additional Payment Button) needs paymentDetails with {0}"
    )]
    ProcessOrderIncomplete(&'static str),
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error("the payload could not be signed: {0}")]
    Sign(#[from] KeyError),
}

/// What `renderButton` takes as `createCheckoutSessionConfig`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckoutSessionConfig {
    #[serde(rename = "payloadJSON")]
    pub payload_json: String,
    pub signature: String,
    #[serde(rename = "publicKeyId")]
    pub public_key_id: String,
    /// The algorithm name; checkout.js needs it when it is not the default.
    pub algorithm: &'static str,
}

/// Setup only (Setup Intent): save the buyer's payment method, charge nothing now.
pub fn setup_only(
    store_id: &str,
    checkout_result_return_url: &str,
) -> Result<CreateCheckoutSessionRequestBuilder, BuildError> {
    Ok(CreateCheckoutSessionRequest::builder()
        .store_id(store_id)
        .web_checkout_details(
            WebCheckoutDetails::builder()
                .checkout_result_return_url(checkout_result_return_url)
                .build()?,
        )
        .payment_details(
            PaymentDetails::builder()
                .payment_intent(PaymentIntent::Confirm)
                .build()?,
        )
        .charge_permission_type(ChargePermissionType::PaymentMethodOnFile)
        .payment_method_on_file_metadata(
            PaymentMethodOnFileMetadata::builder()
                .setup_only(true)
                .build()?,
        ))
}

/// Checkout and setup: charge this order (authorize, or authorize with capture) and save the
/// payment method for later charges.
pub fn checkout_and_setup(
    store_id: &str,
    checkout_review_return_url: &str,
    checkout_result_return_url: &str,
    payment_intent: PaymentIntent,
    charge_amount: Money,
) -> Result<CreateCheckoutSessionRequestBuilder, BuildError> {
    Ok(CreateCheckoutSessionRequest::builder()
        .store_id(store_id)
        .web_checkout_details(
            WebCheckoutDetails::builder()
                .checkout_review_return_url(checkout_review_return_url)
                .checkout_result_return_url(checkout_result_return_url)
                .build()?,
        )
        .payment_details(
            PaymentDetails::builder()
                .payment_intent(payment_intent)
                .charge_amount(charge_amount)
                .build()?,
        )
        .charge_permission_type(ChargePermissionType::PaymentMethodOnFile)
        .payment_method_on_file_metadata(
            PaymentMethodOnFileMetadata::builder()
                .setup_only(false)
                .build()?,
        ))
}

/// The Additional Payment Button: the buyer completes the order on Amazon's page
/// (`checkoutMode` ProcessOrder) with the merchant's address details, and the payment method
/// is saved for later charges.
pub fn additional_payment_button(
    store_id: &str,
    checkout_result_return_url: &str,
    payment_intent: PaymentIntent,
    charge_amount: Money,
    address_details: AddressDetails,
) -> Result<CreateCheckoutSessionRequestBuilder, BuildError> {
    let currency = v2::CurrencyCode::parse(charge_amount.currency().as_str());
    Ok(CreateCheckoutSessionRequest::builder()
        .store_id(store_id)
        .web_checkout_details(
            WebCheckoutDetails::builder()
                .checkout_result_return_url(checkout_result_return_url)
                .checkout_mode(CheckoutMode::ProcessOrder)
                .build()?,
        )
        .payment_details(
            PaymentDetails::builder()
                .payment_intent(payment_intent)
                .charge_amount(charge_amount)
                .presentment_currency(currency)
                .build()?,
        )
        .charge_permission_type(ChargePermissionType::PaymentMethodOnFile)
        .address_details(address_details))
}

/// Refuses what the service refuses for a button payload.
pub fn check(request: &CreateCheckoutSessionRequest) -> Result<(), ButtonError> {
    let web = &request.web_checkout_details;
    let payment = request.payment_details.as_ref();
    let setup_only = request
        .payment_method_on_file_metadata
        .as_ref()
        .and_then(|m| m.setup_only)
        .unwrap_or(false);
    let process_order = web.checkout_mode == Some(CheckoutMode::ProcessOrder);
    if setup_only {
        if request.charge_permission_type != Some(ChargePermissionType::PaymentMethodOnFile) {
            return Err(ButtonError::SetupOnlyWithoutPaymentMethodOnFile);
        }
        let confirm =
            payment.and_then(|p| p.payment_intent.as_ref()) == Some(&PaymentIntent::Confirm);
        if !confirm || payment.is_some_and(|p| p.charge_amount.is_some()) {
            return Err(ButtonError::SetupOnlyCharges);
        }
    }
    if (setup_only || process_order) && web.checkout_result_return_url.is_none() {
        let flow = if setup_only {
            "a setup-only checkout"
        } else {
            "the Additional Payment Button"
        };
        return Err(ButtonError::MissingResultReturnUrl(flow));
    }
    if !setup_only && !process_order && web.checkout_review_return_url.is_none() {
        return Err(ButtonError::MissingReviewReturnUrl);
    }
    if process_order {
        if payment.and_then(|p| p.payment_intent.as_ref()).is_none() {
            return Err(ButtonError::ProcessOrderIncomplete("a paymentIntent"));
        }
        if payment.and_then(|p| p.charge_amount.as_ref()).is_none() {
            return Err(ButtonError::ProcessOrderIncomplete("a chargeAmount"));
        }
    }
    Ok(())
}

/// Checks the payload and signs it into the `createCheckoutSessionConfig` of the button.
pub fn sign(
    request: &CreateCheckoutSessionRequest,
    credentials: &Credentials,
) -> Result<CheckoutSessionConfig, ButtonError> {
    check(request)?;
    let payload = amazon_pay_runtime::v2::Operation::body(request).unwrap_or_default();
    // serde_json writes UTF-8 and escapes nothing the browser would unescape differently.
    let payload_json = String::from_utf8(payload).unwrap_or_default();
    sign_text(payload_json, credentials)
}

fn sign_text(
    payload_json: String,
    credentials: &Credentials,
) -> Result<CheckoutSessionConfig, ButtonError> {
    let algorithm = credentials.algorithm;
    let signature = signature(
        &*credentials.private_key,
        algorithm,
        &string_to_sign(algorithm, &payload_json),
    )?;
    Ok(CheckoutSessionConfig {
        payload_json,
        signature,
        public_key_id: credentials.public_key_id.clone(),
        algorithm: algorithm.name(),
    })
}

/// The sign-in button's payload (Sign in with Amazon Pay): where the buyer returns and what
/// the merchant may read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignInPayload {
    #[serde(rename = "storeId")]
    pub store_id: String,
    #[serde(rename = "signInReturnUrl")]
    pub sign_in_return_url: String,
    #[serde(rename = "signInScopes")]
    pub sign_in_scopes: Vec<Scope>,
}

impl SignInPayload {
    /// Signs the payload into the `signInConfig` of the button (same shape as the checkout
    /// config).
    pub fn sign(&self, credentials: &Credentials) -> Result<CheckoutSessionConfig, ButtonError> {
        // Serialising plain strings and enums cannot fail.
        let payload_json = serde_json::to_string(self).unwrap_or_default();
        sign_text(payload_json, credentials)
    }
}
