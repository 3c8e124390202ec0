//! Replays the committed cassettes (`conformance/recordings/<generation>/`, recorded from the
//! simulator with `--record`) through the protocol crate's parsers and snapshots what they
//! read: a change in the parsers or in the simulator's documents shows up as a reviewed
//! snapshot diff. v2 snapshots are named `v2_<scenario>`.

use std::path::PathBuf;

use amazon_pay_conformance::runner::record::Exchange;
use amazon_pay_protocol::error::ErrorDocument;
use amazon_pay_protocol::v1::AnyResponse;
use amazon_pay_protocol::v2;
use amazon_pay_protocol::v2_runtime::error::ErrorDocument as V2ErrorDocument;
use serde_json::{Value, json};

/// Every cassette of a generation's folder: its scenario name and its exchanges.
fn cassettes(folder: &str) -> Vec<(String, Vec<Exchange>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("recordings")
        .join(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "recordings of every {folder} scenario");
    files
        .into_iter()
        .map(|file| {
            let name = file.file_stem().unwrap().to_string_lossy().into_owned();
            let exchanges = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
            (name, exchanges)
        })
        .collect()
}

#[test]
fn recorded_responses_parse() {
    for (name, exchanges) in cassettes("v1") {
        let read: Vec<Value> = exchanges
            .iter()
            .map(|x| match x.status {
                Some(200) => {
                    let doc = AnyResponse::parse(&x.action, x.response.as_bytes())
                        .unwrap_or_else(|e| panic!("{name}: {} does not parse: {e}", x.action));
                    json!({ "action": x.action, "response": doc })
                }
                Some(status) => {
                    let doc = ErrorDocument::from_xml(x.response.as_bytes()).unwrap_or_else(|e| {
                        panic!("{name}: error document of {} does not parse: {e}", x.action)
                    });
                    json!({ "action": x.action, "status": status, "error": doc })
                }
                None => json!({ "action": x.action, "no_answer": x.response }),
            })
            .collect();
        insta::assert_json_snapshot!(name, read);
    }
}

#[test]
fn recorded_v2_responses_parse() {
    for (name, exchanges) in cassettes("v2") {
        let read: Vec<Value> = exchanges
            .iter()
            .map(|x| {
                let http = x.http.as_deref().unwrap_or_default();
                match x.status {
                    Some(status @ 200..=299) => {
                        let doc = v2::AnyResponse::parse(&x.action, x.response.as_bytes())
                            .unwrap_or_else(|e| panic!("{name}: {http} does not parse: {e}"));
                        json!({ "http": http, "status": status, "response": doc })
                    }
                    Some(status) => {
                        let doc: V2ErrorDocument = serde_json::from_str(&x.response)
                            .unwrap_or_else(|e| {
                                panic!("{name}: error document of {http} does not parse: {e}")
                            });
                        let code = v2::ErrorCode::parse(&doc.reason_code);
                        assert!(
                            !matches!(code, v2::ErrorCode::Unknown(_)),
                            "{name}: {http} answered a code the spec does not know: {}",
                            doc.reason_code
                        );
                        json!({ "http": http, "status": status, "reasonCode": doc.reason_code })
                    }
                    None => json!({ "http": http, "no_answer": x.response }),
                }
            })
            .collect();
        insta::assert_json_snapshot!(format!("v2_{name}"), read);
    }
}
