//! Amounts tied to their currency.
//!
//! An amount is kept in minor units (cents, or whole yen) so that it can never carry more
//! precision than its currency allows. Construction from text is strict (what a caller writes
//! must be exact for the currency); reading from the wire is lenient about trailing zeros
//! because the service writes `500`, `500.0` and `500.00` for the same USD amount.

use std::fmt;

/// An ISO 4217 currency code. Codes this crate has no table entry for are kept as `Unknown`
/// and treated as having two decimals, the most common minor unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Currency {
    Jpy,
    Usd,
    Eur,
    Gbp,
    Aud,
    Zar,
    Chf,
    Nok,
    Dkk,
    Sek,
    Nzd,
    Hkd,
    Unknown(String),
}

const KNOWN: [(Currency, &str, u32); 12] = [
    (Currency::Jpy, "JPY", 0),
    (Currency::Usd, "USD", 2),
    (Currency::Eur, "EUR", 2),
    (Currency::Gbp, "GBP", 2),
    (Currency::Aud, "AUD", 2),
    (Currency::Zar, "ZAR", 2),
    (Currency::Chf, "CHF", 2),
    (Currency::Nok, "NOK", 2),
    (Currency::Dkk, "DKK", 2),
    (Currency::Sek, "SEK", 2),
    (Currency::Nzd, "NZD", 2),
    (Currency::Hkd, "HKD", 2),
];

impl Currency {
    /// The ISO code as sent on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Currency::Unknown(code) => code,
            known => KNOWN
                .iter()
                .find(|(c, _, _)| c == known)
                .map(|(_, s, _)| *s)
                .unwrap_or(""),
        }
    }

    /// Digits after the decimal point: 0 for JPY, 2 for the others.
    pub fn decimals(&self) -> u32 {
        KNOWN
            .iter()
            .find(|(c, _, _)| c == self)
            .map(|(_, _, d)| *d)
            .unwrap_or(2)
    }

    /// Parses an ISO code; unknown codes are kept, never rejected.
    pub fn parse(code: &str) -> Currency {
        KNOWN
            .iter()
            .find(|(_, s, _)| *s == code)
            .map(|(c, _, _)| c.clone())
            .unwrap_or_else(|| Currency::Unknown(code.to_owned()))
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an amount was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("`{text}` is not a decimal amount (digits with an optional `.` and fraction)")]
    NotANumber { text: String },
    #[error("{currency} has {allowed} decimal places, but `{text}` has {given}")]
    TooPrecise {
        text: String,
        currency: String,
        allowed: u32,
        given: u32,
    },
    #[error("`{text}` is too large to represent")]
    Overflow { text: String },
    #[error("amounts cannot be negative: `{text}`")]
    Negative { text: String },
}

/// An amount in a currency, e.g. JPY 1000 or USD 10.00.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    /// Builds an amount from text, exactly: `"1000"` JPY is valid, `"1000.00"` JPY is not,
    /// `"10.5"` and `"10.50"` USD are valid, `"10.505"` USD is not.
    pub fn new(amount: &str, currency: Currency) -> Result<Money, MoneyError> {
        let (minor, given) = parse_decimal(amount, currency.decimals())?;
        if given > currency.decimals() {
            return Err(MoneyError::TooPrecise {
                text: amount.to_owned(),
                currency: currency.as_str().to_owned(),
                allowed: currency.decimals(),
                given,
            });
        }
        Ok(Money { minor, currency })
    }

    /// Builds an amount from minor units (yen for JPY, cents for USD).
    pub fn from_minor(minor: i64, currency: Currency) -> Result<Money, MoneyError> {
        if minor < 0 {
            return Err(MoneyError::Negative {
                text: minor.to_string(),
            });
        }
        Ok(Money { minor, currency })
    }

    /// Shorthand for a whole-yen amount.
    pub fn jpy(yen: i64) -> Result<Money, MoneyError> {
        Money::from_minor(yen, Currency::Jpy)
    }

    /// Reads an amount as the service writes it: extra trailing zeros are accepted
    /// (`500.0` USD, `1000.00` JPY), anything that would lose precision is not.
    pub fn from_wire(amount: &str, currency: Currency) -> Result<Money, MoneyError> {
        let decimals = currency.decimals();
        // The amount without its fraction's trailing zeros (and without a `.` left bare) is a
        // prefix of the text, so it is borrowed rather than rebuilt: this runs on every
        // amount of every response. A fraction with a digit kept ends in it, so trimming the
        // whole text stops there too.
        let trimmed = match amount.split_once('.') {
            Some((int, frac)) if frac.trim_end_matches('0').is_empty() => int,
            Some(_) => amount.trim_end_matches('0'),
            None => amount,
        };
        let (minor, given) = parse_decimal(trimmed, decimals)?;
        if given > decimals {
            return Err(MoneyError::TooPrecise {
                text: amount.to_owned(),
                currency: currency.as_str().to_owned(),
                allowed: decimals,
                given,
            });
        }
        Ok(Money { minor, currency })
    }

    /// The amount in minor units.
    pub fn minor_units(&self) -> i64 {
        self.minor
    }

    pub fn currency(&self) -> &Currency {
        &self.currency
    }

    /// The amount as sent on the wire: no decimals for JPY, exactly two for USD, EUR, GBP.
    pub fn amount_text(&self) -> String {
        self.amount_wire().to_string()
    }

    /// [`Money::amount_text`] as a `Display`, for writing it where it goes without a `String`
    /// of its own (the canonical query of every request that carries an amount).
    pub fn amount_wire(&self) -> AmountText<'_> {
        AmountText(self)
    }

    /// Sum of two amounts of the same currency; `None` on a currency mismatch or overflow.
    pub fn checked_add(&self, other: &Money) -> Option<Money> {
        (self.currency == other.currency).then_some(())?;
        Some(Money {
            minor: self.minor.checked_add(other.minor)?,
            currency: self.currency.clone(),
        })
    }

    /// Difference of two amounts of the same currency; `None` on a mismatch or below zero.
    pub fn checked_sub(&self, other: &Money) -> Option<Money> {
        (self.currency == other.currency).then_some(())?;
        let minor = self.minor.checked_sub(other.minor)?;
        (minor >= 0).then(|| Money {
            minor,
            currency: self.currency.clone(),
        })
    }
}

/// The wire text of an amount ([`Money::amount_wire`]).
#[derive(Debug, Clone, Copy)]
pub struct AmountText<'a>(&'a Money);

impl AmountText<'_> {
    /// Appends the text to `out`, as `Display` writes it.
    pub fn push_to(self, out: &mut String) {
        // Writing into a `String` cannot fail.
        let _ = self.write_to(out);
    }

    /// The digits with itoa, not the formatting machinery (signing writes one per amount; in
    /// its profile, `Display` and `fmt::write` for the amount and the integers were about 4%
    /// of a signature).
    fn write_to(self, out: &mut impl fmt::Write) -> fmt::Result {
        let Money { minor, currency } = self.0;
        let decimals = currency.decimals();
        let mut digits = itoa::Buffer::new();
        if decimals == 0 {
            return out.write_str(digits.format(*minor));
        }
        // Never negative: every constructor refuses it.
        let scale = 10i64.pow(decimals);
        out.write_str(digits.format(minor / scale))?;
        out.write_char('.')?;
        let fraction = digits.format(minor % scale);
        for _ in fraction.len()..decimals as usize {
            out.write_char('0')?;
        }
        out.write_str(fraction)
    }
}

impl fmt::Display for AmountText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount_wire(), self.currency)
    }
}

/// Parses `digits[.digits]` into minor units at `decimals` places, returning the number of
/// fraction digits written so the caller can decide whether that was too many.
fn parse_decimal(text: &str, decimals: u32) -> Result<(i64, u32), MoneyError> {
    let not_a_number = || MoneyError::NotANumber {
        text: text.to_owned(),
    };
    if text.starts_with('-') {
        return Err(MoneyError::Negative {
            text: text.to_owned(),
        });
    }
    let (int, frac) = match text.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (text, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || frac.is_some_and(|f| !all_digits(f)) {
        return Err(not_a_number());
    }
    let frac = frac.unwrap_or("");
    let given = u32::try_from(frac.len()).map_err(|_| not_a_number())?;
    if given > decimals {
        return Ok((0, given));
    }
    let overflow = || MoneyError::Overflow {
        text: text.to_owned(),
    };
    let mut minor: i64 = int.parse().map_err(|_| overflow())?;
    for digit in frac
        .bytes()
        .chain(std::iter::repeat_n(b'0', (decimals - given) as usize))
    {
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(digit - b'0')))
            .ok_or_else(overflow)?;
    }
    Ok((minor, given))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_amount_written_in_place_and_displayed_is_its_decimal_form() {
        let currencies = KNOWN
            .iter()
            .map(|(c, _, _)| c.clone())
            .chain([Currency::Unknown("XXX".into())]);
        for currency in currencies {
            for minor in [0, 1, 9, 10, 99, 100, 101, 1000, 12_345, 1_000_001, i64::MAX] {
                let money = Money::from_minor(minor, currency.clone()).unwrap();
                let mut text = String::from("Amount=");
                money.amount_wire().push_to(&mut text);
                // The decimal form by the formatting machinery, independently.
                let decimals = money.currency().decimals();
                let scale = 10i64.pow(decimals);
                let expected = match decimals {
                    0 => format!("{minor}"),
                    width => format!(
                        "{}.{:0width$}",
                        minor / scale,
                        minor % scale,
                        width = width as usize
                    ),
                };
                assert_eq!(text, format!("Amount={expected}"), "{money:?}");
                assert_eq!(money.amount_wire().to_string(), expected, "{money:?}");
            }
        }
    }

    #[test]
    fn jpy_has_no_minor_unit() {
        assert_eq!(
            Money::new("1000", Currency::Jpy).unwrap().amount_text(),
            "1000"
        );
        let err = Money::new("1000.00", Currency::Jpy).unwrap_err();
        assert_eq!(
            err.to_string(),
            "JPY has 0 decimal places, but `1000.00` has 2"
        );
        assert!(Money::new("1000.5", Currency::Jpy).is_err());
    }

    #[test]
    fn two_decimal_currencies() {
        assert_eq!(
            Money::new("10", Currency::Usd).unwrap().amount_text(),
            "10.00"
        );
        assert_eq!(
            Money::new("10.5", Currency::Eur).unwrap().amount_text(),
            "10.50"
        );
        assert_eq!(Money::new("0.01", Currency::Gbp).unwrap().minor_units(), 1);
        assert!(matches!(
            Money::new("10.505", Currency::Usd),
            Err(MoneyError::TooPrecise { given: 3, .. })
        ));
    }

    #[test]
    fn garbage_is_rejected_without_panic() {
        for text in [
            "",
            ".",
            "1.",
            ".5",
            "1e3",
            "-1",
            "1,000",
            "99999999999999999999",
            "١٢",
        ] {
            assert!(Money::new(text, Currency::Usd).is_err(), "{text}");
        }
    }

    #[test]
    fn wire_reading_accepts_trailing_zeros_only() {
        assert_eq!(
            Money::from_wire("500.0", Currency::Usd)
                .unwrap()
                .amount_text(),
            "500.00"
        );
        assert_eq!(
            Money::from_wire("1000.00", Currency::Jpy)
                .unwrap()
                .amount_text(),
            "1000"
        );
        assert!(Money::from_wire("1000.50", Currency::Jpy).is_err());
        for (text, minor) in [
            ("10.50", 1050),
            ("10.5000", 1050),
            ("500.", 50000),
            ("0.00", 0),
        ] {
            assert_eq!(
                Money::from_wire(text, Currency::Usd).map(|m| m.minor_units()),
                Ok(minor),
                "{text}"
            );
        }
        // Only the fraction's own trailing zeros go: a second `.` stays and is refused.
        assert_eq!(
            Money::from_wire("10.0.0", Currency::Usd),
            Err(MoneyError::NotANumber {
                text: "10.0.".to_owned()
            })
        );
    }

    #[test]
    fn arithmetic_keeps_currency() {
        let a = Money::jpy(30_000).unwrap();
        let b = Money::jpy(25_000).unwrap();
        assert_eq!(a.checked_add(&b).unwrap().amount_text(), "55000");
        assert!(b.checked_sub(&a).is_none());
        assert!(
            a.checked_add(&Money::new("1", Currency::Usd).unwrap())
                .is_none()
        );
    }
}
