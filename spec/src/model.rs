//! The spec model, as read from the TOML files (see `spec/README.md`).
//!
//! Names and type references keep their source span (`Spanned`) so that validation can point
//! at the exact line and column of a bad reference.

use serde::Deserialize;
use toml::Spanned;

pub use crate::protocol::{
    CommonParameter, MwsQuery, ParamSource, Protocol, RestJson, SignatureAlgorithm,
};

/// A whole API generation: `spec/v1/` or `spec/v2/`.
#[derive(Debug, Clone)]
pub struct Spec {
    pub service: ServiceFile,
    pub errors: Vec<ErrorDef>,
    /// Sorted by name, so everything derived from the spec is deterministic.
    pub operations: Vec<Operation>,
    /// Sorted by name.
    pub shapes: Vec<Shape>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    pub service: Service,
    pub environments: Environments,
    pub regions: Vec<Region>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub name: String,
    pub version: String,
    /// How requests and responses travel; decides which emitter the generator uses.
    pub protocol: Protocol,
    #[serde(default)]
    pub doc: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Environments {
    pub sandbox: String,
    pub live: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub name: Spanned<String>,
    pub host: String,
    pub currencies: Vec<String>,
    /// v1 (mws-query): the `PaymentDomain` of ListOrderReference.
    pub payment_domain: Option<String>,
    /// v1 (mws-query): what a billing agreement may authorize per month, in the first currency.
    pub billing_agreement_monthly_limit: Option<String>,
    /// v2 (rest-json): the region code the region header carries (`na`, `eu`, `jp`).
    pub code: Option<String>,
    #[serde(default)]
    pub doc: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorsFile {
    #[serde(rename = "error")]
    pub errors: Vec<ErrorDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorDef {
    pub code: Spanned<String>,
    pub status: Option<u16>,
    /// How a client treats the error; retryability is derived from it.
    pub class: ErrorClass,
    #[serde(default)]
    pub doc: String,
}

/// How a retry engine treats a service error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// The caller exceeded a quota: retry after a backoff.
    Throttled,
    /// The service failed this once: the same request may succeed later.
    Transient,
    /// The request's timestamp is too far from the service's clock: re-sign with a corrected clock.
    ClockSkew,
    /// The reference id was used before: after a lost answer, the first request may have been applied.
    DuplicateKey,
    /// Sending the same request again gives the same answer.
    Final,
}

impl ErrorClass {
    /// Whether the same request may succeed when sent again later.
    pub fn retryable(self) -> bool {
        matches!(self, ErrorClass::Throttled | ErrorClass::Transient)
    }
}

/// What a retry of an operation may do; decides when a client may repeat it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// No effect on the service.
    Read,
    /// Repeating it leaves the same state.
    Idempotent,
    /// Moves money or creates an object; a reference id makes a repeat safe.
    Keyed,
    /// A repeat may create a second object.
    Unsafe,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Throttle {
    pub quota: u32,
    pub restore_per_second: f64,
    pub sandbox_quota: Option<u32>,
    pub sandbox_restore_per_second: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    pub name: Spanned<String>,
    #[serde(default)]
    pub doc: String,
    pub output: Option<Spanned<String>>,
    #[serde(default = "yes")]
    pub result_element: bool,
    pub safety: Safety,
    pub idempotency_key: Option<Spanned<String>>,
    #[serde(default)]
    pub errors: Vec<Spanned<String>>,
    pub throttle: Option<Throttle>,
    /// Where the request goes over HTTP; `None` for protocols with one fixed endpoint (v1).
    pub http: Option<HttpBinding>,
    #[serde(default)]
    pub input: Vec<Member>,
}

/// An operation's HTTP binding: method, path template and success status.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpBinding {
    pub method: HttpMethod,
    /// `/v2/charges/{ChargeId}`: every `{Name}` is an input located in the path.
    pub path: Spanned<String>,
    /// The status of a success answer; 200 when omitted.
    pub status: Option<Spanned<u16>>,
    /// What the request body is; no body when omitted.
    pub body: Option<Spanned<Body>>,
}

/// The request body of an HTTP binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Body {
    /// The inputs located in `body`, as the members of one JSON object.
    Members,
    /// The one input located in `body`, of type `json`, is the whole body (calls whose
    /// documents the sources do not describe).
    Document,
}

impl HttpBinding {
    pub fn status(&self) -> u16 {
        self.status.as_ref().map_or(200, |s| *s.get_ref())
    }

    /// What the body is, if there is one.
    pub fn body(&self) -> Option<Body> {
        self.body.as_ref().map(|b| *b.get_ref())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

/// Where an operation input travels in the HTTP request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    /// A `{Name}` segment of the path template.
    Path,
    Query,
    Header,
    /// The request body (v1: the form body, the default).
    Body,
}

fn yes() -> bool {
    true
}

/// A member of a structure, or an input of an operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: Spanned<String>,
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub doc: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub max_length: Option<u32>,
    pub range: Option<[i64; 2]>,
    /// Which sandbox simulation object the field accepts (documentation and simulator).
    pub sandbox_simulation: Option<String>,
    /// The value the official SDKs send when the caller gives none (documentation only).
    pub sdk_default: Option<String>,
    /// Where an operation input travels (default: the body).
    pub location: Option<Spanned<Location>>,
    /// The element holds buyer personal data: redacted in logs and recordings.
    #[serde(default)]
    pub personal: bool,
    /// The header name of an input located in `header` (`x-amz-pay-idempotency-key`).
    pub header: Option<Spanned<String>>,
    /// A list whose items the service writes as JSON documents inside strings
    /// (v2 `shippingAddressList`); reading also accepts plain items.
    #[serde(default)]
    pub json_strings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShapeKind {
    String,
    Money,
    Structure,
    List,
    Enum,
    /// A JSON object with free keys (country codes) and values of one type.
    Map,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shape {
    pub name: Spanned<String>,
    pub kind: ShapeKind,
    #[serde(default)]
    pub doc: String,
    // string
    pub max_length: Option<u32>,
    // structure
    #[serde(default)]
    pub members: Vec<Member>,
    // list (item type) and map (value type)
    pub member: Option<Spanned<String>>,
    pub member_name: Option<String>,
    pub query_member_name: Option<String>,
    /// Other element names accepted for the items when reading XML.
    #[serde(default)]
    pub member_aliases: Vec<String>,
    // enum
    #[serde(default)]
    pub values: Vec<Spanned<String>>,
    #[serde(default)]
    pub docs: std::collections::BTreeMap<String, String>,
}

/// The primitive types a member may have besides shapes (`json`: any JSON value, rest-json only).
pub const PRIMITIVES: [&str; 6] = [
    "string",
    "integer",
    "boolean",
    "timestamp",
    "decimal",
    "json",
];

impl Spec {
    pub fn shape(&self, name: &str) -> Option<&Shape> {
        self.shapes
            .binary_search_by(|s| s.name.get_ref().as_str().cmp(name))
            .ok()
            .map(|i| &self.shapes[i])
    }

    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.name.get_ref() == name)
    }
}

impl Operation {
    pub fn name(&self) -> &str {
        self.name.get_ref()
    }

    /// The output structure's name (validated to be present).
    pub fn output_name(&self) -> &str {
        self.output
            .as_ref()
            .map(|o| o.get_ref().as_str())
            .unwrap_or("")
    }
}

impl Shape {
    pub fn name(&self) -> &str {
        self.name.get_ref()
    }

    /// The element name inside the list in XML.
    pub fn xml_member_name(&self) -> &str {
        self.member_name.as_deref().unwrap_or("member")
    }

    /// The segment between the list's prefix and the index in query parameters.
    pub fn query_member_name(&self) -> &str {
        self.query_member_name
            .as_deref()
            .unwrap_or_else(|| self.xml_member_name())
    }
}

impl Member {
    pub fn name(&self) -> &str {
        self.name.get_ref()
    }

    pub fn ty(&self) -> &str {
        self.ty.get_ref()
    }

    pub fn location(&self) -> Location {
        self.location
            .as_ref()
            .map_or(Location::Body, |l| *l.get_ref())
    }

    /// The name on the wire: the header name of a header input, else the member name.
    pub fn wire(&self) -> &str {
        self.header.as_ref().map_or(self.name(), |h| h.get_ref())
    }
}
