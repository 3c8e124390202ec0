//! The default command: every signing vector, then every scenario against the embedded
//! simulator (or `--target sandbox`), a summary table, and exit code 0 only if all passed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::runner::report::{self, CaseOutcome};
use crate::runner::{self, RunOptions, TargetKind};
use crate::vectors;

use super::CliResult;

#[derive(clap::Args, Debug, Clone)]
pub struct SuiteArgs {
    /// Where the scenarios run.
    #[arg(long, value_enum, default_value = "simulator")]
    target: TargetKind,
    /// Scenario folder.
    #[arg(long, default_value_os_t = runner::scenario::default_dir())]
    scenarios: PathBuf,
    /// Only scenarios whose name contains this.
    #[arg(long)]
    only: Option<String>,
    /// Write redacted request/response cassettes, one JSON file per scenario, to this folder.
    #[arg(long)]
    record: Option<PathBuf>,
    /// Write a JUnit XML report here.
    #[arg(long)]
    junit: Option<PathBuf>,
}

impl Default for SuiteArgs {
    fn default() -> SuiteArgs {
        SuiteArgs {
            target: TargetKind::Simulator,
            scenarios: runner::scenario::default_dir(),
            only: None,
            record: None,
            junit: None,
        }
    }
}

fn vector_outcomes() -> Result<Vec<CaseOutcome>, Box<dyn std::error::Error>> {
    let dir = vectors::default_dir();
    let mut outcomes = Vec::new();
    for case in vectors::load_signing_cases(&dir)? {
        let t = Instant::now();
        let problems = vectors::check_signing_case(&case);
        outcomes.push(CaseOutcome {
            suite: "signing",
            name: case.name,
            problems,
            elapsed: t.elapsed(),
        });
    }
    for case in vectors::load_hmac_cases(&dir)? {
        let t = Instant::now();
        let got = vectors::hmac_sha256_base64(&case);
        let problems = if got == case.signature {
            Vec::new()
        } else {
            vec![format!("got {got}, published {}", case.signature)]
        };
        outcomes.push(CaseOutcome {
            suite: "hmac",
            name: case.name,
            problems,
            elapsed: t.elapsed(),
        });
    }
    Ok(outcomes)
}

pub fn run(args: SuiteArgs) -> CliResult {
    let started = Instant::now();
    let cases = vector_outcomes()?;
    let options = RunOptions {
        target: args.target,
        scenarios: args.scenarios.clone(),
        only: args.only.clone(),
        record: args.record.clone(),
    };
    let runtime = tokio::runtime::Runtime::new()?;
    let scenarios = runtime.block_on(runner::run(&options))?;
    report::print_table(&cases, &scenarios);
    if let Some(path) = &args.junit {
        report::write_junit(path, &cases, &scenarios)?;
    }
    let failed_cases = cases.iter().filter(|c| !c.problems.is_empty()).count();
    let failed = scenarios
        .iter()
        .filter(|s| s.skipped.is_none() && !s.passed())
        .count();
    let skipped = scenarios.iter().filter(|s| s.skipped.is_some()).count();
    let steps: usize = scenarios.iter().map(|s| s.steps.len()).sum();
    println!(
        "\nvectors: {} passed, {failed_cases} failed; scenarios: {} passed, {failed} failed, {skipped} skipped ({steps} steps); {:.2} s",
        cases.len() - failed_cases,
        scenarios.len() - failed - skipped,
        started.elapsed().as_secs_f64()
    );
    Ok(if failed_cases == 0 && failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
