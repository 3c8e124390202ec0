//! `--record DIR`: cassettes of every exchange, redacted (v1: signature, access key, seller id,
//! MWSAuthToken; v2: the signature; both: the buyer's personal data), one JSON file per
//! scenario in the folder of its generation (`DIR/v1/<scenario>.json`, `DIR/v2/…`). The
//! recorder is a [`Transport`] around the real one, so it sees exactly what went on the wire.
//! v2 cassettes keep the method, path and headers too (the idempotency key, the simulation
//! code, the date and the key id are what a v2 request is about); the target's host and port
//! become `[host]`, so that a cassette does not depend on the port the simulator got, and so
//! do the SHA-256 digests an answer shows of anything but the body (a refused signature's
//! string to sign hashes the canonical request, host included): they become `[digest]`.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use amazon_pay_protocol::V2;
use amazon_pay_protocol::client::redact;
use amazon_pay_protocol::client::{HttpRequest, Transport, TransportFuture};
use amazon_pay_protocol::protocol::Protocol;
use amazon_pay_protocol::v2;
use amazon_pay_protocol::v2_runtime::Method;
use amazon_pay_protocol::v2_runtime::incoming::route;
use amazon_pay_protocol::v2_runtime::sign::hex_sha256;
use serde::{Deserialize, Serialize};

use super::scenario::Generation;

/// One request and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    pub action: String,
    /// v2: the method and the path, query included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<String>,
    /// v2: the headers sent (the User-Agent left out), the signature redacted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    /// The body (v1: the form), redacted.
    pub request: String,
    /// `None` when the exchange failed before an answer.
    pub status: Option<u16>,
    /// The response body, redacted.
    pub response: String,
}

/// A transport that remembers what passes through it.
pub struct Recorder {
    inner: Arc<dyn Transport>,
    generation: Generation,
    tape: Arc<Mutex<Vec<Exchange>>>,
}

impl Recorder {
    pub fn new(
        inner: Arc<dyn Transport>,
        generation: Generation,
    ) -> (Recorder, Arc<Mutex<Vec<Exchange>>>) {
        let tape = Arc::new(Mutex::new(Vec::new()));
        (
            Recorder {
                inner,
                generation,
                tape: tape.clone(),
            },
            tape,
        )
    }

    /// The exchange as far as the request tells it (the answer is filled in later).
    fn request(&self, request: &HttpRequest) -> Exchange {
        match self.generation {
            Generation::V1 => Exchange {
                action: amazon_pay_protocol::ParamMap::from_form(&request.body)
                    .get("Action")
                    .unwrap_or("")
                    .to_owned(),
                http: None,
                headers: Vec::new(),
                request: redact::form(&request.body),
                status: None,
                response: String::new(),
            },
            Generation::V2 => {
                let (authority, target) = split_url(&request.url);
                let hide = |text: &str| text.replace(authority, "[host]");
                let headers = request
                    .headers
                    .iter()
                    .filter(|(name, _)| !name.eq_ignore_ascii_case("user-agent"))
                    .map(|(name, value)| {
                        let value = match value.split_once("Signature=") {
                            Some((head, _)) if name.eq_ignore_ascii_case("authorization") => {
                                format!("{head}Signature=[redacted]")
                            }
                            _ => hide(value),
                        };
                        (name.clone(), value)
                    })
                    .collect();
                Exchange {
                    action: v2_action(&request.method, target),
                    http: Some(format!("{} {target}", request.method)),
                    headers,
                    request: hide(&V2::redact_request(&request.body)),
                    status: None,
                    response: String::new(),
                }
            }
        }
    }

    fn response(&self, request: &HttpRequest, body: &[u8]) -> String {
        match self.generation {
            Generation::V1 => redact::xml(body),
            Generation::V2 => {
                let text = V2::redact_response(body).replace(split_url(&request.url).0, "[host]");
                without_host_digests(&text, &hex_sha256(&request.body))
            }
        }
    }
}

/// `text` with every 64-digit lower-case hex run other than `body_digest` replaced.
fn without_host_digests(text: &str, body_digest: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_hexdigit()) {
        out.push_str(&rest[..start]);
        let run = &rest[start..];
        let len = run
            .find(|c: char| !(c.is_ascii_digit() || ('a'..='f').contains(&c)))
            .unwrap_or(run.len());
        let (digits, after) = run.split_at(len.max(1));
        if digits.len() == 64 && digits != body_digest {
            out.push_str("[digest]");
        } else {
            out.push_str(digits);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `scheme://authority/target` → (authority, `/target`).
fn split_url(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, "/"),
    }
}

/// The v2 operation a method and path name (the path below its base path), or `""`.
fn v2_action(method: &str, target: &str) -> String {
    let path = target.split('?').next().unwrap_or(target);
    let below = ["/v2/", "/sandbox/v2/", "/live/v2/"]
        .iter()
        .find_map(|base| path.strip_prefix(base));
    let method = match method {
        "GET" => Method::Get,
        "POST" => Method::Post,
        "PATCH" => Method::Patch,
        "DELETE" => Method::Delete,
        _ => return String::new(),
    };
    below
        .and_then(|below| route(v2::ROUTES, method, below).ok())
        .map(|(route, _)| route.action.to_owned())
        .unwrap_or_default()
}

impl Transport for Recorder {
    fn send(&self, request: HttpRequest, timeout: Duration) -> TransportFuture<'_> {
        Box::pin(async move {
            let mut exchange = self.request(&request);
            let sent = request.clone();
            let result = self.inner.send(request, timeout).await;
            (exchange.status, exchange.response) = match &result {
                Ok(r) => (Some(r.status), self.response(&sent, &r.body)),
                Err(e) => (None, e.to_string()),
            };
            self.tape
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(exchange);
            result
        })
    }
}

/// Writes a scenario's exchanges to `DIR/<scenario>.json`.
pub fn write_cassette(dir: &Path, scenario: &str, exchanges: &[Exchange]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let json = serde_json::to_string_pretty(exchanges).map_err(std::io::Error::other)?;
    std::fs::write(dir.join(format!("{scenario}.json")), json + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_body_digest_survives() {
        let body = "a".repeat(64);
        let other = "b".repeat(64);
        let text = format!("hash {body}\nsts {other}.\nid 1fb13e41-bf3b 20260115T090000Z");
        assert_eq!(
            without_host_digests(&text, &body),
            format!("hash {body}\nsts [digest].\nid 1fb13e41-bf3b 20260115T090000Z")
        );
    }

    #[test]
    fn v2_actions_are_named_from_the_route() {
        assert_eq!(v2_action("POST", "/v2/charges"), "CreateCharge");
        assert_eq!(
            v2_action("GET", "/sandbox/v2/charges/S01-1?x=1"),
            "GetCharge"
        );
        assert_eq!(
            v2_action("DELETE", "/live/v2/chargePermissions/P/close"),
            "CloseChargePermission"
        );
        assert_eq!(v2_action("GET", "/elsewhere"), "");
    }
}
