//! Scenario files (`conformance/scenarios/<generation>/*.toml`: `scenarios/v1/`, `scenarios/v2/`):
//! language-neutral multi-step flows, one folder per API generation. Each
//! step is one of: a buyer action (simulator only), an API call, a clock move (simulator only),
//! a check of what the buyer was told (v1) or of the notifications sent (v2; simulator only).
//! A v1 call names its Action and its wire `params`; a v2 call names its operation and gives
//! its JSON `body`, its `path` members and its `headers` (the idempotency key, the simulation
//! code), or a `raw_body` sent as is, and may sign with another of the merchant's keys (`key`).
//! Either may be broken on purpose (`tamper`). A call step states what the response must show
//! (`expect`, `absent`: dotted paths) or which error it must be (`error`, `status`,
//! `message_contains`), and may `save` values for later steps as `${name}`. `${run}` is a short
//! id unique to each run, for reference ids and idempotency keys.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use super::template::{lookup, substitute};
use crate::folder::Folder;

/// The API generation a scenario is written for: the name of its folder. Each generation has
/// its own player, so a folder of an unknown generation is an error, never played as another.
// `Default` only because `Scenario` skips the field when deserialising; `load_all` sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Generation {
    /// `OffAmazonPayments` 2013-01-01 (form POST, Signature Version 2, XML).
    #[default]
    V1,
    /// The Checkout API (JSON over REST, RSA-PSS).
    V2,
}

impl Generation {
    pub const ALL: [Generation; 2] = [Generation::V1, Generation::V2];

    /// The folder name under `scenarios/` and `recordings/`.
    pub fn folder(self) -> &'static str {
        match self {
            Generation::V1 => "v1",
            Generation::V2 => "v2",
        }
    }

    pub fn from_folder(name: &str) -> Option<Generation> {
        Generation::ALL.into_iter().find(|g| g.folder() == name)
    }

    /// The known folders, for messages: `v1/`.
    fn known_folders() -> String {
        Generation::ALL
            .map(|g| format!("{}/", g.folder()))
            .join(", ")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(skip)]
    pub name: String,
    /// From the folder the file is in.
    #[serde(skip)]
    pub generation: Generation,
    pub description: String,
    /// JP (default), NA, EU or UK (v2: JP, NA or EU): selects the account and therefore
    /// currency and limits.
    #[serde(default)]
    pub region: Option<String>,
    #[serde(rename = "step")]
    pub steps: Vec<Step>,
}

/// The buyer's part, played on the simulator's buyer endpoint.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuyerStep {
    /// v1: `billing_agreement` or `order_reference`: what the buyer leaves behind.
    #[serde(default)]
    pub creates: Option<String>,
    #[serde(default)]
    pub consent: Option<bool>,
    #[serde(default)]
    pub address: Option<bool>,
    /// `valid`, `declining` or `none`.
    #[serde(default)]
    pub payment_method: Option<String>,
    /// The buyer updates the payment method of this object (v1: to `payment_method`, default
    /// valid; v2: of this charge permission, on the hosted Update page, to `card`).
    #[serde(default)]
    pub updates_payment_method_of: Option<String>,
    /// v2: the buyer opens this `amazonPayRedirectUrl` and checks out.
    #[serde(default)]
    pub checkout: Option<String>,
    /// v2: the last four digits of the simulated card (reference §6.1; default 1111).
    #[serde(default)]
    pub card: Option<String>,
    /// v2: the address the buyer chooses, as the API spells it (default: the region's test
    /// address).
    #[serde(default)]
    pub shipping_address: Option<serde_json::Value>,
    /// v2: the buyer fails the EU strong-authentication step.
    #[serde(default)]
    pub fail_authentication: bool,
    /// v2: the buyer leaves the checkout with Cancel.
    #[serde(default)]
    pub cancel: bool,
    /// v2: the buyer cancels this saved wallet (charge permission) in their Amazon account.
    #[serde(default)]
    pub cancels_saved_wallet: Option<String>,
}

/// Which of the v2 merchant's public key ids signs a call (the simulator's merchants have one
/// of each; against Amazon's sandbox only the configured key exists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyChoice {
    /// A key id without prefix, on `/sandbox/v2`.
    Legacy,
    /// `SANDBOX-…`, on the unified `/v2`.
    Sandbox,
}

/// How to break a request on purpose (the service must refuse it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tamper {
    /// One character of the signature changed.
    Signature,
    /// Signed with a timestamp 20 minutes old.
    StaleTimestamp,
    /// v2: signed with an `x-amz-pay-date` 20 minutes ahead.
    FutureTimestamp,
    /// v2: sent to the live path (`/live/v2`) with the sandbox key.
    LivePath,
    /// v2: a POST sent without its idempotency key.
    NoIdempotencyKey,
}

impl Tamper {
    fn generations(self) -> &'static [Generation] {
        match self {
            Tamper::Signature | Tamper::StaleTimestamp => &[Generation::V1, Generation::V2],
            Tamper::FutureTimestamp | Tamper::LivePath | Tamper::NoIdempotencyKey => {
                &[Generation::V2]
            }
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub name: String,
    #[serde(default)]
    pub buyer: Option<BuyerStep>,
    /// An API call: the Action (v1) or operation (v2) name.
    #[serde(default)]
    pub call: Option<String>,
    /// v1: its parameters by wire name (common parameters are added by the runner).
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// v2: its JSON body (`${…}` is replaced in every string).
    #[serde(default)]
    pub body: Option<serde_json::Value>,
    /// v2: the body bytes exactly (bad JSON, unknown members), signed but never read first.
    #[serde(default)]
    pub raw_body: Option<String>,
    /// v2: its path members by name (`chargeId = "${charge}"`).
    #[serde(default)]
    pub path: BTreeMap<String, String>,
    /// v2: headers by lower-case name (`x-amz-pay-idempotency-key`,
    /// `x-amz-pay-simulation-code`); a POST without a key gets `${run}-<step number>`.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// v2: the key that signs (default: the sandbox key; others need the simulator).
    #[serde(default)]
    pub key: Option<KeyChoice>,
    #[serde(default)]
    pub tamper: Option<Tamper>,
    /// Moves the simulator clock forward.
    #[serde(default)]
    pub advance_clock_seconds: Option<i64>,
    /// Moves the simulator clock to the first day of the next month (plus one hour).
    #[serde(default)]
    pub advance_clock_to_next_month: bool,
    /// v1: the buyer must have been told about this object.
    #[serde(default)]
    pub buyer_notified_of: Option<String>,
    /// v2: a notification whose `Message` holds these members (`ObjectId = "${charge}"`) was
    /// delivered, other than those earlier `notified` steps matched.
    #[serde(default)]
    pub notified: BTreeMap<String, String>,
    /// Paths into the response's `{Action}Result` (v1) or document (v2) (dots; numbers index
    /// lists) and the text they must hold.
    #[serde(default)]
    pub expect: BTreeMap<String, String>,
    /// Paths that must not be present.
    #[serde(default)]
    pub absent: Vec<String>,
    /// The error code the call must fail with.
    #[serde(default)]
    pub error: Option<String>,
    /// The HTTP status of the error (v2: of the success too, such as Complete's 202).
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub message_contains: Option<String>,
    /// Values to remember: name → path (into the result, or into the buyer step's answer).
    #[serde(default)]
    pub save: BTreeMap<String, String>,
}

impl Step {
    /// Whether the step needs the simulator's test-only endpoints.
    pub fn simulator_only(&self) -> bool {
        self.buyer.is_some()
            || self.advance_clock_seconds.is_some()
            || self.advance_clock_to_next_month
            || self.buyer_notified_of.is_some()
            || !self.notified.is_empty()
            || self.key.is_some()
    }

    /// The fields of this step that another generation's steps use, by name.
    fn foreign_fields(&self, generation: Generation) -> Vec<&'static str> {
        use Generation::{V1, V2};
        let buyer = self.buyer.clone().unwrap_or_default();
        let fields = [
            ("params", !self.params.is_empty(), V1),
            ("buyer_notified_of", self.buyer_notified_of.is_some(), V1),
            ("buyer.creates", buyer.creates.is_some(), V1),
            ("buyer.consent", buyer.consent.is_some(), V1),
            ("buyer.address", buyer.address.is_some(), V1),
            ("buyer.payment_method", buyer.payment_method.is_some(), V1),
            ("body", self.body.is_some(), V2),
            ("raw_body", self.raw_body.is_some(), V2),
            ("path", !self.path.is_empty(), V2),
            ("headers", !self.headers.is_empty(), V2),
            ("key", self.key.is_some(), V2),
            ("notified", !self.notified.is_empty(), V2),
            ("buyer.checkout", buyer.checkout.is_some(), V2),
            ("buyer.card", buyer.card.is_some(), V2),
            (
                "buyer.shipping_address",
                buyer.shipping_address.is_some(),
                V2,
            ),
            ("buyer.fail_authentication", buyer.fail_authentication, V2),
            ("buyer.cancel", buyer.cancel, V2),
            (
                "buyer.cancels_saved_wallet",
                buyer.cancels_saved_wallet.is_some(),
                V2,
            ),
        ];
        let mut foreign: Vec<&'static str> = fields
            .into_iter()
            .filter(|(_, set, owner)| *set && *owner != generation)
            .map(|(name, _, _)| name)
            .collect();
        if self
            .tamper
            .is_some_and(|t| !t.generations().contains(&generation))
        {
            foreign.push("this tamper");
        }
        foreign
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// The repository's scenario folder, `conformance/scenarios` (the binary embeds a copy).
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// The copy of `conformance/scenarios` compiled into the binary: what the suite runs unless
/// told `--scenarios DIR`.
pub fn embedded() -> Folder {
    Folder::embedded("scenarios")
}

/// Every `<generation>/*.toml` below `root`, generation by generation, by file name. A
/// malformed file is an error naming the file, line and column, never a skipped scenario; so
/// are a folder that names no known generation and a scenario file outside any.
pub fn load_all(root: &Folder) -> Result<Vec<Scenario>, ScenarioError> {
    let io = |folder: &Folder| {
        let path = folder.path();
        move |source| ScenarioError::Io { path, source }
    };
    let mut scenarios = Vec::new();
    for entry in root.entries().map_err(io(root))? {
        let path = root.path().join(&entry.name);
        if !entry.is_dir {
            if entry.name.ends_with(".toml") {
                return Err(ScenarioError::Invalid {
                    path,
                    message: format!(
                        "a scenario belongs in its generation's folder ({})",
                        Generation::known_folders()
                    ),
                });
            }
            continue;
        }
        let generation =
            Generation::from_folder(&entry.name).ok_or_else(|| ScenarioError::Invalid {
                path,
                message: format!(
                    "not a known API generation ({})",
                    Generation::known_folders()
                ),
            })?;
        let folder = root.join(&entry.name);
        for file in folder.entries().map_err(io(&folder))? {
            if file.is_dir || !file.name.ends_with(".toml") {
                continue;
            }
            let path = folder.path().join(&file.name);
            let bytes = folder
                .read(&file.name)
                .map_err(io(&folder.join(&file.name)))?;
            let text = String::from_utf8(bytes).map_err(|_| ScenarioError::Invalid {
                path: path.clone(),
                message: "not UTF-8".to_owned(),
            })?;
            scenarios.push(parse(&path, &text, generation)?);
        }
    }
    Ok(scenarios)
}

/// Reads one scenario file of `generation`; `path` names it in errors and gives the scenario
/// its name.
pub fn parse(path: &Path, text: &str, generation: Generation) -> Result<Scenario, ScenarioError> {
    let invalid = |message: String| ScenarioError::Invalid {
        path: path.to_owned(),
        message,
    };
    let mut scenario: Scenario = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| {
                let before = &text[..s.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("line {line}, column {column}: ")
            })
            .unwrap_or_default();
        invalid(format!("{at}{}", e.message()))
    })?;
    scenario.name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    scenario.generation = generation;
    for (i, step) in scenario.steps.iter().enumerate() {
        let at = format!("step {} (`{}`)", i + 1, step.name);
        let kinds = [
            step.buyer.is_some(),
            step.call.is_some(),
            step.advance_clock_seconds.is_some() || step.advance_clock_to_next_month,
            step.buyer_notified_of.is_some(),
            !step.notified.is_empty(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return Err(invalid(format!(
                "{at} must be exactly one of buyer, call, advance_clock_*, buyer_notified_of, notified"
            )));
        }
        let call_fields = !step.params.is_empty()
            || step.body.is_some()
            || step.raw_body.is_some()
            || !step.path.is_empty()
            || !step.headers.is_empty()
            || step.error.is_some();
        if step.call.is_none() && call_fields {
            return Err(invalid(format!(
                "{at}: params, body, raw_body, path, headers and error belong to call steps"
            )));
        }
        if step.body.is_some() && step.raw_body.is_some() {
            return Err(invalid(format!("{at}: body or raw_body, not both")));
        }
        let foreign = step.foreign_fields(generation);
        if !foreign.is_empty() {
            return Err(invalid(format!(
                "{at}: {} not for {} scenarios",
                foreign.join(", "),
                generation.folder()
            )));
        }
    }
    Ok(scenario)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_files_name_the_place() {
        let path = Path::new("scenarios/v1/bad.toml");
        let message = parse(
            path,
            "description = \"x\"\n[[step]]\nname = 3\n",
            Generation::V1,
        )
        .unwrap_err()
        .to_string();
        assert!(
            message.contains("bad.toml") && message.contains("line 3"),
            "{message}"
        );
        let both = "description = \"x\"\n[[step]]\nname = \"both\"\ncall = \"GetServiceStatus\"\nadvance_clock_seconds = 1\n";
        assert!(
            parse(path, both, Generation::V1)
                .unwrap_err()
                .to_string()
                .contains("exactly one")
        );
    }

    #[test]
    fn a_step_uses_only_its_generation_s_fields() {
        let path = Path::new("scenarios/v1/mixed.toml");
        let v2_call = "description = \"x\"\n[[step]]\nname = \"c\"\ncall = \"GetCharge\"\npath = { chargeId = \"1\" }\n";
        assert!(parse(path, v2_call, Generation::V2).is_ok());
        let message = parse(path, v2_call, Generation::V1)
            .unwrap_err()
            .to_string();
        assert!(message.contains("path not for v1"), "{message}");
        let v1_buyer = "description = \"x\"\n[[step]]\nname = \"b\"\n[step.buyer]\ncreates = \"billing_agreement\"\n";
        let message = parse(path, v1_buyer, Generation::V2)
            .unwrap_err()
            .to_string();
        assert!(message.contains("buyer.creates not for v2"), "{message}");
        let future = "description = \"x\"\n[[step]]\nname = \"t\"\ncall = \"GetServiceStatus\"\ntamper = \"future_timestamp\"\n";
        let message = parse(path, future, Generation::V1).unwrap_err().to_string();
        assert!(message.contains("this tamper not for v1"), "{message}");
        let both = "description = \"x\"\n[[step]]\nname = \"r\"\ncall = \"GetCharge\"\nbody = {}\nraw_body = \"{}\"\n";
        assert!(parse(path, both, Generation::V2).is_err());
    }

    #[test]
    fn scenarios_live_in_known_generation_folders() {
        let root = std::env::temp_dir().join(format!("scenario-gen-{}", std::process::id()));
        let scenario = "description = \"x\"\n[[step]]\nname = \"s\"\ncall = \"GetServiceStatus\"\n";
        std::fs::create_dir_all(root.join("v1")).unwrap();
        std::fs::write(root.join("v1/ok.toml"), scenario).unwrap();
        std::fs::write(root.join("README.md"), "ignored").unwrap();
        let loaded = load_all(&Folder::Disk(root.clone())).unwrap();
        assert_eq!(loaded.len(), 1);
        assert_eq!(
            (loaded[0].name.as_str(), loaded[0].generation),
            ("ok", Generation::V1)
        );

        std::fs::write(root.join("stray.toml"), scenario).unwrap();
        let stray = load_all(&Folder::Disk(root.clone()))
            .unwrap_err()
            .to_string();
        assert!(
            stray.contains("stray.toml") && stray.contains("v1/"),
            "{stray}"
        );
        std::fs::remove_file(root.join("stray.toml")).unwrap();

        std::fs::create_dir_all(root.join("v9")).unwrap();
        let unknown = load_all(&Folder::Disk(root.clone()))
            .unwrap_err()
            .to_string();
        assert!(
            unknown.contains("v9") && unknown.contains("generation"),
            "{unknown}"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn the_embedded_scenarios_load() {
        let embedded = load_all(&embedded()).unwrap();
        let disk = load_all(&Folder::Disk(default_dir())).unwrap();
        let names = |s: &[Scenario]| s.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&embedded), names(&disk));
        assert!(embedded.len() >= 10);
    }
}
