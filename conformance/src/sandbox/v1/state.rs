//! The v1 part of the world: every seller's billing agreements, order references,
//! authorizations, captures, refunds, provider credits and their reversals, notification
//! configurations, the buyer's messages, and the v1 events scheduled.
//! Every mutation goes through a `*_mut` accessor or `insert_*`, which marks the row dirty so
//! the store writes exactly what changed.

use std::collections::BTreeMap;

use amazon_pay_protocol::Timestamp;

use super::records::{
    AuthorizationRecord, BillingAgreementRecord, BuyerMessage, CaptureRecord, Event,
    NotificationConfigurationRecord, OrderReferenceRecord, Owner, ProviderCreditRecord,
    ProviderCreditReversalRecord, RefundRecord,
};
use crate::sandbox::persist::{Dirty, Row, StoreError, decode, dirty_accessors, encode};
use crate::sandbox::schedule::Schedule;

const BILLING_AGREEMENT: &str = "billing_agreement";
const ORDER_REFERENCE: &str = "order_reference";
const AUTHORIZATION: &str = "authorization";
const CAPTURE: &str = "capture";
const REFUND: &str = "refund";
const BUYER_MESSAGE: &str = "buyer_message";
const PROVIDER_CREDIT: &str = "provider_credit";
const PROVIDER_CREDIT_REVERSAL: &str = "provider_credit_reversal";
const NOTIFICATION_CONFIGURATION: &str = "notification_configuration";

#[derive(Debug, Default)]
pub struct State {
    pub billing_agreements: BTreeMap<String, BillingAgreementRecord>,
    pub order_references: BTreeMap<String, OrderReferenceRecord>,
    pub authorizations: BTreeMap<String, AuthorizationRecord>,
    pub captures: BTreeMap<String, CaptureRecord>,
    pub refunds: BTreeMap<String, RefundRecord>,
    pub provider_credits: BTreeMap<String, ProviderCreditRecord>,
    pub provider_credit_reversals: BTreeMap<String, ProviderCreditReversalRecord>,
    /// Keyed by [`State::notification_key`].
    pub notification_configurations: BTreeMap<String, NotificationConfigurationRecord>,
    pub buyer_messages: Vec<BuyerMessage>,
    pub schedule: Schedule<Event>,
    dirty: Dirty,
}

impl State {
    dirty_accessors! {
        billing_agreements, billing_agreement, billing_agreement_mut, insert_billing_agreement, BillingAgreementRecord, BILLING_AGREEMENT;
        order_references, order_reference, order_reference_mut, insert_order_reference, OrderReferenceRecord, ORDER_REFERENCE;
        authorizations, authorization, authorization_mut, insert_authorization, AuthorizationRecord, AUTHORIZATION;
        captures, capture, capture_mut, insert_capture, CaptureRecord, CAPTURE;
        refunds, refund, refund_mut, insert_refund, RefundRecord, REFUND;
        provider_credits, provider_credit, provider_credit_mut, insert_provider_credit, ProviderCreditRecord, PROVIDER_CREDIT;
        provider_credit_reversals, provider_credit_reversal, provider_credit_reversal_mut, insert_provider_credit_reversal, ProviderCreditReversalRecord, PROVIDER_CREDIT_REVERSAL;
        notification_configurations, notification_configuration, notification_configuration_mut, insert_notification_configuration, NotificationConfigurationRecord, NOTIFICATION_CONFIGURATION;
    }

    /// The key of a seller's notification configuration: one per seller and environment, as
    /// Seller Central keeps sandbox and production IPN URLs apart.
    pub fn notification_key(owner: &Owner) -> String {
        format!("{}/{}", owner.seller_id, owner.environment)
    }

    pub fn tell_buyer(&mut self, message: BuyerMessage) {
        self.dirty
            .mark(BUYER_MESSAGE, self.buyer_messages.len().to_string());
        self.buyer_messages.push(message);
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
            ba.ledger
                .iter()
                .filter(|c| !c.declined && window.contains(&c.at))
                .map(|c| c.amount_minor)
                .sum()
        })
    }

    /// Reads a stored row back; `Ok(false)` when the row is not a v1 kind.
    pub fn restore(&mut self, kind: &str, id: &str, body: &str) -> Result<bool, StoreError> {
        let id_owned = || id.to_owned();
        match kind {
            BILLING_AGREEMENT => {
                self.billing_agreements
                    .insert(id_owned(), decode(kind, id, body)?);
            }
            ORDER_REFERENCE => {
                self.order_references
                    .insert(id_owned(), decode(kind, id, body)?);
            }
            AUTHORIZATION => {
                self.authorizations
                    .insert(id_owned(), decode(kind, id, body)?);
            }
            CAPTURE => {
                self.captures.insert(id_owned(), decode(kind, id, body)?);
            }
            REFUND => {
                self.refunds.insert(id_owned(), decode(kind, id, body)?);
            }
            PROVIDER_CREDIT => {
                self.provider_credits
                    .insert(id_owned(), decode(kind, id, body)?);
            }
            PROVIDER_CREDIT_REVERSAL => {
                self.provider_credit_reversals
                    .insert(id_owned(), decode(kind, id, body)?);
            }
            NOTIFICATION_CONFIGURATION => {
                self.notification_configurations
                    .insert(id_owned(), decode(kind, id, body)?);
            }
            BUYER_MESSAGE => self.buyer_messages.push(decode(kind, id, body)?),
            _ => return self.schedule.restore(kind, id, body),
        }
        Ok(true)
    }

    /// After every row was restored: the buyer's messages in the order they were sent.
    pub fn restored(&mut self) {
        self.buyer_messages.sort_by(|a, b| a.at.cmp(&b.at));
    }

    pub fn changes(&mut self) -> Vec<Row> {
        let State {
            billing_agreements: agreements,
            order_references: orders,
            authorizations,
            captures,
            refunds,
            provider_credits: credits,
            provider_credit_reversals: reversals,
            notification_configurations: configurations,
            buyer_messages: messages,
            schedule,
            dirty,
        } = self;
        let mut rows = dirty.take(|kind, id| match kind {
            BILLING_AGREEMENT => encode(agreements.get(id)),
            ORDER_REFERENCE => encode(orders.get(id)),
            AUTHORIZATION => encode(authorizations.get(id)),
            CAPTURE => encode(captures.get(id)),
            REFUND => encode(refunds.get(id)),
            PROVIDER_CREDIT => encode(credits.get(id)),
            PROVIDER_CREDIT_REVERSAL => encode(reversals.get(id)),
            NOTIFICATION_CONFIGURATION => encode(configurations.get(id)),
            BUYER_MESSAGE => encode(id.parse::<usize>().ok().and_then(|i| messages.get(i))),
            _ => None,
        });
        rows.extend(schedule.changes());
        rows
    }
}
