//! The default command: every signing vector, then every scenario against the embedded
//! simulator (or `--target sandbox`), a summary table, and exit code 0 only if all passed.
//! Vectors and scenarios are the copies compiled into the binary, so it runs from any
//! directory; `--vectors DIR` and `--scenarios DIR` run other folders of the same layout.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::folder::Folder;
use crate::runner::report::{self, CaseOutcome};
use crate::runner::{self, RunOptions, TargetKind};
use crate::vectors;

use super::CliResult;

#[derive(clap::Args, Debug, Clone)]
pub struct SuiteArgs {
    /// Where the scenarios run.
    #[arg(long, value_enum, default_value = "simulator")]
    target: TargetKind,
    /// Scenario folder, holding one sub-folder per generation (`v1/`, `v2/`) [default: the scenarios
    /// built into this binary].
    #[arg(long, value_name = "DIR")]
    scenarios: Option<PathBuf>,
    /// Vector folder, holding `v1/`, `hmac/`, `v2/` and `v2-test-key/` [default: the vectors
    /// built into this binary].
    #[arg(long, value_name = "DIR")]
    vectors: Option<PathBuf>,
    /// Only scenarios whose name contains this.
    #[arg(long)]
    only: Option<String>,
    /// Write redacted request/response cassettes to this folder, one JSON file per scenario in
    /// the sub-folder of its generation (DIR/v1/NAME.json).
    #[arg(long, value_name = "DIR")]
    record: Option<PathBuf>,
    /// Write a JUnit XML report here.
    #[arg(long)]
    junit: Option<PathBuf>,
}

/// A folder given on the command line, or the copy built into the binary.
fn folder(given: &Option<PathBuf>, embedded: fn() -> Folder) -> Folder {
    given.clone().map_or_else(embedded, Folder::Disk)
}

fn vector_outcomes(dir: &Folder) -> Result<Vec<CaseOutcome>, Box<dyn std::error::Error>> {
    let mut outcomes = Vec::new();
    for case in vectors::load_signing_cases(dir)? {
        let t = Instant::now();
        let problems = vectors::check_signing_case(&case);
        outcomes.push(CaseOutcome {
            suite: "signing",
            name: case.name,
            problems,
            elapsed: t.elapsed(),
        });
    }
    let v2_cases = vectors::v2::load_cases(dir)?;
    // The key is read only when there is a v2 case to sign (a v1-only folder has none).
    if !v2_cases.is_empty() {
        let key = vectors::v2::load_test_key(dir)?;
        for case in v2_cases {
            let t = Instant::now();
            let problems = vectors::v2::check_case(&case, &key);
            outcomes.push(CaseOutcome {
                suite: "signing-v2",
                name: case.name,
                problems,
                elapsed: t.elapsed(),
            });
        }
    }
    for case in vectors::load_hmac_cases(dir)? {
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
    let cases = vector_outcomes(&folder(&args.vectors, vectors::embedded))?;
    let options = RunOptions {
        target: args.target,
        scenarios: folder(&args.scenarios, runner::scenario::embedded),
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
