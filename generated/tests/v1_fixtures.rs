//! Every public v1 response fixture of the official SDKs' tests (Java and C#) parses into its
//! typed response; each gets a snapshot of the typed value rendered as JSON.
//! The operation is found from the document's root element (`<XResponse>`), not a hand-kept
//! list, so a new fixture file is picked up automatically.

use std::path::{Path, PathBuf};

use amazon_pay_protocol::v1::AnyResponse;

fn fixture_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/v1");
    let mut files = Vec::new();
    for sdk in ["amazon-pay-sdk-java", "amazon-pay-sdk-csharp"] {
        let dir = root.join(sdk);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        files.extend(
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "xml")),
        );
    }
    files.sort();
    files
}

fn snapshot_name(path: &Path) -> String {
    let sdk = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|s| s.to_str())
        .unwrap_or("");
    let sdk = sdk.trim_start_matches("amazon-pay-sdk-");
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    format!("{sdk}__{stem}")
}

#[test]
fn every_success_fixture_parses_into_its_typed_response() {
    let mut parsed = 0;
    for path in fixture_files() {
        let body = std::fs::read(&path).unwrap();
        let root = amazon_pay_protocol::xml::root_name(&body).unwrap_or_default();
        let Some(action) = root
            .strip_suffix("Response")
            .filter(|_| root != "ErrorResponse")
        else {
            continue;
        };
        let response =
            AnyResponse::parse(action, &body).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(response.action(), action);
        assert!(
            !response.request_id().is_empty(),
            "{}: no request id",
            path.display()
        );
        insta::assert_json_snapshot!(snapshot_name(&path), response);
        parsed += 1;
    }
    // Three of the fixture files are ErrorResponse documents (read by the error tests).
    assert_eq!(parsed, fixture_files().len() - 3);
}

#[test]
fn rendered_responses_read_back_identically() {
    for path in fixture_files() {
        let body = std::fs::read(&path).unwrap();
        let root = amazon_pay_protocol::xml::root_name(&body).unwrap_or_default();
        let Some(action) = root
            .strip_suffix("Response")
            .filter(|_| root != "ErrorResponse")
        else {
            continue;
        };
        let response = AnyResponse::parse(action, &body).unwrap();
        let xml = response.to_xml();
        let again = AnyResponse::parse(action, xml.as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}\n{xml}", path.display()));
        assert_eq!(again, response, "{}", path.display());
    }
}
