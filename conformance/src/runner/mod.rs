//! The conformance runner: plays the scenarios of `conformance/scenarios/<generation>/` (the
//! copy compiled into the binary, or another folder) against the embedded simulator (started
//! on a free loopback port) or against Amazon's sandbox, with the protocol crate's client;
//! optionally records redacted cassettes, one folder per generation.

pub mod play;
pub mod record;
pub mod report;
pub mod scenario;

use std::path::PathBuf;
use std::sync::Arc;

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::client::{ReqwestTransport, Transport};
use amazon_pay_protocol::credentials::{AuthToken, Credentials, SecretKey};
use amazon_pay_protocol::endpoint::Endpoint;
use amazon_pay_protocol::v1::{Environment, Region};
use indicatif::{ProgressBar, ProgressStyle};

use crate::folder::Folder;
use crate::sandbox::{Sandbox, SandboxConfig};
use play::{ScenarioOutcome, Target};
use record::Recorder;

/// Where scenarios run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TargetKind {
    /// The embedded simulator on a free 127.0.0.1 port.
    Simulator,
    /// Amazon's sandbox; credentials from AMAZON_PAY_ACCESS_KEY_ID, AMAZON_PAY_SECRET_KEY,
    /// AMAZON_PAY_SELLER_ID, AMAZON_PAY_MWS_AUTH_TOKEN (optional) and AMAZON_PAY_REGION (JP,
    /// NA, EU, UK; default JP).
    Sandbox,
}

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub target: TargetKind,
    /// The folder holding one sub-folder per generation (`v1/`).
    pub scenarios: Folder,
    /// Only scenarios whose name contains this.
    pub only: Option<String>,
    /// Cassettes go to `<record>/<generation>/<scenario>.json`.
    pub record: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Scenario(#[from] scenario::ScenarioError),
    #[error(transparent)]
    Sandbox(#[from] crate::sandbox::SandboxError),
    #[error("{0}")]
    Setup(String),
}

/// The `${run}` of scenarios played against the simulator.
const SIMULATOR_RUN_ID: &str = "simrun01";

/// The simulator of one scenario: a fresh world whose clock starts at a fixed time and moves
/// only when a step moves it, with seeded ids. The same scenario therefore gets the same
/// answers, byte for byte, whichever scenarios run before it, which keeps the committed
/// recordings stable; and the month-boundary steps never depend on the day the suite runs.
pub fn reproducible() -> SandboxConfig {
    SandboxConfig {
        frozen_clock: Timestamp::from_unix(REPRODUCIBLE_START),
        seed: Some(1),
        ..SandboxConfig::default()
    }
}

/// 2026-01-15T09:00:00Z: mid-month, so a scenario's month is never cut short.
const REPRODUCIBLE_START: i64 = 1_768_467_600;

fn env(name: &str) -> Result<String, RunError> {
    std::env::var(name).map_err(|_| RunError::Setup(format!("--target sandbox needs {name}")))
}

/// Plays every selected scenario, one after the other, with a progress bar.
pub async fn run(options: &RunOptions) -> Result<Vec<ScenarioOutcome>, RunError> {
    let mut scenarios = scenario::load_all(&options.scenarios)?;
    if let Some(only) = &options.only {
        scenarios.retain(|s| s.name.contains(only.as_str()));
    }
    let base: Arc<dyn Transport> = Arc::new(
        ReqwestTransport::new(amazon_pay_protocol::client::DEFAULT_CONNECT_TIMEOUT)
            .map_err(|e| RunError::Setup(e.to_string()))?,
    );
    // Amazon's sandbox remembers reference ids across runs, so each run needs its own; the
    // simulator starts afresh for every scenario, frozen and seeded, so its runs repeat exactly.
    let run_id = match options.target {
        TargetKind::Simulator => SIMULATOR_RUN_ID.to_owned(),
        TargetKind::Sandbox => format!("{:08x}", rand::random::<u32>()),
    };
    let progress = ProgressBar::new(scenarios.len() as u64);
    progress.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut outcomes = Vec::new();
    for scenario in &scenarios {
        progress.set_message(scenario.name.clone());
        let region = scenario
            .region
            .as_deref()
            .map(|r| {
                Region::parse(r).ok_or_else(|| {
                    RunError::Setup(format!("{}: unknown region {r}", scenario.name))
                })
            })
            .transpose()?
            .unwrap_or(Region::Jp);
        let (transport, tape): (Arc<dyn Transport>, _) = match &options.record {
            Some(_) => {
                let (recorder, tape) = Recorder::new(base.clone());
                (Arc::new(recorder), Some(tape))
            }
            None => (base.clone(), None),
        };
        let sandbox = match options.target {
            TargetKind::Simulator => Some(Sandbox::start(reproducible()).await?),
            TargetKind::Sandbox => None,
        };
        let target = match &sandbox {
            Some(sim) => {
                let account = sim
                    .account(region)
                    .ok_or_else(|| RunError::Setup(format!("no simulator account for {region}")))?;
                Target {
                    credentials: account.credentials(),
                    endpoint: sim.endpoint(Environment::Sandbox),
                    control: Some(sim.base_url()),
                    transport,
                }
            }
            None => {
                let region = Region::parse(
                    &std::env::var("AMAZON_PAY_REGION").unwrap_or_else(|_| "JP".into()),
                )
                .ok_or_else(|| {
                    RunError::Setup("AMAZON_PAY_REGION must be JP, NA, EU or UK".into())
                })?;
                let mut credentials = Credentials::new(
                    env("AMAZON_PAY_ACCESS_KEY_ID")?,
                    SecretKey::new(env("AMAZON_PAY_SECRET_KEY")?),
                    env("AMAZON_PAY_SELLER_ID")?,
                );
                // Solution providers call on a seller's behalf with the seller's token.
                if let Ok(token) = std::env::var("AMAZON_PAY_MWS_AUTH_TOKEN") {
                    credentials = credentials.with_mws_auth_token(AuthToken::new(token));
                }
                Target {
                    credentials,
                    endpoint: Endpoint::amazon(region, Environment::Sandbox),
                    control: None,
                    transport,
                }
            }
        };
        let outcome = play::play(&target, scenario, &run_id).await;
        if let Some(sim) = sandbox {
            sim.shutdown().await;
        }
        if let (Some(dir), Some(tape)) = (&options.record, tape) {
            let exchanges = tape.lock().unwrap_or_else(|p| p.into_inner()).clone();
            let dir = dir.join(scenario.generation.folder());
            record::write_cassette(&dir, &scenario.name, &exchanges)
                .map_err(|e| RunError::Setup(format!("cannot write cassette: {e}")))?;
        }
        outcomes.push(outcome);
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok(outcomes)
}
