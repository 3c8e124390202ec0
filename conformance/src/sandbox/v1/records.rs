//! What the v1 simulator remembers of each object, what the buyer was told, and the events
//! scheduled for later.
//!
//! Objects are kept as the generated `*Details` types themselves, so what a Get* call returns is
//! exactly what is stored, and the spec's field names exist in one place only. The few facts
//! Amazon keeps but never returns (the buyer's full profile, which object an authorization
//! belongs to) live beside them. The record types end in `Record` so that v2's objects
//! (Charge, Refund, ChargePermission, CheckoutSession) can take the plain names.

use amazon_pay_protocol::v1::{self, Region};
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
pub struct BillingAgreementRecord {
    pub owner: Owner,
    pub buyer: BuyerProfile,
    pub details: v1::BillingAgreementDetails,
    /// Order references created from it (one at most while Draft). Grown only through
    /// `State::add_order_reference`: each is a row of its own, not part of the agreement's.
    #[serde(default, skip_serializing)]
    pub order_references: Vec<String>,
    /// Its authorizations, oldest first, for the monthly limit: read on every charge and every
    /// GetBillingAgreementDetails, so it must not cost a scan of all authorizations. Changed
    /// only through `State::push_ledger` and `State::decline_on_ledger`: each entry is a row
    /// of its own, so an authorization writes one small row, not the agreement with its whole
    /// history. (Older state files embed both lists, the ledger as `charges` before it had its
    /// own name; they are read, and moved out on the next save.)
    #[serde(default, alias = "charges", skip_serializing)]
    pub ledger: Vec<LedgerEntry>,
}

/// One authorization on a billing agreement, as the monthly limit counts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub authorization_id: String,
    /// Creation time, unix seconds.
    pub at: i64,
    pub amount_minor: i64,
    /// Mirrors the authorization's Declined state (declined amounts do not count); set where
    /// an authorization settles.
    pub declined: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderReferenceRecord {
    pub owner: Owner,
    pub buyer: BuyerProfile,
    pub details: v1::OrderReferenceDetails,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthorizationRecord {
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
pub struct CaptureRecord {
    pub owner: Owner,
    pub authorization_id: String,
    pub details: v1::CaptureDetails,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefundRecord {
    pub owner: Owner,
    pub capture_id: String,
    pub details: v1::RefundDetails,
    /// The refund simulation asked for Declined/AmazonRejected.
    pub declines: bool,
}

/// A credit paid to a solution provider out of a capture (reference §3.D).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderCreditRecord {
    pub owner: Owner,
    pub capture_id: String,
    pub details: v1::ProviderCreditDetails,
}

/// A reversal of a provider credit, by ReverseProviderCredit or a refund.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderCreditReversalRecord {
    pub owner: Owner,
    pub provider_credit_id: String,
    pub details: v1::ProviderCreditReversalDetails,
}

/// Where a seller's IPNs go (SetMerchantNotificationConfiguration), per seller and
/// environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationConfigurationRecord {
    pub owner: Owner,
    pub list: v1::NotificationConfigurationList,
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
