//! The v2 response types' parsers never panic: on arbitrary bytes, and on the public fixtures
//! with one value replaced by an arbitrary JSON value.

use amazon_pay_protocol::v2::{
    Buyer, Charge, ChargePermission, CheckoutSession, ErrorResponse, Refund,
};
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
}
