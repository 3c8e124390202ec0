//! The documented v2 amount limits and lifetimes (reference §4.2–§4.5), in seconds of
//! simulator time and minor units of a currency.

use amazon_pay_protocol::v2::{ErrorCode, Region};
use amazon_pay_protocol::{Currency, Money};

use super::error::{ApiError, ApiResult};

/// An Open checkout session is canceled after 24 hours (§3.2).
pub const SESSION_LIFETIME: i64 = 24 * 3600;
/// An Authorized charge is canceled after 30 days (§4.3).
pub const AUTHORIZATION_LIFETIME: i64 = 30 * 24 * 3600;
/// A OneTime permission closes after 180 days (§4.2).
pub const ONE_TIME_LIFETIME: i64 = 180 * 24 * 3600;
/// A Recurring permission closes 13 months after confirmation (§4.2; 13 × 30 days here).
pub const RECURRING_LIFETIME: i64 = 13 * 30 * 24 * 3600;
/// The simulated cards that stay pending settle after about 30 seconds (§6.1).
pub const PENDING_AUTHORIZATION: i64 = 30;
/// `closureReason` and `cancellationReason` are at most 255 characters (§3.5).
pub const REASON_MAX_CHARS: usize = 255;
/// Refunds per charge before TransactionCountExceeded (the count limit is not documented:
/// GUESSES.md).
pub const MAX_REFUNDS_PER_CHARGE: usize = 10;

/// The monthly Saved Wallet limit per permission, by ledger currency (§4.5).
pub fn saved_wallet_monthly(currency: &Currency) -> Option<Money> {
    let major = match currency.as_str() {
        "USD" | "EUR" | "GBP" | "AUD" | "CHF" | "NZD" => 15_000,
        "DKK" | "HKD" | "NOK" | "SEK" | "ZAR" => 150_000,
        "JPY" => 2_000_000,
        _ => return None,
    };
    major_units(major, currency)
}

/// The largest single charge (§3.6, §4.5: USD, GBP, EUR 150,000; JPY 10,000,000). Other
/// currencies follow the euro figure (GUESSES.md).
pub fn max_charge(currency: &Currency) -> Option<Money> {
    let major = match currency.as_str() {
        "JPY" => 10_000_000,
        _ => 150_000,
    };
    major_units(major, currency)
}

/// An amount a charge may have in `region`: one of its ledger currencies (CurrencyMismatch),
/// at most the largest single charge (TransactionAmountExceeded). Events check no region.
pub fn check_charge(region: Option<Region>, amount: &Money) -> ApiResult<()> {
    let currency = amount.currency();
    if let Some(region) = region
        && !region.currencies().contains(&currency.as_str())
    {
        return Err(ApiError::new(
            ErrorCode::CurrencyMismatch,
            format!(
                "{currency} is not a ledger currency of the {} region.",
                region.name()
            ),
        ));
    }
    if max_charge(currency).is_some_and(|max| amount.minor_units() > max.minor_units()) {
        return Err(ApiError::new(
            ErrorCode::TransactionAmountExceeded,
            format!("{amount} is more than a single charge may be."),
        ));
    }
    Ok(())
}

/// `already + amount` within `limit`, in its currency: CurrencyMismatch or
/// TransactionAmountExceeded naming `what` the limit is.
pub fn check_within(limit: &Money, already: i64, amount: &Money, what: &str) -> ApiResult<()> {
    if limit.currency() != amount.currency() {
        return Err(ApiError::new(
            ErrorCode::CurrencyMismatch,
            format!("The {what} is in {}.", limit.currency()),
        ));
    }
    if already + amount.minor_units() > limit.minor_units() {
        return Err(ApiError::new(
            ErrorCode::TransactionAmountExceeded,
            format!("{amount} would exceed the {what} {limit}."),
        ));
    }
    Ok(())
}

fn major_units(major: i64, currency: &Currency) -> Option<Money> {
    let minor = major.checked_mul(10_i64.checked_pow(currency.decimals())?)?;
    Money::from_minor(minor, currency.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_in_the_currencys_own_units() {
        let jpy = Currency::parse("JPY");
        assert_eq!(saved_wallet_monthly(&jpy).unwrap().minor_units(), 2_000_000);
        assert_eq!(max_charge(&jpy).unwrap().minor_units(), 10_000_000);
        let usd = Currency::parse("USD");
        assert_eq!(saved_wallet_monthly(&usd).unwrap().minor_units(), 1_500_000);
        assert!(saved_wallet_monthly(&Currency::parse("XXX")).is_none());
    }
}
