//! The service, its protocol and its error codes.

use amazon_pay_spec::{ErrorClass, ParamSource};

#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    pub version: String,
    pub sandbox_path: String,
    pub live_path: String,
    pub regions: Vec<Region>,
}

#[derive(Debug, Clone)]
pub struct Region {
    /// The spec name (`JP`).
    pub name: String,
    /// The Rust variant (`Jp`).
    pub variant: String,
    pub host: String,
    pub currencies: Vec<String>,
    /// v1: the `PaymentDomain` of ListOrderReference.
    pub payment_domain: Option<String>,
    /// v1: in the region's first currency.
    pub billing_agreement_monthly_limit: Option<String>,
    /// v2: the region header's value.
    pub code: Option<String>,
    pub doc: String,
}

/// The protocol, which picks the emitter.
#[derive(Debug, Clone)]
pub enum Protocol {
    MwsQuery(MwsQuery),
    RestJson(RestJson),
}

/// v2: JSON over REST, RSA-PSS signatures.
#[derive(Debug, Clone)]
pub struct RestJson {
    pub api_version: String,
    pub unified_path: String,
    pub unified_key_prefixes: Vec<String>,
    /// (name, salt length), the default first.
    pub signature_algorithms: Vec<(String, u32)>,
    pub content_type: String,
    pub date_header: String,
    pub host_header: String,
    pub region_header: String,
    pub idempotency_key_header: String,
    pub request_id_header: String,
}

/// v1: form POST, Signature Version 2, XML.
#[derive(Debug, Clone)]
pub struct MwsQuery {
    pub xml_namespace: String,
    pub ipn_namespace: String,
    pub signature_method: String,
    pub signature_version: String,
    pub max_clock_skew_seconds: u32,
    /// In spec order.
    pub common: Vec<CommonParam>,
}

#[derive(Debug, Clone)]
pub struct CommonParam {
    pub wire: String,
    pub from: ParamSource,
    pub secret: bool,
    pub volatile: bool,
}

impl MwsQuery {
    /// The wire names of the common parameters that pass `keep`, sorted.
    pub fn common_names(&self, keep: impl Fn(&CommonParam) -> bool) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .common
            .iter()
            .filter(|p| keep(p))
            .map(|p| p.wire.as_str())
            .collect();
        names.sort_unstable();
        names
    }
}

#[derive(Debug, Clone)]
pub struct ErrorEntry {
    pub code: String,
    /// The Rust variant.
    pub variant: String,
    pub status: Option<u16>,
    pub class: ErrorClass,
    pub doc: String,
}
