//! Error documents of the official SDKs' fixtures become typed service errors, and other
//! failures keep the raw body.

use amazon_pay_protocol::error::{ResponseError, parse_response};
use amazon_pay_protocol::v1::{self, ErrorCode};

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/v1/amazon-pay-sdk-java")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn service_error(status: u16, name: &str) -> amazon_pay_protocol::error::ServiceError {
    match parse_response::<v1::GetOrderReferenceDetailsRequest>(status, &fixture(name)) {
        Err(ResponseError::Service(e)) => e,
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn order_reference_not_modifiable() {
    let e = service_error(400, "ErrorResponse.xml");
    assert_eq!(e.code, ErrorCode::OrderReferenceNotModifiable);
    assert_eq!(e.error_type, "Sender");
    assert!(e.message.contains("OrderReference"), "{}", e.message);
    assert!(!e.request_id.is_empty());
    assert!(!e.retryable());
}

#[test]
fn throttled_with_request_id_spelled_differently() {
    let e = service_error(503, "Throttled.xml");
    assert_eq!(e.code, ErrorCode::RequestThrottled);
    assert_eq!(e.error_type, "");
    assert_eq!(e.request_id, "d702fd8e-206f-4da4-95e0-1e7422474077");
    assert!(e.retryable());
}

#[test]
fn unauthorized_solution_provider() {
    let e = service_error(401, "GetMerchantAccountStatusError.xml");
    assert_eq!(e.code, ErrorCode::UnauthorizedSolutionProvider);
    assert!(
        e.to_string()
            .contains("UnauthorizedSolutionProvider (HTTP 401)")
    );
}

#[test]
fn unknown_codes_are_kept_and_garbage_keeps_the_body() {
    let body = b"<ErrorResponse><Error><Code>BrandNewCode</Code><Message>m</Message></Error></ErrorResponse>";
    match parse_response::<v1::GetServiceStatusRequest>(400, body) {
        Err(ResponseError::Service(e)) => {
            assert_eq!(e.code, ErrorCode::Unknown("BrandNewCode".into()))
        }
        other => panic!("{other:?}"),
    }
    for (status, body) in [
        (503, &b"<html>Service Unavailable</html>"[..]),
        (200, b"not xml at all <<"),
        (200, b""),
    ] {
        match parse_response::<v1::GetServiceStatusRequest>(status, body) {
            Err(e @ ResponseError::Parse { .. }) => {
                let ResponseError::Parse { raw_body, .. } = &e else {
                    unreachable!()
                };
                assert_eq!(raw_body.as_slice(), body);
                assert_eq!(e.retryable(), status == 503);
            }
            other => panic!("{status}: {other:?}"),
        }
    }
}

#[test]
fn success_documents_parse() {
    let body = fixture("GetServiceStatusResponseGreen.xml");
    let response = parse_response::<v1::GetServiceStatusRequest>(200, &body).unwrap();
    assert_eq!(response.result.status, v1::ServiceStatusValue::Green);
}
