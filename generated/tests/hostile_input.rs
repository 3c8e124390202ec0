//! Hostile input never panics: arbitrary bytes and byte-mutated fixtures go through response
//! parsing for every operation, and through the error path; arbitrary parameter maps go
//! through signing, whose canonical query decodes back to the input; and parameter maps made
//! of the protocol's own names with arbitrary values go into every operation's request, as
//! the simulator reads a client's form.

use std::collections::BTreeMap;

use amazon_pay_protocol::ParamMap;
use amazon_pay_protocol::credentials::SecretKey;
use amazon_pay_protocol::error::parse_response;
use amazon_pay_protocol::sign::sign_param_map;
use amazon_pay_protocol::v1::{self, AnyResponse};
use proptest::prelude::*;

fn fixtures() -> &'static [Vec<u8>] {
    static FILES: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/v1/amazon-pay-sdk-java");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        paths.retain(|p| p.extension().is_some_and(|x| x == "xml"));
        paths.sort();
        paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
    })
}

fn parse_everywhere(body: &[u8]) {
    for op in v1::OPERATIONS {
        let _ = AnyResponse::parse(op.action, body);
    }
    for status in [200, 400, 503] {
        let _ = parse_response::<v1::GetBillingAgreementDetailsRequest>(status, body);
    }
}

/// A parameter name as requests spell them: one to three dotted parts, each a member name of
/// the v1 spec (an operation's input or a structure's member), a list's query member name,
/// or an index.
fn param_name() -> impl Strategy<Value = String> {
    let spec = amazon_pay_spec::load(&amazon_pay_spec::v1_dir()).unwrap_or_else(|e| panic!("{e}"));
    let members = spec.operations.iter().flat_map(|o| &o.input);
    let members = members.chain(spec.shapes.iter().flat_map(|s| &s.members));
    let lists = spec.shapes.iter().map(|s| s.query_member_name());
    let mut parts: Vec<String> = members.map(|m| m.name().to_owned()).collect();
    parts.extend(lists.map(str::to_owned));
    parts.extend(["0", "1"].map(str::to_owned));
    parts.sort();
    parts.dedup();
    prop::collection::vec(prop::sample::select(parts), 1..4).prop_map(|parts| parts.join("."))
}

/// A value: a number, a word, a timestamp-like string or anything.
fn param_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?[0-9]{1,20}(\\.[0-9]{0,4})?",
        "(true|false|JPY|USD|EUR|XXX)",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{0,12}Z?",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn hostile_parameters_into_every_request_never_panic(
        params in prop::collection::btree_map(param_name(), param_value(), 0..16),
    ) {
        let params = ParamMap(params);
        let mut read = 0;
        for op in v1::OPERATIONS {
            read += usize::from(v1::AnyRequest::from_params(op.action, &params).is_ok());
        }
        // An operation with no required parameter reads any map, so some always succeed.
        prop_assert!(read > 0);
    }

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..512)) {
        parse_everywhere(&body);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut body = file.get(fixtures()).clone();
        for (at, byte) in edits {
            let i = at.index(body.len());
            body[i] = byte;
        }
        body.truncate(cut.index(body.len() + 1));
        parse_everywhere(&body);
    }

    #[test]
    fn canonical_query_decodes_back_to_the_input(
        params in prop::collection::btree_map("[A-Za-z][A-Za-z0-9.]{0,20}", any::<String>(), 0..12),
        secret in any::<String>(),
    ) {
        let e = sign_param_map("mws.amazonservices.jp", "/OffAmazonPayments_Sandbox/2013-01-01", &SecretKey::new(secret), &params);
        let decoded: BTreeMap<String, String> = e
            .canonical_query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap();
                let d = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8().unwrap().into_owned();
                (d(k), d(v))
            })
            .collect();
        prop_assert_eq!(&decoded, &params);
        // The body carries the same parameters plus the signature.
        let mut expected = params.clone();
        expected.insert("Signature".into(), e.signature.clone());
        prop_assert_eq!(ParamMap::from_form(e.body.as_bytes()).0, expected);
        prop_assert!(!e.canonical_query.contains(' ') && !e.canonical_query.contains('+'));
    }
}
