//! `amazon-pay-conformance load`: a bounded load test of the simulator over loopback, for both
//! API generations against one simulator. Each request is built, signed, sent, verified by the
//! simulator (v1: HMAC, constant-time compare; v2: RSA-PSS), applied, rendered and parsed
//! back: the full path a user's call takes. Prints requests per second and latency
//! percentiles per generation.
//!
//! `--baseline` runs the same load client, in the same process and run, against a bare axum
//! handler that answers each operation with a fixed document, and prints both and their
//! ratio: what the simulator costs beyond HTTP, signing and parsing.

mod drive;
mod v1;
mod v2;

use std::path::PathBuf;
use std::process::ExitCode;

use crate::sandbox::{Sandbox, SandboxConfig};

use super::CliResult;
use drive::Stats;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Api {
    Both,
    V1,
    V2,
}

#[derive(clap::Args)]
pub struct LoadArgs {
    /// Requests in all, per API generation (bounded: at most 200,000).
    #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u64).range(1..=200_000))]
    requests: u64,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=256))]
    concurrency: u64,
    /// Every Nth request is an authorization of JPY 1 (v1 AuthorizeOnBillingAgreement with a
    /// new reference id; v2 Create Charge with captureNow and a new idempotency key); the
    /// others are reads (GetBillingAgreementDetails; Get Charge). 0: reads only.
    #[arg(long, default_value_t = 4)]
    authorize_every: u64,
    /// Which API generations to measure.
    #[arg(long, value_enum, default_value_t = Api::Both)]
    api: Api,
    /// Keep the simulator's state in this SQLite file instead of memory.
    #[arg(long)]
    state: Option<PathBuf>,
    /// Also run the same load against a bare axum handler with fixed answers, and print the
    /// simulator's throughput as a fraction of it.
    #[arg(long)]
    baseline: bool,
}

/// The simulator's figures, and the baseline's when asked for.
struct Measured {
    simulator: Stats,
    baseline: Option<Stats>,
}

impl Measured {
    fn print(&self, generation: &str, (write, read): (&str, &str), args: &LoadArgs) {
        let mix = match args.authorize_every {
            0 => format!("{read} only"),
            1 => format!("{write} only"),
            n => format!("every {n}th {write}, the rest {read}"),
        };
        let mix = mix.as_str();
        let label = match &args.state {
            Some(path) => format!("{generation} simulator (state in {})", path.display()),
            None => format!("{generation} simulator (in memory)"),
        };
        self.simulator.print(&label, mix, args.concurrency);
        if let Some(baseline) = &self.baseline {
            baseline.print(
                &format!("{generation} baseline (bare axum, fixed answers)"),
                mix,
                args.concurrency,
            );
            println!(
                "{generation} simulator / baseline throughput: {:.2}",
                self.simulator.per_second() / baseline.per_second()
            );
        }
    }

    fn errors(&self) -> u64 {
        self.simulator.errors + self.baseline.as_ref().map_or(0, |b| b.errors)
    }
}

pub fn run(args: LoadArgs) -> CliResult {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        // One simulator serves both generations, as it does for users.
        let sandbox = Sandbox::start(SandboxConfig {
            state_file: args.state.clone(),
            ..SandboxConfig::default()
        })
        .await?;
        let mut errors = 0;
        if args.api != Api::V2 {
            let measured = Measured {
                simulator: v1::against_simulator(&sandbox, &args).await?,
                baseline: match args.baseline {
                    true => Some(v1::against_baseline(&args).await?),
                    false => None,
                },
            };
            measured.print("v1", v1::MIX, &args);
            errors += measured.errors();
        }
        if args.api != Api::V1 {
            let (simulator, answer) = v2::against_simulator(&sandbox, &args).await?;
            let measured = Measured {
                simulator,
                baseline: match args.baseline {
                    true => Some(v2::against_baseline(&args, answer).await?),
                    false => None,
                },
            };
            measured.print("v2", v2::MIX, &args);
            errors += measured.errors();
        }
        sandbox.shutdown().await;
        Ok::<_, Box<dyn std::error::Error>>(if errors == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    })
}
