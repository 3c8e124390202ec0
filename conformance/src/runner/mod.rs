//! The conformance runner: plays the scenarios of `conformance/scenarios/<generation>/` (the
//! copy compiled into the binary, or another folder) against the embedded simulator (started
//! on a free loopback port) or against Amazon's sandbox, with the protocol crate's client of
//! the scenario's generation (`play.rs` for v1, `play_v2.rs` for v2, sharing `session.rs`);
//! optionally records redacted cassettes, one folder per generation.

pub mod play;
pub mod play_v2;
pub mod record;
pub mod report;
pub mod scenario;
pub mod session;
pub mod template;

use std::path::PathBuf;
use std::sync::Arc;

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::client::{ReqwestTransport, Transport};
use amazon_pay_protocol::credentials::{AuthToken, Credentials, SecretKey};
use amazon_pay_protocol::endpoint::Endpoint;
use amazon_pay_protocol::v1::{Environment, Region};
use amazon_pay_protocol::v2;
use amazon_pay_protocol::v2_runtime::key::PrivateKey;
use indicatif::{ProgressBar, ProgressStyle};

use crate::folder::Folder;
use crate::sandbox::{Sandbox, SandboxConfig};
use play::{ScenarioOutcome, Target};
use play_v2::{Signer, V2Target};
use record::Recorder;
use scenario::{Generation, Scenario};

/// Where scenarios run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TargetKind {
    /// The embedded simulator on a free 127.0.0.1 port.
    Simulator,
    /// Amazon's sandbox. v1 credentials from AMAZON_PAY_ACCESS_KEY_ID, AMAZON_PAY_SECRET_KEY,
    /// AMAZON_PAY_SELLER_ID, AMAZON_PAY_MWS_AUTH_TOKEN (optional) and AMAZON_PAY_REGION (JP,
    /// NA, EU, UK; default JP); v2 credentials from AMAZON_PAY_V2_PUBLIC_KEY_ID (a
    /// `SANDBOX-…` or legacy key id), AMAZON_PAY_V2_PRIVATE_KEY (the PEM itself) or
    /// AMAZON_PAY_V2_PRIVATE_KEY_PATH (its file), AMAZON_PAY_V2_STORE_ID and
    /// AMAZON_PAY_V2_REGION (JP, NA, EU; default JP). A generation whose scenarios are
    /// selected needs its variables.
    Sandbox,
}

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub target: TargetKind,
    /// The folder holding one sub-folder per generation (`v1/`, `v2/`).
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
    // The simulator delivers v2 notifications to a receiver that takes them all, and logs
    // what it delivered (`notified` steps read the log).
    let (sink, sink_task) = notification_sink().await?;
    let mut outcomes = Vec::new();
    for scenario in &scenarios {
        progress.set_message(scenario.name.clone());
        let (transport, tape): (Arc<dyn Transport>, _) = match &options.record {
            Some(_) => {
                let (recorder, tape) = Recorder::new(base.clone(), scenario.generation);
                (Arc::new(recorder), Some(tape))
            }
            None => (base.clone(), None),
        };
        let mut config = reproducible();
        if scenario.generation == Generation::V2 {
            config.ipn_url = Some(sink.clone());
        }
        let sandbox = match options.target {
            TargetKind::Simulator => Some(Sandbox::start(config).await?),
            TargetKind::Sandbox => None,
        };
        let outcome = match scenario.generation {
            Generation::V1 => {
                let target = v1_target(scenario, sandbox.as_ref(), transport)?;
                play::play(&target, scenario, &run_id).await
            }
            Generation::V2 => {
                let target = v2_target(scenario, sandbox.as_ref(), transport)?;
                play_v2::play(&target, scenario, &run_id).await
            }
        };
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
    sink_task.abort();
    Ok(outcomes)
}

/// A local HTTP receiver answering 200 to every notification: its URL and its task.
async fn notification_sink() -> Result<(String, tokio::task::JoinHandle<()>), RunError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| RunError::Setup(format!("cannot listen for notifications: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| RunError::Setup(e.to_string()))?;
    let app = axum::Router::new().route("/", axum::routing::post(|| async { "OK" }));
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((format!("http://{addr}/"), task))
}

/// The scenario's region, parsed by the generation's own `Region`.
fn region_of<R>(
    scenario: &Scenario,
    parse: fn(&str) -> Option<R>,
    default: R,
) -> Result<R, RunError> {
    match scenario.region.as_deref() {
        None => Ok(default),
        Some(r) => parse(r)
            .ok_or_else(|| RunError::Setup(format!("{}: unknown region {r}", scenario.name))),
    }
}

fn v1_target(
    scenario: &Scenario,
    sandbox: Option<&Sandbox>,
    transport: Arc<dyn Transport>,
) -> Result<Target, RunError> {
    let region = region_of(scenario, Region::parse, Region::Jp)?;
    Ok(match sandbox {
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
            let region =
                Region::parse(&std::env::var("AMAZON_PAY_REGION").unwrap_or_else(|_| "JP".into()))
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
    })
}

fn v2_target(
    scenario: &Scenario,
    sandbox: Option<&Sandbox>,
    transport: Arc<dyn Transport>,
) -> Result<V2Target, RunError> {
    let region = region_of(scenario, v2::Region::parse, v2::Region::Jp)?;
    Ok(match sandbox {
        Some(sim) => {
            let merchant = sim
                .merchant(region)
                .ok_or_else(|| RunError::Setup(format!("no simulator merchant for {region}")))?;
            let signer = |key_id: &str| Signer {
                credentials: merchant.credentials(key_id),
                endpoint: sim.v2_endpoint(key_id, v2::Environment::Sandbox),
            };
            V2Target {
                sandbox: signer(&merchant.sandbox_key_id),
                legacy: Some(signer(&merchant.legacy_key_id)),
                store_id: merchant.store_id.clone(),
                region: region.name().to_owned(),
                control: Some(sim.base_url()),
                transport,
            }
        }
        None => {
            let region = v2::Region::parse(
                &std::env::var("AMAZON_PAY_V2_REGION").unwrap_or_else(|_| "JP".into()),
            )
            .ok_or_else(|| RunError::Setup("AMAZON_PAY_V2_REGION must be JP, NA or EU".into()))?;
            let pem = match std::env::var("AMAZON_PAY_V2_PRIVATE_KEY") {
                Ok(pem) => pem.into_bytes(),
                Err(_) => {
                    let path = env("AMAZON_PAY_V2_PRIVATE_KEY_PATH")?;
                    std::fs::read(&path)
                        .map_err(|e| RunError::Setup(format!("cannot read {path}: {e}")))?
                }
            };
            let key = PrivateKey::from_pem(&pem)
                .map_err(|e| RunError::Setup(format!("the v2 private key: {e}")))?;
            let key_id = env("AMAZON_PAY_V2_PUBLIC_KEY_ID")?;
            let credentials = amazon_pay_protocol::v2_runtime::Credentials::new(
                key_id.clone(),
                Arc::new(key),
                region.code(),
            );
            V2Target {
                sandbox: Signer {
                    credentials,
                    endpoint: Endpoint::amazon(region, v2::Environment::Sandbox.base_path(&key_id)),
                },
                legacy: None,
                store_id: env("AMAZON_PAY_V2_STORE_ID")?,
                region: region.name().to_owned(),
                control: None,
                transport,
            }
        }
    })
}
