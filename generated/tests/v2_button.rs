//! Button payloads of the three seed flows and the sign-in button: the payload JSON each
//! preset writes, the signature over exactly that text, and the combinations refused.

use std::sync::{Arc, OnceLock};

use amazon_pay_protocol::button::{self, ButtonError, SignInPayload};
use amazon_pay_protocol::v2::{AddressDetails, PaymentIntent, Scope};
use amazon_pay_protocol::v2_runtime::sign::string_to_sign;
use amazon_pay_protocol::v2_runtime::{Algorithm, Credentials, PrivateKey};
use amazon_pay_protocol::{Currency, Money};
use base64::Engine as _;
use serde_json::{Value, json};

const STORE: &str = "amzn1.application-oa2-client.000000000000000000000000000000000";

fn key() -> &'static Arc<PrivateKey> {
    static KEY: OnceLock<Arc<PrivateKey>> = OnceLock::new();
    KEY.get_or_init(|| Arc::new(PrivateKey::generate().unwrap()))
}

fn credentials(algorithm: Algorithm) -> Credentials {
    Credentials::new("SANDBOX-AEXAMPLEKEY", Arc::clone(key()), "jp").with_algorithm(algorithm)
}

/// Whether the config's signature verifies under the public half of [`key`], which every
/// credentials here sign with.
fn verifies(config: &button::CheckoutSessionConfig) -> bool {
    let algorithm = Algorithm::from_name(config.algorithm).unwrap();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&config.signature)
        .unwrap();
    key().public_key().unwrap().verify(
        algorithm,
        string_to_sign(algorithm, &config.payload_json).as_bytes(),
        &raw,
    )
}

fn payload(config: &button::CheckoutSessionConfig) -> Value {
    serde_json::from_str(&config.payload_json).unwrap()
}

#[test]
fn setup_only_is_the_documented_payload_and_verifies() {
    for algorithm in Algorithm::ALL {
        let creds = credentials(algorithm);
        let request = button::setup_only(STORE, "https://example.com/return.html")
            .unwrap()
            .build()
            .unwrap();
        let config = button::sign(&request, &creds).unwrap();
        assert_eq!(
            payload(&config),
            json!({
                "storeId": STORE,
                "webCheckoutDetails": {"checkoutResultReturnUrl": "https://example.com/return.html"},
                "paymentDetails": {"paymentIntent": "Confirm"},
                "chargePermissionType": "PaymentMethodOnFile",
                "paymentMethodOnFileMetadata": {"setupOnly": true}
            })
        );
        assert_eq!(config.algorithm, algorithm.name());
        assert_eq!(config.public_key_id, "SANDBOX-AEXAMPLEKEY");
        assert!(verifies(&config));
        // The signature is over the text: one changed byte does not verify.
        let mut tampered = config.clone();
        tampered.payload_json = tampered.payload_json.replace("return.html", "return.htm");
        assert!(!verifies(&tampered));
        // What the page gets, with checkout.js's member names.
        let shown = serde_json::to_value(&config).unwrap();
        for member in ["payloadJSON", "signature", "publicKeyId", "algorithm"] {
            assert!(shown.get(member).is_some(), "{shown}");
        }
    }
}

#[test]
fn checkout_and_setup_and_the_additional_payment_button() {
    let creds = credentials(Algorithm::Pss);
    let request = button::checkout_and_setup(
        STORE,
        "https://example.com/review.html",
        "https://example.com/return.html",
        PaymentIntent::Authorize,
        Money::jpy(3980).unwrap(),
    )
    .unwrap()
    .build()
    .unwrap();
    let config = button::sign(&request, &creds).unwrap();
    let body = payload(&config);
    assert_eq!(
        body["paymentDetails"]["chargeAmount"],
        json!({"amount": "3980", "currencyCode": "JPY"})
    );
    assert_eq!(
        body["paymentMethodOnFileMetadata"]["setupOnly"],
        json!(false)
    );
    assert!(verifies(&config));

    let address = AddressDetails::builder()
        .name("山田 花子")
        .address_line1("銀座1-2-3")
        .city("中央区")
        .postal_code("104-0061")
        .country_code("JP")
        .phone_number("0312345678")
        .build()
        .unwrap();
    let request = button::additional_payment_button(
        STORE,
        "https://example.com/return.html",
        PaymentIntent::AuthorizeWithCapture,
        Money::jpy(1200).unwrap(),
        address,
    )
    .unwrap()
    .build()
    .unwrap();
    let config = button::sign(&request, &creds).unwrap();
    let body = payload(&config);
    assert_eq!(
        body["webCheckoutDetails"]["checkoutMode"],
        json!("ProcessOrder")
    );
    assert_eq!(body["paymentDetails"]["presentmentCurrency"], json!("JPY"));
    // Japanese text travels as UTF-8, not `\u` escapes, and the signature covers those bytes.
    assert!(
        config.payload_json.contains("山田 花子"),
        "{}",
        config.payload_json
    );
    assert!(verifies(&config));
}

#[test]
fn combinations_the_service_refuses_are_refused_before_signing() {
    let creds = credentials(Algorithm::Pss);
    let charged_setup = button::setup_only(STORE, "https://example.com/return.html")
        .unwrap()
        .payment_details(
            amazon_pay_protocol::v2::PaymentDetails::builder()
                .payment_intent(PaymentIntent::Confirm)
                .charge_amount(Money::jpy(100).unwrap())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    assert_eq!(
        button::sign(&charged_setup, &creds),
        Err(ButtonError::SetupOnlyCharges)
    );

    let no_result_url = button::additional_payment_button(
        STORE,
        "https://example.com/return.html",
        PaymentIntent::Authorize,
        Money::jpy(100).unwrap(),
        AddressDetails::builder().build().unwrap(),
    )
    .unwrap()
    .web_checkout_details(
        amazon_pay_protocol::v2::WebCheckoutDetails::builder()
            .checkout_mode(amazon_pay_protocol::v2::CheckoutMode::ProcessOrder)
            .build()
            .unwrap(),
    )
    .build()
    .unwrap();
    assert_eq!(
        button::sign(&no_result_url, &creds),
        Err(ButtonError::MissingResultReturnUrl(
            "the Additional Payment Button"
        ))
    );

    let no_review_url = button::checkout_and_setup(
        STORE,
        "https://example.com/review.html",
        "https://example.com/return.html",
        PaymentIntent::Authorize,
        Money::jpy(100).unwrap(),
    )
    .unwrap()
    .web_checkout_details(
        amazon_pay_protocol::v2::WebCheckoutDetails::builder()
            .checkout_result_return_url("https://example.com/return.html")
            .build()
            .unwrap(),
    )
    .build()
    .unwrap();
    assert_eq!(
        button::sign(&no_review_url, &creds),
        Err(ButtonError::MissingReviewReturnUrl)
    );

    // JPY has no minor unit: the amount cannot even be made.
    assert!(Money::new("3980.50", Currency::Jpy).is_err());
}

#[test]
fn the_sign_in_button() {
    let creds = credentials(Algorithm::PssV2);
    let config = SignInPayload {
        store_id: STORE.to_owned(),
        sign_in_return_url: "https://example.com/signed-in".to_owned(),
        sign_in_scopes: vec![Scope::Name, Scope::Email],
    }
    .sign(&creds)
    .unwrap();
    assert_eq!(
        payload(&config),
        json!({"storeId": STORE, "signInReturnUrl": "https://example.com/signed-in", "signInScopes": ["name", "email"]})
    );
    assert!(verifies(&config));
}
