//! The v2 signing vectors (`vectors/v2/`, format in `vectors/README.md`): one request per
//! folder with whichever expected outputs its source publishes, checked against the v2 signer
//! of the runtime. RSA-PSS signatures are randomised, so signatures are verified, not compared:
//! ours with the test key's public half under the algorithm's salt, and the Node SDK's stored
//! one with our verifier.

use std::collections::BTreeMap;

use amazon_pay_protocol::v2::{Environment, Region};
use amazon_pay_protocol::v2_runtime::key::{Algorithm, PrivateKey, PublicKey};
use amazon_pay_protocol::v2_runtime::sign::{
    Canonicalize, canonical_headers, canonical_query, hex_sha256, signature, string_to_sign,
};
use base64::Engine as _;
use serde::Deserialize;

use super::{VectorError, case_folders, read_bytes, read_json, read_text};
use crate::folder::Folder;

/// The expected outputs a folder may hold, in the order they are checked.
pub const EXPECTED_FILES: [&str; 7] = [
    "canonical_uri.txt",
    "canonical_query.txt",
    "canonical_headers.txt",
    "signed_headers.txt",
    "canonical_request.txt",
    "canonical_request_sha256.txt",
    "string_to_sign.txt",
];

/// The Node SDK's signature of `string_to_sign.txt` with the test key (base64).
const SDK_SIGNATURE: &str = "sdk_signature.txt";

/// What a folder signs: an API request (the default) or a button payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Request,
    Button,
}

/// Where a request signed by an SDK went: the inputs the SDK derived the path and the host
/// from, so the vector also pins the endpoint rules (key prefixes, regions).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointContext {
    pub public_key_id: String,
    pub region: String,
    pub sandbox: bool,
    pub url_fragment: String,
}

/// `context.json` of a `v2` case.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
    pub source: String,
    pub pitfall: String,
    #[serde(default)]
    pub kind: Kind,
    /// What the source did to its input before the documented rule applies (PHP's).
    pub preprocessing: Option<String>,
    /// Why the expected values differ from the source's (kept in `source_expected`).
    pub deviation: Option<String>,
    #[serde(default)]
    pub source_expected: BTreeMap<String, String>,
    pub endpoint: Option<EndpointContext>,
}

/// `request.json` of a `v2` case; the body is `body.bin`, byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub algorithm: String,
}

/// One `v2/<name>/` folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub name: String,
    pub context: Context,
    pub request: Request,
    pub body: Vec<u8>,
    /// The expected outputs present, by file name (see [`EXPECTED_FILES`]).
    pub expected: BTreeMap<&'static str, String>,
    pub sdk_signature: Option<String>,
}

/// The test-only key pair of `v2-test-key/` that signed the Node SDK's vectors.
pub struct TestKey {
    pub private: PrivateKey,
    pub public: PublicKey,
}

/// Loads `<dir>/v2-test-key/`.
pub fn load_test_key(dir: &Folder) -> Result<TestKey, VectorError> {
    let folder = dir.join("v2-test-key");
    let key_error = |name: &str| {
        let path = folder.path().join(name);
        move |source| VectorError::Key { path, source }
    };
    let private = PrivateKey::from_pem(&read_bytes(&folder, "private_key.pem")?)
        .map_err(key_error("private_key.pem"))?;
    let public = PublicKey::from_pem(&read_bytes(&folder, "public_key.pem")?)
        .map_err(key_error("public_key.pem"))?;
    Ok(TestKey { private, public })
}

/// A file that may be absent: `None` when it is, an error for anything else.
fn optional_text(folder: &Folder, name: &str) -> Result<Option<String>, VectorError> {
    match folder.read(name) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        _ => read_text(folder, name).map(Some),
    }
}

/// Loads every case under `<dir>/v2/`. A vector folder without `v2/` (one made before the v2
/// vectors, or for v1 only) has no v2 cases.
pub fn load_cases(dir: &Folder) -> Result<Vec<Case>, VectorError> {
    let v2 = dir.join("v2");
    let folders = match case_folders(&v2) {
        Err(VectorError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            Vec::new()
        }
        listed => listed?,
    };
    folders
        .into_iter()
        .map(|(name, folder)| {
            let mut expected = BTreeMap::new();
            for file in EXPECTED_FILES {
                if let Some(text) = optional_text(&folder, file)? {
                    expected.insert(file, text);
                }
            }
            Ok(Case {
                context: read_json(&folder, "context.json")?,
                request: read_json(&folder, "request.json")?,
                body: read_bytes(&folder, "body.bin")?,
                expected,
                sdk_signature: optional_text(&folder, SDK_SIGNATURE)?,
                name,
            })
        })
        .collect()
}

/// What this repository computes for a case, by expected file name.
fn computed(case: &Case, algorithm: Algorithm) -> Result<BTreeMap<&'static str, String>, String> {
    let request = &case.request;
    if case.context.kind == Kind::Button {
        let payload = std::str::from_utf8(&case.body)
            .map_err(|_| "a button payload must be UTF-8 text".to_owned())?;
        return Ok(BTreeMap::from([(
            "string_to_sign.txt",
            string_to_sign(algorithm, payload),
        )]));
    }
    let query: Vec<(&str, &str)> = request
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let explained = Canonicalize {
        method: &request.method,
        path: &request.path,
        query: &query,
        headers: &headers,
        body: &case.body,
    }
    .explain(algorithm);
    let (canonical_headers, _) = canonical_headers(&request.headers);
    Ok(BTreeMap::from([
        ("canonical_uri.txt", explained.canonical_uri),
        ("canonical_query.txt", canonical_query(&query)),
        ("canonical_headers.txt", canonical_headers),
        ("signed_headers.txt", explained.signed_headers),
        (
            "canonical_request_sha256.txt",
            hex_sha256(explained.canonical_request.as_bytes()),
        ),
        ("canonical_request.txt", explained.canonical_request),
        ("string_to_sign.txt", explained.string_to_sign),
    ]))
}

/// Compares one case; returns a description of every mismatch (empty when it conforms).
pub fn check_case(case: &Case, key: &TestKey) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(algorithm) = Algorithm::from_name(&case.request.algorithm) else {
        return vec![format!("unknown algorithm {:?}", case.request.algorithm)];
    };
    if case.expected.is_empty() {
        problems.push("no expected output: the folder checks nothing".to_owned());
    }
    let ours = match computed(case, algorithm) {
        Ok(ours) => ours,
        Err(problem) => return vec![problem],
    };
    for (file, want) in &case.expected {
        let got = ours.get(file).map_or("(not computed)", String::as_str);
        if got != want {
            problems.push(format!("{file}\n  got:  {got:?}\n  want: {want:?}"));
        }
    }
    // Every case signs: our signature must verify under the algorithm's salt.
    let to_sign = ours.get("string_to_sign.txt").map_or("", String::as_str);
    match signature(&key.private, algorithm, to_sign) {
        Ok(ours) if verifies(&key.public, algorithm, to_sign, &ours) => {}
        Ok(_) => problems.push("our signature does not verify with the test key".to_owned()),
        Err(e) => problems.push(format!("signing failed: {e}")),
    }
    if let Some(sdk) = &case.sdk_signature {
        let published = case
            .expected
            .get("string_to_sign.txt")
            .map_or("", String::as_str);
        if !verifies(&key.public, algorithm, published, sdk) {
            problems.push("the SDK's signature does not verify with our verifier".to_owned());
        }
    }
    if let Some(endpoint) = &case.context.endpoint {
        problems.extend(endpoint_problems(&case.request, endpoint));
    }
    problems
}

fn verifies(public: &PublicKey, algorithm: Algorithm, message: &str, signature: &str) -> bool {
    base64::engine::general_purpose::STANDARD
        .decode(signature.trim())
        .is_ok_and(|raw| public.verify(algorithm, message.as_bytes(), &raw))
}

/// The path, host and region header an SDK derived from its configuration, against ours.
fn endpoint_problems(request: &Request, endpoint: &EndpointContext) -> Vec<String> {
    let Some(region) = Region::parse(&endpoint.region) else {
        return vec![format!("unknown region {:?}", endpoint.region)];
    };
    let environment = if endpoint.sandbox {
        Environment::Sandbox
    } else {
        Environment::Live
    };
    let path = format!(
        "{}/{}",
        environment.base_path(&endpoint.public_key_id),
        endpoint.url_fragment
    );
    let header = |name: &str| {
        request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let mut problems = Vec::new();
    for (what, got, want) in [
        ("path", Some(path.as_str()), Some(request.path.as_str())),
        (
            "x-amz-pay-host",
            Some(region.host()),
            header("x-amz-pay-host"),
        ),
        (
            "x-amz-pay-region",
            Some(region.code()),
            header("x-amz-pay-region"),
        ),
    ] {
        if got != want {
            problems.push(format!("{what}\n  ours: {got:?}\n  sdk:  {want:?}"));
        }
    }
    problems
}
