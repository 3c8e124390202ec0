//! What the players of every generation share: the step loop, the target's clock as the
//! simulator reports it, the simulator's test endpoints and its clock steps, the values steps
//! save, and the checks of an answer (a JSON document or a service error) against a step.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, Instant};

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::client::{Attempt, HttpResponse};
use amazon_pay_protocol::endpoint::Clock;
use amazon_pay_protocol::error::ServiceCode;
use amazon_pay_runtime::client::ClientError;
use amazon_pay_runtime::error::ServiceError;
use serde_json::{Value, json};

use super::scenario::{Generation, Scenario, Step, Tamper, lookup, substitute};

/// The time of the target, as last read from the simulator: its clock may have been moved
/// forward, or frozen (then requests are signed with its time exactly, so a run's requests are
/// the same bytes every time).
#[derive(Default)]
pub struct TargetClock {
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
    pub generation: Generation,
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

    /// `v1/rejected_requests`: names repeat across generations.
    pub fn label(&self) -> String {
        format!("{}/{}", self.generation.folder(), self.name)
    }
}

/// A generation's way of playing one step; the loop and everything else is shared.
pub trait StepPlayer {
    fn session(&mut self) -> &mut Session;

    /// Plays a step that is not a clock move.
    fn step(&mut self, number: usize, step: &Step) -> impl Future<Output = Result<(), String>>;
}

/// Plays the steps in order and stops at the first failure (later steps build on it and would
/// only repeat it). Without the simulator's test endpoints a scenario that needs them is
/// skipped with the reason; `setup` is what prevented playing at all.
pub async fn play_steps<P: StepPlayer>(
    scenario: &Scenario,
    has_control: bool,
    setup: impl Future<Output = Result<P, String>>,
) -> ScenarioOutcome {
    let started = Instant::now();
    let outcome = |steps, skipped| ScenarioOutcome {
        name: scenario.name.clone(),
        generation: scenario.generation,
        description: scenario.description.clone(),
        steps,
        skipped,
        elapsed: started.elapsed(),
    };
    if !has_control && let Some(step) = scenario.steps.iter().find(|s| s.simulator_only()) {
        return outcome(
            Vec::new(),
            Some(format!(
                "step `{}` is played by the buyer on Amazon's pages or needs the simulator's \
                 clock or keys; run it against the simulator",
                step.name
            )),
        );
    }
    let mut player = match setup.await {
        Ok(p) => p,
        Err(e) => return outcome(Vec::new(), Some(e)),
    };
    if let Err(e) = player.session().sync_clock().await {
        return outcome(Vec::new(), Some(e));
    }
    let mut steps = Vec::new();
    for (i, step) in scenario.steps.iter().enumerate() {
        let t = Instant::now();
        let problem = match player.session().clock_step(step).await {
            Some(result) => result,
            None => player.step(i + 1, step).await,
        }
        .err();
        let failed = problem.is_some();
        steps.push(StepOutcome {
            name: step.name.clone(),
            elapsed: t.elapsed(),
            problem,
        });
        if failed {
            break;
        }
    }
    outcome(steps, None)
}

/// One scenario's shared state: the simulator's base URL (`None` against Amazon's sandbox),
/// the clock requests are signed with, the saved values.
pub struct Session {
    control: Option<String>,
    pub clock: Arc<TargetClock>,
    http: reqwest::Client,
    vars: BTreeMap<String, String>,
}

impl Session {
    pub fn new(control: Option<String>, run_id: &str) -> Session {
        Session {
            control,
            clock: Arc::new(TargetClock::default()),
            http: reqwest::Client::new(),
            vars: BTreeMap::from([("run".to_owned(), run_id.to_owned())]),
        }
    }

    pub fn control(&self) -> Result<&str, String> {
        self.control
            .as_deref()
            .ok_or_else(|| "this step needs the simulator".to_owned())
    }

    /// A call of the simulator's test endpoints; an answer other than 2xx is the problem.
    pub async fn control_call(
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
        if self.control.is_none() {
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

    /// Plays a clock move; `None` when the step is none.
    async fn clock_step(&mut self, step: &Step) -> Option<Result<(), String>> {
        let body = if let Some(seconds) = step.advance_clock_seconds {
            json!({ "advance_seconds": seconds })
        } else if step.advance_clock_to_next_month {
            let (_, next_month) = crate::sandbox::monthly::month_window(self.clock.now());
            let target = Timestamp::from_unix(next_month.unix() + 3600).unwrap_or(next_month);
            json!({ "set": target.to_wire() })
        } else {
            return None;
        };
        Some(
            match self
                .control_call(reqwest::Method::POST, "/__sandbox/clock", Some(body))
                .await
            {
                Ok(_) => self.sync_clock().await,
                Err(e) => Err(e),
            },
        )
    }

    /// A value the target gives the scenario (such as `${store}`).
    pub fn remember(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_owned(), value.to_owned());
    }

    /// `template` with the saved values in place of `${name}`.
    pub fn text(&self, template: &str) -> Result<String, String> {
        substitute(template, &self.vars)
    }

    /// `template` with the saved values in place of `${name}` in every string.
    pub fn json(&self, template: &Value) -> Result<Value, String> {
        Ok(match template {
            Value::String(s) => Value::String(self.text(s)?),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| self.json(v))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), self.json(v)?)))
                    .collect::<Result<_, String>>()?,
            ),
            other => other.clone(),
        })
    }

    /// Each of the step's `save` paths into `value`, remembered by name.
    pub fn save(&mut self, step: &Step, value: &Value) -> Result<(), String> {
        for (name, path) in &step.save {
            let found = lookup(value, path)
                .ok_or_else(|| format!("nothing at `{path}` to save as `{name}`"))?;
            self.vars.insert(name.clone(), found);
        }
        Ok(())
    }

    /// A call's answer against the step: the error it must be (code, status, message), or the
    /// values `document` must and must not hold, then what it saves.
    pub fn check<C: ServiceCode>(
        &mut self,
        step: &Step,
        answer: Result<Value, ClientError<C>>,
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
                if let Some(status) = step.status
                    && service.http_status != status
                {
                    problems.push(format!("HTTP {} (expected {status})", service.http_status));
                }
                if let Some(part) = &step.message_contains {
                    let part = self.text(part)?;
                    if !service.message.contains(&part) {
                        problems.push(format!("message `{}` lacks `{part}`", service.message));
                    }
                }
                joined(problems)
            }
            (Ok(document), None) => {
                let mut problems = Vec::new();
                for (path, expected) in &step.expect {
                    let expected = self.text(expected)?;
                    match lookup(&document, path) {
                        Some(found) if found == expected => {}
                        Some(found) => {
                            problems.push(format!("{path} = `{found}`, expected `{expected}`"))
                        }
                        None => problems.push(format!("{path} is missing, expected `{expected}`")),
                    }
                }
                for path in &step.absent {
                    if let Some(found) = lookup(&document, path) {
                        problems.push(format!("{path} should be absent, found `{found}`"));
                    }
                }
                joined(problems)?;
                self.save(step, &document)
            }
        }
    }
}

fn joined(problems: Vec<String>) -> Result<(), String> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// A signature with its first character changed: still well-formed, never valid.
pub fn forged(signature: &str) -> String {
    let mut chars = signature.chars();
    let first = if chars.next() == Some('A') { 'B' } else { 'A' };
    std::iter::once(first).chain(chars).collect()
}

/// How far a tampered request's date is from the target's time: far outside the service's
/// window (15 minutes) either way.
const TAMPERED_SKEW_SECONDS: i64 = 20 * 60;

/// The time a request broken with `tamper` is signed at.
pub fn tampered_time(now: Timestamp, tamper: Tamper) -> Timestamp {
    let shift = match tamper {
        Tamper::StaleTimestamp => -TAMPERED_SKEW_SECONDS,
        Tamper::FutureTimestamp => TAMPERED_SKEW_SECONDS,
        _ => 0,
    };
    Timestamp::from_unix(now.unix() + shift).unwrap_or(now)
}

/// The answer to a request sent around the client (tampered), as the client would report it.
pub fn refused<C: ServiceCode>(
    response: &HttpResponse,
    error: ServiceError<C>,
    elapsed: Duration,
) -> ClientError<C> {
    let attempt = Attempt {
        number: 1,
        status: Some(response.status),
        code: Some(error.code.as_str().to_owned()),
        transport: None,
        elapsed,
        body: Some(String::from_utf8_lossy(&response.body).into_owned()),
    };
    ClientError::Service {
        action: "tampered request",
        error,
        attempts: vec![attempt],
    }
}
