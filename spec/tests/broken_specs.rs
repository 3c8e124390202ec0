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

/// Gives GetStatus an `[http]` binding with the given path template (line 7 onwards).
fn get_status_http(path: &str) -> (&'static str, &'static str, String) {
    (
        "operations/GetStatus.toml",
        "safety = \"read\"\n",
        format!("safety = \"read\"\n\n[http]\nmethod = \"GET\"\npath = \"{path}\"\n"),
    )
}

fn broken_owned(case: &str, edits: &[(&str, &str, String)]) -> String {
    let edits: Vec<(&str, &str, &str)> = edits
        .iter()
        .map(|(f, old, new)| (*f, *old, new.as_str()))
        .collect();
    broken(case, &edits)
}

#[test]
fn path_template_names_inputs_located_in_the_path() {
    let msg = broken_owned("template", &[get_status_http("/status/{Id}/{Filter}")]);
    assert!(
        msg.contains("GetStatus.toml:9:8: path parameter `{Id}` is not an input of this operation"),
        "{msg}"
    );
    assert!(
        msg.contains("GetStatus.toml:9:8: path parameter `{Filter}` names an input located in `body`, not `path`"),
        "{msg}"
    );
    let msg = broken_owned("template-syntax", &[get_status_http("status/{Filter")]);
    assert!(
        msg.contains("GetStatus.toml:9:8: path template `status/{Filter`: it must start with `/`"),
        "{msg}"
    );
}

#[test]
fn inputs_in_the_path_appear_in_the_template_and_are_required() {
    let msg = broken_owned(
        "path-input",
        &[
            get_status_http("/status"),
            (
                "operations/GetStatus.toml",
                "type = \"StatusFilter\"",
                "type = \"StatusFilter\"\nlocation = \"path\"".to_owned(),
            ),
        ],
    );
    assert!(
        msg.contains("GetStatus.toml:14:12: input `Filter` is located in `path` but the path template has no `{Filter}`"),
        "{msg}"
    );
    let msg = broken_owned(
        "optional-path-input",
        &[
            get_status_http("/status/{Filter}"),
            (
                "operations/GetStatus.toml",
                "type = \"StatusFilter\"",
                "type = \"StatusFilter\"\nlocation = \"path\"".to_owned(),
            ),
        ],
    );
    assert!(
        msg.contains(
            "GetStatus.toml:14:12: input `Filter` is located in `path`, so it must be required"
        ),
        "{msg}"
    );
}

#[test]
fn locations_other_than_the_body_need_a_binding_and_a_protocol_that_sends_them() {
    let msg = broken(
        "no-binding",
        &[(
            "operations/GetStatus.toml",
            "type = \"StatusFilter\"",
            "type = \"StatusFilter\"\nlocation = \"query\"",
        )],
    );
    assert!(
        msg.contains("GetStatus.toml:10:12: input `Filter` is located in `query`, which needs an `[http]` binding"),
        "{msg}"
    );
    assert!(
        msg.contains("GetStatus.toml:10:12: protocol mws-query sends every input in the form body; `Filter` is located in `query`"),
        "{msg}"
    );
    let msg = broken(
        "member-location",
        &[(
            "shapes/ChargeAttributes.toml",
            "name = \"StoreName\"\ntype = \"string\"",
            "name = \"StoreName\"\ntype = \"string\"\nlocation = \"header\"",
        )],
    );
    assert!(
        msg.contains("ChargeAttributes.toml:7:12: `location` applies to operation inputs, not to structure member `StoreName`"),
        "{msg}"
    );
}

#[test]
fn success_status_is_2xx() {
    let (file, old, new) = get_status_http("/status");
    let msg = broken_owned("status", &[(file, old, format!("{new}status = 302\n"))]);
    assert!(
        msg.contains("GetStatus.toml:10:10: success status 302 is not a 2xx status"),
        "{msg}"
    );
}

#[test]
fn common_parameters_are_not_inputs_and_personal_is_for_responses() {
    let msg = broken(
        "common-input",
        &[(
            "operations/ChargeAgreement.toml",
            "name = \"Note\"",
            "name = \"Timestamp\"",
        )],
    );
    assert!(
        msg.contains("ChargeAgreement.toml:25:8: input `Timestamp` is a common parameter"),
        "{msg}"
    );
    let msg = broken(
        "personal-input",
        &[(
            "operations/ChargeAgreement.toml",
            "name = \"Note\"\ntype = \"string\"",
            "name = \"Note\"\ntype = \"string\"\npersonal = true",
        )],
    );
    assert!(
        msg.contains("ChargeAgreement.toml:25:8: `personal` marks response elements; input `Note` is never in a response"),
        "{msg}"
    );
    let msg = broken(
        "duplicate-common",
        &[("service.toml", "name = \"Version\"", "name = \"Action\"")],
    );
    assert!(msg.contains("service.toml:"), "{msg}");
    assert!(msg.contains("duplicate common parameter `Action`"), "{msg}");
}

#[test]
fn protocol_is_a_table_tagged_by_kind() {
    let msg = broken(
        "kind",
        &[(
            "service.toml",
            "kind = \"mws-query\"",
            "kind = \"rest-xml\"",
        )],
    );
    assert!(
        msg.starts_with(
            "<spec>/service.toml:6:8: unknown variant `rest-xml`, expected `mws-query`"
        ),
        "{msg}"
    );
    let msg = broken(
        "protocol-field",
        &[(
            "service.toml",
            "xml_namespace = \"urn:mini\"",
            "xml_namespace = \"urn:mini\"\nxml_namepsace = \"urn:mini\"",
        )],
    );
    assert!(
        msg.starts_with("<spec>/service.toml:8:1: unknown field `xml_namepsace`"),
        "{msg}"
    );
}

#[test]
fn every_error_code_has_a_known_class() {
    let msg = broken(
        "class",
        &[(
            "errors.toml",
            "class = \"throttled\"",
            "class = \"throttle\"",
        )],
    );
    assert!(
        msg.starts_with("<spec>/errors.toml:4:9: unknown variant `throttle`"),
        "{msg}"
    );
    let msg = broken(
        "retryable",
        &[("errors.toml", "class = \"throttled\"", "retryable = true")],
    );
    assert!(msg.contains("errors.toml:"), "{msg}");
    assert!(msg.contains("unknown field `retryable`"), "{msg}");
}
