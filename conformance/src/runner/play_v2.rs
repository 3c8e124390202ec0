//! Plays one v2 scenario against a target. A call step becomes the generated
//! `v2::AnyRequest` (read from the step's body, path members and headers with `from_http`,
//! exactly as the service reads it) sent by the protocol crate's v2 client, whose typed answer
//! is checked as JSON; a tampered step or a `raw_body` is signed by hand
//! (`v2_runtime::request::sign_parts`) and sent around the client, which would never send it.
//! Buyer steps act on the simulator's `/__sandbox/v2/buyer/…` pages, `notified` steps read
//! its IPN log (the loop and clock steps: `session.rs`).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

use amazon_pay_protocol::client::v2::{Client, ClientError};
use amazon_pay_protocol::client::{
    HttpRequest, HttpResponse, RetryPolicy, Transport, TransportFuture,
};
use amazon_pay_protocol::endpoint::{Clock, Endpoint};
use amazon_pay_protocol::v2::{self, AnyRequest};
use amazon_pay_protocol::v2_runtime::incoming::Route;
use amazon_pay_protocol::v2_runtime::request::{IDEMPOTENCY_KEY, Parts, sign_parts};
use amazon_pay_protocol::v2_runtime::{Credentials, Method};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use super::scenario::{BuyerStep, KeyChoice, Scenario, Step, Tamper};
use super::session::{
    ScenarioOutcome, Session, StepPlayer, forged, play_steps, refused, tampered_time,
};

/// A key the scenario may sign with, and where requests signed with it go.
#[derive(Clone)]
pub struct Signer {
    pub credentials: Credentials,
    pub endpoint: Endpoint,
}

/// Where the API calls of a v2 scenario go.
#[derive(Clone)]
pub struct V2Target {
    /// The default key (on the simulator: the `SANDBOX-` key on `/v2`).
    pub sandbox: Signer,
    /// The legacy key on `/sandbox/v2` (simulator only).
    pub legacy: Option<Signer>,
    /// The merchant's store id (client id), `${store}` in scenarios.
    pub store_id: String,
    /// `JP`, `NA` or `EU`: the merchant the simulator's buyer acts for.
    pub region: String,
    /// The simulator's base URL; `None` for Amazon's sandbox (simulator-only steps are skipped).
    pub control: Option<String>,
    pub transport: Arc<dyn Transport>,
}

/// A transport that remembers the status of the last answer, for the success statuses a
/// typed answer does not carry (Complete's 202).
struct StatusTap {
    inner: Arc<dyn Transport>,
    last: Arc<AtomicU16>,
}

impl Transport for StatusTap {
    fn send(&self, request: HttpRequest, timeout: Duration) -> TransportFuture<'_> {
        Box::pin(async move {
            let result = self.inner.send(request, timeout).await;
            let status = result.as_ref().map_or(0, |r| r.status);
            self.last.store(status, Ordering::Relaxed);
            result
        })
    }
}

struct Player<'a> {
    target: &'a V2Target,
    sandbox: Client,
    legacy: Option<Client>,
    /// The target's transport behind the status tap: the clients' and the raw requests'.
    tap: Arc<dyn Transport>,
    last_status: Arc<AtomicU16>,
    session: Session,
    /// The notifications `notified` steps matched, by message id.
    matched: HashSet<String>,
}

/// How long a `notified` step waits for the simulator's delivery task.
const NOTIFICATION_POLLS: u32 = 200;
const NOTIFICATION_POLL_INTERVAL: Duration = Duration::from_millis(10);

/// Path members are percent-encoded as RFC 3986 segments (unreserved characters stay).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub async fn play(target: &V2Target, scenario: &Scenario, run_id: &str) -> ScenarioOutcome {
    let setup = async {
        let mut session = Session::new(target.control.clone(), run_id);
        session.remember("store", &target.store_id);
        let last_status = Arc::new(AtomicU16::new(0));
        let tap: Arc<dyn Transport> = Arc::new(StatusTap {
            inner: target.transport.clone(),
            last: last_status.clone(),
        });
        let client = |signer: &Signer| {
            Client::builder(signer.credentials.clone(), signer.endpoint.clone())
                .shared_transport(tap.clone())
                .clock(session.clock.clone())
                .retry_policy(RetryPolicy {
                    base: Duration::from_millis(50),
                    ..RetryPolicy::default()
                })
                .build()
                .map_err(|e| format!("cannot build the client: {e}"))
        };
        Ok(Player {
            target,
            sandbox: client(&target.sandbox)?,
            legacy: target.legacy.as_ref().map(client).transpose()?,
            tap,
            last_status,
            session,
            matched: HashSet::new(),
        })
    };
    play_steps(scenario, target.control.is_some(), setup).await
}

impl StepPlayer for Player<'_> {
    fn session(&mut self) -> &mut Session {
        &mut self.session
    }

    async fn step(&mut self, number: usize, step: &Step) -> Result<(), String> {
        if let Some(buyer) = &step.buyer {
            let answer = self.buyer(buyer).await?;
            return self.session.save(step, &answer);
        }
        if !step.notified.is_empty() {
            return self.notified(step).await;
        }
        let action = step.call.as_deref().unwrap_or_default();
        let route = v2::ROUTES
            .iter()
            .find(|r| r.action == action)
            .ok_or_else(|| format!("no v2 operation `{action}`"))?;
        let call = self.call_parts(number, step, route)?;
        let answer = if step.tamper.is_some() || step.raw_body.is_some() {
            self.raw(step, &call).await?
        } else {
            let headers: Vec<(&str, &str)> = call
                .headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            let request =
                AnyRequest::from_http(route.method, &call.path, &[], &headers, &call.body)
                    .map_err(|e| format!("the step is not a valid {action}: {e}"))?;
            let client = match step.key {
                Some(KeyChoice::Legacy) => self
                    .legacy
                    .as_ref()
                    .ok_or("this target has no legacy key")?,
                Some(KeyChoice::Sandbox) | None => &self.sandbox,
            };
            match request.send(client).await {
                Ok(document) => Ok(serde_json::to_value(&document).map_err(|e| e.to_string())?),
                Err(e) => Err(e),
            }
        };
        if let (Ok(_), Some(status)) = (&answer, step.status) {
            let got = self.last_status.load(Ordering::Relaxed);
            if got != status {
                return Err(format!("HTTP {got} (expected {status})"));
            }
        }
        self.session.check(step, answer)
    }
}

/// A call step's request, its `${…}` replaced: the path below `v2/`, headers, body.
struct CallParts {
    method: Method,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Player<'_> {
    fn call_parts(&self, number: usize, step: &Step, route: &Route) -> Result<CallParts, String> {
        let mut used = 0;
        let mut segments = Vec::with_capacity(route.segments.len());
        for segment in route.segments {
            let text = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => {
                    let value = step
                        .path
                        .get(name)
                        .ok_or_else(|| format!("path member `{name}` is missing"))?;
                    used += 1;
                    utf8_percent_encode(&self.session.text(value)?, SEGMENT).to_string()
                }
                None => (*segment).to_owned(),
            };
            segments.push(text);
        }
        if used != step.path.len() {
            return Err(format!("{} has other path members", route.action));
        }
        let mut headers = Vec::new();
        for (name, value) in &step.headers {
            headers.push((name.to_ascii_lowercase(), self.session.text(value)?));
        }
        // A key of the run's own on every POST, so that the requests (and the cassettes)
        // are the same every run; the simulator starts empty for each scenario.
        let needs_key = route.method == Method::Post
            && step.tamper != Some(Tamper::NoIdempotencyKey)
            && !headers.iter().any(|(n, _)| n == IDEMPOTENCY_KEY);
        if needs_key {
            headers.push((
                IDEMPOTENCY_KEY.to_owned(),
                self.session.text(&format!("${{run}}-{number}"))?,
            ));
        }
        let body = match (&step.body, &step.raw_body) {
            (Some(body), _) => {
                serde_json::to_vec(&self.session.json(body)?).map_err(|e| e.to_string())?
            }
            (None, Some(raw)) => self.session.text(raw)?.into_bytes(),
            (None, None) if route.method == Method::Get => Vec::new(),
            (None, None) => b"{}".to_vec(),
        };
        Ok(CallParts {
            method: route.method,
            path: segments.join("/"),
            headers,
            body,
        })
    }

    /// Signs the request by hand, broken as the step says, and sends it around the client.
    async fn raw(
        &self,
        step: &Step,
        call: &CallParts,
    ) -> Result<Result<Value, ClientError>, String> {
        let signer = match step.key {
            Some(KeyChoice::Legacy) => self
                .target
                .legacy
                .as_ref()
                .ok_or("this target has no legacy key")?,
            Some(KeyChoice::Sandbox) | None => &self.target.sandbox,
        };
        let endpoint = &signer.endpoint;
        let base = match step.tamper {
            Some(Tamper::LivePath) => "/live/v2",
            _ => endpoint.path(),
        };
        let path = format!("{base}/{}", call.path);
        let headers: Vec<(&str, &str)> = call
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let parts = Parts {
            method: call.method.as_str(),
            path: &path,
            query: &[],
            headers: &headers,
            body: &call.body,
        };
        let now = match step.tamper {
            Some(tamper) => tampered_time(self.session.clock.now(), tamper),
            None => self.session.clock.now(),
        };
        let mut signed = sign_parts(&parts, &signer.credentials, endpoint.host(), now)
            .map_err(|e| format!("cannot sign: {e}"))?;
        if step.tamper == Some(Tamper::Signature) {
            let forged = forged(&signed.signature);
            for (name, value) in &mut signed.headers {
                if name == "authorization" {
                    *value = value.replace(&signed.signature, &forged);
                }
            }
        }
        signed.url = format!("{}://{}{}", endpoint.scheme(), endpoint.host(), signed.url);
        let sent = Instant::now();
        let response: HttpResponse = self
            .tap
            .send(signed.into(), Duration::from_secs(10))
            .await
            .map_err(|e| e.to_string())?;
        let elapsed = sent.elapsed();
        match amazon_pay_protocol::v2_runtime::error::parse_response::<Value, v2::ErrorCode>(
            &response,
        ) {
            Ok(document) => Ok(Ok(document)),
            Err(amazon_pay_runtime::error::ResponseError::Service(error)) => {
                Ok(Err(refused(&response, error, elapsed)))
            }
            Err(e) => Err(format!("HTTP {}: {e}", response.status)),
        }
    }

    async fn buyer(&self, buyer: &BuyerStep) -> Result<Value, String> {
        let region = &self.target.region;
        let (path, body) = match (
            &buyer.checkout,
            &buyer.updates_payment_method_of,
            &buyer.cancels_saved_wallet,
        ) {
            (Some(url), None, None) => {
                let mut body = json!({
                    "region": region,
                    "redirectUrl": self.session.text(url)?,
                    "failAuthentication": buyer.fail_authentication,
                    "cancel": buyer.cancel,
                });
                if let Some(card) = &buyer.card {
                    body["card"] = json!(card);
                }
                if let Some(address) = &buyer.shipping_address {
                    body["address"] = self.session.json(address)?;
                }
                ("/__sandbox/v2/buyer/checkout".to_owned(), body)
            }
            (None, Some(id), None) => (
                format!(
                    "/__sandbox/v2/buyer/charge-permissions/{}/payment-method",
                    self.session.text(id)?
                ),
                json!({ "region": region, "card": buyer.card.as_deref().unwrap_or("1111") }),
            ),
            (None, None, Some(id)) => (
                format!(
                    "/__sandbox/v2/buyer/charge-permissions/{}/cancel",
                    self.session.text(id)?
                ),
                json!({ "region": region }),
            ),
            _ => {
                return Err(
                    "a v2 buyer step does one of checkout, updates_payment_method_of, \
                     cancels_saved_wallet"
                        .into(),
                );
            }
        };
        self.session
            .control_call(reqwest::Method::POST, &path, Some(body))
            .await
    }

    /// Waits (bounded) until the simulator has delivered a notification whose `Message` holds
    /// the step's members and that no earlier `notified` step matched: the first such one in
    /// the order they were sent, so that two steps about one object need two notifications.
    async fn notified(&mut self, step: &Step) -> Result<(), String> {
        let mut wanted = Vec::new();
        for (name, value) in &step.notified {
            wanted.push((name.as_str(), self.session.text(value)?));
        }
        let mut seen = Vec::new();
        for _ in 0..NOTIFICATION_POLLS {
            let log = self
                .session
                .control_call(reqwest::Method::GET, "/__sandbox/ipn", None)
                .await?;
            seen = log["sent"]
                .as_array()
                .map(|sent| sent.iter().filter_map(message_of).collect())
                .unwrap_or_default();
            let found = seen.iter().find(|n| {
                n.delivered
                    && !self.matched.contains(&n.id)
                    && wanted
                        .iter()
                        .all(|(name, value)| n.message[name].as_str() == Some(value.as_str()))
            });
            if let Some(found) = found {
                self.matched.insert(found.id.clone());
                return Ok(());
            }
            tokio::time::sleep(NOTIFICATION_POLL_INTERVAL).await;
        }
        Err(format!(
            "no other delivered notification holds {wanted:?}; sent: {:?}",
            seen.iter()
                .map(|n| n.message.to_string())
                .collect::<Vec<_>>()
        ))
    }
}

/// One notification of the simulator's log.
struct Sent {
    /// The SNS MessageId.
    id: String,
    /// The `Message` JSON.
    message: Value,
    delivered: bool,
}

fn message_of(record: &Value) -> Option<Sent> {
    let envelope: Value = serde_json::from_str(record["body"].as_str()?).ok()?;
    Some(Sent {
        id: record["message_id"].as_str()?.to_owned(),
        message: serde_json::from_str(envelope["Message"].as_str()?).ok()?,
        delivered: record["delivery"]
            .as_str()
            .is_some_and(|d| d.starts_with("delivered")),
    })
}
