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
    pub payment_domain: String,
    /// In the region's first currency.
    pub billing_agreement_monthly_limit: String,
    pub doc: String,
}

/// The protocol, which picks the emitter.
#[derive(Debug, Clone)]
pub enum Protocol {
    MwsQuery(MwsQuery),
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
