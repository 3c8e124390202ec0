//! Money's v1 XML form: an element with `Amount` and `CurrencyCode` children (`Price` in the
//! schema). Kept with the v1 wire code; the neutral [`Money`] knows no element names, and the
//! v2 JSON form lives with v2.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::money::{Currency, Money};

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Price", 2)?;
        s.serialize_field("Amount", &self.amount_text())?;
        s.serialize_field("CurrencyCode", self.currency().as_str())?;
        s.end()
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        struct PriceVisitor;
        impl<'de> Visitor<'de> for PriceVisitor {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an element with Amount and CurrencyCode children")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Money, A::Error> {
                let mut amount: Option<String> = None;
                let mut currency: Option<String> = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "Amount" => amount = Some(map.next_value()?),
                        "CurrencyCode" => currency = Some(map.next_value()?),
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                let amount = amount.ok_or_else(|| de::Error::missing_field("Amount"))?;
                let currency = currency.ok_or_else(|| de::Error::missing_field("CurrencyCode"))?;
                Money::from_wire(amount.trim(), Currency::parse(currency.trim()))
                    .map_err(de::Error::custom)
            }
        }
        deserializer.deserialize_map(PriceVisitor)
    }
}
