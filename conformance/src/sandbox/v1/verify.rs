//! What the service checks before it looks at an operation: path and version, the access key,
//! the Signature Version 2 signature (compared in constant time), and the timestamp window.
//! A refused request changes nothing.

use amazon_pay_protocol::sign::param_map_signature;
use amazon_pay_protocol::v1::{self, Environment, ErrorCode};
use amazon_pay_protocol::{ParamMap, Timestamp};
use subtle::ConstantTimeEq;

use super::error::{SimError, SimResult};
use super::form;
use crate::sandbox::accounts::{Account, Accounts};

/// A request whose signature, key, version and timestamp were accepted.
#[derive(Debug)]
pub struct Verified<'a> {
    pub account: &'a Account,
    pub environment: Environment,
    pub action: String,
    pub params: ParamMap,
}

/// The environment a request path selects, or `InvalidAddress`.
pub fn environment_of(path: &str) -> SimResult<Environment> {
    [Environment::Sandbox, Environment::Live]
        .into_iter()
        .find(|e| e.path() == path)
        .ok_or_else(|| {
            SimError::new(
                ErrorCode::InvalidAddress,
                format!("The section or version in the path `{path}` is not valid."),
            )
        })
}

/// Checks a form-encoded request sent to `host` + `path` at the service time `now`.
pub fn verify<'a>(
    accounts: &'a Accounts,
    host: &str,
    path: &str,
    body: &[u8],
    now: Timestamp,
) -> SimResult<Verified<'a>> {
    let environment = environment_of(path)?;
    let params = form::parse(body)?;
    let required = |key: &str| {
        params.get(key).ok_or_else(|| {
            SimError::new(
                ErrorCode::MissingParameter,
                format!("The parameter {key} is required."),
            )
        })
    };
    let key_id = params.get("AWSAccessKeyId").ok_or_else(|| {
        SimError::new(
            ErrorCode::MissingAuthenticationToken,
            "The request must contain the parameter AWSAccessKeyId.",
        )
    })?;
    let account = accounts.by_access_key(key_id).ok_or_else(|| {
        SimError::new(
            ErrorCode::InvalidAccessKeyId,
            "The AWS Access Key Id you provided does not exist in our records.",
        )
    })?;
    let signature = params.get("Signature").ok_or_else(|| {
        SimError::new(
            ErrorCode::MissingAuthenticationToken,
            "The request must contain the parameter Signature.",
        )
    })?;
    for (key, expected) in [
        ("SignatureMethod", v1::SIGNATURE_METHOD),
        ("SignatureVersion", v1::SIGNATURE_VERSION),
    ] {
        let value = required(key)?;
        if value != expected {
            return Err(invalid(
                key,
                value,
                &format!("only {expected} is supported"),
            ));
        }
    }
    let computed = param_map_signature(host, path, &account.secret, &params.0);
    if !bool::from(computed.as_bytes().ct_eq(signature.as_bytes())) {
        return Err(SimError::new(
            ErrorCode::SignatureDoesNotMatch,
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method.",
        ));
    }
    let version = required("Version")?;
    if version != v1::VERSION {
        return Err(invalid(
            "Version",
            version,
            &format!("this service speaks {}", v1::VERSION),
        ));
    }
    let stamp = required("Timestamp")?;
    let sent = Timestamp::parse(stamp).map_err(|e| invalid("Timestamp", stamp, &e.to_string()))?;
    let skew = sent.unix() - now.unix();
    if skew.abs() > i64::from(v1::MAX_CLOCK_SKEW_SECONDS) {
        return Err(SimError::new(
            ErrorCode::RequestExpired,
            format!(
                "Request has expired. Timestamp {} is {} seconds {} the service time {}; \
                 the allowed difference is {} seconds.",
                sent.to_wire(),
                skew.abs(),
                if skew < 0 { "behind" } else { "ahead of" },
                now.to_wire(),
                v1::MAX_CLOCK_SKEW_SECONDS
            ),
        ));
    }
    let seller = required("SellerId")?;
    if seller != account.seller_id && params.get("MWSAuthToken").is_none() {
        return Err(SimError::new(
            ErrorCode::UnauthorizedAccess,
            format!("The access key is not authorized to act for seller {seller}."),
        ));
    }
    let action = required("Action")?.to_owned();
    if v1::operation(&action).is_none() {
        return Err(SimError::new(
            ErrorCode::InvalidAction,
            format!("The action {action} is not valid for this endpoint."),
        ));
    }
    Ok(Verified {
        account,
        environment,
        action,
        params,
    })
}

fn invalid(key: &str, value: &str, why: &str) -> SimError {
    SimError::new(
        ErrorCode::InvalidParameterValue,
        format!("Value {value} for parameter {key} is invalid: {why}."),
    )
}
