//! Redaction of v2 JSON bodies for logs and recordings: the values of personal-data members
//! (which ones is a fact of the service, passed in by its generated code) and everything
//! inside them are replaced. A body that is not JSON is replaced whole.

use serde_json::Value;

pub use crate::v1::redact::REDACTED;

/// A JSON body with the values of personal members replaced (structure and other values kept).
pub fn json(body: &[u8], is_personal: impl Fn(&str) -> bool + Copy) -> String {
    if body.is_empty() {
        return String::new();
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(mut value) => {
            redact(&mut value, is_personal);
            value.to_string()
        }
        Err(_) => format!("{REDACTED} ({} bytes, not JSON)", body.len()),
    }
}

fn redact(value: &mut Value, is_personal: impl Fn(&str) -> bool + Copy) {
    match value {
        Value::Object(members) => {
            for (name, member) in members.iter_mut() {
                if is_personal(name) {
                    blank(member);
                } else {
                    redact(member, is_personal);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| redact(item, is_personal)),
        _ => {}
    }
}

/// Every scalar inside becomes the redaction mark; `null` stays (it tells nothing).
fn blank(value: &mut Value) {
    match value {
        Value::Object(members) => members.values_mut().for_each(blank),
        Value::Array(items) => items.iter_mut().for_each(blank),
        Value::Null => {}
        other => *other = Value::String(REDACTED.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_members_and_their_insides_are_redacted() {
        let personal = |name: &str| matches!(name, "buyer" | "shippingAddress" | "email");
        let body = br#"{"chargePermissionId":"S01-1","buyer":{"name":"Hanako","email":"h@example.jp"},"shippingAddress":{"city":"Tokyo","postalCode":null},"list":[{"email":"x@y"}]}"#;
        let out = json(body, personal);
        for secret in ["Hanako", "h@example.jp", "Tokyo", "x@y"] {
            assert!(!out.contains(secret), "{out}");
        }
        assert!(out.contains("S01-1"), "{out}");
        assert!(out.contains(r#""postalCode":null"#), "{out}");
        assert!(json(b"Hanako <oops>", personal).starts_with(REDACTED));
        assert_eq!(json(b"", personal), "");
    }
}
