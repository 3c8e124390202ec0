//! Everything the simulator remembers: the objects of every seller, the reference ids already
//! used, what the buyer was told, and the events scheduled for later.
//!
//! Objects are kept as the generated `*Details` types themselves, so what a Get* call returns is
//! exactly what is stored, and the spec's field names exist in one place only. The few facts
//! Amazon keeps but never returns (the buyer's full profile, which object an authorization
//! belongs to) live beside them.

use std::collections::{BTreeMap, BTreeSet};

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::v1::{self, Region};
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use serde::{Deserialize, Serialize};

/// What the buyer chose on Amazon's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// A card that authorizes.
    Valid,
    /// A card every authorization declines with InvalidPaymentMethod.
    Declining,
    /// No payment method chosen (constraint PaymentPlanNotSet).
    None,
}

/// The buyer behind a billing agreement or order reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuyerProfile {
    pub name: String,
    pub email: String,
    pub phone: String,
    /// The full shipping address; `None` when the buyer chose none.
    pub address: Option<v1::Address>,
    pub consent: bool,
    pub payment_method: PaymentMethod,
    /// Lets the seller read the address before confirmation (`AccessToken`).
    pub access_token: String,
}

/// Which seller and region an object belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    pub seller_id: String,
    pub region: String,
    /// `Sandbox` or `Live`: the path the object was created through.
    pub environment: String,
}

impl Owner {
    pub fn region(&self) -> Region {
        Region::parse(&self.region).unwrap_or(Region::Jp)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BillingAgreement {
    pub owner: Owner,
    pub buyer: BuyerProfile,
    pub details: v1::BillingAgreementDetails,
    /// Order references created from it (one at most while Draft).
    pub order_references: Vec<String>,
    /// Its authorizations, oldest first, for the monthly limit: read on every charge and every
    /// GetBillingAgreementDetails, so it must not cost a scan of all authorizations.
    #[serde(default)]
    pub charges: Vec<Charge>,
}

/// One authorization on a billing agreement, as the monthly limit counts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Charge {
    pub authorization_id: String,
    /// Creation time, unix seconds.
    pub at: i64,
    pub amount_minor: i64,
    /// Mirrors the authorization's Declined state (declined amounts do not count); set where
    /// an authorization settles.
    pub declined: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderReference {
    pub owner: Owner,
    pub buyer: BuyerProfile,
    pub details: v1::OrderReferenceDetails,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Authorization {
    pub owner: Owner,
    pub order_reference_id: String,
    /// Set when the authorization was made with AuthorizeOnBillingAgreement.
    pub billing_agreement_id: Option<String>,
    pub details: v1::AuthorizationDetails,
    /// Where a Pending authorization is headed; `None` once it got there.
    pub pending: Option<Outcome>,
}

/// What the authorization will become once Amazon has processed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Open,
    Declined {
        reason: String,
        soft: bool,
        update_after_minutes: Option<i64>,
    },
    ExpireUnused {
        after_minutes: i64,
    },
    AmazonClosed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Capture {
    pub owner: Owner,
    pub authorization_id: String,
    pub details: v1::CaptureDetails,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refund {
    pub owner: Owner,
    pub capture_id: String,
    pub details: v1::RefundDetails,
    /// The refund simulation asked for Declined/AmazonRejected.
    pub declines: bool,
}

/// A used AuthorizationReferenceId, CaptureReferenceId or RefundReferenceId.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceUse {
    pub action: String,
    /// The object the request was made on (billing agreement, order reference, ...).
    pub parent: String,
    /// The request's own parameters (no timestamp, signature or credentials), to tell a
    /// retry of the same request from a different request under the same id.
    pub fingerprint: String,
    /// The object it created.
    pub created: String,
}

/// A message Amazon sends the buyer (seed 003: when the agreement becomes Open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerMessage {
    pub at: String,
    pub email: String,
    pub object_id: String,
    pub subject: String,
}

/// Something that happens later on its own: Amazon's asynchronous processing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Event {
    /// A Pending authorization reaches its final state.
    SettleAuthorization(String),
    /// A Pending capture completes.
    SettleCapture(String),
    /// A Pending refund completes (or is declined, as its simulation said).
    SettleRefund(String),
    /// The buyer updates the payment method (`PaymentMethodUpdateTimeInMins`).
    BuyerUpdatesPaymentMethod(String),
    /// An Open authorization closes unused (`ExpiredUnused`, or the validity period).
    ExpireAuthorization(String),
    /// A billing agreement or order reference still Draft 3 hours after the buyer created it
    /// is canceled by Amazon (`Stale`, reference §4.1 and §4.2).
    CancelStaleDraft(String),
    /// An order reference 180 days old closes (`Expired`, reference §4.2).
    ExpireOrderReference(String),
}

/// The kinds of stored objects; also the table of the SQLite store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    BillingAgreement,
    OrderReference,
    Authorization,
    Capture,
    Refund,
    ReferenceId,
    Schedule,
    BuyerMessage,
    Meta,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::BillingAgreement,
        Kind::OrderReference,
        Kind::Authorization,
        Kind::Capture,
        Kind::Refund,
        Kind::ReferenceId,
        Kind::Schedule,
        Kind::BuyerMessage,
        Kind::Meta,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::BillingAgreement => "billing_agreement",
            Kind::OrderReference => "order_reference",
            Kind::Authorization => "authorization",
            Kind::Capture => "capture",
            Kind::Refund => "refund",
            Kind::ReferenceId => "reference_id",
            Kind::Schedule => "schedule",
            Kind::BuyerMessage => "buyer_message",
            Kind::Meta => "meta",
        }
    }
}

/// The whole state. Every mutation goes through a `*_mut` accessor or `insert_*`, which
/// records the key as dirty so the SQLite store writes exactly what changed.
#[derive(Debug, Default)]
pub struct World {
    pub billing_agreements: BTreeMap<String, BillingAgreement>,
    pub order_references: BTreeMap<String, OrderReference>,
    pub authorizations: BTreeMap<String, Authorization>,
    pub captures: BTreeMap<String, Capture>,
    pub refunds: BTreeMap<String, Refund>,
    /// Keyed by `seller/kind/reference id`.
    pub reference_ids: BTreeMap<String, ReferenceUse>,
    /// Due events, keyed by `(unix seconds, sequence)` so equal times keep their order.
    pub schedule: BTreeMap<(i64, u64), Event>,
    pub buyer_messages: Vec<BuyerMessage>,
    /// Seconds added to the machine's clock (`/__sandbox/clock`).
    pub clock_offset: i64,
    pub sequence: u64,
    pub dirty: BTreeSet<(Kind, String)>,
    /// The random-looking part of new ids; seeded for reproducible runs, never persisted.
    salts: Salts,
}

#[derive(Debug)]
struct Salts(StdRng);

impl Default for Salts {
    fn default() -> Salts {
        Salts(StdRng::from_entropy())
    }
}

macro_rules! accessors {
    ($($field:ident, $get:ident, $get_mut:ident, $insert:ident, $ty:ty, $kind:expr;)*) => {$(
        pub fn $get(&self, id: &str) -> Option<&$ty> {
            self.$field.get(id)
        }

        pub fn $get_mut(&mut self, id: &str) -> Option<&mut $ty> {
            let found = self.$field.get_mut(id);
            if found.is_some() {
                self.dirty.insert(($kind, id.to_owned()));
            }
            found
        }

        pub fn $insert(&mut self, id: String, value: $ty) {
            self.dirty.insert(($kind, id.clone()));
            self.$field.insert(id, value);
        }
    )*};
}

impl World {
    accessors! {
        billing_agreements, billing_agreement, billing_agreement_mut, insert_billing_agreement, BillingAgreement, Kind::BillingAgreement;
        order_references, order_reference, order_reference_mut, insert_order_reference, OrderReference, Kind::OrderReference;
        authorizations, authorization, authorization_mut, insert_authorization, Authorization, Kind::Authorization;
        captures, capture, capture_mut, insert_capture, Capture, Kind::Capture;
        refunds, refund, refund_mut, insert_refund, Refund, Kind::Refund;
        reference_ids, reference_use, reference_use_mut, insert_reference_use, ReferenceUse, Kind::ReferenceId;
    }

    /// A number never handed out before (ids, schedule order); persisted with the state.
    pub fn next_sequence(&mut self) -> u64 {
        self.sequence += 1;
        self.dirty.insert((Kind::Meta, "sequence".to_owned()));
        self.sequence
    }

    pub fn reseed(&mut self, rng: StdRng) {
        self.salts = Salts(rng);
    }

    /// Amazon-looking ids (`C01-0000012-3456789`) that stay unique across restarts.
    pub fn new_root_id(&mut self, prefix: &str) -> String {
        let n = self.next_sequence();
        let salt: u32 = self.salts.0.gen_range(0..10_000_000);
        format!("{prefix}-{:07}-{salt:07}", n % 10_000_000)
    }

    /// Child ids as Amazon forms them: the order reference id, a letter, a number.
    pub fn new_child_id(&mut self, parent: &str, letter: char) -> String {
        let n = self.next_sequence();
        format!("{parent}-{letter}{:07}", n % 10_000_000)
    }

    pub fn schedule(&mut self, at: Timestamp, event: Event) {
        let key = (at.unix(), self.next_sequence());
        self.dirty
            .insert((Kind::Schedule, format!("{}:{}", key.0, key.1)));
        self.schedule.insert(key, event);
    }

    /// Removes and returns the events due at `now`, oldest first.
    pub fn take_due(&mut self, now: Timestamp) -> Vec<Event> {
        let later = self.schedule.split_off(&(now.unix() + 1, 0));
        let due = std::mem::replace(&mut self.schedule, later);
        due.into_iter()
            .map(|((at, seq), event)| {
                self.dirty.insert((Kind::Schedule, format!("{at}:{seq}")));
                event
            })
            .collect()
    }

    pub fn tell_buyer(&mut self, message: BuyerMessage) {
        let key = self.buyer_messages.len().to_string();
        self.dirty.insert((Kind::BuyerMessage, key));
        self.buyer_messages.push(message);
    }

    pub fn set_clock_offset(&mut self, seconds: i64) {
        self.clock_offset = seconds;
        self.dirty.insert((Kind::Meta, "clock_offset".to_owned()));
    }

    /// What the agreement has authorized (Declined authorizations excluded) in the window.
    pub fn authorized_on_agreement(
        &self,
        agreement_id: &str,
        from: Timestamp,
        until: Timestamp,
    ) -> i64 {
        let window = from.unix()..until.unix();
        self.billing_agreements.get(agreement_id).map_or(0, |ba| {
            ba.charges
                .iter()
                .filter(|c| !c.declined && window.contains(&c.at))
                .map(|c| c.amount_minor)
                .sum()
        })
    }
}
