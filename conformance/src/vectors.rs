//! Loads the language-neutral signing vectors of `conformance/vectors/` (format in the README
//! there): `v1/` (Signature Version 2 requests), `hmac/` (bare HMAC-SHA256) and `v2/` (RSA-PSS
//! canonical requests, module [`v2`]), from the
//! repository, the copy compiled into the binary, or any folder of that layout. Cases are found
//! by listing folders, never from a hand-kept list, so a new folder is picked up by every
//! runner without a code change.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use amazon_pay_protocol::ParamMap;
use amazon_pay_protocol::credentials::SecretKey;
use amazon_pay_protocol::sign::sign_param_map;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use crate::folder::Folder;

pub mod v2;

/// The folder holding `v1/` and `hmac/` in this repository (the binary embeds a copy).
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// The copy of `conformance/vectors` compiled into the binary: what the suite checks unless
/// told `--vectors DIR`.
pub fn embedded() -> Folder {
    Folder::embedded("vectors")
}

/// Why a vector folder could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum VectorError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid JSON in {path}: {source}")]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{path}: not UTF-8 text")]
    Text { path: PathBuf },
    #[error("{path}: {source}")]
    Key {
        path: PathBuf,
        source: amazon_pay_protocol::v2_runtime::KeyError,
    },
}

/// `context.json` of a `v1` case: where the request goes and what the case pins.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SigningContext {
    pub method: String,
    pub host: String,
    pub path: String,
    pub secret_key: String,
    pub region: String,
    pub environment: String,
    pub pitfall: String,
    pub source: String,
}

// The secret is a published test value, but it is still a secret key by type: keep it out of
// Debug output like every other secret in the workspace.
impl fmt::Debug for SigningContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningContext")
            .field("method", &self.method)
            .field("host", &self.host)
            .field("path", &self.path)
            .field("secret_key", &"<redacted>")
            .field("region", &self.region)
            .field("environment", &self.environment)
            .field("pitfall", &self.pitfall)
            .finish_non_exhaustive()
    }
}

/// One `v1/<name>/` folder: the input parameters and the expected outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningCase {
    pub name: String,
    pub context: SigningContext,
    /// Every parameter except `Signature` (file order is meaningless, hence a sorted map).
    pub params: BTreeMap<String, String>,
    pub canonical_query: String,
    pub string_to_sign: String,
    pub signature: String,
    /// The official Python SDK's form body; compare it decoded, not byte for byte.
    pub body: Vec<u8>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HmacContext {
    pitfall: String,
    source: String,
}

/// One `hmac/<name>/` folder: a bare HMAC-SHA256 with its published base64 result.
#[derive(Clone, PartialEq, Eq)]
pub struct HmacCase {
    pub name: String,
    pub pitfall: String,
    pub source: String,
    pub key: String,
    pub message: String,
    pub signature: String,
}

impl fmt::Debug for HmacCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacCase")
            .field("name", &self.name)
            .field("key", &"<redacted>")
            .field("message", &self.message)
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

/// Every sub-folder of `kind`, sorted by name so runs are reproducible.
pub fn case_folders(kind: &Folder) -> Result<Vec<(String, Folder)>, VectorError> {
    let entries = kind.entries().map_err(|source| VectorError::Io {
        path: kind.path(),
        source,
    })?;
    Ok(entries
        .into_iter()
        .filter(|entry| entry.is_dir)
        .map(|entry| {
            let folder = kind.join(&entry.name);
            (entry.name, folder)
        })
        .collect())
}

/// Loads every case under `<dir>/v1/`.
pub fn load_signing_cases(dir: &Folder) -> Result<Vec<SigningCase>, VectorError> {
    case_folders(&dir.join("v1"))?
        .into_iter()
        .map(|(name, folder)| {
            Ok(SigningCase {
                context: read_json(&folder, "context.json")?,
                params: read_json(&folder, "params.json")?,
                canonical_query: read_text(&folder, "canonical_query.txt")?,
                string_to_sign: read_text(&folder, "string_to_sign.txt")?,
                signature: read_text(&folder, "signature.txt")?,
                body: read_bytes(&folder, "body.txt")?,
                name,
            })
        })
        .collect()
}

/// Loads every case under `<dir>/hmac/`.
pub fn load_hmac_cases(dir: &Folder) -> Result<Vec<HmacCase>, VectorError> {
    case_folders(&dir.join("hmac"))?
        .into_iter()
        .map(|(name, folder)| {
            let context: HmacContext = read_json(&folder, "context.json")?;
            Ok(HmacCase {
                pitfall: context.pitfall,
                source: context.source,
                key: read_text(&folder, "key.txt")?,
                message: read_text(&folder, "message.txt")?,
                signature: read_text(&folder, "signature.txt")?,
                name,
            })
        })
        .collect()
}

/// Compares one case; returns a description of every mismatch (empty when it conforms).
pub fn check_signing_case(case: &SigningCase) -> Vec<String> {
    let ctx = &case.context;
    let mut problems = Vec::new();
    if ctx.method != "POST" {
        problems.push(format!("method {:?}: v1 signs only POST", ctx.method));
        return problems;
    }
    let secret = SecretKey::new(ctx.secret_key.clone());
    let got = sign_param_map(&ctx.host, &ctx.path, &secret, &case.params);
    for (what, got, want) in [
        (
            "canonical query",
            &got.canonical_query,
            &case.canonical_query,
        ),
        ("string to sign", &got.string_to_sign, &case.string_to_sign),
        ("signature", &got.signature, &case.signature),
    ] {
        if got != want {
            problems.push(format!("{what}\n  got:  {got:?}\n  want: {want:?}"));
        }
    }
    // Bodies are equal when they decode to the same parameters (see the vectors README).
    let ours = ParamMap::from_form(got.body.as_ref());
    let sdk = ParamMap::from_form(&case.body);
    if ours != sdk {
        problems.push(format!(
            "body decodes differently\n  got:  {:?}\n  want: {:?}",
            ours.0, sdk.0
        ));
    }
    let mut expected_params = case.params.clone();
    expected_params.insert("Signature".to_owned(), case.signature.clone());
    if sdk.0 != expected_params {
        problems.push(
            "the SDK body does not decode to params.json plus Signature: vector is corrupt"
                .to_owned(),
        );
    }
    problems
}

/// HMAC-SHA256 of the case's message with its key, base64.
pub fn hmac_sha256_base64(case: &HmacCase) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(case.key.as_bytes()).expect("HMAC accepts any key length");
    mac.update(case.message.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn read_bytes(folder: &Folder, name: &str) -> Result<Vec<u8>, VectorError> {
    folder.read(name).map_err(|source| VectorError::Io {
        path: folder.path().join(name),
        source,
    })
}

/// The exact file content: expected values have no trailing newline, so none is stripped.
fn read_text(folder: &Folder, name: &str) -> Result<String, VectorError> {
    String::from_utf8(read_bytes(folder, name)?).map_err(|_| VectorError::Text {
        path: folder.path().join(name),
    })
}

fn read_json<T: serde::de::DeserializeOwned>(
    folder: &Folder,
    name: &str,
) -> Result<T, VectorError> {
    serde_json::from_slice(&read_bytes(folder, name)?).map_err(|source| VectorError::Json {
        path: folder.path().join(name),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_every_folder_of_the_repository() {
        let dir = Folder::Disk(default_dir());
        let v1 = load_signing_cases(&dir).unwrap();
        assert_eq!(v1.len(), case_folders(&dir.join("v1")).unwrap().len());
        assert!(v1.len() >= 38, "only {} v1 cases", v1.len());
        assert!(
            v1.iter()
                .all(|c| c.params.contains_key("Action") && !c.signature.is_empty())
        );
        assert_eq!(load_hmac_cases(&dir).unwrap().len(), 2);
    }

    #[test]
    fn a_missing_file_is_a_typed_error_naming_it() {
        let tmp = std::env::temp_dir().join(format!("vectors-missing-{}", std::process::id()));
        std::fs::create_dir_all(tmp.join("v1/broken")).unwrap();
        let err = load_signing_cases(&Folder::Disk(tmp.clone())).unwrap_err();
        std::fs::remove_dir_all(&tmp).unwrap();
        assert!(
            matches!(&err, VectorError::Io { path, .. } if path.ends_with("broken/context.json")),
            "{err}"
        );
    }

    #[test]
    fn debug_output_hides_the_secret_key() {
        let case = load_signing_cases(&embedded()).unwrap().remove(0);
        let shown = format!("{case:?}");
        assert!(!shown.contains(&case.context.secret_key));
        assert!(shown.contains("<redacted>"));
    }
}
