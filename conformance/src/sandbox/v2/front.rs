//! The v2 front: every method on `/v2/…`, `/sandbox/v2/…` and `/live/v2/…`, for any host.
//! Verification (`verify.rs`), reading with the generated `AnyRequest::from_http`, the
//! idempotency store (§5.4: POST only, the first success saved and replayed for the same
//! request, DuplicateIdempotencyKey for another one under the same key, per merchant), the
//! handlers, and JSON answers and errors with `x-amz-pay-request-id`.

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::v2::{AnyRequest, ErrorCode};
use amazon_pay_protocol::v2_runtime::Method;
use amazon_pay_protocol::v2_runtime::incoming::ReadError;
use amazon_pay_protocol::v2_runtime::request::IDEMPOTENCY_KEY;
use amazon_pay_protocol::v2_runtime::sign::hex_sha256;
use serde_json::Value;

use super::ctx::{Ctx, Notice};
use super::error::{ApiError, ApiResult, json_reply};
use super::records::{Owner, SavedAnswer};
use super::verify::{Received, verify};
use super::{events, handlers, ipn};
use crate::sandbox::delivery::Outgoing;
use crate::sandbox::front::{Env, Front, Gate, Incoming, Refusal, Reply};
use crate::sandbox::world::World;

/// The v2 API generation (JSON over REST, RSA-PSS).
#[derive(Debug)]
pub struct V2Front;

/// The simulation header (§6.2).
const SIMULATION_CODE: &str = "x-amz-pay-simulation-code";

/// A request whose signature, date and document were accepted.
pub struct Checked {
    owner: Owner,
    region: amazon_pay_protocol::v2::Region,
    store_id: String,
    request: AnyRequest,
    /// `merchant/key` of a POST's idempotency key, with the request's fingerprint.
    idempotency: Option<(String, String)>,
    simulation: Option<String>,
    request_id: String,
}

fn method(text: &str) -> ApiResult<Method> {
    Ok(match text {
        "GET" => Method::Get,
        "POST" => Method::Post,
        "PATCH" => Method::Patch,
        "DELETE" => Method::Delete,
        other => {
            return Err(ApiError::new(
                ErrorCode::UnsupportedOperation,
                format!("{other} is not a method of this API."),
            ));
        }
    })
}

fn read_error(e: ReadError) -> ApiError {
    let code = match &e {
        ReadError::NotFound(_) => ErrorCode::ResourceNotFound,
        ReadError::MethodNotAllowed { .. } => ErrorCode::UnsupportedOperation,
        ReadError::Syntax(_) => ErrorCode::InvalidRequestFormat,
        ReadError::Data(_) if e.missing_member().is_some() => ErrorCode::MissingParameterValue,
        ReadError::Header { .. } => ErrorCode::InvalidHeaderValue,
        ReadError::MissingHeader(_) => ErrorCode::MissingHeader,
        ReadError::MissingQuery(_) => ErrorCode::MissingParameterValue,
        ReadError::Data(_) | ReadError::Query { .. } | ReadError::Path { .. } => {
            ErrorCode::InvalidParameterValue
        }
    };
    let message = match e.missing_member() {
        Some(member) => format!("The parameter {member} is required."),
        None => e.to_string(),
    };
    ApiError::new(code, message)
}

/// The first member of `sent` that the operation's document does not have (`known` is the
/// request written back from its typed form); `null` members count as absent.
fn unrecognized(sent: &Value, known: &Value, at: &str) -> Option<String> {
    let (Value::Object(sent), Value::Object(known)) = (sent, known) else {
        if let (Value::Array(sent), Value::Array(known)) = (sent, known) {
            return sent
                .iter()
                .zip(known)
                .find_map(|(s, k)| unrecognized(s, k, at));
        }
        return None;
    };
    sent.iter()
        .filter(|(_, v)| !v.is_null())
        .find_map(|(name, value)| {
            let path = if at.is_empty() {
                name.clone()
            } else {
                format!("{at}.{name}")
            };
            match known.get(name) {
                None => Some(path),
                Some(known) => unrecognized(value, known, &path),
            }
        })
}

/// Idempotency keys are at most 32 characters of `[A-Za-z0-9_-]` (§5.4).
fn check_key(key: &str) -> ApiResult<()> {
    let fine = !key.is_empty()
        && key.len() <= 32
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if fine {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidHeaderValue,
            format!("The {IDEMPOTENCY_KEY} must be 1 to 32 characters of A-Z, a-z, 0-9, - and _."),
        ))
    }
}

impl V2Front {
    fn read(&self, gate: &Gate<'_>, incoming: &Incoming<'_>) -> ApiResult<Checked> {
        let received = Received {
            method: incoming.method,
            path: incoming.path,
            query: incoming.query,
            headers: incoming.headers,
            body: incoming.body,
        };
        let verified = verify(gate.accounts, &received, gate.signing_time)?;
        let method = method(incoming.method)?;
        let request = AnyRequest::from_http(
            method,
            &verified.operation_path,
            &verified.query,
            &verified.headers,
            incoming.body,
        )
        .map_err(read_error)?;
        // Only an operation with a document reads the body (a GET's is not looked at).
        if let Some(written) = request.body()
            && let Ok(sent) = serde_json::from_slice::<Value>(incoming.body)
        {
            let known: Value = serde_json::from_slice(&written).map_err(ApiError::internal)?;
            if let Some(field) = unrecognized(&sent, &known, "") {
                return Err(ApiError::new(
                    ErrorCode::UnrecognizedField,
                    format!("The field {field} is not recognized."),
                ));
            }
        }
        let header = |name: &str| {
            verified
                .headers
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        };
        let key = header(IDEMPOTENCY_KEY);
        // The header has no effect on GET, PATCH and DELETE (§5.4): it is ignored there.
        let idempotency = match (method, key) {
            (Method::Post, Some(key)) => {
                check_key(&key)?;
                let fingerprint = format!(
                    "{} {} {}",
                    incoming.method,
                    verified.operation_path.trim_end_matches('/'),
                    hex_sha256(incoming.body)
                );
                Some((
                    format!("{}/{key}", verified.merchant.merchant_id),
                    fingerprint,
                ))
            }
            (Method::Post, None) if request.idempotency_key_required() => {
                return Err(ApiError::new(
                    ErrorCode::MissingHeader,
                    format!(
                        "The header {IDEMPOTENCY_KEY} is required for {}.",
                        request.action()
                    ),
                ));
            }
            _ => None,
        };
        let simulation = header(SIMULATION_CODE);
        if simulation.is_some() && !verified.sandbox {
            return Err(ApiError::new(
                ErrorCode::InvalidSandboxSimulationSpecified,
                "Simulation codes are only for the sandbox.",
            ));
        }
        Ok(Checked {
            owner: Owner {
                merchant_id: verified.merchant.merchant_id.clone(),
                sandbox: verified.sandbox,
            },
            region: verified.merchant.region,
            store_id: verified.merchant.store_id.clone(),
            request,
            idempotency,
            simulation,
            request_id: incoming.request_id.to_owned(),
        })
    }

    /// Runs a buyer's action (on Amazon's pages) as the sandbox merchant of `region`.
    pub fn as_buyer<T>(
        &self,
        env: &Env<'_>,
        world: &mut World,
        notices: &mut Vec<Notice>,
        region: amazon_pay_protocol::v2::Region,
        action: impl FnOnce(&mut Ctx<'_>) -> ApiResult<T>,
    ) -> ApiResult<T> {
        let merchant = env.accounts.merchant(region).ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidParameterValue,
                format!("the simulator has no merchant for region {region}"),
            )
        })?;
        let owner = Owner {
            merchant_id: merchant.merchant_id.clone(),
            sandbox: true,
        };
        let mut ctx = ctx(env, world, notices, Some(owner), Some(region));
        events::run_due(&mut ctx);
        action(&mut ctx)
    }
}

fn ctx<'w>(
    env: &Env<'_>,
    world: &'w mut World,
    notices: &'w mut Vec<Notice>,
    owner: Option<Owner>,
    region: Option<amazon_pay_protocol::v2::Region>,
) -> Ctx<'w> {
    Ctx {
        state: &mut world.v2,
        common: &mut world.common,
        now: env.now,
        owner,
        region,
        simulation: None,
        settle_after: env.timing.settle_after,
        notices,
    }
}

impl Front for V2Front {
    type Notice = Notice;
    type Checked = Checked;

    fn refusal_error(&self, refusal: Refusal, request_id: &str) -> Reply {
        let code = match refusal {
            Refusal::Throttled => ErrorCode::TooManyRequests,
            Refusal::Unavailable => ErrorCode::ServiceUnavailable,
            Refusal::ServerError | Refusal::NotSaved => ErrorCode::InternalServerError,
            Refusal::NotFound => ErrorCode::ResourceNotFound,
            Refusal::MethodNotAllowed => ErrorCode::UnsupportedOperation,
            Refusal::TooLarge => ErrorCode::InvalidRequest,
        };
        ApiError::new(code, refusal.message()).reply(request_id)
    }

    fn check(&self, gate: &Gate<'_>, request: &Incoming<'_>) -> Result<Checked, Reply> {
        self.read(gate, request)
            .map_err(|e| e.reply(request.request_id))
    }

    fn serve(
        &self,
        env: &Env<'_>,
        checked: Checked,
        world: &mut World,
        notices: &mut Vec<Notice>,
    ) -> Reply {
        let Checked {
            owner,
            region,
            store_id,
            request,
            idempotency,
            simulation,
            request_id,
        } = checked;
        if let Some((key, fingerprint)) = &idempotency
            && let Some(saved) = world.v2.answer(key)
        {
            if &saved.fingerprint == fingerprint {
                return json_reply(saved.status, saved.body.clone(), &request_id);
            }
            return ApiError::new(
                ErrorCode::DuplicateIdempotencyKey,
                "The idempotency key was used for a request with other values.",
            )
            .reply(&request_id);
        }
        let mut ctx = ctx(env, world, notices, Some(owner), Some(region));
        ctx.simulation = simulation;
        events::run_due(&mut ctx);
        match handlers::handle(&mut ctx, request, &store_id) {
            Ok(answer) => {
                if let Some((key, fingerprint)) = idempotency {
                    // Only a success is saved: a refused request changed nothing (GUESSES.md).
                    world.v2.insert_answer(
                        key,
                        SavedAnswer {
                            fingerprint,
                            status: answer.status,
                            body: answer.body.clone(),
                        },
                    );
                }
                json_reply(answer.status, answer.body, &request_id)
            }
            Err(e) => e.reply(&request_id),
        }
    }

    fn run_due(&self, env: &Env<'_>, world: &mut World, notices: &mut Vec<Notice>) {
        events::run_due(&mut ctx(env, world, notices, None, None));
    }

    fn notifications(&self, _world: &World, notices: &[Notice], _now: Timestamp) -> Vec<Outgoing> {
        notices
            .iter()
            .filter_map(|notice| ipn::outgoing(notice, format!("{:032x}", rand::random::<u128>())))
            .collect()
    }
}
