//! The default command: runs the conformance suite and prints a summary table; exits 0 only
//! when every case passed.
//!
//! Today the suite is the signing vectors (`conformance/vectors/v1`) and the raw HMAC vectors
//! (`conformance/vectors/hmac`); the sandbox scenarios join it when the simulator lands.

use std::process::ExitCode;
use std::time::Instant;

use crate::vectors;

use super::CliResult;

/// One line of the summary.
struct Outcome {
    suite: &'static str,
    name: String,
    problems: Vec<String>,
    micros: u128,
}

pub fn run() -> CliResult {
    let started = Instant::now();
    let dir = vectors::default_dir();
    let mut outcomes = Vec::new();
    for case in vectors::load_signing_cases(&dir)? {
        let t = Instant::now();
        let problems = vectors::check_signing_case(&case);
        outcomes.push(Outcome {
            suite: "signing",
            name: case.name,
            problems,
            micros: t.elapsed().as_micros(),
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
        outcomes.push(Outcome {
            suite: "hmac",
            name: case.name,
            problems,
            micros: t.elapsed().as_micros(),
        });
    }

    println!("{:<8} {:<48} {:>8}  result", "suite", "case", "µs");
    for o in &outcomes {
        let result = if o.problems.is_empty() {
            "pass".to_owned()
        } else {
            format!("FAIL: {}", o.problems.join("; "))
        };
        println!("{:<8} {:<48} {:>8}  {result}", o.suite, o.name, o.micros);
    }
    let failed = outcomes.iter().filter(|o| !o.problems.is_empty()).count();
    println!(
        "\n{} passed, {} failed ({} cases from {}, {:.1} ms)",
        outcomes.len() - failed,
        failed,
        outcomes.len(),
        dir.display(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
