//! The seam between the simulator's core and one API generation. The core owns the HTTP
//! server, fault injection, the lock, the clock, persistence and IPN delivery; a front owns
//! what is particular to its generation: which path it answers, how a request is verified,
//! read and applied, how answers and errors are written, and which objects its IPNs carry.

use amazon_pay_protocol::Timestamp;
use axum::http::HeaderMap;

use super::accounts::Accounts;
use super::clock::Timing;
use super::delivery::Outgoing;
use super::throttle::Quotas;
use super::world::World;

/// What the core hands a front with every piece of work.
pub struct Env<'a> {
    pub accounts: &'a Accounts,
    pub timing: Timing,
    pub now: Timestamp,
}

/// What a front may use before the state lock is taken: checking a request needs the accounts
/// and the time to check its timestamp against, not the world.
pub struct Gate<'a> {
    pub accounts: &'a Accounts,
    /// `Some` when the documented quotas are enforced (`--throttle-quotas`).
    pub quotas: Option<&'a Quotas>,
    /// The time request timestamps are checked against (`Clock::signing_time`).
    pub signing_time: Timestamp,
}

/// One API request as it came in.
pub struct Incoming<'a> {
    pub method: &'a str,
    pub host: &'a str,
    pub path: &'a str,
    /// The query string as received (without `?`).
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    pub request_id: &'a str,
}

/// A request the core refuses before a front reads it (fault injection).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Throttled,
    Unavailable,
    ServerError,
    /// The change could not be written; nothing was applied.
    NotSaved,
    /// No such path (404).
    NotFound,
    /// The path is answered with another method (405).
    MethodNotAllowed,
    /// The body is larger than any request (413).
    TooLarge,
}

impl Refusal {
    /// The status of a refusal of the HTTP layer; `None` where the front's error code decides.
    pub fn http_status(self) -> Option<u16> {
        match self {
            Refusal::NotFound => Some(404),
            Refusal::MethodNotAllowed => Some(405),
            Refusal::TooLarge => Some(413),
            Refusal::Throttled
            | Refusal::Unavailable
            | Refusal::ServerError
            | Refusal::NotSaved => None,
        }
    }

    /// What the answer says: these refusals are the simulator's own, the same in every
    /// generation; only the code and the format are the front's.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Throttled => "Request is throttled.",
            Refusal::Unavailable => "Service is temporarily unavailable (fault injection).",
            Refusal::ServerError => "There was an internal service failure (fault injection).",
            Refusal::NotSaved => {
                "There was an internal service failure: the change could not be saved and was \
                 not applied."
            }
            Refusal::NotFound => "There is nothing at this path.",
            Refusal::MethodNotAllowed => "This path is not served for the method.",
            Refusal::TooLarge => "The request body is larger than any request of this API.",
        }
    }
}

/// An HTTP answer; the core adds the `Date` header.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Document,
    /// Sent as `x-amz-pay-request-id` (v2 answers; v1 carries it in the body).
    pub request_id: Option<String>,
}

/// An answer's body: its text, or a document written once the world's lock is let go. A v1
/// answer is a typed value that reads nothing of the world when written, and writing it under
/// the lock, which every other request waits for, was a fifth of the time the lock was held.
pub enum Document {
    Written(String),
    ToWrite(Box<dyn FnOnce() -> String + Send>),
}

impl Document {
    pub fn into_text(self) -> String {
        match self {
            Document::Written(text) => text,
            Document::ToWrite(write) => write(),
        }
    }
}

pub trait Front {
    /// A state change a handler reports, turned into an IPN when IPNs are posted.
    type Notice;

    /// The front's error answer to a refusal: its code for it, with `refusal.message()`.
    fn refusal_error(&self, refusal: Refusal, request_id: &str) -> Reply;

    /// The answer to a request the core refused, at the HTTP layer's status where it has one.
    fn refuse(&self, refusal: Refusal, request_id: &str) -> Reply {
        let mut reply = self.refusal_error(refusal, request_id);
        if let Some(status) = refusal.http_status() {
            reply.status = status;
        }
        reply
    }

    /// A request verified and read, ready to be applied.
    type Checked;

    /// Verifies and reads one request, before and without the state lock (parsing and the
    /// signature cost the most and need no state). A refused request changes nothing.
    fn check(&self, gate: &Gate<'_>, request: &Incoming<'_>) -> Result<Self::Checked, Reply>;

    /// Applies a checked request, after the events due, under the state lock.
    fn serve(
        &self,
        env: &Env<'_>,
        request: Self::Checked,
        world: &mut World,
        notices: &mut Vec<Self::Notice>,
    ) -> Reply;

    /// Applies the events due at `env.now` when no request comes (ticker, clock moves).
    fn run_due(&self, env: &Env<'_>, world: &mut World, notices: &mut Vec<Self::Notice>);

    /// The IPNs of the notices, with the objects as they are now.
    fn notifications(
        &self,
        world: &World,
        notices: &[Self::Notice],
        now: Timestamp,
    ) -> Vec<Outgoing>;
}
