//! What the simulator keeps of each v2 object: the document it answers (the generated type,
//! so the answer is exactly what the client reads), whose it is, and what only Amazon knows
//! (the buyer's payment method, the ledger behind the monthly limit).

use amazon_pay_protocol::v2::{Address, Buyer, Charge, ChargePermission, CheckoutSession, Refund};
use serde::{Deserialize, Serialize};

/// Whose an object is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    pub merchant_id: String,
    pub sandbox: bool,
}

/// What the buyer chose on Amazon's pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuyerChoice {
    /// The last four digits of the chosen card: the simulated cards of §6.1 act by them.
    pub card: String,
    pub address: Address,
    /// Whether the EU strong-authentication step passed (always true outside the EU).
    pub authenticated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub owner: Owner,
    pub document: CheckoutSession,
    pub buyer: Option<BuyerChoice>,
    /// A checkout-session simulation code sent on Update, applied on Complete (§6.2).
    pub simulation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PermissionRecord {
    pub owner: Owner,
    pub document: ChargePermission,
    /// The saved payment method (its simulated card).
    pub card: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChargeRecord {
    pub owner: Owner,
    pub document: Charge,
}

impl ChargeRecord {
    /// The permission the charge was made on (every charge the simulator makes has one).
    pub fn permission_id(&self) -> &str {
        self.document
            .charge_permission_id
            .as_ref()
            .map_or("", |id| id.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefundRecord {
    pub owner: Owner,
    pub document: Refund,
    /// Set by a simulation code: the refund ends Declined with this reason.
    pub declines_with: Option<String>,
}

impl RefundRecord {
    /// The charge the refund was made on.
    pub fn charge_id(&self) -> &str {
        self.document
            .charge_id
            .as_ref()
            .map_or("", |id| id.as_str())
    }
}

/// A buyer who signed in with Amazon on the merchant's site: what Get Buyer answers for the
/// token the merchant received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuyerRecord {
    pub owner: Owner,
    pub buyer: Buyer,
}

/// What happens later on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// A pending authorization ends: Authorized, or Declined with the reason.
    SettleAuthorization {
        charge_id: String,
        declines_with: Option<String>,
    },
    /// A pending capture ends Captured.
    SettleCapture { charge_id: String },
    /// A refund ends Refunded or Declined.
    SettleRefund { refund_id: String },
    /// An Open checkout session is canceled after 24 hours.
    ExpireSession { checkout_session_id: String },
    /// An Authorized charge is canceled after 30 days.
    ExpireAuthorization { charge_id: String },
    /// A OneTime or Recurring permission closes at its expiration.
    ExpirePermission { charge_permission_id: String },
}

/// A saved answer to an idempotency key (§5.4): the request it answered and the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedAnswer {
    /// Method, path and body hash of the first request.
    pub fingerprint: String,
    pub status: u16,
    pub body: String,
}
