//! Broken specs give errors that name the file, line and column and say what is wrong.
//! Each case copies the small valid fixture spec and breaks one thing.

use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures/mini")
}

/// Copies the fixture into a fresh directory and applies `edits` (file, old text, new text).
fn broken(case: &str, edits: &[(&str, &str, &str)]) -> String {
    let dir = std::env::temp_dir().join(format!("amazon-pay-spec-{}-{case}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&fixture(), &dir);
    for (file, old, new) in edits {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            text.contains(old) || old.is_empty(),
            "{case}: `{old}` not in {file}"
        );
        let text = if old.is_empty() {
            format!("{text}{new}")
        } else {
            text.replacen(old, new, 1)
        };
        std::fs::write(&path, text).unwrap();
    }
    let result = amazon_pay_spec::load(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(_) => panic!("{case}: the broken spec loaded"),
        Err(errors) => errors
            .to_string()
            .replace(&dir.display().to_string(), "<spec>"),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn the_fixture_itself_is_valid() {
    assert!(amazon_pay_spec::load(&fixture()).is_ok());
}

#[test]
fn unknown_key() {
    let msg = broken(
        "unknown-key",
        &[(
            "operations/GetStatus.toml",
            "safety = \"read\"",
            "safety = \"read\"\nsafetey = 1",
        )],
    );
    assert!(
        msg.starts_with(
            "<spec>/operations/GetStatus.toml:6:1: unknown field `safetey`, expected one of"
        ),
        "{msg}"
    );
}

#[test]
fn undefined_shape() {
    let msg = broken(
        "undefined",
        &[("shapes/Credit.toml", "type = \"Price\"", "type = \"Prise\"")],
    );
    assert!(
        msg.starts_with("<spec>/shapes/Credit.toml:11:8: type `Prise` is neither a primitive"),
        "{msg}"
    );
}

#[test]
fn duplicate_member() {
    let msg = broken(
        "duplicate",
        &[(
            "shapes/ChargeAttributes.toml",
            "name = \"Store\"",
            "name = \"StoreName\"",
        )],
    );
    assert!(msg.contains("shapes/ChargeAttributes.toml:9:8: duplicate member `StoreName` (first defined at line 5)"), "{msg}");
}

#[test]
fn malformed_wire_name() {
    let msg = broken(
        "wire",
        &[(
            "operations/ChargeAgreement.toml",
            "name = \"Note\"",
            "name = \"Seller.Note\"",
        )],
    );
    assert!(
        msg.contains("operations/ChargeAgreement.toml:25:8: malformed wire name `Seller.Note`"),
        "{msg}"
    );
}

#[test]
fn operation_without_output() {
    let msg = broken(
        "no-output",
        &[(
            "operations/GetStatus.toml",
            "output = \"GetStatusResult\"\n",
            "",
        )],
    );
    assert!(
        msg.contains("operations/GetStatus.toml:1:8: operation `GetStatus` has no `output`"),
        "{msg}"
    );
}

#[test]
fn output_that_is_not_a_structure() {
    let msg = broken(
        "enum-output",
        &[(
            "operations/GetStatus.toml",
            "output = \"GetStatusResult\"",
            "output = \"State\"",
        )],
    );
    assert!(
        msg.contains("GetStatus.toml:3:10: output `State` must be a structure shape"),
        "{msg}"
    );
}

#[test]
fn undefined_error_code_and_idempotency_key() {
    let msg = broken(
        "refs",
        &[
            (
                "operations/ChargeAgreement.toml",
                "\"DuplicateReferenceId\"",
                "\"DuplicateReferenceID\"",
            ),
            (
                "operations/ChargeAgreement.toml",
                "idempotency_key = \"ChargeReferenceId\"",
                "idempotency_key = \"ChargeRef\"",
            ),
        ],
    );
    assert!(
        msg.contains("error code `DuplicateReferenceID` is not defined in errors.toml"),
        "{msg}"
    );
    assert!(
        msg.contains("idempotency_key `ChargeRef` is not an input of this operation"),
        "{msg}"
    );
    assert_eq!(
        msg.lines().count(),
        2,
        "both problems reported at once: {msg}"
    );
}

#[test]
fn toml_syntax_error_and_file_name_mismatch() {
    let msg = broken(
        "syntax",
        &[("shapes/State.toml", "kind = \"enum\"", "kind = enum")],
    );
    assert!(msg.starts_with("<spec>/shapes/State.toml:2:8:"), "{msg}");
    let msg = broken(
        "mismatch",
        &[("shapes/State.toml", "name = \"State\"", "name = \"Status\"")],
    );
    assert!(
        msg.contains("name `Status` does not match the file name `State.toml`"),
        "{msg}"
    );
}

#[test]
fn missing_file_and_wrong_type_never_panic() {
    let msg = broken("nofile", &[("errors.toml", "[[error]]", "[[errors]]")]);
    assert!(
        msg.contains("errors.toml:1:3: unknown field `errors`, expected `error`"),
        "{msg}"
    );
    let msg = broken(
        "wrongtype",
        &[(
            "operations/ChargeAgreement.toml",
            "required = true",
            "required = \"yes\"",
        )],
    );
    assert!(msg.contains("ChargeAgreement.toml:"), "{msg}");
}
