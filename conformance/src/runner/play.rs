//! Plays one v1 scenario against a target: API calls go through the protocol crate's client
//! (the same code path for the simulator and Amazon's sandbox); buyer and notification steps go
//! to the simulator's test-only endpoints (the loop and clock steps: `session.rs`).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use amazon_pay_protocol::ParamMap;
use amazon_pay_protocol::client::{Client, ClientError, HttpRequest, RetryPolicy, Transport};
use amazon_pay_protocol::credentials::Credentials;
use amazon_pay_protocol::endpoint::{Clock, Endpoint};
use amazon_pay_protocol::error::ErrorDocument;
use amazon_pay_protocol::params::CollectedParams;
use amazon_pay_protocol::sign::sign_param_map;
use amazon_pay_protocol::v1::{self, AnyRequest};
use serde_json::{Value, json};

use super::scenario::{Scenario, Step, Tamper};
pub use super::session::{ScenarioOutcome, StepOutcome};
use super::session::{Session, StepPlayer, forged, play_steps, refused, tampered_time};

/// Where the API calls of a scenario go.
#[derive(Clone)]
pub struct Target {
    pub credentials: Credentials,
    pub endpoint: Endpoint,
    /// The simulator's base URL; `None` for Amazon's sandbox (simulator-only steps are skipped).
    pub control: Option<String>,
    pub transport: Arc<dyn Transport>,
}

struct Player<'a> {
    target: &'a Target,
    client: Client,
    session: Session,
    region: String,
}

pub async fn play(target: &Target, scenario: &Scenario, run_id: &str) -> ScenarioOutcome {
    let setup = async {
        let session = Session::new(target.control.clone(), run_id);
        let client = Client::builder(target.credentials.clone(), target.endpoint.clone())
            .shared_transport(target.transport.clone())
            .clock(session.clock.clone())
            .retry_policy(RetryPolicy {
                base: Duration::from_millis(50),
                ..RetryPolicy::default()
            })
            .build()
            .map_err(|e| format!("cannot build the client: {e}"))?;
        Ok(Player {
            target,
            client,
            session,
            region: scenario.region.clone().unwrap_or_else(|| "JP".to_owned()),
        })
    };
    play_steps(scenario, target.control.is_some(), setup).await
}

impl StepPlayer for Player<'_> {
    fn session(&mut self) -> &mut Session {
        &mut self.session
    }

    async fn step(&mut self, _number: usize, step: &Step) -> Result<(), String> {
        Player::step(self, step).await
    }
}

impl Player<'_> {
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
                    self.session
                        .control_call(reqwest::Method::POST, path, Some(body))
                        .await?
                }
                (None, Some(id)) => {
                    let body = json!({
                        "id": self.session.text(id)?,
                        "region": self.region,
                        "payment_method": buyer.payment_method.clone().unwrap_or_else(|| "valid".into()),
                    });
                    self.session
                        .control_call(
                            reqwest::Method::POST,
                            "/__sandbox/buyer/payment-method",
                            Some(body),
                        )
                        .await?
                }
                _ => return Err("a buyer step either creates or updates_payment_method_of".into()),
            };
            return self.session.save(step, &value);
        }
        if let Some(id) = &step.buyer_notified_of {
            let id = self.session.text(id)?;
            let messages = self
                .session
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
            params.insert(key.clone(), self.session.text(value)?);
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
        // Expectations are paths into the `{Action}Result` element.
        let result = answer.map(|document| {
            document
                .get(format!("{action}Result"))
                .cloned()
                .unwrap_or(Value::Null)
        });
        self.session.check(step, result)
    }

    /// Sends a request broken on purpose, around the client (which would never send it).
    async fn tampered(
        &self,
        action: &str,
        params: BTreeMap<String, String>,
        tamper: Tamper,
    ) -> Result<Result<Value, ClientError>, String> {
        let creds = &self.target.credentials;
        let now = tampered_time(self.session.clock.now(), tamper);
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
            Tamper::Signature => format!(
                "{}&Signature={}",
                signed.canonical_query,
                amazon_pay_protocol::params::encode(&forged(&signed.signature))
            ),
            // The other tampers are v2's, refused when the scenario is read.
            _ => signed.body,
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
        let error = amazon_pay_protocol::error::ServiceError {
            http_status: response.status,
            error_type: doc.error.error_type,
            code: v1::ErrorCode::parse(&doc.error.code),
            message: doc.error.message,
            request_id: doc.request_id,
        };
        Ok(Err(refused(&response, error, elapsed)))
    }
}
