//! The v1 front: `POST /OffAmazonPayments_Sandbox/2013-01-01` and the live path, for any host
//! (the signature covers the Host header as sent). Verification (`verify.rs`), reading with the
//! generated `AnyRequest::from_params`, the handlers, and answers written with the generated
//! `to_xml` types, errors as `ErrorDocument` XML.

use amazon_pay_protocol::v1::{AnyRequest, Environment, ErrorCode, Region, VOLATILE_PARAMS};
use amazon_pay_protocol::{BuildError, DispatchError, ParamError, ParamMap, Timestamp};

use super::ctx::{Ctx, Notice};
use super::error::{SimError, SimResult};
use super::records::Owner;
use super::verify::verify;
use super::{events, handlers, ipn};
use crate::sandbox::delivery::Outgoing;
use crate::sandbox::front::{Document, Env, Front, Gate, Incoming, Refusal, Reply};
use crate::sandbox::world::World;

/// The v1 API generation (form POST, Signature V2, XML).
#[derive(Debug)]
pub struct V1Front;

fn xml(status: u16, body: Document) -> Reply {
    Reply {
        status,
        content_type: "text/xml",
        body,
        request_id: None,
    }
}

fn error_reply(error: &SimError, request_id: &str) -> Reply {
    let body = error
        .document(request_id)
        .to_xml(amazon_pay_protocol::v1::XML_NAMESPACE);
    xml(error.http_status(), Document::Written(body))
}

fn parameter_error(e: DispatchError) -> SimError {
    match e {
        DispatchError::Params(ParamError::Missing(key)) => SimError::new(
            ErrorCode::MissingParameter,
            format!("The parameter {key} is required."),
        ),
        DispatchError::Params(ParamError::Invalid { key, reason }) => SimError::new(
            ErrorCode::InvalidParameterValue,
            format!("Value for parameter {key} is invalid: {reason}."),
        ),
        other => SimError::new(ErrorCode::InvalidParameterValue, other.to_string()),
    }
}

/// A value longer (or outside the range) than the spec allows, refused before the lock is
/// taken, so the request changes nothing. The message names each field, never its value.
fn constraint_error(e: &BuildError) -> SimError {
    let reasons: Vec<String> = e
        .invalid
        .iter()
        .map(|(field, reason)| format!("Value for parameter {field} is invalid: it {reason}."))
        .collect();
    SimError::new(ErrorCode::InvalidParameterValue, reasons.join(" "))
}

/// The parameters that make two requests "the same request": everything but the parameters
/// the spec marks volatile (the timestamp, the signature and the credentials, which change on
/// every retry).
fn fingerprint(params: &ParamMap) -> String {
    let mut text = String::with_capacity(512);
    for (key, value) in params
        .0
        .iter()
        .filter(|(k, _)| !VOLATILE_PARAMS.contains(&k.as_str()))
    {
        text.extend([key.as_str(), "=", value, "\n"]);
    }
    text
}

/// A request whose signature, timestamp and parameters were accepted, read into its
/// operation, with who sent it.
pub struct Checked {
    owner: Owner,
    sandbox: bool,
    fingerprint: String,
    request: AnyRequest,
    request_id: String,
}

/// The work of one request or event run on the world's v1 part.
fn ctx<'w>(
    env: &Env<'_>,
    world: &'w mut World,
    notices: &'w mut Vec<Notice>,
    owner: Owner,
    sandbox: bool,
) -> Ctx<'w> {
    Ctx {
        state: &mut world.v1,
        common: &mut world.common,
        now: env.now,
        owner,
        sandbox,
        request_id: String::new(),
        fingerprint: String::new(),
        timing: env.timing,
        notices,
    }
}

impl V1Front {
    /// Runs an action that is not a seller request (the buyer's side, on Amazon's pages) for
    /// the seller of `region`, on the sandbox path.
    pub fn as_buyer<T>(
        &self,
        env: &Env<'_>,
        world: &mut World,
        notices: &mut Vec<Notice>,
        region: Region,
        action: impl FnOnce(&mut Ctx<'_>) -> SimResult<T>,
    ) -> SimResult<T> {
        let account = env.accounts.by_region(region).ok_or_else(|| {
            SimError::new(
                ErrorCode::InvalidParameterValue,
                format!("the simulator has no account for region {region}"),
            )
        })?;
        let owner = Owner {
            seller_id: account.seller_id.clone(),
            region: region.name().to_owned(),
            environment: "Sandbox".to_owned(),
        };
        action(&mut ctx(env, world, notices, owner, true))
    }
}

impl Front for V1Front {
    type Notice = Notice;
    type Checked = Checked;

    fn refusal_error(&self, refusal: Refusal, request_id: &str) -> Reply {
        let code = match refusal {
            Refusal::Throttled => ErrorCode::RequestThrottled,
            Refusal::Unavailable => ErrorCode::ServiceUnavailable,
            Refusal::ServerError | Refusal::NotSaved => ErrorCode::InternalServerError,
            Refusal::NotFound | Refusal::MethodNotAllowed => ErrorCode::InvalidAddress,
            Refusal::TooLarge => ErrorCode::InvalidParameterValue,
        };
        error_reply(&SimError::new(code, refusal.message()), request_id)
    }

    fn check(&self, gate: &Gate<'_>, request: &Incoming<'_>) -> Result<Checked, Reply> {
        let id = request.request_id;
        let verified = verify(
            gate.accounts,
            request.host,
            request.path,
            request.body,
            gate.signing_time,
        )
        .map_err(|e| error_reply(&e, id))?;
        let sandbox = verified.environment == Environment::Sandbox;
        let over_quota = gate.quotas.is_some_and(|quotas| {
            amazon_pay_protocol::v1::operation(&verified.action).is_some_and(|info| {
                !quotas.admit(
                    &verified.account.seller_id,
                    info,
                    sandbox,
                    std::time::Instant::now(),
                )
            })
        });
        if over_quota {
            return Err(self.refuse(Refusal::Throttled, id));
        }
        let parsed = AnyRequest::from_params(&verified.action, &verified.params)
            .map_err(|e| error_reply(&parameter_error(e), id))?;
        parsed
            .check_constraints()
            .map_err(|e| error_reply(&constraint_error(&e), id))?;
        Ok(Checked {
            owner: Owner {
                seller_id: verified.account.seller_id.clone(),
                region: verified.account.region.name().to_owned(),
                environment: format!("{:?}", verified.environment),
            },
            sandbox,
            fingerprint: fingerprint(&verified.params),
            request: parsed,
            request_id: id.to_owned(),
        })
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
            sandbox,
            fingerprint,
            request,
            request_id,
        } = checked;
        let mut ctx = ctx(env, world, notices, owner, sandbox);
        ctx.request_id = request_id.clone();
        ctx.fingerprint = fingerprint;
        let outcome = events::run_due(&mut ctx).and_then(|()| handlers::handle(&mut ctx, request));
        match outcome {
            Ok(response) => xml(200, Document::ToWrite(Box::new(move || response.to_xml()))),
            Err(e) => error_reply(&e, &request_id),
        }
    }

    fn run_due(&self, env: &Env<'_>, world: &mut World, notices: &mut Vec<Notice>) {
        // Events belong to no request: no seller, and simulations were read when scheduled.
        let nobody = Owner {
            seller_id: String::new(),
            region: String::new(),
            environment: String::new(),
        };
        if let Err(e) = events::run_due(&mut ctx(env, world, notices, nobody, true)) {
            tracing::error!(error = ?e, "scheduled sandbox event failed");
        }
    }

    fn notifications(&self, world: &World, notices: &[Notice], now: Timestamp) -> Vec<Outgoing> {
        notices
            .iter()
            .filter_map(|notice| ipn::notification(&world.v1, notice, now))
            .collect()
    }
}
