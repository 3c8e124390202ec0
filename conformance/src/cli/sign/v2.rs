//! `sign` for a v2 request: the input shape of the oracle's `v2_canonical.js` (what the
//! official Node SDK's `getSignedHeaders` takes), answered with what was signed.
//!
//! Like the SDK, it signs the caller's headers plus the ones it adds (accept, content-type,
//! x-amz-pay-date, -host, -region); a caller's header of the same name replaces the added
//! one. So, given the SDK's `x-amz-pay-date` (extended form) and `user-agent` as headers, the
//! canonical request is byte-identical to the SDK's.

use std::collections::BTreeMap;
use std::fmt;
use std::process::ExitCode;
use std::sync::Arc;

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::endpoint::{Clock as _, SystemClock};
use amazon_pay_protocol::v2::{Environment, Region};
use amazon_pay_protocol::v2_runtime::request::{Parts, sign_parts};
use amazon_pay_protocol::v2_runtime::{Algorithm, Credentials, PrivateKey};
use serde::Deserialize;

use crate::cli::CliResult;

/// The key that tells a v2 input from a v1 one.
const V2_MARKER: &str = "url_fragment";

/// Whether stdin holds a v2 request (an object with `url_fragment`).
pub fn is_v2(input: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(input)
        .is_ok_and(|value| value.get(V2_MARKER).is_some())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    method: String,
    /// The path after the base path (`charges/S02-…`), as the SDK takes it.
    url_fragment: String,
    #[serde(default)]
    query: BTreeMap<String, String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    /// A JSON document, written compactly (serde_json sorts object keys; `JSON.stringify`
    /// keeps their order, so give `body_raw` when the order matters).
    body: Option<serde_json::Value>,
    /// The exact body text.
    body_raw: Option<String>,
    region: String,
    #[serde(default)]
    sandbox: bool,
    public_key_id: String,
    algorithm: Option<String>,
    private_key_pem: Option<String>,
    now: Option<String>,
}

// The private key must never reach a log or an error message.
impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Input")
            .field("method", &self.method)
            .field("url_fragment", &self.url_fragment)
            .field("private_key_pem", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// A region name or one of the aliases the SDKs accept (`us`; `de`, `uk`).
fn region(name: &str) -> Option<Region> {
    match name.to_ascii_lowercase().as_str() {
        "us" => Some(Region::Na),
        "de" | "uk" => Some(Region::Eu),
        _ => Region::parse(name),
    }
}

pub fn run(input: &str) -> CliResult {
    let input: Input = serde_json::from_str(input)?;
    let region =
        region(&input.region).ok_or_else(|| format!("unknown region {:?}", input.region))?;
    let algorithm = match &input.algorithm {
        None => Algorithm::default(),
        Some(name) => {
            Algorithm::from_name(name).ok_or_else(|| format!("unknown algorithm {name:?}"))?
        }
    };
    // Without a key a fresh one signs, as the oracle does; its public half is printed.
    let generated = input.private_key_pem.is_none();
    let key = match &input.private_key_pem {
        Some(pem) => PrivateKey::from_pem(pem.as_bytes())?,
        None => PrivateKey::generate()?,
    };
    let public_key_pem = key.public_key()?.to_pem();
    let body = match (&input.body_raw, &input.body) {
        (Some(raw), _) => raw.clone().into_bytes(),
        (None, Some(value)) => serde_json::to_vec(value)?,
        (None, None) => Vec::new(),
    };
    let now = match &input.now {
        Some(text) => Timestamp::parse(text)?,
        None => SystemClock.now(),
    };
    let environment = if input.sandbox {
        Environment::Sandbox
    } else {
        Environment::Live
    };
    let path = format!(
        "{}/{}",
        environment.base_path(&input.public_key_id),
        input.url_fragment
    );
    let (query, headers) = (pairs(&input.query), pairs(&input.headers));
    let credentials = Credentials::new(&input.public_key_id, Arc::new(key), region.code())
        .with_algorithm(algorithm);
    let parts = Parts {
        method: &input.method.to_ascii_uppercase(),
        path: &path,
        query: &query,
        headers: &headers,
        body: &body,
    };
    let signed = sign_parts(&parts, &credentials, region.host(), now)?;
    let sent: BTreeMap<&str, &str> = signed
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let explained = &signed.explanation;
    let mut out = serde_json::json!({
        "canonical_uri": explained.canonical_uri,
        "canonical_request": explained.canonical_request,
        "string_to_sign": explained.string_to_sign,
        "signed_headers": explained.signed_headers,
        "signature": signed.signature,
        "headers": sent,
        "url": format!("https://{}{}", region.host(), signed.url),
    });
    if generated {
        out["public_key_pem"] = public_key_pem.into();
    }
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(ExitCode::SUCCESS)
}

fn pairs(map: &BTreeMap<String, String>) -> Vec<(&str, &str)> {
    map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}
