//! Any bytes as a request the simulator reads, chosen by the first byte: a v1 form body into
//! any operation's request, or a v2 path (first line) and JSON body (the rest) under any
//! method. A client the simulator has never seen sends these; reading must return, never
//! panic.
#![no_main]

use amazon_pay_protocol::ParamMap;
use amazon_pay_protocol::v2_runtime::Method;
use amazon_pay_protocol::{v1, v2};
use libfuzzer_sys::fuzz_target;

const METHODS: [Method; 4] = [Method::Get, Method::Post, Method::Patch, Method::Delete];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    if pick % 2 == 0 {
        let params = ParamMap::from_form(rest);
        let named = &v1::OPERATIONS[usize::from(pick / 2) % v1::OPERATIONS.len()];
        let action = params.get("Action").unwrap_or(named.action);
        let _ = v1::AnyRequest::from_params(action, &params);
    } else {
        let (path, body) = match rest.iter().position(|b| *b == b'\n') {
            Some(at) => (&rest[..at], &rest[at + 1..]),
            None => (rest, &[][..]),
        };
        let Ok(path) = std::str::from_utf8(path) else {
            return;
        };
        let method = METHODS[usize::from(pick / 2) % METHODS.len()];
        let headers = [
            ("content-type", "application/json"),
            ("x-amz-pay-idempotency-key", "fuzz-key"),
        ];
        let _ = v2::AnyRequest::from_http(method, path, &[], &headers, body);
    }
});
