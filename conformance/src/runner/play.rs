//! Plays one scenario against a target: API calls go through the protocol crate's client (the
//! same code path for the simulator and Amazon's sandbox); buyer, clock and notification steps
//! go to the simulator's test-only endpoints.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, Instant};

use amazon_pay_protocol::client::{
    Attempt, Client, ClientError, HttpRequest, RetryPolicy, Transport,
};
use amazon_pay_protocol::credentials::Credentials;
use amazon_pay_protocol::endpoint::{Clock, Endpoint};
use amazon_pay_protocol::error::ErrorDocument;
use amazon_pay_protocol::params::CollectedParams;
use amazon_pay_protocol::sign::sign_param_map;
use amazon_pay_protocol::v1::{self, AnyRequest};
use amazon_pay_protocol::{ParamMap, Timestamp};
use serde_json::{Value, json};

use super::scenario::{Scenario, Step, Tamper, lookup, substitute};

/// Where the API calls of a scenario go.
#[derive(Clone)]
pub struct Target {
    pub credentials: Credentials,
    pub endpoint: Endpoint,
    /// The simulator's base URL; `None` for Amazon's sandbox (simulator-only steps are skipped).
    pub control: Option<String>,
    pub transport: Arc<dyn Transport>,
}

/// The time of the target, as last read from the simulator: its clock may have been moved
/// forward, or frozen (then requests are signed with its time exactly, so a run's requests are
/// the same bytes every time).
#[derive(Default)]
struct TargetClock {
    /// Seconds added to this machine's clock; when `frozen`, the target's time itself.
    seconds: AtomicI64,
    frozen: AtomicBool,
}

impl Clock for TargetClock {
    fn now(&self) -> Timestamp {
        let seconds = self.seconds.load(Ordering::Relaxed);
        let local = time::OffsetDateTime::now_utc().unix_timestamp();
        let now = if self.frozen.load(Ordering::Relaxed) {
            seconds
        } else {
            local + seconds
        };
        Timestamp::from_unix(now)
            .unwrap_or_else(|| Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc()))
    }
}

#[derive(Debug, Clone)]
pub struct StepOutcome {
    pub name: String,
    pub elapsed: Duration,
    /// `None`: passed.
    pub problem: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ScenarioOutcome {
    pub name: String,
    pub description: String,
    pub steps: Vec<StepOutcome>,
    /// Why the scenario was not played (a step needs the simulator).
    pub skipped: Option<String>,
    pub elapsed: Duration,
}

impl ScenarioOutcome {
    pub fn passed(&self) -> bool {
        self.skipped.is_none() && self.steps.iter().all(|s| s.problem.is_none())
    }
}

struct Player<'a> {
    target: &'a Target,
    client: Client,
    clock: Arc<TargetClock>,
    http: reqwest::Client,
    vars: BTreeMap<String, String>,
    region: String,
}

pub async fn play(target: &Target, scenario: &Scenario, run_id: &str) -> ScenarioOutcome {
    let started = Instant::now();
    let outcome = |steps, skipped| ScenarioOutcome {
        name: scenario.name.clone(),
        description: scenario.description.clone(),
        steps,
        skipped,
        elapsed: started.elapsed(),
    };
    if target.control.is_none() {
        if let Some(step) = scenario.steps.iter().find(|s| s.simulator_only()) {
            return outcome(
                Vec::new(),
                Some(format!(
                    "step `{}` is played by the buyer on Amazon's pages or needs the simulator's \
                     clock; run it against the simulator",
                    step.name
                )),
            );
        }
    }
    let clock = Arc::new(TargetClock::default());
    let client = Client::builder(target.credentials.clone(), target.endpoint.clone())
        .shared_transport(target.transport.clone())
        .clock(clock.clone())
        .retry_policy(RetryPolicy {
            base: Duration::from_millis(50),
            ..RetryPolicy::default()
        })
        .build();
    let client = match client {
        Ok(c) => c,
        Err(e) => return outcome(Vec::new(), Some(format!("cannot build the client: {e}"))),
    };
    let mut player = Player {
        target,
        client,
        clock,
        http: reqwest::Client::new(),
        vars: BTreeMap::from([("run".to_owned(), run_id.to_owned())]),
        region: scenario.region.clone().unwrap_or_else(|| "JP".to_owned()),
    };
    if let Err(e) = player.sync_clock().await {
        return outcome(Vec::new(), Some(e));
    }
    let mut steps = Vec::new();
    for step in &scenario.steps {
        let t = Instant::now();
        let problem = player.step(step).await.err();
        let failed = problem.is_some();
        steps.push(StepOutcome {
            name: step.name.clone(),
            elapsed: t.elapsed(),
            problem,
        });
        if failed {
            // Later steps build on this one; their failures would only repeat it.
            break;
        }
    }
    outcome(steps, None)
}

impl Player<'_> {
    fn control(&self) -> Result<&str, String> {
        self.target
            .control
            .as_deref()
            .ok_or_else(|| "this step needs the simulator".to_owned())
    }

    async fn control_call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let url = format!("{}{path}", self.control()?);
        let mut request = self.http.request(method, &url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.map_err(|e| format!("{url}: {e}"))?;
        let status = response.status();
        let value: Value = response.json().await.map_err(|e| format!("{url}: {e}"))?;
        if !status.is_success() {
            return Err(format!("{url}: HTTP {status}: {}", value["error"]));
        }
        Ok(value)
    }

    /// Signs with the simulator's time, which scenarios may move forward.
    async fn sync_clock(&mut self) -> Result<(), String> {
        if self.target.control.is_none() {
            return Ok(());
        }
        let clock = self
            .control_call(reqwest::Method::GET, "/__sandbox/clock", None)
            .await?;
        let frozen = clock["frozen"].as_bool().unwrap_or(false);
        let seconds = if frozen {
            clock["now"]
                .as_str()
                .and_then(|t| Timestamp::parse(t).ok())
                .ok_or_else(|| format!("the simulator's clock has no valid `now`: {clock}"))?
                .unix()
        } else {
            clock["offset_seconds"].as_i64().unwrap_or(0)
        };
        self.clock.seconds.store(seconds, Ordering::Relaxed);
        self.clock.frozen.store(frozen, Ordering::Relaxed);
        Ok(())
    }

    fn text(&self, template: &str) -> Result<String, String> {
        substitute(template, &self.vars)
    }

    fn save(&mut self, step: &Step, value: &Value) -> Result<(), String> {
        for (name, path) in &step.save {
            let found = lookup(value, path)
                .ok_or_else(|| format!("nothing at `{path}` to save as `{name}`"))?;
            self.vars.insert(name.clone(), found);
        }
        Ok(())
    }

    async fn step(&mut self, step: &Step) -> Result<(), String> {
        if let Some(buyer) = &step.buyer {
            let value = match (&buyer.creates, &buyer.updates_payment_method_of) {
                (Some(kind), None) => {
                    let path = match kind.as_str() {
                        "billing_agreement" => "/__sandbox/buyer/billing-agreements",
                        "order_reference" => "/__sandbox/buyer/order-references",
                        other => return Err(format!("the buyer cannot create `{other}`")),
                    };
                    let mut body = json!({ "region": self.region });
                    for (key, value) in [
                        ("consent", buyer.consent.map(Value::from)),
                        ("address", buyer.address.map(Value::from)),
                        (
                            "payment_method",
                            buyer.payment_method.clone().map(Value::from),
                        ),
                    ] {
                        if let Some(v) = value {
                            body[key] = v;
                        }
                    }
                    self.control_call(reqwest::Method::POST, path, Some(body))
                        .await?
                }
                (None, Some(id)) => {
                    let body = json!({
                        "id": self.text(id)?,
                        "region": self.region,
                        "payment_method": buyer.payment_method.clone().unwrap_or_else(|| "valid".into()),
                    });
                    self.control_call(
                        reqwest::Method::POST,
                        "/__sandbox/buyer/payment-method",
                        Some(body),
                    )
                    .await?
                }
                _ => return Err("a buyer step either creates or updates_payment_method_of".into()),
            };
            return self.save(step, &value);
        }
        if let Some(seconds) = step.advance_clock_seconds {
            self.control_call(
                reqwest::Method::POST,
                "/__sandbox/clock",
                Some(json!({ "advance_seconds": seconds })),
            )
            .await?;
            return self.sync_clock().await;
        }
        if step.advance_clock_to_next_month {
            let now = self.clock.now();
            let (_, next_month) = crate::sandbox::v1::month_window(now);
            let target = Timestamp::from_unix(next_month.unix() + 3600).unwrap_or(next_month);
            self.control_call(
                reqwest::Method::POST,
                "/__sandbox/clock",
                Some(json!({ "set": target.to_wire() })),
            )
            .await?;
            return self.sync_clock().await;
        }
        if let Some(id) = &step.buyer_notified_of {
            let id = self.text(id)?;
            let messages = self
                .control_call(reqwest::Method::GET, "/__sandbox/buyer/messages", None)
                .await?;
            let told = messages
                .as_array()
                .is_some_and(|list| list.iter().any(|m| m["object_id"] == id.as_str()));
            return if told {
                Ok(())
            } else {
                Err(format!("the buyer was not told about {id}"))
            };
        }
        let action = step.call.as_deref().unwrap_or_default();
        let mut params = BTreeMap::new();
        for (key, value) in &step.params {
            params.insert(key.clone(), self.text(value)?);
        }
        let answer = match step.tamper {
            Some(tamper) => self.tampered(action, params, tamper).await?,
            None => {
                let request = AnyRequest::from_params(action, &ParamMap(params))
                    .map_err(|e| format!("the step's parameters are not a valid {action}: {e}"))?;
                match request.send(&self.client).await {
                    Ok(response) => Ok(serde_json::to_value(&response).map_err(|e| e.to_string())?),
                    Err(e) => Err(e),
                }
            }
        };
        self.check(step, action, answer)
    }

    /// Sends a request broken on purpose, around the client (which would never send it).
    async fn tampered(
        &self,
        action: &str,
        params: BTreeMap<String, String>,
        tamper: Tamper,
    ) -> Result<Result<Value, ClientError>, String> {
        let creds = &self.target.credentials;
        let mut now = self.clock.now();
        if tamper == Tamper::StaleTimestamp {
            now = Timestamp::from_unix(now.unix() - 20 * 60).unwrap_or(now);
        }
        // The whole parameter set, the common parameters included, as the generated request
        // writes it: the tampered request differs from a good one only in what is tampered.
        let request = AnyRequest::from_params(action, &ParamMap(params))
            .map_err(|e| format!("the step's parameters are not a valid {action}: {e}"))?;
        let timestamp = now.to_wire();
        let mut collected = CollectedParams::default();
        request.write_params(&creds.common_params(&timestamp), &mut collected);
        let params: BTreeMap<String, String> = collected.0.into_iter().collect();
        let endpoint = &self.target.endpoint;
        let signed = sign_param_map(endpoint.host(), endpoint.path(), &creds.secret_key, &params);
        let body = match tamper {
            Tamper::Signature => {
                let mut signature: Vec<char> = signed.signature.chars().collect();
                signature[0] = if signature[0] == 'A' { 'B' } else { 'A' };
                let forged: String = signature.into_iter().collect();
                format!(
                    "{}&Signature={}",
                    signed.canonical_query,
                    amazon_pay_protocol::params::encode(&forged)
                )
            }
            Tamper::StaleTimestamp => signed.body,
        };
        let request = HttpRequest {
            method: "POST".into(),
            url: endpoint.url(),
            headers: vec![(
                "Content-Type".into(),
                "application/x-www-form-urlencoded; charset=UTF-8".into(),
            )],
            body: body.into_bytes(),
        };
        let sent = Instant::now();
        let response = self
            .target
            .transport
            .send(request, Duration::from_secs(10))
            .await
            .map_err(|e| e.to_string())?;
        let elapsed = sent.elapsed();
        if response.status == 200 {
            return Ok(Ok(json!({ "accepted": true })));
        }
        let doc = ErrorDocument::from_xml(&response.body).map_err(|e| e.to_string())?;
        let attempt = Attempt {
            number: 1,
            status: Some(response.status),
            code: Some(doc.error.code.clone()),
            transport: None,
            elapsed,
            body: Some(String::from_utf8_lossy(&response.body).into_owned()),
        };
        Ok(Err(ClientError::Service {
            action: "tampered request",
            error: amazon_pay_protocol::error::ServiceError {
                http_status: response.status,
                error_type: doc.error.error_type,
                code: v1::ErrorCode::parse(&doc.error.code),
                message: doc.error.message,
                request_id: doc.request_id,
            },
            attempts: vec![attempt],
        }))
    }

    fn check(
        &mut self,
        step: &Step,
        action: &str,
        answer: Result<Value, ClientError>,
    ) -> Result<(), String> {
        match (answer, &step.error) {
            (Ok(_), Some(code)) => Err(format!("expected error {code}, the call succeeded")),
            (Err(e), None) => Err(format!("unexpected error: {e}")),
            (Err(e), Some(code)) => {
                let service = e
                    .service_error()
                    .ok_or_else(|| format!("expected service error {code}, got: {e}"))?;
                let mut problems = Vec::new();
                if service.code.as_str() != code {
                    problems.push(format!(
                        "error code {} (expected {code}): {}",
                        service.code.as_str(),
                        service.message
                    ));
                }
                if let Some(status) = step.status {
                    if service.http_status != status {
                        problems.push(format!("HTTP {} (expected {status})", service.http_status));
                    }
                }
                if let Some(part) = &step.message_contains {
                    let part = self.text(part)?;
                    if !service.message.contains(&part) {
                        problems.push(format!("message `{}` lacks `{part}`", service.message));
                    }
                }
                if problems.is_empty() {
                    Ok(())
                } else {
                    Err(problems.join("; "))
                }
            }
            (Ok(document), None) => {
                let result = document
                    .get(format!("{action}Result"))
                    .cloned()
                    .unwrap_or(Value::Null);
                let mut problems = Vec::new();
                for (path, expected) in &step.expect {
                    let expected = self.text(expected)?;
                    match lookup(&result, path) {
                        Some(found) if found == expected => {}
                        Some(found) => {
                            problems.push(format!("{path} = `{found}`, expected `{expected}`"))
                        }
                        None => problems.push(format!("{path} is missing, expected `{expected}`")),
                    }
                }
                for path in &step.absent {
                    if let Some(found) = lookup(&result, path) {
                        problems.push(format!("{path} should be absent, found `{found}`"));
                    }
                }
                if !problems.is_empty() {
                    return Err(problems.join("; "));
                }
                self.save(step, &result)
            }
        }
    }
}
