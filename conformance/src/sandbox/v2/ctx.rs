//! One piece of v2 work (a request, a buyer's action, or the events that came due): the state
//! it may change, whose objects it may see, and what the merchant will hear about.

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::v2::{self, ReasonCode, State as ObjectState, StatusDetails};

use super::error::{ApiError, ApiResult};
use super::records::{Event, Owner};
use super::state::State;
use crate::sandbox::common::Common;

pub use amazon_pay_protocol::v2_runtime::notification::ObjectType;

/// A state change the merchant hears about (`STATE_CHANGE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub object_type: ObjectType,
    pub object_id: String,
    pub charge_permission_id: String,
    pub owner: Owner,
}

pub struct Ctx<'w> {
    pub state: &'w mut State,
    pub common: &'w mut Common,
    pub now: Timestamp,
    /// Who asks; events run as nobody and see every object.
    pub owner: Option<Owner>,
    /// The merchant's region (`None` for events).
    pub region: Option<v2::Region>,
    /// `x-amz-pay-simulation-code`, sandbox only.
    pub simulation: Option<String>,
    /// How long refunds and simulated pending captures take (`Timing::settle_after`).
    pub settle_after: i64,
    pub notices: &'w mut Vec<Notice>,
}

impl Ctx<'_> {
    pub fn later(&self, seconds: i64) -> Timestamp {
        Timestamp::from_unix(self.now.unix().saturating_add(seconds)).unwrap_or(self.now)
    }

    pub fn schedule(&mut self, after_seconds: i64, event: Event) {
        let at = self.later(after_seconds);
        let sequence = self.common.next_sequence();
        self.state.schedule.add(at, sequence, event);
    }

    pub fn notify(
        &mut self,
        object_type: ObjectType,
        object_id: &str,
        permission_id: &str,
        owner: &Owner,
    ) {
        self.notices.push(Notice {
            object_type,
            object_id: object_id.to_owned(),
            charge_permission_id: permission_id.to_owned(),
            owner: owner.clone(),
        });
    }

    /// Whether the asker may see an object of `owner` (events see all). Another merchant's
    /// object, or the other environment's, does not exist for the asker.
    pub fn sees(&self, owner: &Owner) -> bool {
        self.owner.as_ref().is_none_or(|me| me == owner)
    }

    pub fn sandbox(&self) -> bool {
        self.owner.as_ref().is_none_or(|o| o.sandbox)
    }

    pub fn asker(&self) -> ApiResult<Owner> {
        self.owner
            .clone()
            .ok_or_else(|| ApiError::internal("a request without a merchant"))
    }

    /// `S01-…` in the sandbox, `P01-…` live (the first letter as the fixtures suggest, §1.3).
    pub fn new_permission_id(&mut self) -> String {
        let prefix = if self.sandbox() { "S01" } else { "P01" };
        self.common.new_root_id(prefix)
    }

    /// A status with a state, an optional reason and the time of the change.
    pub fn status(&self, state: ObjectState, reason: Option<ReasonCode>) -> StatusDetails {
        let mut status = StatusDetails::default();
        status.reason_description = reason.as_ref().map(|r| describe(r).to_owned());
        status.state = Some(state);
        status.reason_code = reason;
        status.last_updated_timestamp = Some(self.now);
        status
    }

    pub fn release_environment(&self) -> v2::ReleaseEnvironment {
        if self.sandbox() {
            v2::ReleaseEnvironment::Sandbox
        } else {
            v2::ReleaseEnvironment::Live
        }
    }
}

/// The description written beside a reason code (the simulator's own words).
pub fn describe(reason: &ReasonCode) -> &'static str {
    match reason {
        ReasonCode::BuyerCanceled => "The buyer canceled the checkout.",
        ReasonCode::Declined => "The payment was declined.",
        ReasonCode::Expired => "The object expired.",
        ReasonCode::ExpiredUnused => "The authorization expired without a capture.",
        ReasonCode::HardDeclined => "The payment method was declined and must be updated.",
        ReasonCode::SoftDeclined => "The payment was declined; a retry may succeed.",
        ReasonCode::AmazonRejected => "Amazon rejected the transaction.",
        ReasonCode::ProcessingFailure => "Amazon could not process the transaction.",
        ReasonCode::TransactionTimedOut => "The transaction timed out.",
        ReasonCode::MerchantCanceled => "The merchant canceled.",
        ReasonCode::MerchantClosed => "The merchant closed the charge permission.",
        ReasonCode::BuyerClosed => "The buyer canceled the saved wallet on Amazon.",
        ReasonCode::AmazonClosed => "Amazon closed the charge permission.",
        ReasonCode::AmazonCanceled => "Amazon canceled.",
        ReasonCode::ChargePermissionCanceled => "The charge permission was closed.",
        ReasonCode::PaymentMethodInvalid => "The payment method is invalid.",
        ReasonCode::MFAFailed => "The buyer did not pass strong customer authentication.",
        _ => "See the reason code.",
    }
}
