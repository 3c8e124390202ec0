//! How an authorization goes: at once, pending (the simulated cards 0701 and 4354 of §6.1, or
//! a simulation code), or into CaptureInitiated; and the synchronous declines a simulation code
//! on Create Charge asks for (§6.2).

use amazon_pay_protocol::v2::ErrorCode;

use super::NewCharge;
use crate::sandbox::v2::ctx::Ctx;
use crate::sandbox::v2::error::{ApiError, ApiResult};

/// The simulated cards that stay pending, and how they end (§6.1).
const PENDS_THEN_AUTHORIZED: &str = "0701";
const PENDS_THEN_HARD_DECLINED: &str = "4354";

/// How a simulation code or the saved card makes the authorization go.
pub(super) enum Path {
    Now,
    Pending { declines_with: Option<String> },
    CaptureInitiated,
}

pub(super) fn decline(code: ErrorCode, what: &str) -> ApiError {
    ApiError::new(code, format!("The charge was declined: {what}."))
}

/// A decline or a path chosen by `x-amz-pay-simulation-code` on Create Charge (§6.2).
pub(super) fn simulated_path(ctx: &Ctx<'_>, new: &NewCharge) -> ApiResult<Option<Path>> {
    let Some(code) = ctx.simulation.as_deref() else {
        return Ok(None);
    };
    let path = match code {
        "HardDeclined" => return Err(decline(ErrorCode::HardDeclined, "simulated HardDeclined")),
        "SoftDeclined" => return Err(decline(ErrorCode::SoftDeclined, "simulated SoftDeclined")),
        "AmazonRejected" => {
            return Err(decline(
                ErrorCode::AmazonRejected,
                "simulated AmazonRejected",
            ));
        }
        "TransactionTimedOut" => {
            return Err(decline(
                ErrorCode::TransactionTimedOut,
                "simulated TransactionTimedOut",
            ));
        }
        "ProcessingFailure" => {
            return Err(decline(
                ErrorCode::ProcessingFailure,
                "simulated ProcessingFailure",
            ));
        }
        "CaptureInitiated" if new.capture_now => Path::CaptureInitiated,
        "AuthorizationInitiated" if new.can_handle_pending => Path::Pending {
            declines_with: None,
        },
        _ => {
            return Err(ApiError::new(
                ErrorCode::InvalidSandboxSimulationSpecified,
                format!("The simulation code {code} does not fit this Create Charge request."),
            ));
        }
    };
    Ok(Some(path))
}

/// The path the saved card takes (the pending cards need `canHandlePendingAuthorization`).
pub(super) fn card_path(card: &str, new: &NewCharge) -> ApiResult<Path> {
    let declines_with = match card {
        PENDS_THEN_AUTHORIZED => None,
        PENDS_THEN_HARD_DECLINED => Some("HardDeclined".to_owned()),
        _ => return Ok(Path::Now),
    };
    if !new.can_handle_pending {
        return Err(decline(
            ErrorCode::TransactionTimedOut,
            "the authorization could not complete at once and canHandlePendingAuthorization is not true",
        ));
    }
    Ok(Path::Pending { declines_with })
}
