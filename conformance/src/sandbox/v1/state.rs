//! The v1 part of the world: every seller's billing agreements, order references,
//! authorizations, captures, refunds, provider credits and their reversals, notification
//! configurations, the buyer's messages, and the v1 events scheduled.
//! Every mutation goes through a `*_mut` accessor or `insert_*`, which marks the row dirty so
//! the store writes exactly what changed.

use std::collections::BTreeMap;

use amazon_pay_protocol::Timestamp;

use super::records::{
    AuthorizationRecord, BillingAgreementRecord, BuyerMessage, CaptureRecord, Event, LedgerEntry,
    NotificationConfigurationRecord, OrderReferenceRecord, Owner, ProviderCreditRecord,
    ProviderCreditReversalRecord, RefundRecord,
};
use crate::sandbox::monthly::{Month, MonthlyTotals, month_of};
use crate::sandbox::persist::{Dirty, Records, Row, StoreError, body_of, decode, dirty_accessors};
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
/// An agreement's ledger entries and order references, a row each (`entry_row`).
const LEDGER_ENTRY: &str = "billing_agreement_ledger";
const AGREEMENT_ORDER: &str = "billing_agreement_order_reference";

/// The row of an agreement's `index`th ledger entry or order reference.
fn entry_row(agreement_id: &str, index: usize) -> String {
    format!("{agreement_id}/{index:08}")
}

fn entry_of(row: &str) -> Option<(&str, usize)> {
    let (agreement_id, index) = row.rsplit_once('/')?;
    Some((agreement_id, index.parse().ok()?))
}

/// Entry rows read back, attached to their agreements in order once every row is read (rows
/// come in no particular order).
#[derive(Debug, Default)]
struct Restoring {
    ledger: BTreeMap<(String, usize), LedgerEntry>,
    orders: BTreeMap<(String, usize), String>,
}

#[derive(Debug, Default)]
pub struct State {
    pub billing_agreements: Records<BillingAgreementRecord>,
    pub order_references: Records<OrderReferenceRecord>,
    pub authorizations: Records<AuthorizationRecord>,
    pub captures: Records<CaptureRecord>,
    pub refunds: Records<RefundRecord>,
    pub provider_credits: Records<ProviderCreditRecord>,
    pub provider_credit_reversals: Records<ProviderCreditReversalRecord>,
    /// Keyed by [`State::notification_key`].
    pub notification_configurations: Records<NotificationConfigurationRecord>,
    pub buyer_messages: Vec<BuyerMessage>,
    pub schedule: Schedule<Event>,
    /// What each agreement's ledger counts per month, kept by `push_ledger` and
    /// `decline_on_ledger` (the only writers of a ledger) and rebuilt in `restored`.
    monthly: MonthlyTotals,
    dirty: Dirty,
    restoring: Restoring,
}

/// The month of a ledger entry and the amount it counts there: none once it is declined.
fn ledger_part(entry: &LedgerEntry) -> Option<(Month, i64)> {
    let at = Timestamp::from_unix(entry.at)?;
    (!entry.declined).then(|| (month_of(at), entry.amount_minor))
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

    /// Appends an authorization to an agreement's ledger.
    pub fn push_ledger(&mut self, agreement_id: &str, entry: LedgerEntry) {
        if let Some(ba) = self.billing_agreements.get_mut(agreement_id) {
            self.dirty
                .mark(LEDGER_ENTRY, entry_row(agreement_id, ba.ledger.len()));
            if let Some((month, amount)) = ledger_part(&entry) {
                self.monthly.add(agreement_id, month, amount);
            }
            ba.ledger.push(entry);
        }
    }

    /// Marks an authorization Declined on its agreement's ledger (declined amounts do not
    /// count against the monthly limit).
    pub fn decline_on_ledger(&mut self, agreement_id: &str, authorization_id: &str) {
        let Some(ba) = self.billing_agreements.get_mut(agreement_id) else {
            return;
        };
        // The authorization is most likely the latest.
        if let Some((index, entry)) = ba
            .ledger
            .iter_mut()
            .enumerate()
            .rev()
            .find(|(_, e)| e.authorization_id == authorization_id)
        {
            if let Some((month, amount)) = ledger_part(entry) {
                self.monthly.subtract(agreement_id, month, amount);
            }
            entry.declined = true;
            self.dirty
                .mark(LEDGER_ENTRY, entry_row(agreement_id, index));
        }
    }

    /// Records an order reference created from an agreement.
    pub fn add_order_reference(&mut self, agreement_id: &str, order_reference_id: String) {
        if let Some(ba) = self.billing_agreements.get_mut(agreement_id) {
            let row = entry_row(agreement_id, ba.order_references.len());
            self.dirty.mark(AGREEMENT_ORDER, row);
            ba.order_references.push(order_reference_id);
        }
    }

    /// Marks every entry row of an agreement read from a file that embedded them, and the
    /// agreement, so that the next save writes them as rows and the agreement without them
    /// (in one transaction: the entries are never stored twice).
    fn move_out_entries(&mut self, agreement_id: &str, ba: &BillingAgreementRecord) {
        for index in 0..ba.ledger.len() {
            self.dirty
                .mark(LEDGER_ENTRY, entry_row(agreement_id, index));
        }
        for index in 0..ba.order_references.len() {
            self.dirty
                .mark(AGREEMENT_ORDER, entry_row(agreement_id, index));
        }
        self.dirty.mark(BILLING_AGREEMENT, agreement_id);
    }

    pub fn tell_buyer(&mut self, message: BuyerMessage) {
        self.dirty
            .mark(BUYER_MESSAGE, self.buyer_messages.len().to_string());
        self.buyer_messages.push(message);
    }

    /// What the agreement has authorized (Declined authorizations excluded) in `month`.
    pub fn authorized_in_month(&self, agreement_id: &str, month: Month) -> i64 {
        let authorized = self.monthly.total(agreement_id, month);
        debug_assert_eq!(
            authorized,
            self.billing_agreements.get(agreement_id).map_or(0, |ba| {
                ba.ledger
                    .iter()
                    .filter_map(ledger_part)
                    .filter(|(m, _)| *m == month)
                    .map(|(_, amount)| amount)
                    .sum::<i64>()
            }),
            "the monthly totals of {agreement_id} drifted from its ledger"
        );
        authorized
    }

    /// Reads a stored row back; `Ok(false)` when the row is not a v1 kind.
    pub fn restore(&mut self, kind: &str, id: &str, body: &str) -> Result<bool, StoreError> {
        let id_owned = || id.to_owned();
        match kind {
            BILLING_AGREEMENT => {
                let ba: BillingAgreementRecord = decode(kind, id, body)?;
                if !ba.ledger.is_empty() || !ba.order_references.is_empty() {
                    self.move_out_entries(id, &ba);
                }
                self.billing_agreements.insert(id_owned(), Box::new(ba));
            }
            LEDGER_ENTRY | AGREEMENT_ORDER => {
                let (agreement_id, index) = entry_of(id).ok_or_else(|| StoreError::Row {
                    kind: kind.to_owned(),
                    id: id.to_owned(),
                    reason: "not `agreement/index`".into(),
                })?;
                let key = (agreement_id.to_owned(), index);
                if kind == LEDGER_ENTRY {
                    self.restoring.ledger.insert(key, decode(kind, id, body)?);
                } else {
                    self.restoring.orders.insert(key, decode(kind, id, body)?);
                }
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

    /// After every row was restored: the buyer's messages in the order they were sent, and
    /// each agreement's entries in theirs.
    pub fn restored(&mut self) {
        self.buyer_messages.sort_by(|a, b| a.at.cmp(&b.at));
        let Restoring { ledger, orders } = std::mem::take(&mut self.restoring);
        for ((agreement_id, _), entry) in ledger {
            if let Some(ba) = self.billing_agreements.get_mut(&agreement_id) {
                ba.ledger.push(entry);
            }
        }
        for ((agreement_id, _), order) in orders {
            if let Some(ba) = self.billing_agreements.get_mut(&agreement_id) {
                ba.order_references.push(order);
            }
        }
        // Every ledger is whole now, whether its entries were rows or (in an older file) inside
        // the agreement's own row.
        for (agreement_id, ba) in &self.billing_agreements {
            for (month, amount) in ba.ledger.iter().filter_map(ledger_part) {
                self.monthly.add(agreement_id, month, amount);
            }
        }
    }

    pub fn forget_changes(&mut self) {
        self.dirty.clear();
        self.schedule.forget_changes();
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
            // Derived from the ledgers, never stored.
            monthly: _,
            restoring: _,
        } = self;
        let mut rows = dirty.take(|kind, id| match kind {
            BILLING_AGREEMENT => body_of(agreements.get(id)),
            ORDER_REFERENCE => body_of(orders.get(id)),
            AUTHORIZATION => body_of(authorizations.get(id)),
            CAPTURE => body_of(captures.get(id)),
            REFUND => body_of(refunds.get(id)),
            PROVIDER_CREDIT => body_of(credits.get(id)),
            PROVIDER_CREDIT_REVERSAL => body_of(reversals.get(id)),
            NOTIFICATION_CONFIGURATION => body_of(configurations.get(id)),
            BUYER_MESSAGE => body_of(id.parse::<usize>().ok().and_then(|i| messages.get(i))),
            LEDGER_ENTRY => body_of(
                entry_of(id).and_then(|(ba, i)| agreements.get(ba).and_then(|ba| ba.ledger.get(i))),
            ),
            AGREEMENT_ORDER => {
                body_of(entry_of(id).and_then(|(ba, i)| {
                    agreements.get(ba).and_then(|ba| ba.order_references.get(i))
                }))
            }
            _ => None,
        });
        rows.extend(schedule.changes());
        rows
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use amazon_pay_protocol::v1::Region;

    use super::*;
    use crate::sandbox::{BuyerChoices, Sandbox, SandboxConfig};

    fn entry(authorization_id: &str) -> LedgerEntry {
        LedgerEntry {
            authorization_id: authorization_id.into(),
            at: 100,
            amount_minor: 7,
            declined: false,
        }
    }

    /// The rows as the store holds them: `(kind, id, body)`.
    fn stored(state: &mut State) -> Vec<(String, String, String)> {
        state
            .changes()
            .into_iter()
            .map(|row| {
                (
                    row.kind.to_owned(),
                    row.id,
                    row.body.unwrap().encode().unwrap(),
                )
            })
            .collect()
    }

    fn restored(rows: Vec<(String, String, String)>) -> State {
        let mut state = State::default();
        for (kind, id, body) in rows {
            assert!(state.restore(&kind, &id, &body).unwrap(), "{kind}");
        }
        state.restored();
        state
    }

    /// A billing agreement as a buyer made it in a simulator: its id and record.
    async fn agreement() -> (String, BillingAgreementRecord) {
        let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
        let (id, _) = sandbox
            .buyer_creates_billing_agreement(Region::Jp, &BuyerChoices::default())
            .unwrap();
        let record = sandbox.inspect(|w| w.v1.billing_agreements[&id].as_ref().clone());
        sandbox.shutdown().await;
        (id, record)
    }

    #[tokio::test]
    async fn an_agreements_entries_are_rows_of_their_own_and_old_files_move_them_out() {
        let (id, record) = agreement().await;

        let mut state = State::default();
        state.insert_billing_agreement(id.clone(), record.clone());
        stored(&mut state);
        state.push_ledger(&id, entry("A1"));
        state.push_ledger(&id, entry("A2"));
        state.decline_on_ledger(&id, "A1");
        state.add_order_reference(&id, "S01-1".into());
        let rows = stored(&mut state);
        // Three entry rows; the agreement's own row is not written again.
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert!(rows.iter().all(|(kind, _, _)| kind != BILLING_AGREEMENT));
        let mut all = rows;
        state.insert_billing_agreement(id.clone(), state.billing_agreements[&id].as_ref().clone());
        all.extend(stored(&mut state));
        let agreement = all
            .iter()
            .find(|(kind, ..)| kind == BILLING_AGREEMENT)
            .unwrap();
        assert!(!agreement.2.contains("A2") && !agreement.2.contains("S01-1"));
        let back = restored(all);
        assert_eq!(back.billing_agreements[&id], state.billing_agreements[&id]);
        assert!(back.billing_agreements[&id].ledger[0].declined);

        // A file from before: both lists inside the agreement's row (the ledger as `charges`).
        let mut old = serde_json::to_value(&record).unwrap();
        old["charges"] = serde_json::to_value(vec![entry("A1")]).unwrap();
        old["order_references"] = serde_json::json!(["S01-1"]);
        let mut back = restored(vec![(
            BILLING_AGREEMENT.into(),
            id.clone(),
            old.to_string(),
        )]);
        assert_eq!(back.billing_agreements[&id].ledger, vec![entry("A1")]);
        let moved = stored(&mut back);
        let kinds: BTreeSet<&str> = moved.iter().map(|(kind, ..)| kind.as_str()).collect();
        assert_eq!(
            kinds,
            BTreeSet::from([BILLING_AGREEMENT, LEDGER_ENTRY, AGREEMENT_ORDER])
        );
        assert_eq!(
            restored(moved).billing_agreements[&id],
            back.billing_agreements[&id]
        );
    }

    #[tokio::test]
    async fn a_months_total_follows_the_ledger_and_is_rebuilt_when_read_back() {
        let (id, record) = agreement().await;
        let at = |authorization_id: &str, at: i64, yen: i64| LedgerEntry {
            authorization_id: authorization_id.into(),
            at,
            amount_minor: yen,
            declined: false,
        };
        // The last second of January 2026 (UTC) and the first of February.
        let (january, february) = ((2026, 1), (2026, 2));
        let (last_of_january, first_of_february) = (1_769_903_999, 1_769_904_000);

        let mut state = State::default();
        state.insert_billing_agreement(id.clone(), record.clone());
        state.push_ledger(&id, at("A1", last_of_january, 30_000));
        state.push_ledger(&id, at("A2", last_of_january, 15_000));
        state.push_ledger(&id, at("A3", first_of_february, 40_000));
        // Not an agreement's: counts nowhere.
        state.push_ledger("C01-nobody", at("A9", last_of_january, 1));
        assert_eq!(state.authorized_in_month(&id, january), 45_000);
        assert_eq!(state.authorized_in_month(&id, february), 40_000);
        assert_eq!(state.authorized_in_month("C01-nobody", january), 0);

        // A decline takes its amount out once; declining it again, or an unknown one, does not.
        state.decline_on_ledger(&id, "A1");
        state.decline_on_ledger(&id, "A1");
        state.decline_on_ledger(&id, "A-unknown");
        assert_eq!(state.authorized_in_month(&id, january), 15_000);
        assert_eq!(state.authorized_in_month(&id, (2025, 12)), 0);

        // Read back from its rows.
        let back = restored(stored(&mut state));
        assert_eq!(back.authorized_in_month(&id, january), 15_000);
        assert_eq!(back.authorized_in_month(&id, february), 40_000);

        // Read back from a file that kept the ledger inside the agreement's row.
        let mut old = serde_json::to_value(&record).unwrap();
        old["charges"] = serde_json::to_value(&state.billing_agreements[&id].ledger).unwrap();
        let back = restored(vec![(
            BILLING_AGREEMENT.into(),
            id.clone(),
            old.to_string(),
        )]);
        assert_eq!(back.authorized_in_month(&id, january), 15_000);
        assert_eq!(back.authorized_in_month(&id, february), 40_000);
    }
}
