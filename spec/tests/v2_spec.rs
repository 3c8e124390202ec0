//! The checked-in v2 spec loads cleanly and covers the operations of the reference.

use amazon_pay_spec::{Body, ErrorClass, Location, Protocol, Safety};

fn spec() -> amazon_pay_spec::Spec {
    amazon_pay_spec::load(&amazon_pay_spec::v2_dir())
        .unwrap_or_else(|errors| panic!("spec/v2 has errors:\n{errors}"))
}

#[test]
fn v2_spec_loads_with_the_checkout_operations() {
    let spec = spec();
    // §3: Checkout Session (5), Charge Permission (3), Charge (5), Refund (2), Buyer (1).
    for name in [
        "CreateCheckoutSession",
        "GetCheckoutSession",
        "UpdateCheckoutSession",
        "CompleteCheckoutSession",
        "FinalizeCheckoutSession",
        "GetChargePermission",
        "UpdateChargePermission",
        "CloseChargePermission",
        "CreateCharge",
        "GetCharge",
        "UpdateCharge",
        "CaptureCharge",
        "CancelCharge",
        "CreateRefund",
        "GetRefund",
        "GetBuyer",
    ] {
        assert!(spec.operation(name).is_some(), "{name}");
    }
    let Protocol::RestJson(protocol) = &spec.service.service.protocol else {
        panic!("spec/v2 is not rest-json");
    };
    assert_eq!(protocol.unified_path, "/v2");
    let salts: Vec<u32> = protocol
        .signature_algorithms
        .iter()
        .map(|a| a.salt_length)
        .collect();
    assert_eq!(salts, [20, 32]);
    let codes: Vec<_> = spec
        .service
        .regions
        .iter()
        .map(|r| r.code.as_deref())
        .collect();
    assert_eq!(codes, [Some("na"), Some("eu"), Some("jp")]);
}

#[test]
fn creations_require_their_idempotency_key_in_a_header() {
    let spec = spec();
    for name in [
        "CreateCheckoutSession",
        "CreateCharge",
        "CaptureCharge",
        "CreateRefund",
    ] {
        let op = spec.operation(name).unwrap();
        assert_eq!(op.safety, Safety::Keyed, "{name}");
        let key = op.idempotency_key.as_ref().unwrap().get_ref();
        let input = op.input.iter().find(|m| m.name() == key).unwrap();
        assert!(input.required, "{name}");
        assert_eq!(input.location(), Location::Header, "{name}");
        assert_eq!(input.wire(), "x-amz-pay-idempotency-key", "{name}");
        assert_eq!(op.http.as_ref().unwrap().body(), Some(Body::Members));
    }
    let get = spec.operation("GetCheckoutSession").unwrap();
    assert_eq!(get.safety, Safety::Read);
    assert!(get.http.as_ref().unwrap().body().is_none());
}

#[test]
fn error_classes_follow_the_reference() {
    let spec = spec();
    let class = |code: &str| {
        spec.errors
            .iter()
            .find(|e| e.code.get_ref() == code)
            .map(|e| (e.status, e.class))
    };
    assert_eq!(
        class("TooManyRequests"),
        Some((Some(429), ErrorClass::Throttled))
    );
    assert_eq!(
        class("RequestTimeout"),
        Some((Some(408), ErrorClass::Transient))
    );
    assert_eq!(
        class("ServiceUnavailable"),
        Some((Some(503), ErrorClass::Transient))
    );
    assert_eq!(
        class("DuplicateIdempotencyKey"),
        Some((Some(400), ErrorClass::DuplicateKey))
    );
    // A future x-amz-pay-date is refused with this code, but it is no safe skew signal.
    assert_eq!(
        class("InvalidHeaderValue"),
        Some((Some(400), ErrorClass::Final))
    );
    assert!(spec.errors.iter().all(|e| e.class != ErrorClass::ClockSkew));
}
