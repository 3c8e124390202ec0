//! How v2 JSON documents spell what the neutral core keeps without wire names: amounts,
//! timestamps, the shipping address list. Used by the generated v2 types through
//! `#[serde(with = …)]`.
//!
//! - Amounts are `{"amount": "10.00", "currencyCode": "USD"}`: written as a string with the
//!   currency's decimals (JPY none); read from a string or a number, because SDKs send both
//!   (the .NET SDK writes `12.99`, the service answers `"1.40"`).
//! - Timestamps are the basic form `YYYYMMDDTHHMMSSZ`; reading also accepts the extended ISO
//!   form (`2020-10-23T21:19:09Z`).
//! - The service returns `shippingAddressList` as an array of JSON strings, each an address
//!   object; [`address_list`] reads those (and plain objects) and writes strings, as Amazon does.

use std::fmt;

use serde::de::{self, DeserializeOwned, Visitor};
use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Currency, Money, Timestamp};

/// A required amount.
pub mod money {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Money, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("amount", &value.amount_text())?;
        map.serialize_entry("currencyCode", value.currency().as_str())?;
        map.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        let wire = WireMoney::deserialize(deserializer)?;
        Money::from_wire(&wire.amount.0, Currency::parse(&wire.currency_code))
            .map_err(de::Error::custom)
    }
}

/// An optional amount (`null` or absent is `None`).
pub mod optional_money {
    use super::*;

    pub fn serialize<S: Serializer>(
        value: &Option<Money>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(money) => super::money::serialize(money, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Money>, D::Error> {
        let Some(wire) = Option::<WireMoney>::deserialize(deserializer)? else {
            return Ok(None);
        };
        Money::from_wire(&wire.amount.0, Currency::parse(&wire.currency_code))
            .map(Some)
            .map_err(de::Error::custom)
    }
}

/// A required timestamp.
pub mod timestamp {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(value.basic().as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_timestamp(&text).map_err(de::Error::custom)
    }
}

/// An optional timestamp (`null` or absent is `None`).
pub mod optional_timestamp {
    use super::*;

    pub fn serialize<S: Serializer>(
        value: &Option<Timestamp>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(t) => super::timestamp::serialize(t, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Timestamp>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| parse_timestamp(&text).map_err(de::Error::custom))
            .transpose()
    }
}

/// An optional list whose items the service writes as JSON documents inside strings. The
/// generated list types wrap the items; these functions see the items themselves.
pub mod address_list {
    use super::*;

    pub fn serialize<S: Serializer, T: Serialize>(
        items: Option<&[T]>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let Some(items) = items else {
            return serializer.serialize_none();
        };
        let mut seq = serializer.serialize_seq(Some(items.len()))?;
        for item in items {
            seq.serialize_element(&serde_json::to_string(item).map_err(S::Error::custom)?)?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: DeserializeOwned>(
        deserializer: D,
    ) -> Result<Option<Vec<T>>, D::Error> {
        let Some(values) = Option::<Vec<serde_json::Value>>::deserialize(deserializer)? else {
            return Ok(None);
        };
        values
            .into_iter()
            .map(|value| match value {
                serde_json::Value::String(text) => serde_json::from_str(&text),
                other => serde_json::from_value(other),
            })
            .collect::<Result<Vec<T>, _>>()
            .map(Some)
            .map_err(de::Error::custom)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireMoney {
    amount: AmountText,
    currency_code: String,
}

/// An amount's text, from a JSON string or number.
struct AmountText(String);

impl<'de> Deserialize<'de> for AmountText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AmountVisitor;
        impl Visitor<'_> for AmountVisitor {
            type Value = AmountText;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount as a string or a number")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<AmountText, E> {
                Ok(AmountText(v.to_owned()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<AmountText, E> {
                Ok(AmountText(v.to_string()))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<AmountText, E> {
                Ok(AmountText(v.to_string()))
            }

            // Rust writes the shortest text that reads back as the same f64, never with an
            // exponent: 12.99 is "12.99", 1e3 is "1000".
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<AmountText, E> {
                Ok(AmountText(v.to_string()))
            }
        }
        deserializer.deserialize_any(AmountVisitor)
    }
}

/// A timestamp in the basic (`20201023T211909Z`) or the extended form
/// (`2020-10-23T21:19:09Z`, which the Node SDK sends in `x-amz-pay-date`).
pub fn parse_timestamp(text: &str) -> Result<Timestamp, String> {
    let text = text.trim();
    crate::timestamp::parse_basic(text)
        .or_else(|| Timestamp::parse(text).ok())
        .ok_or_else(|| format!("`{text}` is not a timestamp such as 20201023T211909Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Doc {
        #[serde(with = "money")]
        price: Money,
        #[serde(with = "optional_money", default)]
        total: Option<Money>,
        #[serde(with = "timestamp")]
        at: Timestamp,
        #[serde(with = "optional_timestamp", default)]
        until: Option<Timestamp>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Address {
        city: String,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Session {
        #[serde(serialize_with = "write_list", deserialize_with = "read_list", default)]
        list: Option<Vec<Address>>,
    }

    fn write_list<S: Serializer>(v: &Option<Vec<Address>>, s: S) -> Result<S::Ok, S::Error> {
        address_list::serialize(v.as_deref(), s)
    }

    fn read_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<Address>>, D::Error> {
        address_list::deserialize(d)
    }

    #[test]
    fn amounts_are_written_as_strings_with_the_currency_decimals() {
        let doc = Doc {
            price: Money::jpy(1000).unwrap(),
            total: Some(Money::new("12.5", Currency::Usd).unwrap()),
            at: Timestamp::parse("2020-10-23T21:19:09Z").unwrap(),
            until: None,
        };
        let json = serde_json::to_value(&doc).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "price": {"amount": "1000", "currencyCode": "JPY"},
                "total": {"amount": "12.50", "currencyCode": "USD"},
                "at": "20201023T211909Z",
                "until": null,
            })
        );
        assert_eq!(serde_json::from_value::<Doc>(json).unwrap(), doc);
    }

    #[test]
    fn amounts_are_read_from_numbers_and_strings() {
        let doc: Doc = serde_json::from_str(
            r#"{"price": {"amount": 12.99, "currencyCode": "EUR"},
                "total": {"amount": 99, "currencyCode": "JPY"},
                "at": "2020-10-23T21:19:09Z"}"#,
        )
        .unwrap();
        assert_eq!(doc.price, Money::new("12.99", Currency::Eur).unwrap());
        assert_eq!(doc.total, Some(Money::jpy(99).unwrap()));
        assert_eq!(doc.at, Timestamp::parse("2020-10-23T21:19:09Z").unwrap());
        assert_eq!(doc.until, None);
        // JPY has no decimals; too many decimals and garbage are refused, never a panic.
        for bad in [
            r#"{"amount": "1000.50", "currencyCode": "JPY"}"#,
            r#"{"amount": 10.505, "currencyCode": "USD"}"#,
            r#"{"amount": "ten", "currencyCode": "USD"}"#,
            r#"{"amount": -1, "currencyCode": "USD"}"#,
            r#"{"currencyCode": "USD"}"#,
        ] {
            let text = format!(r#"{{"price": {bad}, "at": "20201023T211909Z"}}"#);
            assert!(serde_json::from_str::<Doc>(&text).is_err(), "{bad}");
        }
    }

    #[test]
    fn basic_timestamps_are_read_field_by_field() {
        for (basic, extended) in [
            ("20201023T211909Z", "2020-10-23T21:19:09Z"),
            (" 20240229T000000Z\n", "2024-02-29T00:00:00Z"),
            ("00010101T000000Z", "0001-01-01T00:00:00Z"),
            ("99991231T235959Z", "9999-12-31T23:59:59Z"),
        ] {
            assert_eq!(
                parse_timestamp(basic),
                Ok(Timestamp::parse(extended).unwrap()),
                "{basic}"
            );
        }
    }

    #[test]
    fn timestamps_in_other_forms_are_refused() {
        for bad in [
            "2020-10-23",
            "20201023T2119Z",
            "yesterday",
            "",
            "20201323T211909Z",
            "20200230T211909Z",
            "20201023T241909Z",
            "20201023T216009Z",
            "2020102XT211909Z",
            "+2020102T211909Z",
            "20201023 211909Z",
            "20201023T211909z",
        ] {
            let text =
                format!(r#"{{"price": {{"amount": "1", "currencyCode": "USD"}}, "at": "{bad}"}}"#);
            assert!(serde_json::from_str::<Doc>(&text).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_address_list_is_read_from_strings_or_objects_and_written_as_strings() {
        let session: Session =
            serde_json::from_str(r#"{"list": ["{\"city\":\"Chicago\"}", {"city": "Appleton"}]}"#)
                .unwrap();
        let cities: Vec<&str> = session
            .list
            .iter()
            .flatten()
            .map(|a| a.city.as_str())
            .collect();
        assert_eq!(cities, ["Chicago", "Appleton"]);
        assert_eq!(
            serde_json::to_value(&session).unwrap(),
            serde_json::json!({"list": ["{\"city\":\"Chicago\"}", "{\"city\":\"Appleton\"}"]})
        );
        let none: Session = serde_json::from_str(r#"{"list": null}"#).unwrap();
        assert_eq!(none.list, None);
        assert!(serde_json::from_str::<Session>(r#"{"list": ["not json"]}"#).is_err());
    }
}
