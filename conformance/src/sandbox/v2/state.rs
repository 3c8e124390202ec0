//! The v2 part of the world: every merchant's checkout sessions, charge permissions, charges
//! and refunds, the saved answers of idempotency keys, and the v2 events scheduled. Every
//! mutation goes through a `*_mut` accessor or `insert_*`, which marks the row dirty so the
//! store writes exactly what changed (and a restart keeps the idempotency keys, §5.4).

use std::collections::BTreeMap;

use super::monthly::{self, Monthly};
use super::records::{
    BuyerRecord, ChargeRecord, Event, PermissionRecord, RefundRecord, SavedAnswer, SessionRecord,
};
use crate::sandbox::monthly::Month;
use crate::sandbox::persist::{Dirty, Records, Row, StoreError, body_of, decode, dirty_accessors};
use crate::sandbox::schedule::Schedule;

const SESSION: &str = "v2_checkout_session";
pub(crate) const PERMISSION: &str = "v2_charge_permission";
const CHARGE: &str = "v2_charge";
const REFUND: &str = "v2_refund";
const IDEMPOTENCY: &str = "v2_idempotency_key";
const BUYER: &str = "v2_buyer_token";
const SCHEDULE: &str = "v2_schedule";

/// The values whose keys are `parent-<letter>…`, the ids `Common::new_child_id` makes.
fn children<'a, T>(map: &'a Records<T>, parent: &str, letter: char) -> impl Iterator<Item = &'a T> {
    let prefix = format!("{parent}-{letter}");
    map.range(prefix.clone()..)
        .take_while(move |(id, _)| id.starts_with(&prefix))
        .map(|(_, value)| &**value)
}

#[derive(Debug)]
pub struct State {
    pub sessions: Records<SessionRecord>,
    pub permissions: Records<PermissionRecord>,
    /// Changed only through the charge accessors, which keep `monthly` up to date.
    charges: Records<ChargeRecord>,
    /// What each permission charged per month: derived from `charges`, never stored.
    monthly: Monthly,
    pub refunds: Records<RefundRecord>,
    /// Keyed `merchant id/key`: keys are scoped per merchant (§5.4).
    pub answers: Records<SavedAnswer>,
    /// Keyed by buyer token.
    pub buyers: Records<BuyerRecord>,
    pub schedule: Schedule<Event>,
    dirty: Dirty,
}

impl Default for State {
    fn default() -> State {
        State {
            sessions: BTreeMap::new(),
            permissions: BTreeMap::new(),
            charges: BTreeMap::new(),
            monthly: Monthly::default(),
            refunds: BTreeMap::new(),
            answers: BTreeMap::new(),
            buyers: BTreeMap::new(),
            schedule: Schedule::named(SCHEDULE),
            dirty: Dirty::default(),
        }
    }
}

impl State {
    dirty_accessors! {
        sessions, session, session_mut, insert_session, SessionRecord, SESSION;
        permissions, permission, permission_mut, insert_permission, PermissionRecord, PERMISSION;
        refunds, refund, refund_mut, insert_refund, RefundRecord, REFUND;
        answers, answer, answer_mut, insert_answer, SavedAnswer, IDEMPOTENCY;
        buyers, buyer, buyer_mut, insert_buyer, BuyerRecord, BUYER;
    }

    pub fn charge(&self, id: &str) -> Option<&ChargeRecord> {
        self.charges.get(id).map(|charge| &**charge)
    }

    /// Every charge, by id.
    pub fn charges(&self) -> impl Iterator<Item = &ChargeRecord> {
        self.charges.values().map(|charge| &**charge)
    }

    /// Changes a charge with `change` (`None` when there is no such charge); the monthly
    /// totals follow the change.
    pub fn update_charge<R>(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut ChargeRecord) -> R,
    ) -> Option<R> {
        let record = self.charges.get_mut(id)?;
        self.dirty.mark(CHARGE, id);
        self.monthly.remove(record);
        let result = change(record);
        self.monthly.add(record);
        Some(result)
    }

    pub fn insert_charge(&mut self, id: String, record: ChargeRecord) {
        self.dirty.mark(CHARGE, id.clone());
        self.put_charge(id, record);
    }

    /// Inserts or replaces a charge, and counts it in place of the one it replaces.
    fn put_charge(&mut self, id: String, record: ChargeRecord) {
        self.monthly.add(&record);
        if let Some(replaced) = self.charges.insert(id, Box::new(record)) {
            self.monthly.remove(&replaced);
        }
    }

    /// What a permission has charged in `month`, declined and canceled charges left out.
    pub fn charged_in_month(&self, permission_id: &str, month: Month) -> i64 {
        let charged = self.monthly.charged(permission_id, month);
        debug_assert_eq!(
            charged,
            self.charges_of(permission_id)
                .filter_map(monthly::part_of)
                .filter(|(m, _)| *m == month)
                .map(|(_, amount)| amount)
                .sum::<i64>(),
            "the monthly totals of {permission_id} drifted from its charges"
        );
        charged
    }

    /// The charges of a permission. A charge's id is its permission's id with `-C…` appended
    /// (`Common::new_child_id`), so they sit together in the map: a range, not a scan of every
    /// charge (which made each Create Charge slower than the last under load).
    pub fn charges_of<'a>(
        &'a self,
        permission_id: &'a str,
    ) -> impl Iterator<Item = &'a ChargeRecord> {
        children(&self.charges, permission_id, 'C')
            .filter(move |c| c.permission_id() == permission_id)
    }

    /// The refunds of a charge (ids `<charge id>-R…`).
    pub fn refunds_of<'a>(&'a self, charge_id: &'a str) -> impl Iterator<Item = &'a RefundRecord> {
        children(&self.refunds, charge_id, 'R').filter(move |r| r.charge_id() == charge_id)
    }

    /// Reads a stored row back; `Ok(false)` when the row is not a v2 kind.
    pub fn restore(&mut self, kind: &str, id: &str, body: &str) -> Result<bool, StoreError> {
        let key = id.to_owned();
        match kind {
            SESSION => {
                self.sessions.insert(key, decode(kind, id, body)?);
            }
            PERMISSION => {
                self.permissions.insert(key, decode(kind, id, body)?);
            }
            CHARGE => {
                let record = decode(kind, id, body)?;
                self.put_charge(key, record);
            }
            REFUND => {
                self.refunds.insert(key, decode(kind, id, body)?);
            }
            IDEMPOTENCY => {
                self.answers.insert(key, decode(kind, id, body)?);
            }
            BUYER => {
                self.buyers.insert(key, decode(kind, id, body)?);
            }
            _ => return self.schedule.restore(kind, id, body),
        }
        Ok(true)
    }

    pub fn forget_changes(&mut self) {
        self.dirty.clear();
        self.schedule.forget_changes();
    }

    pub fn changes(&mut self) -> Vec<Row> {
        let State {
            sessions,
            permissions,
            charges,
            monthly: _,
            refunds,
            answers,
            buyers,
            schedule,
            dirty,
        } = self;
        let mut rows = dirty.take(|kind, id| match kind {
            SESSION => body_of(sessions.get(id)),
            PERMISSION => body_of(permissions.get(id)),
            CHARGE => body_of(charges.get(id)),
            REFUND => body_of(refunds.get(id)),
            IDEMPOTENCY => body_of(answers.get(id)),
            BUYER => body_of(buyers.get(id)),
            _ => None,
        });
        rows.extend(schedule.changes());
        rows
    }
}

#[cfg(test)]
mod tests {
    use amazon_pay_protocol::v2::{Charge, State as ChargeState, StatusDetails};
    use amazon_pay_protocol::{Money, Timestamp};

    use super::*;
    use crate::sandbox::v2::records::Owner;

    fn charge(permission: &str, created: &str, yen: i64, state: ChargeState) -> ChargeRecord {
        let mut status = StatusDetails::default();
        status.state = Some(state);
        let mut document = Charge::default();
        document.charge_permission_id = Some(permission.into());
        document.charge_amount = Some(Money::jpy(yen).unwrap());
        document.creation_timestamp = Some(Timestamp::parse(created).unwrap());
        document.status_details = Some(status);
        ChargeRecord {
            owner: Owner {
                merchant_id: "M".into(),
                sandbox: true,
            },
            document,
        }
    }

    #[test]
    fn monthly_totals_follow_new_changed_and_restored_charges() {
        let mut state = State::default();
        let november = "2026-11-30T23:59:59Z";
        let december = "2026-12-01T00:00:00Z";
        for (id, permission, at, amount, charge_state) in [
            ("P1-C1", "P1", november, 1000, ChargeState::Captured),
            ("P1-C2", "P1", december, 2000, ChargeState::Authorized),
            ("P1-C3", "P1", december, 3000, ChargeState::Authorized),
            ("P1-C4", "P1", december, 4000, ChargeState::Declined),
            ("P2-C1", "P2", december, 500, ChargeState::Captured),
        ] {
            state.insert_charge(id.into(), charge(permission, at, amount, charge_state));
        }
        assert_eq!(state.charged_in_month("P1", (2026, 11)), 1000);
        assert_eq!(state.charged_in_month("P1", (2026, 12)), 5000);
        assert_eq!(state.charged_in_month("P2", (2026, 12)), 500);
        assert_eq!(state.charged_in_month("P3", (2026, 12)), 0);

        // A later decline or cancel takes the charge out; other changes keep it in.
        state.update_charge("P1-C3", |c| {
            c.document.status_details.as_mut().unwrap().state = Some(ChargeState::Canceled);
        });
        state.update_charge("P1-C2", |c| {
            c.document.capture_amount = c.document.charge_amount.clone();
        });
        assert_eq!(state.charged_in_month("P1", (2026, 12)), 2000);

        // Reading a stored row over the one in memory replaces it, not adds to it.
        let stored = serde_json::to_string(state.charge("P1-C2").unwrap()).unwrap();
        assert!(state.restore(CHARGE, "P1-C2", &stored).unwrap());
        assert_eq!(state.charged_in_month("P1", (2026, 12)), 2000);
        let mut restored = State::default();
        for (id, record) in &state.charges {
            let body = serde_json::to_string(record).unwrap();
            assert!(restored.restore(CHARGE, id, &body).unwrap());
        }
        assert_eq!(restored.charged_in_month("P1", (2026, 12)), 2000);
        assert_eq!(restored.charged_in_month("P1", (2026, 11)), 1000);
    }
}
