//! Any bytes, parsed as the response of any operation (chosen by the first byte) and through
//! the error path: must return, never panic.
#![no_main]

use amazon_pay_protocol::error::parse_response;
use amazon_pay_protocol::v1::{self, AnyResponse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let op = &v1::OPERATIONS[usize::from(pick) % v1::OPERATIONS.len()];
    let _ = AnyResponse::parse(op.action, body);
    let _ = parse_response::<v1::AuthorizeOnBillingAgreementRequest>(400, body);
});
