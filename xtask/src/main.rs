//! `cargo xtask regenerate` (alias in `.cargo/config.toml`): rewrites everything in the
//! repository that is derived from something else, in dependency order, so one command brings
//! it all up to date after a change to the spec, the generator or the simulator. Review the
//! diff afterwards: every file it touches is committed, and the tests compare against them.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// One derived artefact: what it is, the cargo arguments that rewrite it, and the environment
/// that makes them write instead of compare.
struct Step {
    what: &'static str,
    cargo: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

/// Snapshot tests overwrite their `.snap` files and do not fail on the difference.
const SNAPSHOTS_WRITE: [(&str, &str); 2] = [("INSTA_UPDATE", "always"), ("INSTA_FORCE_PASS", "1")];

const REGENERATE: &[Step] = &[
    Step {
        what: "generated code (generated/v1/src/gen/, generated/v2/src/gen/ from spec/v1/, spec/v2/)",
        cargo: &["run", "-p", "amazon-pay-codegen", "--", "generate"],
        env: &[],
    },
    Step {
        what: "generator snapshots and the mini spec's output (codegen/tests/, generated/tests/mini_gen/)",
        cargo: &["test", "-p", "amazon-pay-codegen"],
        env: &[
            SNAPSHOTS_WRITE[0],
            SNAPSHOTS_WRITE[1],
            ("AMAZON_PAY_CODEGEN_BLESS", "1"),
        ],
    },
    Step {
        what: "recordings (conformance/recordings/<generation>/, from the frozen simulator)",
        cargo: &[
            "run",
            "-p",
            "amazon-pay-conformance",
            "--",
            "--record",
            "conformance/recordings",
        ],
        env: &[],
    },
    Step {
        what: "the recordings' replay snapshots (conformance/tests/snapshots/)",
        cargo: &[
            "test",
            "-p",
            "amazon-pay-conformance",
            "--test",
            "recordings",
        ],
        env: &SNAPSHOTS_WRITE,
    },
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn run(step: &Step, root: &Path) -> Result<(), String> {
    println!("== {}", step.what);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(step.cargo)
        .envs(step.env.iter().copied())
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`cargo {}` failed ({status})",
            step.cargo.join(" ")
        ))
    }
}

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    if task.as_deref() != Some("regenerate") {
        eprintln!("usage: cargo xtask regenerate");
        return ExitCode::from(2);
    }
    let root = workspace_root();
    for step in REGENERATE {
        if let Err(e) = run(step, &root) {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    println!("done: review `git diff` (and `git status` for new files)");
    ExitCode::SUCCESS
}
