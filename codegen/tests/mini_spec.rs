//! The generator on a small fixture spec: its output is kept once, in `generated/tests/mini_gen/`
//! (compiled and exercised by `generated/tests/mini_gen.rs`); a fresh generation must equal it
//! byte for byte, and two generations must agree.

use std::path::{Path, PathBuf};

fn mini_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
}

fn generate() -> std::collections::BTreeMap<PathBuf, String> {
    let spec = amazon_pay_spec::load(&mini_dir()).unwrap_or_else(|e| panic!("mini spec: {e}"));
    amazon_pay_codegen::generate(
        &spec,
        "codegen/tests/fixtures/mini",
        amazon_pay_codegen::Options {
            client_methods: false,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn two_runs_give_identical_bytes() {
    assert_eq!(generate(), generate());
}

#[test]
fn committed_mini_output_is_fresh() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/tests/mini_gen");
    let files = generate();
    if std::env::var_os("AMAZON_PAY_CODEGEN_BLESS").is_some() {
        amazon_pay_codegen::write_all(&out, &files).expect("write mini output");
    }
    let diff = amazon_pay_codegen::diff_against(&out, &files);
    assert!(
        diff.is_empty(),
        "generated/tests/mini_gen is stale (rerun with AMAZON_PAY_CODEGEN_BLESS=1):\n{diff}"
    );
}
