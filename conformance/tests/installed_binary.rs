//! The binary carries its own vectors and scenarios: run from a directory that has nothing of
//! the repository (as after `cargo install`), it checks every vector and plays every scenario;
//! `--vectors DIR` and `--scenarios DIR` run other folders instead.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "{name}-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn suite_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_amazon-pay-conformance"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run the binary")
}

/// The last line: `vectors: N passed, 0 failed; scenarios: N passed, 0 failed, 0 skipped …`.
fn summary(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text.lines().last().unwrap_or_default().to_owned()
}

fn count(dir: &Path, keep: impl Fn(&Path) -> bool) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| keep(&e.as_ref().unwrap().path()))
        .count()
}

#[test]
fn from_an_empty_directory_every_vector_and_scenario_passes() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let vectors = count(&crate_dir.join("vectors/v1"), |p| p.is_dir())
        + count(&crate_dir.join("vectors/hmac"), |p| p.is_dir())
        + count(&crate_dir.join("vectors/v2"), |p| p.is_dir());
    let toml = |p: &Path| p.extension().is_some_and(|e| e == "toml");
    let scenarios =
        count(&crate_dir.join("scenarios/v1"), toml) + count(&crate_dir.join("scenarios/v2"), toml);
    let empty = temp_dir("elsewhere");
    let line = summary(&suite_in(&empty, &[]));
    std::fs::remove_dir_all(&empty).unwrap();
    assert!(
        line.starts_with(&format!(
            "vectors: {vectors} passed, 0 failed; scenarios: {scenarios} passed, 0 failed, 0 skipped"
        )),
        "{line}"
    );
}

#[test]
fn other_folders_run_instead_of_the_embedded_ones() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = temp_dir("other-folders");
    std::fs::create_dir_all(dir.join("scenarios/v1")).unwrap();
    std::fs::write(
        dir.join("scenarios/v1/status.toml"),
        "description = \"the service is up\"\n[[step]]\nname = \"status\"\ncall = \"GetServiceStatus\"\nexpect = { Status = \"GREEN\" }\n",
    )
    .unwrap();
    for case in [
        "v1/value-space",
        "hmac/python-test-sign",
        "v2/node-body-japanese",
        "v2-test-key",
    ] {
        let (from, to) = (
            crate_dir.join("vectors").join(case),
            dir.join("vectors").join(case),
        );
        std::fs::create_dir_all(&to).unwrap();
        for file in std::fs::read_dir(&from).unwrap() {
            let file = file.unwrap();
            std::fs::copy(file.path(), to.join(file.file_name())).unwrap();
        }
    }
    let line = summary(&suite_in(
        &dir,
        &["--scenarios", "scenarios", "--vectors", "vectors"],
    ));
    assert!(
        line.starts_with("vectors: 3 passed, 0 failed; scenarios: 1 passed, 0 failed"),
        "{line}"
    );

    let missing = suite_in(&dir, &["--scenarios", "no-such-folder"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such-folder"));
    std::fs::remove_dir_all(&dir).unwrap();
}
