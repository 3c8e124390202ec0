//! `--record DIR`: cassettes of every exchange, redacted (signature, access key, seller id,
//! MWSAuthToken and the buyer's personal data replaced), one JSON file per scenario in the
//! folder of its generation (`DIR/v1/<scenario>.json`). The
//! recorder is a [`Transport`] around the real one, so it sees exactly what went on the wire.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use amazon_pay_protocol::client::redact;
use amazon_pay_protocol::client::{HttpRequest, Transport, TransportFuture};
use serde::{Deserialize, Serialize};

/// One request and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    pub action: String,
    /// The form body, redacted.
    pub request: String,
    /// `None` when the exchange failed before an answer.
    pub status: Option<u16>,
    /// The response body, redacted.
    pub response: String,
}

/// A transport that remembers what passes through it.
pub struct Recorder {
    inner: Arc<dyn Transport>,
    tape: Arc<Mutex<Vec<Exchange>>>,
}

impl Recorder {
    pub fn new(inner: Arc<dyn Transport>) -> (Recorder, Arc<Mutex<Vec<Exchange>>>) {
        let tape = Arc::new(Mutex::new(Vec::new()));
        (
            Recorder {
                inner,
                tape: tape.clone(),
            },
            tape,
        )
    }
}

fn action_of(form: &[u8]) -> String {
    amazon_pay_protocol::ParamMap::from_form(form)
        .get("Action")
        .unwrap_or("")
        .to_owned()
}

impl Transport for Recorder {
    fn send(&self, request: HttpRequest, timeout: Duration) -> TransportFuture<'_> {
        Box::pin(async move {
            let action = action_of(&request.body);
            let redacted_request = redact::form(&request.body);
            let result = self.inner.send(request, timeout).await;
            let (status, response) = match &result {
                Ok(r) => (Some(r.status), redact::xml(&r.body)),
                Err(e) => (None, e.to_string()),
            };
            self.tape
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(Exchange {
                    action,
                    request: redacted_request,
                    status,
                    response,
                });
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
