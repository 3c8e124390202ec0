//! The `load` command, run as the built binary with a small count: every target answers every
//! request, and the closing table names each target plainly. Bounded: 64 requests per target,
//! and the process is killed if it has not ended in two minutes. Nothing here asserts a speed.

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_amazon-pay-conformance");

#[test]
fn load_measures_both_stores_beside_the_baseline_in_one_run() {
    let dir = std::env::temp_dir().join(format!(
        "load-state-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.sqlite");
    let mut child = Command::new(BIN)
        .args([
            "load",
            "--requests",
            "64",
            "--concurrency",
            "2",
            "--baseline",
        ])
        .arg("--state")
        .arg(&state)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run the binary");
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("load did not end within its bound");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    // The command fails when any request of any target failed.
    assert!(status.success(), "{out}");

    let mut table = out.lines().skip_while(|line| !line.starts_with("api "));
    let header = table.next().unwrap_or_default();
    for column in ["×baseline", "p99 ms", "CPU µs/req", "CPU ×baseline"] {
        assert!(header.contains(column), "no {column} column in:\n{out}");
    }
    let table: Vec<&str> = table.collect();
    let sqlite = format!("state in SQLite ({})", state.display());
    for api in ["v1", "v2"] {
        for target in ["state in memory", &sqlite, "baseline: bare axum"] {
            assert!(
                table
                    .iter()
                    .any(|line| line.starts_with(api) && line.contains(target)),
                "no {api} row for {target} in:\n{out}"
            );
        }
    }
    assert!(out.contains("signed beforehand"), "{out}");
    std::fs::remove_dir_all(&dir).unwrap();
}
