//! The v2 response types' parsers never panic: on arbitrary bytes, and on the public fixtures
//! with one value replaced by an arbitrary JSON value. Nor does reading a request, as the
//! simulator reads a client's: every route with arbitrary path parameters, under its own
//! method or another, with such bodies.

use amazon_pay_protocol::v2::{
    AnyRequest, Buyer, Charge, ChargePermission, CheckoutSession, ErrorResponse, ROUTES, Refund,
};
use amazon_pay_protocol::v2_runtime::Method;
use amazon_pay_protocol::v2_runtime::incoming::ReadError;
use proptest::prelude::*;
use serde_json::Value;

fn parse_all(bytes: &[u8]) {
    let _ = serde_json::from_slice::<CheckoutSession>(bytes);
    let _ = serde_json::from_slice::<ChargePermission>(bytes);
    let _ = serde_json::from_slice::<Charge>(bytes);
    let _ = serde_json::from_slice::<Refund>(bytes);
    let _ = serde_json::from_slice::<Buyer>(bytes);
    let _ = serde_json::from_slice::<ErrorResponse>(bytes);
}

fn fixtures() -> Vec<Value> {
    [
        "ChargePermissionResponseTests.line46.json",
        "CreateCheckoutSessionRequestTests.line286.json",
    ]
    .iter()
    .map(|name| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/v2/amazon-pay-api-sdk-dotnet")
            .join(name);
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    })
    .collect()
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[0-9.]{0,12}".prop_map(Value::String),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Replaces the `index`-th value (depth first) of `doc` by `replacement`.
fn replace_nth(doc: &mut Value, index: &mut usize, replacement: &Value) -> bool {
    if *index == 0 {
        *doc = replacement.clone();
        return true;
    }
    *index -= 1;
    let children: Vec<&mut Value> = match doc {
        Value::Object(map) => map.values_mut().collect(),
        Value::Array(items) => items.iter_mut().collect(),
        _ => Vec::new(),
    };
    children
        .into_iter()
        .any(|child| replace_nth(child, index, replacement))
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        parse_all(&bytes);
    }

    #[test]
    fn mutated_fixtures_never_panic(which in 0usize..2, at in 0usize..200, replacement in any_json()) {
        let mut doc = fixtures().swap_remove(which);
        replace_nth(&mut doc, &mut at.clone(), &replacement);
        parse_all(&serde_json::to_vec(&doc).unwrap());
    }

    #[test]
    fn hostile_requests_never_panic(
        route in 0..ROUTES.len(),
        ids in prop::collection::vec(prop_oneof!["[A-Za-z0-9-]{1,24}", ".{0,12}"], 3),
        other_method in prop::option::of(0usize..4),
        which in 0usize..2,
        at in 0usize..200,
        replacement in any_json(),
        raw in prop::option::of(prop::collection::vec(any::<u8>(), 0..64)),
    ) {
        let route = &ROUTES[route];
        let mut ids = ids.iter();
        let path: Vec<&str> = route
            .segments
            .iter()
            .map(|s| if s.starts_with('{') { ids.next().map_or("x", String::as_str) } else { s })
            .collect();
        let path = path.join("/");
        let method = other_method.map_or(route.method, |m| {
            [Method::Get, Method::Post, Method::Patch, Method::Delete][m]
        });
        let body = raw.unwrap_or_else(|| {
            let mut doc = fixtures().swap_remove(which);
            replace_nth(&mut doc, &mut at.clone(), &replacement);
            serde_json::to_vec(&doc).unwrap()
        });
        let headers = [("content-type", "application/json"), ("x-amz-pay-idempotency-key", "k1")];
        let read = AnyRequest::from_http(method, &path, &[], &headers, &body);
        // A route's own path under its own method is always found, whatever its ids hold,
        // unless an id is empty or holds a `/`, which makes it another path.
        let segments: Vec<&str> = path.split('/').collect();
        let plain = segments.len() == route.segments.len() && segments.iter().all(|s| !s.is_empty());
        if method == route.method && plain {
            prop_assert!(
                !matches!(read, Err(ReadError::NotFound(_) | ReadError::MethodNotAllowed { .. })),
                "{} {path}: {:?}", route.action, read.err()
            );
        }
    }
}
