//! How v2 JSON documents spell what the neutral core keeps without wire names: amounts,
//! timestamps, the shipping address list. Used by the generated v2 types through
//! `#[serde(with = …)]`.
