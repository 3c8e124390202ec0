//! The operations: each takes the generated request type and returns the generated response
//! type, after checking the state machines of reference §4. A handler that refuses a request
//! returns before its first mutation, so a refused request changes nothing.

mod agreement;
pub mod buyer;
mod buyer_view;
pub mod events;
mod order;
mod payment;
mod status;

pub use buyer_view::{billing_agreement_view, month_window, order_reference_view};

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::v1::{self, AnyRequest, AnyResponse, ErrorCode};

use super::error::{SimError, SimResult};
use super::world::{Owner, ReferenceUse, World};

/// An object whose state change the seller hears about through an IPN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    OrderReference(String),
    Authorization(String),
    Capture(String),
    Refund(String),
    /// `event_type` is `BillingAgreementStatusUpdated` or `PaymentMethodUpdated`.
    BillingAgreement {
        id: String,
        event_type: &'static str,
    },
}

/// Timing choices of the simulator (seconds of simulator time).
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// How long asynchronous authorizations, pending captures and refunds stay Pending.
    pub settle_after: i64,
}

impl Default for Timing {
    fn default() -> Timing {
        Timing { settle_after: 30 }
    }
}

/// One request being handled.
pub struct Ctx<'w> {
    pub world: &'w mut World,
    pub now: Timestamp,
    pub owner: Owner,
    /// Whether sandbox simulation strings are honoured (the sandbox path only).
    pub sandbox: bool,
    pub request_id: String,
    /// The request's own parameters, for telling a retry from a different request.
    pub fingerprint: String,
    pub timing: Timing,
    pub notices: Vec<Notice>,
}

impl Ctx<'_> {
    fn later(&self, seconds: i64) -> Timestamp {
        Timestamp::from_unix(self.now.unix() + seconds).unwrap_or(self.now)
    }

    /// The simulation a note asks for; on the live path every note is an ordinary note.
    fn simulation(
        &self,
        note: Option<&str>,
        field: crate::sandbox::simulation::NoteField,
    ) -> SimResult<Option<crate::sandbox::simulation::Simulation>> {
        if self.sandbox {
            crate::sandbox::simulation::parse(note, field)
        } else {
            Ok(None)
        }
    }
}

/// Handles a verified request.
pub fn handle(ctx: &mut Ctx<'_>, request: AnyRequest) -> SimResult<AnyResponse> {
    use AnyRequest as Q;
    use AnyResponse as A;
    Ok(match request {
        Q::GetBillingAgreementDetails(r) => A::GetBillingAgreementDetails(agreement::get(ctx, r)?),
        Q::SetBillingAgreementDetails(r) => A::SetBillingAgreementDetails(agreement::set(ctx, r)?),
        Q::ConfirmBillingAgreement(r) => A::ConfirmBillingAgreement(agreement::confirm(ctx, r)?),
        Q::ValidateBillingAgreement(r) => A::ValidateBillingAgreement(agreement::validate(ctx, r)?),
        Q::AuthorizeOnBillingAgreement(r) => {
            A::AuthorizeOnBillingAgreement(agreement::authorize(ctx, r)?)
        }
        Q::CloseBillingAgreement(r) => A::CloseBillingAgreement(agreement::close(ctx, r)?),
        Q::CreateOrderReferenceForId(r) => {
            A::CreateOrderReferenceForId(agreement::create_order_reference(ctx, r)?)
        }
        Q::GetOrderReferenceDetails(r) => A::GetOrderReferenceDetails(order::get(ctx, r)?),
        Q::SetOrderReferenceDetails(r) => A::SetOrderReferenceDetails(order::set(ctx, r)?),
        Q::SetOrderAttributes(r) => A::SetOrderAttributes(order::set_attributes(ctx, r)?),
        Q::ConfirmOrderReference(r) => A::ConfirmOrderReference(order::confirm(ctx, r)?),
        Q::CancelOrderReference(r) => A::CancelOrderReference(order::cancel(ctx, r)?),
        Q::CloseOrderReference(r) => A::CloseOrderReference(order::close(ctx, r)?),
        Q::Authorize(r) => A::Authorize(payment::authorize(ctx, r)?),
        Q::GetAuthorizationDetails(r) => {
            A::GetAuthorizationDetails(payment::get_authorization(ctx, r)?)
        }
        Q::CloseAuthorization(r) => A::CloseAuthorization(payment::close_authorization(ctx, r)?),
        Q::Capture(r) => A::Capture(payment::capture(ctx, r)?),
        Q::GetCaptureDetails(r) => A::GetCaptureDetails(payment::get_capture(ctx, r)?),
        Q::Refund(r) => A::Refund(payment::refund(ctx, r)?),
        Q::GetRefundDetails(r) => A::GetRefundDetails(payment::get_refund(ctx, r)?),
        Q::GetServiceStatus(_) => A::GetServiceStatus(v1::GetServiceStatusResponse::new(
            v1::GetServiceStatusResult::builder()
                .status(v1::ServiceStatusValue::Green)
                .timestamp(ctx.now)
                .build()?,
            ctx.request_id.clone(),
        )),
        Q::GetMerchantAccountStatus(_) => {
            A::GetMerchantAccountStatus(v1::GetMerchantAccountStatusResponse::new(
                v1::GetMerchantAccountStatusResult::builder()
                    .account_status(v1::AccountStatus::Active)
                    .build()?,
                ctx.request_id.clone(),
            ))
        }
        other => {
            return Err(SimError::new(
                ErrorCode::InvalidAction,
                format!(
                    "{} is part of the API but not simulated by this sandbox (solution-provider \
                     and listing operations); test it against Amazon's sandbox.",
                    other.action()
                ),
            ));
        }
    })
}

/// The parameters that make two requests "the same request": everything but the timestamp,
/// the signature and the credentials, which change on every retry.
pub fn fingerprint(params: &amazon_pay_protocol::ParamMap) -> String {
    const VOLATILE: [&str; 6] = [
        "Timestamp",
        "Signature",
        "SignatureMethod",
        "SignatureVersion",
        "AWSAccessKeyId",
        "MWSAuthToken",
    ];
    params
        .0
        .iter()
        .filter(|(k, _)| !VOLATILE.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={v}\n"))
        .collect()
}

/// What a reference id says about a request (reference §5.2 "Reference-id semantics").
pub(super) enum Reuse {
    /// Never used: go ahead.
    Fresh,
    /// The same request again (a retry): answer with the object it created. Amazon's wording
    /// calls these calls idempotent on the reference id; returning the original object rather
    /// than an error is this simulator's reading (the reference marks it unconfirmed).
    Retry(String),
}

fn reference_key(ctx: &Ctx<'_>, kind: &str, id: &str) -> String {
    format!("{}/{kind}/{id}", ctx.owner.seller_id)
}

/// Checks a reference id before anything changes.
pub(super) fn check_reference(
    ctx: &Ctx<'_>,
    kind: &str,
    id: &str,
    action: &str,
    parent: &str,
) -> SimResult<Reuse> {
    let Some(used) = ctx.world.reference_use(&reference_key(ctx, kind, id)) else {
        return Ok(Reuse::Fresh);
    };
    if used.action != action || used.parent != parent {
        return Err(SimError::new(
            ErrorCode::DuplicateReferenceId,
            format!(
                "The {kind} {id} has already been used by another request ({} on {}).",
                used.action, used.parent
            ),
        ));
    }
    if used.fingerprint != ctx.fingerprint {
        return Err(SimError::new(
            ErrorCode::DuplicateRequest,
            format!("A request with {kind} {id} was already processed with different parameters."),
        ));
    }
    Ok(Reuse::Retry(used.created.clone()))
}

pub(super) fn record_reference(
    ctx: &mut Ctx<'_>,
    kind: &str,
    id: &str,
    action: &str,
    parent: &str,
    created: &str,
) {
    let key = reference_key(ctx, kind, id);
    let record = ReferenceUse {
        action: action.to_owned(),
        parent: parent.to_owned(),
        fingerprint: ctx.fingerprint.clone(),
        created: created.to_owned(),
    };
    ctx.world.insert_reference_use(key, record);
}

/// Refuses objects of other sellers as if they did not exist.
pub(super) fn owned<'a, T>(
    ctx: &Ctx<'_>,
    found: Option<&'a T>,
    owner: impl Fn(&T) -> &Owner,
    missing: impl FnOnce() -> SimError,
) -> SimResult<&'a T> {
    match found {
        Some(t) if owner(t).seller_id == ctx.owner.seller_id => Ok(t),
        _ => Err(missing()),
    }
}
