//! `[service.protocol]`: how requests and responses travel, a table tagged by `kind`.
//!
//! serde's internally tagged enums buffer the table, which loses the spans that `Spanned` and
//! every error position need; so `kind` is read first and the rest of the same table is handed
//! to the variant's own (span-keeping, `deny_unknown_fields`) deserializer.

use std::fmt;

use serde::de::{Error as _, MapAccess, Visitor, value::MapAccessDeserializer};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

/// The protocol of an API generation.
#[derive(Debug, Clone)]
pub enum Protocol {
    /// v1: form-encoded POST to one path per environment, Signature Version 2, XML responses.
    MwsQuery(MwsQuery),
    /// v2: JSON over REST (method, path, query, headers, JSON body), signed with RSA-PSS.
    RestJson(RestJson),
}

/// The `kind` values; a new protocol is a new variant here and in [`Protocol`].
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    MwsQuery,
    RestJson,
}

impl<'de> Deserialize<'de> for Protocol {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TableVisitor;
        impl<'de> Visitor<'de> for TableVisitor {
            type Value = Protocol;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a protocol table whose first key is `kind`")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Protocol, A::Error> {
                if map.next_key::<String>()?.as_deref() != Some("kind") {
                    return Err(A::Error::custom(
                        "the protocol table must start with `kind = \"...\"` (e.g. \"mws-query\")",
                    ));
                }
                let kind: Kind = map.next_value()?;
                let rest = MapAccessDeserializer::new(map);
                match kind {
                    Kind::MwsQuery => MwsQuery::deserialize(rest).map(Protocol::MwsQuery),
                    Kind::RestJson => RestJson::deserialize(rest).map(Protocol::RestJson),
                }
            }
        }
        deserializer.deserialize_map(TableVisitor)
    }
}

/// The v1 protocol's facts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MwsQuery {
    pub xml_namespace: String,
    pub ipn_namespace: String,
    pub signature_method: String,
    pub signature_version: String,
    /// Requests whose `Timestamp` is further off are rejected (RequestExpired).
    pub max_clock_skew_seconds: u32,
    /// The parameters every request carries besides the operation's inputs.
    pub common_parameters: Vec<CommonParameter>,
}

/// The v2 protocol's facts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestJson {
    /// The version segment of every path (`v2`).
    pub api_version: String,
    /// The base path for key ids that name their environment (`/v2`); other (legacy) key ids
    /// use the `[environments]` paths (`/sandbox/v2`, `/live/v2`).
    pub unified_path: String,
    /// Key id prefixes that select the unified path, compared ignoring case (`LIVE`, `SANDBOX`).
    pub unified_key_prefixes: Vec<String>,
    /// The signing algorithms the service accepts; the first is the default.
    pub signature_algorithms: Vec<SignatureAlgorithm>,
    /// The media type of request and response bodies (`accept` and `content-type`).
    pub content_type: String,
    /// The header carrying the signing time, in the basic ISO 8601 form `YYYYMMDDTHHMMSSZ`.
    pub date_header: String,
    /// The header carrying the request host.
    pub host_header: String,
    /// The header carrying the region code.
    pub region_header: String,
    /// The header carrying the idempotency key.
    pub idempotency_key_header: String,
    /// The response header carrying the service's request id.
    pub request_id_header: String,
}

/// A signing algorithm name and the RSASSA-PSS salt length it implies.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureAlgorithm {
    pub name: Spanned<String>,
    pub salt_length: u32,
}

/// A parameter the runtime adds to every request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommonParameter {
    /// The wire name.
    pub name: Spanned<String>,
    pub from: ParamSource,
    /// Its value is a secret or names the account: redacted in logs and recordings.
    #[serde(default)]
    pub secret: bool,
    /// It changes on every attempt: ignored when deciding whether two requests are the same.
    #[serde(default)]
    pub volatile: bool,
}

/// Where the value of a common parameter comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParamSource {
    /// The credentials' access key id.
    AccessKeyId,
    /// The seller (merchant) id.
    SellerId,
    /// The delegation token; the parameter is sent only when there is one.
    MwsAuthToken,
    /// The signing time.
    Timestamp,
    /// The operation's name.
    Action,
    /// The service's `version`.
    Version,
    /// The protocol's `signature_method`.
    SignatureMethod,
    /// The protocol's `signature_version`.
    SignatureVersion,
    /// The signature itself, appended by the signer after the canonical query.
    Signature,
}

impl MwsQuery {
    /// The common parameter named `name`, if any.
    pub fn common_parameter(&self, name: &str) -> Option<&CommonParameter> {
        self.common_parameters
            .iter()
            .find(|p| p.name.get_ref() == name)
    }
}
