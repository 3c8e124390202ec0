//! One piece of v1 work (a request, a buyer's action, or the events that came due): the state
//! it may change, who asks, and what the seller will hear about.

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::v1::ErrorCode;

use super::error::{SimError, SimResult};
use super::records::{Event, Owner};
use super::simulation::{self, NoteField, Simulation};
use super::state::State;
use crate::sandbox::clock::Timing;
use crate::sandbox::common::{Common, ReferenceUse, Reuse};

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

pub struct Ctx<'w> {
    pub state: &'w mut State,
    pub common: &'w mut Common,
    pub now: Timestamp,
    pub owner: Owner,
    /// Whether sandbox simulation strings are honoured (the sandbox path only).
    pub sandbox: bool,
    pub request_id: String,
    /// The request's own parameters, for telling a retry from a different request.
    pub fingerprint: String,
    pub timing: Timing,
    pub notices: &'w mut Vec<Notice>,
}

impl Ctx<'_> {
    pub fn later(&self, seconds: i64) -> Timestamp {
        Timestamp::from_unix(self.now.unix() + seconds).unwrap_or(self.now)
    }

    /// Schedules a v1 event, in the shared sequence.
    pub fn schedule(&mut self, at: Timestamp, event: Event) {
        let sequence = self.common.next_sequence();
        self.state.schedule.add(at, sequence, event);
    }

    /// The simulation a note asks for; on the live path every note is an ordinary note.
    pub fn simulation(
        &self,
        note: Option<&str>,
        field: NoteField,
    ) -> SimResult<Option<Simulation>> {
        if self.sandbox {
            simulation::parse(note, field)
        } else {
            Ok(None)
        }
    }

    fn reference_key(&self, kind: &str, id: &str) -> String {
        format!("{}/{kind}/{id}", self.owner.seller_id)
    }

    /// Checks a reference id before anything changes (reference §5.2 "Reference-id
    /// semantics"). `Some(id)`: the same request again (a retry), answered with the object it
    /// created. Amazon's wording calls these calls idempotent on the reference id; returning
    /// the original object rather than an error is this simulator's reading (the reference
    /// marks it unconfirmed).
    pub fn retry_of(
        &self,
        kind: &str,
        id: &str,
        action: &str,
        parent: &str,
    ) -> SimResult<Option<String>> {
        let key = self.reference_key(kind, id);
        match self.common.reuse(&key, action, parent, &self.fingerprint) {
            Reuse::Fresh => Ok(None),
            Reuse::Retry(created) => Ok(Some(created.to_owned())),
            Reuse::OtherRequest(used) => Err(SimError::new(
                ErrorCode::DuplicateReferenceId,
                format!(
                    "The {kind} {id} has already been used by another request ({} on {}).",
                    used.action, used.parent
                ),
            )),
            Reuse::OtherParameters => Err(SimError::new(
                ErrorCode::DuplicateRequest,
                format!(
                    "A request with {kind} {id} was already processed with different parameters."
                ),
            )),
        }
    }

    pub fn record_reference(
        &mut self,
        kind: &str,
        id: &str,
        action: &str,
        parent: &str,
        created: &str,
    ) {
        let key = self.reference_key(kind, id);
        let used = ReferenceUse {
            action: action.to_owned(),
            parent: parent.to_owned(),
            fingerprint: self.fingerprint.clone(),
            created: created.to_owned(),
        };
        self.common.record_reference(key, used);
    }

    /// Refuses objects of other sellers, and of the other environment (sandbox objects on the
    /// live path and the reverse, as Amazon keeps them apart), as if they did not exist.
    pub fn owned<'a, T>(
        &self,
        found: Option<&'a T>,
        owner: impl Fn(&T) -> &Owner,
        missing: impl FnOnce() -> SimError,
    ) -> SimResult<&'a T> {
        match found {
            Some(t)
                if owner(t).seller_id == self.owner.seller_id
                    && owner(t).environment == self.owner.environment =>
            {
                Ok(t)
            }
            _ => Err(missing()),
        }
    }
}
