//! Replays the committed cassettes (`conformance/recordings/v1/`, recorded from the simulator with
//! `--record`) through the protocol crate's parsers and snapshots what they read: a change in
//! the parsers or in the simulator's documents shows up as a reviewed snapshot diff.

use std::path::PathBuf;

use amazon_pay_conformance::runner::record::Exchange;
use amazon_pay_protocol::error::ErrorDocument;
use amazon_pay_protocol::v1::AnyResponse;
use serde_json::{Value, json};

#[test]
fn recorded_responses_parse() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("recordings/v1");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "recordings of every scenario");
    for file in files {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let exchanges: Vec<Exchange> =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
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
