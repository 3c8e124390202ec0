//! Turning spec names into Rust identifiers.

use proc_macro2::{Ident, Span};

/// `AmazonBillingAgreementId` -> `amazon_billing_agreement_id`, `ConstraintID` -> `constraint_id`,
/// `AWSAccessKeyId` -> `aws_access_key_id`.
pub fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let boundary = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower);
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out.trim_end_matches('_').to_owned()
}

/// An enum value as a Rust variant: `GREEN_I` -> `GreenI`, `AmazonA-ZRefund` -> `AmazonAZRefund`,
/// `Chargeback Detailed Notification` -> `ChargebackDetailedNotification`.
pub fn variant(value: &str) -> String {
    let mut out = String::new();
    for segment in value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
    {
        let all_upper = segment.chars().all(|c| !c.is_ascii_lowercase());
        let mut chars = segment.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            if all_upper && segment.len() > 1 {
                out.extend(chars.map(|c| c.to_ascii_lowercase()));
            } else {
                out.extend(chars);
            }
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    if out == "Unknown" {
        out.push_str("Value");
    }
    out
}

const KEYWORDS: [&str; 12] = [
    "type", "match", "ref", "self", "super", "crate", "move", "impl", "fn", "use", "mod", "gen",
];

/// An identifier, raw (`r#type`) when it is a keyword.
pub fn ident(name: &str) -> Ident {
    if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// The snake-case field identifier of a member.
pub fn field(name: &str) -> Ident {
    ident(&snake(name))
}

/// A type identifier, used as is (spec names are already PascalCase).
pub fn ty(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_handles_acronyms() {
        assert_eq!(
            snake("AmazonBillingAgreementId"),
            "amazon_billing_agreement_id"
        );
        assert_eq!(snake("ConstraintID"), "constraint_id");
        assert_eq!(snake("AWSAccessKeyId"), "aws_access_key_id");
        assert_eq!(snake("MWSAuthToken"), "mws_auth_token");
        assert_eq!(snake("AddressLine1"), "address_line1");
        assert_eq!(snake("Type"), "type");
    }

    #[test]
    fn variants_are_pascal_case() {
        assert_eq!(variant("GREEN_I"), "GreenI");
        assert_eq!(variant("AmazonA-ZRefund"), "AmazonAZRefund");
        assert_eq!(
            variant("Chargeback Detailed Notification"),
            "ChargebackDetailedNotification"
        );
        assert_eq!(variant("NA_USD"), "NaUsd");
        assert_eq!(variant("Open"), "Open");
        assert_eq!(variant("Unknown"), "UnknownValue");
        assert_eq!(variant("ORDER_REFERENCE"), "OrderReference");
    }
}
