//! Status values, object lookups and small shared checks of the v1 objects.

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::v1::{self, ErrorCode, Region};

use super::ctx::Ctx;
use super::error::{SimError, SimResult};
use super::records::{
    AuthorizationRecord, BillingAgreementRecord, CaptureRecord, OrderReferenceRecord, Owner,
    ProviderCreditRecord, ProviderCreditReversalRecord, RefundRecord,
};

pub fn agreement_status(
    state: v1::BillingAgreementState,
    reason: Option<v1::BillingAgreementReasonCode>,
    description: Option<String>,
    at: Timestamp,
) -> SimResult<v1::BillingAgreementStatus> {
    let mut b = v1::BillingAgreementStatus::builder()
        .state(state)
        .last_updated_timestamp(at);
    if let Some(r) = reason {
        b = b.reason_code(r);
    }
    if let Some(d) = description {
        b = b.reason_description(d);
    }
    Ok(b.build()?)
}

pub fn order_status(
    state: v1::OrderReferenceState,
    reason: Option<v1::OrderReferenceReasonCode>,
    description: Option<String>,
    at: Timestamp,
) -> SimResult<v1::OrderReferenceStatus> {
    let mut b = v1::OrderReferenceStatus::builder()
        .state(state)
        .last_update_timestamp(at);
    if let Some(r) = reason {
        b = b.reason_code(r);
    }
    if let Some(d) = description {
        b = b.reason_description(d);
    }
    Ok(b.build()?)
}

pub fn authorization_status(
    state: v1::AuthorizationState,
    reason: Option<v1::AuthorizationReasonCode>,
    at: Timestamp,
) -> SimResult<v1::AuthorizationStatus> {
    let mut b = v1::AuthorizationStatus::builder()
        .state(state)
        .last_update_timestamp(at);
    if let Some(r) = reason {
        b = b.reason_code(r);
    }
    Ok(b.build()?)
}

pub fn capture_status(
    state: v1::CaptureState,
    reason: Option<v1::CaptureReasonCode>,
    at: Timestamp,
) -> SimResult<v1::CaptureStatus> {
    let mut b = v1::CaptureStatus::builder()
        .state(state)
        .last_update_timestamp(at);
    if let Some(r) = reason {
        b = b.reason_code(r);
    }
    Ok(b.build()?)
}

pub fn refund_status(
    state: v1::RefundState,
    reason: Option<v1::RefundReasonCode>,
    at: Timestamp,
) -> SimResult<v1::RefundStatus> {
    let mut b = v1::RefundStatus::builder()
        .state(state)
        .last_update_timestamp(at);
    if let Some(r) = reason {
        b = b.reason_code(r);
    }
    Ok(b.build()?)
}

/// The status of a provider credit and of a reversal (one shape for both).
pub fn provider_credit_status(
    state: v1::ProviderCreditState,
    reason: Option<v1::ProviderCreditReasonCode>,
    at: Timestamp,
) -> SimResult<v1::ProviderCreditStatus> {
    let mut b = v1::ProviderCreditStatus::builder()
        .state(state)
        .last_update_timestamp(at);
    if let Some(r) = reason {
        b = b.reason_code(r);
    }
    Ok(b.build()?)
}

pub fn agreement<'a>(ctx: &'a Ctx<'_>, id: &str) -> SimResult<&'a BillingAgreementRecord> {
    ctx.owned(
        ctx.state.billing_agreement(id),
        |b| &b.owner,
        || {
            SimError::new(
                ErrorCode::InvalidParameterValue,
                format!("The billing agreement id {id} is invalid."),
            )
        },
    )
}

pub fn order_reference<'a>(ctx: &'a Ctx<'_>, id: &str) -> SimResult<&'a OrderReferenceRecord> {
    ctx.owned(
        ctx.state.order_reference(id),
        |o| &o.owner,
        || {
            SimError::new(
                ErrorCode::InvalidOrderReferenceId,
                format!("The OrderReferenceId {id} is invalid."),
            )
        },
    )
}

fn invalid_transaction(kind: &str, id: &str) -> SimError {
    SimError::new(
        ErrorCode::InvalidTransactionId,
        format!("The {kind} id {id} is invalid."),
    )
}

pub fn authorization<'a>(ctx: &'a Ctx<'_>, id: &str) -> SimResult<&'a AuthorizationRecord> {
    ctx.owned(
        ctx.state.authorization(id),
        |a| &a.owner,
        || invalid_transaction("authorization", id),
    )
}

pub fn capture<'a>(ctx: &'a Ctx<'_>, id: &str) -> SimResult<&'a CaptureRecord> {
    ctx.owned(
        ctx.state.capture(id),
        |c| &c.owner,
        || invalid_transaction("capture", id),
    )
}

pub fn refund<'a>(ctx: &'a Ctx<'_>, id: &str) -> SimResult<&'a RefundRecord> {
    ctx.owned(
        ctx.state.refund(id),
        |r| &r.owner,
        || invalid_transaction("refund", id),
    )
}

pub fn provider_credit<'a>(ctx: &'a Ctx<'_>, id: &str) -> SimResult<&'a ProviderCreditRecord> {
    ctx.owned(
        ctx.state.provider_credit(id),
        |c| &c.owner,
        || invalid_transaction("provider credit", id),
    )
}

pub fn provider_credit_reversal<'a>(
    ctx: &'a Ctx<'_>,
    id: &str,
) -> SimResult<&'a ProviderCreditReversalRecord> {
    ctx.owned(
        ctx.state.provider_credit_reversal(id),
        |r| &r.owner,
        || invalid_transaction("provider credit reversal", id),
    )
}

/// The billing agreement an order reference was made from (CreateOrderReferenceForId or
/// AuthorizeOnBillingAgreement): the agreement whose monthly limit its authorizations count
/// against, whichever operation made them.
pub fn agreement_of(oro: &OrderReferenceRecord) -> Option<&str> {
    oro.details
        .parent_details
        .as_ref()
        .filter(|p| p.r#type == v1::ParentType::BillingAgreement)
        .map(|p| p.id.as_str())
}

/// The id a child id is formed from: `S01-…-A0000005` → `S01-…` (children of children take
/// the root's id, as Amazon's do).
pub fn id_base(id: &str) -> &str {
    id.rsplit_once('-').map_or(id, |(base, _)| base)
}

/// The ids of an IdList (none when it is absent).
pub fn listed(list: &Option<v1::IdList>) -> impl Iterator<Item = &str> {
    list.iter().flat_map(|l| l.items.iter().map(String::as_str))
}

/// Adds an id to an object's `IdList`.
pub fn push_id(list: &mut Option<v1::IdList>, id: &str) {
    list.get_or_insert_with(|| v1::IdList::from(Vec::new()))
        .items
        .push(id.to_owned());
}

/// `AccessToken` and `AddressConsentToken` are the same token under two names; sending both is
/// `AmbiguousToken`, and a token of another buyer is `InvalidAddressConsentToken`. Returns
/// whether a valid token was given.
pub fn check_token(
    access_token: Option<&str>,
    consent_token: Option<&str>,
    buyer_token: &str,
) -> SimResult<bool> {
    match (access_token, consent_token) {
        (Some(_), Some(_)) => Err(SimError::new(
            ErrorCode::AmbiguousToken,
            "Both AccessToken and AddressConsentToken were given; send one.",
        )),
        (Some(t), None) | (None, Some(t)) if t == buyer_token => Ok(true),
        (Some(_), None) | (None, Some(_)) => Err(SimError::new(
            ErrorCode::InvalidAddressConsentToken,
            "The token is invalid, expired, or belongs to another buyer.",
        )),
        (None, None) => Ok(false),
    }
}

/// What the buyer's statement shows (reference §3.C): `AMZ*` and the seller's descriptor, or
/// the seller's name when the request gave none. The simulator's sellers are named after
/// their region (GUESSES.md).
pub fn soft_descriptor(given: Option<&str>, owner: &Owner) -> String {
    match given {
        Some(text) => format!("AMZ*{text}"),
        None => format!("AMZ*Simulator {}", owner.region),
    }
}

/// The language of the buyer's pages in the seller's region.
pub fn order_language(region: Region) -> &'static str {
    match region {
        Region::Jp => "ja-JP",
        Region::Na => "en-US",
        Region::Eu => "de-DE",
        Region::Uk => "en-GB",
    }
}

/// The release environment of objects created on the request's path.
pub fn release_environment(ctx: &Ctx<'_>) -> v1::ReleaseEnvironment {
    if ctx.sandbox {
        v1::ReleaseEnvironment::Sandbox
    } else {
        v1::ReleaseEnvironment::Live
    }
}
