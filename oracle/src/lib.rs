//! The one place where tests find the oracle: the official Amazon Pay SDKs installed by
//! `oracle/setup.sh` beside this crate, and the scripts there that call them (what each one
//! answers: `oracle/README.md`).
//!
//! [`find`] decides, for every interop test alike, between running, skipping and failing: an
//! installed oracle is returned; a missing one is skipped with `oracle missing: skipped`,
//! unless `AMAZON_PAY_ORACLE_REQUIRED=1` (CI sets it after installing), when it fails the
//! test, so CI can never pass with the interop comparisons silently left out.

use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Moves the oracle folder elsewhere (default: this crate's folder, `<repository>/oracle`).
pub const DIR_VARIABLE: &str = "AMAZON_PAY_ORACLE_DIR";
/// `1`: a missing oracle fails the test instead of skipping it.
pub const REQUIRED_VARIABLE: &str = "AMAZON_PAY_ORACLE_REQUIRED";
/// Written by `setup.sh` after a complete install (its last step).
const INSTALLED_MARKER: &str = ".installed";

/// An installed oracle folder.
#[derive(Debug, Clone)]
pub struct Oracle {
    dir: PathBuf,
}

/// Why the oracle could not answer.
#[derive(Debug, thiserror::Error)]
pub enum OracleError {
    #[error("{REQUIRED_VARIABLE}=1 but no oracle is installed at {0} (run oracle/setup.sh)")]
    Required(PathBuf),
    #[error("cannot run {script}: {source}")]
    Start {
        script: String,
        source: std::io::Error,
    },
    #[error("{script} failed: {stderr}")]
    Failed { script: String, stderr: String },
    #[error("{script}: {source}")]
    Json {
        script: String,
        source: serde_json::Error,
    },
}

/// The installed oracle, or `None` (after printing `oracle missing: skipped`) when there is
/// none and it is not required.
///
/// # Panics
///
/// When `AMAZON_PAY_ORACLE_REQUIRED=1` and no oracle is installed: this crate serves tests,
/// and that is the failure CI must see.
pub fn find() -> Option<Oracle> {
    let found = locate(
        std::env::var_os(DIR_VARIABLE),
        std::env::var_os(REQUIRED_VARIABLE),
    );
    match found {
        Ok(Some(oracle)) => Some(oracle),
        Ok(None) => {
            println!("oracle missing: skipped (run oracle/setup.sh; CI does)");
            None
        }
        Err(e) => panic!("{e}"),
    }
}

/// [`find`] without the environment: the folder (`None`: this crate's) and the value of
/// `AMAZON_PAY_ORACLE_REQUIRED`.
pub fn locate(
    dir: Option<OsString>,
    required: Option<OsString>,
) -> Result<Option<Oracle>, OracleError> {
    let dir = dir.map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    if dir.join(INSTALLED_MARKER).is_file() {
        return Ok(Some(Oracle { dir }));
    }
    if required.is_some_and(|value| value == "1") {
        return Err(OracleError::Required(dir));
    }
    Ok(None)
}

impl Oracle {
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs `script` of the oracle folder (`*.py` with its virtualenv's Python, `*.js` with
    /// Node) with `input` as JSON on stdin, and reads the JSON it prints.
    pub fn run<T: DeserializeOwned>(
        &self,
        script: &str,
        input: &impl Serialize,
    ) -> Result<T, OracleError> {
        let input = serde_json::to_vec(input).map_err(|source| OracleError::Json {
            script: script.to_owned(),
            source,
        })?;
        // setup.sh installs the Python SDK into the virtualenv and the Node SDK beside the
        // scripts, where `node` resolves `require` from.
        let interpreter = if script.ends_with(".py") {
            self.dir.join(".venv/bin/python")
        } else {
            PathBuf::from("node")
        };
        let start = |source| OracleError::Start {
            script: script.to_owned(),
            source,
        };
        let mut child = Command::new(interpreter)
            .arg(self.dir.join(script))
            .current_dir(&self.dir)
            // Leave the folder as setup.sh made it: no __pycache__ beside the scripts.
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(start)?;
        // Written from a thread, so a script that answers before reading everything cannot
        // deadlock against a full stdin pipe.
        let mut stdin = child.stdin.take();
        let writer = std::thread::spawn(move || match stdin.as_mut() {
            Some(stdin) => stdin.write_all(&input),
            None => Ok(()),
        });
        let output = child.wait_with_output().map_err(start)?;
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("stdin writer panicked")));
        if !output.status.success() {
            return Err(OracleError::Failed {
                script: script.to_owned(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        written.map_err(start)?;
        serde_json::from_slice(&output.stdout).map_err(|source| OracleError::Json {
            script: script.to_owned(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn a_missing_oracle_is_skipped_unless_required() {
        let nowhere = || Some(OsString::from("/nonexistent/amazon-pay-oracle"));
        assert!(locate(nowhere(), None).unwrap().is_none());
        assert!(locate(nowhere(), Some("0".into())).unwrap().is_none());
        let err = locate(nowhere(), Some("1".into())).unwrap_err();
        assert!(
            matches!(&err, OracleError::Required(dir) if dir.ends_with("amazon-pay-oracle")),
            "{err}"
        );
    }

    /// The Java SDK's published vector, through the Python SDK.
    #[test]
    fn the_python_signer_reproduces_a_published_signature() {
        let Some(oracle) = find() else { return };
        let request = json!({
            "method": "POST", "host": "mws.amazonservices.com",
            "path": "/OffAmazonPayments_Sandbox/2013-01-01", "secret_key": "TEST_SECRET_KEY",
            "params": {"AWSAccessKeyId": "TEST_ACCESS_KEY", "Action": "GetOrderReferenceDetails",
                "AmazonOrderReferenceId": "AMAZON_ORDER_REFERENCE_ID",
                "SellerId": "TEST_MERCHANT_ID", "Timestamp": "2015-12-31T23:59:58Z"},
        });
        let one: Value = oracle.run("v1_sign.py", &request).unwrap();
        assert_eq!(
            one["signature"],
            "cpkDC72d5lMIbo5ET2dvERTw4F2cGQJL3eQPzUe2pAE="
        );
        let batch: Vec<Value> = oracle.run("v1_sign.py", &[&request, &request]).unwrap();
        assert_eq!(batch, [one.clone(), one]);
    }

    #[test]
    fn the_node_v2_signer_signs_verifiably_and_rejects_a_changed_string() {
        let Some(oracle) = find() else { return };
        let mut request = json!({
            "method": "POST", "url_fragment": "charges", "query": {"b": "x y", "a": "1*2"},
            "body": {"chargeAmount": {"amount": "1000", "currencyCode": "JPY"}},
            "region": "jp", "sandbox": true, "public_key_id": "AEXAMPLEKEYID",
            "algorithm": "AMZN-PAY-RSASSA-PSS-V2", "now": "2024-01-02T03:04:05Z",
        });
        let first: Value = oracle.run("v2_canonical.js", &request).unwrap();
        assert_eq!(first["canonical_uri"], "/sandbox/v2/charges");
        assert!(
            first["canonical_request"]
                .as_str()
                .unwrap()
                .contains("\na=1*2&b=x%20y\n")
        );
        assert_eq!(first["sdk_signature_verifies"], true);

        // A signature made elsewhere, checked against the string it signed and another one.
        request["verify"] = json!({
            "signature": first["sdk_signature"],
            "string_to_sign": first["string_to_sign"],
            "public_key_pem": first["public_key_pem"],
        });
        let same: Value = oracle.run("v2_canonical.js", &request).unwrap();
        assert_eq!(same["verifies"], true);
        let changed = format!("{}0", first["string_to_sign"].as_str().unwrap());
        request["verify"]["string_to_sign"] = json!(changed);
        let other: Value = oracle.run("v2_canonical.js", &request).unwrap();
        assert_eq!(other["verifies"], false);
    }
}
