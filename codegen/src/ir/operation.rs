//! Operation entries.

use amazon_pay_spec::{Body, HttpMethod, Safety};

use super::types::Structure;

/// One operation.
#[derive(Debug, Clone)]
pub struct OperationEntry {
    /// The operation name (v1: the `Action`).
    pub name: String,
    pub doc: String,
    /// The request structure, named `{name}Request`.
    pub request: Structure,
    /// The output structure's name.
    pub output: String,
    /// Whether the response wraps the output in a `{name}Result` element.
    pub result_element: bool,
    pub safety: Safety,
    pub idempotency_key: Option<IdempotencyKey>,
    /// Error codes the spec lists for the operation.
    pub errors: Vec<String>,
    pub throttle: Option<Throttle>,
    /// Where the request goes over HTTP, for protocols that route by method and path.
    pub binding: Option<Binding>,
}

/// The request field whose value makes a retry safe.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    pub wire: String,
    pub rust: String,
    pub required: bool,
}

/// A documented request quota; where the sandbox figure is unknown the production one stands in.
#[derive(Debug, Clone, Copy)]
pub struct Throttle {
    pub quota: u32,
    pub restore_per_second: f64,
    pub sandbox_quota: u32,
    pub sandbox_restore_per_second: f64,
}

/// An HTTP binding; the location of each input is on its field.
#[derive(Debug, Clone)]
pub struct Binding {
    pub method: HttpMethod,
    /// The path template, `{Name}` for path inputs.
    pub path: String,
    pub status: u16,
    /// What the request body is, if there is one.
    pub body: Option<Body>,
}
