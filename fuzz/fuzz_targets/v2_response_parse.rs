//! Any bytes, read as a v2 answer of any status (chosen by the first byte) into the core
//! objects and through the error path: must return, never panic.
#![no_main]

use amazon_pay_protocol::protocol::HttpResponse;
use amazon_pay_protocol::v2::{self, ErrorCode};
use amazon_pay_protocol::v2_runtime::error::parse_response;
use libfuzzer_sys::fuzz_target;

/// Success, a pending authorization, and the error statuses the service answers with.
const STATUSES: [u16; 8] = [200, 201, 202, 400, 404, 422, 429, 503];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let response = HttpResponse {
        status: STATUSES[usize::from(pick) % STATUSES.len()],
        headers: vec![("x-amz-pay-request-id".to_owned(), "fuzz".to_owned())],
        body: body.to_vec(),
    };
    let _ = parse_response::<v2::CheckoutSession, ErrorCode>(&response);
    let _ = parse_response::<v2::ChargePermission, ErrorCode>(&response);
    let _ = parse_response::<v2::Charge, ErrorCode>(&response);
    let _ = parse_response::<v2::Refund, ErrorCode>(&response);
    let _ = parse_response::<v2::Buyer, ErrorCode>(&response);
});
