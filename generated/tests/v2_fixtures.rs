//! Every public v2 fixture (`fixtures/v2/`, copied from the official .NET SDK's tests) against
//! the generated v2 types: responses parse (snapshots), request bodies built with our builders
//! equal the fixture as JSON values, error bodies parse into the v2 error.
//!
//! Amounts: the .NET SDK writes numbers (`12.99`, `99`), we write strings with the currency's
//! decimals (`"12.99"`, `"99.00"`), as the service does; before comparing, every fixture
//! amount is read with `Money::from_wire` and written back as our text, so a difference in
//! value still fails.

use std::path::PathBuf;

use amazon_pay_protocol::v2::{self, *};
use amazon_pay_protocol::v2_runtime::Operation;
use amazon_pay_protocol::{Currency, Money};
use serde::de::DeserializeOwned;
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/v2/amazon-pay-api-sdk-dotnet")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// An amount as the fixture writes it (number or string), read the v2 way.
#[derive(serde::Deserialize)]
struct Amount(#[serde(with = "amazon_pay_protocol::v2_runtime::json::money")] Money);

impl From<Amount> for Money {
    fn from(amount: Amount) -> Money {
        amount.0
    }
}

/// The member `wire` of a fixture body, as `T`; `None` when absent.
fn member<T: DeserializeOwned>(body: &Value, wire: &str) -> Option<T> {
    body.get(wire)
        .map(|v| serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("`{wire}`: {e}")))
}

/// Calls each setter whose member the fixture has.
macro_rules! from_fixture {
    ($builder:expr, $body:expr, { $($wire:literal => $setter:ident: $ty:ty),* $(,)? }) => {{
        let mut builder = $builder;
        $(if let Some(value) = member::<$ty>($body, $wire) {
            builder = builder.$setter(value);
        })*
        builder
    }};
}

/// Our body and the fixture's, with the fixture's amounts in our spelling.
fn assert_same_body(name: &str, request: &impl Operation, fixture: Value) {
    let ours: Value = serde_json::from_slice(&request.body().expect("a body")).unwrap();
    assert_eq!(ours, amounts_as_text(fixture), "{name}");
}

fn amounts_as_text(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let is_money =
                map.len() == 2 && map.contains_key("amount") && map.contains_key("currencyCode");
            if is_money {
                let money = serde_json::from_value::<Amount>(Value::Object(map))
                    .expect("a fixture amount")
                    .0;
                return serde_json::json!({
                    "amount": money.amount_text(),
                    "currencyCode": money.currency().as_str(),
                });
            }
            Value::Object(
                map.into_iter()
                    .map(|(k, v)| (k, amounts_as_text(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(amounts_as_text).collect()),
        other => other,
    }
}

const KEY: &str = "fixture-key-1";

#[test]
fn create_checkout_session_bodies() {
    for line in [68, 146, 169, 197, 220, 245, 280, 380, 410] {
        let name = format!("CreateCheckoutSessionRequestTests.line{line}.json");
        let body = fixture(&name);
        let request = from_fixture!(CreateCheckoutSessionRequest::builder().idempotency_key(KEY), &body, {
            "storeId" => store_id: StoreId,
            "webCheckoutDetails" => web_checkout_details: WebCheckoutDetails,
            "paymentDetails" => payment_details: PaymentDetails,
            "merchantMetadata" => merchant_metadata: MerchantMetadata,
            "supplementaryData" => supplementary_data: String,
            "platformId" => platform_id: String,
            "providerMetadata" => provider_metadata: ProviderMetadata,
            "chargePermissionType" => charge_permission_type: ChargePermissionType,
            "recurringMetadata" => recurring_metadata: RecurringMetadata,
            "multiAddressesCheckoutMetadata" => multi_addresses_checkout_metadata: MultiAddressesCheckoutMetadata,
            "paymentMethodOnFileMetadata" => payment_method_on_file_metadata: PaymentMethodOnFileMetadata,
            "deliverySpecifications" => delivery_specifications: DeliverySpecifications,
            "addressDetails" => address_details: AddressDetails,
            "scopes" => scopes: ScopeList,
            "chargePermissionId" => charge_permission_id: ChargePermissionId,
        })
        .build()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_same_body(&name, &request, body);
        assert_eq!(request.path(), "checkoutSessions");
        assert_eq!(
            request.headers(),
            [("x-amz-pay-idempotency-key", KEY.to_owned())]
        );
    }
}

#[test]
fn update_checkout_session_bodies() {
    for line in [65, 84, 102, 118, 134, 150, 178, 204, 235, 257] {
        let name = format!("UpdateCheckoutSessionRequestTests.line{line}.json");
        let body = fixture(&name);
        let request = from_fixture!(UpdateCheckoutSessionRequest::builder().checkout_session_id("7efe55c3-38c7-4a1b-944d-aded27032b9a"), &body, {
            "webCheckoutDetails" => web_checkout_details: WebCheckoutDetails,
            "paymentDetails" => payment_details: PaymentDetails,
            "merchantMetadata" => merchant_metadata: MerchantMetadata,
            "supplementaryData" => supplementary_data: String,
            "platformId" => platform_id: String,
            "providerMetadata" => provider_metadata: ProviderMetadata,
            "chargePermissionType" => charge_permission_type: ChargePermissionType,
            "recurringMetadata" => recurring_metadata: RecurringMetadata,
            "multiAddressesCheckoutMetadata" => multi_addresses_checkout_metadata: MultiAddressesCheckoutMetadata,
        })
        .build()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_same_body(&name, &request, body);
        assert_eq!(
            request.path(),
            "checkoutSessions/7efe55c3-38c7-4a1b-944d-aded27032b9a"
        );
    }
}

#[test]
fn complete_and_finalize_bodies() {
    for line in [35, 52] {
        let name = format!("CompleteCheckoutSessionRequestTests.line{line}.json");
        let body = fixture(&name);
        let request = from_fixture!(CompleteCheckoutSessionRequest::builder().checkout_session_id("id/with space"), &body, {
            "chargeAmount" => charge_amount: Amount,
            "totalOrderAmount" => total_order_amount: Amount,
        })
        .build()
        .unwrap();
        assert_same_body(&name, &request, body);
        // Path parameters are percent-encoded as one segment.
        assert_eq!(
            request.path(),
            "checkoutSessions/id%2Fwith%20space/complete"
        );
    }
    for line in [21, 60] {
        let name = format!("FinalizeCheckoutSessionRequestTests.line{line}.json");
        let body = fixture(&name);
        let request = from_fixture!(FinalizeCheckoutSessionRequest::builder().checkout_session_id("s"), &body, {
            "paymentIntent" => payment_intent: PaymentIntent,
            "canHandlePendingAuthorization" => can_handle_pending_authorization: bool,
            "supplementaryData" => supplementary_data: String,
            "shippingAddress" => shipping_address: Address,
            "billingAddress" => billing_address: Address,
            "chargeAmount" => charge_amount: Amount,
            "totalOrderAmount" => total_order_amount: Amount,
        })
        .build()
        .unwrap();
        assert_same_body(&name, &request, body);
    }
}

#[test]
fn charge_permission_bodies() {
    for line in [59, 78] {
        let name = format!("UpdateChargePermissionRequestTests.line{line}.json");
        let body = fixture(&name);
        let request = from_fixture!(UpdateChargePermissionRequest::builder().charge_permission_id("S02-7331650-8246451"), &body, {
            "merchantMetadata" => merchant_metadata: MerchantMetadata,
            "recurringMetadata" => recurring_metadata: RecurringMetadata,
        })
        .build()
        .unwrap();
        assert_same_body(&name, &request, body);
    }
    for line in [33, 49] {
        let name = format!("CloseChargePermissionRequestTests.line{line}.json");
        let body = fixture(&name);
        let request = from_fixture!(CloseChargePermissionRequest::builder().charge_permission_id("S02-7331650-8246451"), &body, {
            "closureReason" => closure_reason: String,
            "cancelPendingCharges" => cancel_pending_charges: bool,
        })
        .build()
        .unwrap();
        assert_same_body(&name, &request, body);
        assert_eq!(
            request.path(),
            "chargePermissions/S02-7331650-8246451/close"
        );
        assert!(request.headers().is_empty());
    }
}

#[test]
fn charge_and_refund_bodies() {
    for line in [46, 81, 112, 138, 165] {
        let name = format!("CreateChargeRequestTests.line{line}.json");
        let body = fixture(&name);
        let request = from_fixture!(CreateChargeRequest::builder().idempotency_key(KEY), &body, {
            "chargePermissionId" => charge_permission_id: ChargePermissionId,
            "chargeAmount" => charge_amount: Amount,
            "captureNow" => capture_now: bool,
            "canHandlePendingAuthorization" => can_handle_pending_authorization: bool,
            "softDescriptor" => soft_descriptor: String,
            "merchantMetadata" => merchant_metadata: MerchantMetadata,
            "providerMetadata" => provider_metadata: ProviderMetadata,
            "platformId" => platform_id: String,
            "chargeInitiator" => charge_initiator: ChargeInitiator,
            "channel" => channel: Channel,
            "webCheckoutDetails" => web_checkout_details: WebCheckoutDetails,
        })
        .build()
        .unwrap();
        assert_same_body(&name, &request, body);
    }
    for line in [35, 51] {
        let name = format!("CaptureChargeRequestTests.line{line}.json");
        let body = fixture(&name);
        let request = from_fixture!(CaptureChargeRequest::builder().charge_id("S03-2622124-8818929-C062250").idempotency_key(KEY), &body, {
            "captureAmount" => capture_amount: Amount,
            "softDescriptor" => soft_descriptor: String,
        })
        .build()
        .unwrap();
        assert_same_body(&name, &request, body);
        assert_eq!(
            request.path(),
            "charges/S03-2622124-8818929-C062250/capture"
        );
    }
    let name = "CancelChargeRequestTests.line32.json";
    let body = fixture(name);
    let request = from_fixture!(CancelChargeRequest::builder().charge_id("c"), &body, {
        "cancellationReason" => cancellation_reason: String,
    })
    .build()
    .unwrap();
    assert_same_body(name, &request, body);
    for line in [41, 58] {
        let name = format!("CreateRefundRequestTests.line{line}.json");
        let body = fixture(&name);
        let request = from_fixture!(CreateRefundRequest::builder().idempotency_key(KEY), &body, {
            "chargeId" => charge_id: ChargeId,
            "refundAmount" => refund_amount: Amount,
            "softDescriptor" => soft_descriptor: String,
        })
        .build()
        .unwrap();
        assert_same_body(&name, &request, body);
    }
}

#[test]
fn build_names_every_missing_required_field() {
    let error = CreateChargeRequest::builder().build().unwrap_err();
    // The service requires an idempotency key, but the caller need not give one: the client
    // makes one per call (so the builder does not name it), and `IDEMPOTENCY_KEY_REQUIRED`
    // tells a sans-IO caller to pass one to the signer.
    assert_eq!(error.missing, ["chargePermissionId", "chargeAmount"]);
    const { assert!(<CreateChargeRequest as Operation>::IDEMPOTENCY_KEY_REQUIRED) };
    assert_eq!(<CreateChargeRequest as Operation>::SUCCESS_STATUS, 201);
    const { assert!(!<CompleteCheckoutSessionRequest as Operation>::IDEMPOTENCY_KEY_REQUIRED) };
}

#[test]
fn responses_parse_into_their_types() {
    for line in [13, 35, 46] {
        let name = format!("ChargePermissionResponseTests.line{line}.json");
        let permission: ChargePermission = serde_json::from_value(fixture(&name)).unwrap();
        insta::assert_json_snapshot!(format!("charge_permission_line{line}"), permission);
    }
    let session: CheckoutSession =
        serde_json::from_value(fixture("CreateCheckoutSessionRequestTests.line286.json")).unwrap();
    assert_eq!(
        session
            .payment_details
            .as_ref()
            .and_then(|p| p.charge_amount.clone()),
        Some(Money::new("1.40", Currency::Usd).unwrap())
    );
    insta::assert_json_snapshot!("checkout_session_line286", session);
}

#[test]
fn unknown_enum_values_and_fields_are_kept_or_ignored() {
    let session: CheckoutSession = serde_json::from_str(
        r#"{"chargePermissionType": "SomethingNew", "newField": {"x": 1},
            "statusDetails": {"state": "Open", "reasonCode": "NewReason"}}"#,
    )
    .unwrap();
    assert_eq!(
        session.charge_permission_type,
        Some(ChargePermissionType::Unknown("SomethingNew".to_owned()))
    );
    let status = session.status_details.unwrap();
    assert_eq!(status.state, Some(State::Open));
    assert_eq!(
        status.reason_code,
        Some(ReasonCode::Unknown("NewReason".to_owned()))
    );
}

#[test]
fn the_shipping_address_list_is_read_from_json_strings() {
    let session: CheckoutSession = serde_json::from_str(
        r#"{"shippingAddressList": ["{\"name\":\"Susie Smith\",\"city\":\"Chicago\"}"]}"#,
    )
    .unwrap();
    let list = session.shipping_address_list.clone().unwrap();
    assert_eq!(list.items[0].city.as_deref(), Some("Chicago"));
    let written = serde_json::to_value(&session).unwrap();
    assert!(written["shippingAddressList"][0].is_string());
}

#[test]
fn error_bodies_parse_into_the_v2_error() {
    let error: ErrorResponse = serde_json::from_str(
        r#"{"reasonCode": "InvalidParameterValue", "message": "The value provided for [Parameter] is invalid."}"#,
    )
    .unwrap();
    let code = v2::ErrorCode::parse(error.reason_code.as_deref().unwrap());
    assert_eq!(code, v2::ErrorCode::InvalidParameterValue);
    assert_eq!(code.http_status(), Some(400));
    assert_eq!(
        v2::ErrorCode::TooManyRequests.class(),
        amazon_pay_protocol::ErrorClass::Throttled
    );
    assert_eq!(
        v2::ErrorCode::DuplicateIdempotencyKey.class(),
        amazon_pay_protocol::ErrorClass::DuplicateKey
    );
    assert!(v2::ErrorCode::ServiceUnavailable.retryable());
}

#[test]
fn environments_and_regions() {
    assert_eq!(
        Environment::Sandbox.base_path("AHXXXXXXXXXXXXXXXXXXXXXX"),
        "/sandbox/v2"
    );
    assert_eq!(
        Environment::Live.base_path("SANDBOX-AFVX7ULWSGBZ5535PCUQOY7B"),
        "/v2"
    );
    assert_eq!(Environment::Sandbox.base_path("live-XXXX"), "/v2");
    assert_eq!(Region::Jp.host(), "pay-api.amazon.jp");
    assert_eq!(Region::Eu.code(), "eu");
}

/// The service's side: each request fixture, received as the SDK sends it (on the path with
/// a trailing slash, as the .NET SDK does), is read into its operation and written back as the
/// same body, path and headers.
#[test]
fn the_service_reads_every_request_fixture_back() {
    use amazon_pay_protocol::v2_runtime::Method;
    let routes: &[(&str, Method, &str, &str)] = &[
        (
            "CreateCheckoutSessionRequestTests",
            Method::Post,
            "checkoutSessions",
            "CreateCheckoutSession",
        ),
        (
            "UpdateCheckoutSessionRequestTests",
            Method::Patch,
            "checkoutSessions/cs-1",
            "UpdateCheckoutSession",
        ),
        (
            "CompleteCheckoutSessionRequestTests",
            Method::Post,
            "checkoutSessions/cs-1/complete",
            "CompleteCheckoutSession",
        ),
        (
            "FinalizeCheckoutSessionRequestTests",
            Method::Post,
            "checkoutSessions/cs-1/finalize",
            "FinalizeCheckoutSession",
        ),
        (
            "CreateChargeRequestTests",
            Method::Post,
            "charges",
            "CreateCharge",
        ),
        (
            "CaptureChargeRequestTests",
            Method::Post,
            "charges/S01-1-2-C3/capture",
            "CaptureCharge",
        ),
        (
            "CancelChargeRequestTests",
            Method::Delete,
            "charges/S01-1-2-C3/cancel",
            "CancelCharge",
        ),
        (
            "CloseChargePermissionRequestTests",
            Method::Delete,
            "chargePermissions/S01-1-2/close",
            "CloseChargePermission",
        ),
        (
            "UpdateChargePermissionRequestTests",
            Method::Patch,
            "chargePermissions/S01-1-2",
            "UpdateChargePermission",
        ),
        (
            "CreateRefundRequestTests",
            Method::Post,
            "refunds",
            "CreateRefund",
        ),
    ];
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/v2/amazon-pay-api-sdk-dotnet");
    let mut read = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Some(&(_, method, path, action)) = routes.iter().find(|r| name.starts_with(r.0)) else {
            continue;
        };
        if name == "CreateCheckoutSessionRequestTests.line286.json" {
            continue; // a response document
        }
        let body = std::fs::read(dir.join(&name)).unwrap();
        let headers = [("x-amz-pay-idempotency-key", KEY)];
        let request = AnyRequest::from_http(method, &format!("{path}/"), &[], &headers, &body)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(request.action(), action, "{name}");
        assert_eq!(request.method(), method, "{name}");
        assert_eq!(request.path(), path, "{name}");
        let ours: Value = serde_json::from_slice(&request.body().expect("a body")).unwrap();
        let theirs: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(ours, amounts_as_text(theirs), "{name}");
        if method == Method::Post {
            assert_eq!(
                request.headers(),
                [("x-amz-pay-idempotency-key", KEY.to_owned())],
                "{name}"
            );
        }
        read += 1;
    }
    assert_eq!(read, 37, "every request fixture was read");
}

#[test]
fn the_service_tells_bad_requests_apart() {
    use amazon_pay_protocol::v2_runtime::Method;
    use amazon_pay_protocol::v2_runtime::incoming::ReadError;
    let read =
        |method, path: &str, body: &[u8]| AnyRequest::from_http(method, path, &[], &[], body);
    assert!(matches!(
        read(Method::Post, "charges", b"{\"chargeAmount\":"),
        Err(ReadError::Syntax(_))
    ));
    let missing = read(Method::Post, "charges", b"{\"chargePermissionId\":\"S01\"}").unwrap_err();
    assert_eq!(missing.missing_member().as_deref(), Some("chargeAmount"));
    let jpy_decimals =
        br#"{"chargePermissionId":"S01","chargeAmount":{"amount":"1.5","currencyCode":"JPY"}}"#;
    assert!(matches!(
        read(Method::Post, "charges", jpy_decimals),
        Err(ReadError::Data(_))
    ));
    assert!(matches!(
        read(Method::Get, "nothing/here", b""),
        Err(ReadError::NotFound(_))
    ));
    assert!(matches!(
        read(Method::Patch, "charges/x", b"{}"),
        Ok(AnyRequest::UpdateCharge(_))
    ));
    assert!(matches!(
        read(Method::Delete, "charges/x", b""),
        Err(ReadError::MethodNotAllowed { .. })
    ));
    match read(Method::Get, "charges/S01-1-2-C3", b"").unwrap() {
        AnyRequest::GetCharge(r) => assert_eq!(r.charge_id.as_str(), "S01-1-2-C3"),
        other => panic!("{other:?}"),
    }
}
