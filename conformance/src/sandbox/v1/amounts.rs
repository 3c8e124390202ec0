//! Amount rules shared by authorizations, captures and refunds: currencies, how far an amount
//! may go above its parent's, and how amounts are written in messages.

use amazon_pay_protocol::Money;
use amazon_pay_protocol::v1::ErrorCode;

use super::error::{SimError, SimResult};

/// TransactionTimeout: 0 or a multiple of 5 minutes, at most 1440.
pub fn check_timeout(timeout: Option<i64>) -> SimResult<()> {
    match timeout {
        None => Ok(()),
        Some(t) if (0..=1440).contains(&t) && t % 5 == 0 => Ok(()),
        Some(t) => Err(SimError::new(
            ErrorCode::InvalidParameterValue,
            format!("TransactionTimeout {t} is invalid: use 0 or a multiple of 5 up to 1440."),
        )),
    }
}

pub fn check_currency(amount: &Money, allowed: &[&str]) -> SimResult<()> {
    if allowed.contains(&amount.currency().as_str()) {
        return Ok(());
    }
    Err(SimError::new(
        ErrorCode::CurrencyMismatch,
        format!(
            "The currency {} is not the currency of this object ({}).",
            amount.currency().as_str(),
            allowed.join(", ")
        ),
    ))
}

/// Minor units written like `like` (its currency's decimals).
pub fn text(minor: i64, like: &Money) -> String {
    Money::from_minor(minor, like.currency().clone())
        .map(|m| m.amount_text())
        .unwrap_or_else(|_| minor.to_string())
}

/// The lesser of 15 % and 75 units (JPY 8,400) of an amount, in minor units: how far
/// authorizations and captures may go above the order total, and refunds above the captured
/// amount (reference §3.C, §4.2, §4.4).
pub fn allowance_above(amount: &Money) -> i64 {
    let fifteen_percent = amount.minor_units() * 15 / 100;
    let cap = if amount.currency().as_str() == "JPY" {
        8_400
    } else {
        75 * 10_i64.pow(amount.currency().decimals())
    };
    fifteen_percent.min(cap)
}
