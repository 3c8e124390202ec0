//! The v2 part of the world: every merchant's checkout sessions, charge permissions, charges
//! and refunds, the saved answers of idempotency keys, and the v2 events scheduled. Every
//! mutation goes through a `*_mut` accessor or `insert_*`, which marks the row dirty so the
//! store writes exactly what changed (and a restart keeps the idempotency keys, §5.4).

use std::collections::BTreeMap;

use super::records::{
    BuyerRecord, ChargeRecord, Event, PermissionRecord, RefundRecord, SavedAnswer, SessionRecord,
};
use crate::sandbox::persist::{Dirty, Row, StoreError, decode, dirty_accessors, encode};
use crate::sandbox::schedule::Schedule;

const SESSION: &str = "v2_checkout_session";
const PERMISSION: &str = "v2_charge_permission";
const CHARGE: &str = "v2_charge";
const REFUND: &str = "v2_refund";
const IDEMPOTENCY: &str = "v2_idempotency_key";
const BUYER: &str = "v2_buyer_token";
const SCHEDULE: &str = "v2_schedule";

/// The values whose keys are `parent-<letter>…`, the ids `Common::new_child_id` makes.
fn children<'a, T>(
    map: &'a BTreeMap<String, T>,
    parent: &str,
    letter: char,
) -> impl Iterator<Item = &'a T> {
    let prefix = format!("{parent}-{letter}");
    map.range(prefix.clone()..)
        .take_while(move |(id, _)| id.starts_with(&prefix))
        .map(|(_, value)| value)
}

#[derive(Debug)]
pub struct State {
    pub sessions: BTreeMap<String, SessionRecord>,
    pub permissions: BTreeMap<String, PermissionRecord>,
    pub charges: BTreeMap<String, ChargeRecord>,
    pub refunds: BTreeMap<String, RefundRecord>,
    /// Keyed `merchant id/key`: keys are scoped per merchant (§5.4).
    pub answers: BTreeMap<String, SavedAnswer>,
    /// Keyed by buyer token.
    pub buyers: BTreeMap<String, BuyerRecord>,
    pub schedule: Schedule<Event>,
    dirty: Dirty,
}

impl Default for State {
    fn default() -> State {
        State {
            sessions: BTreeMap::new(),
            permissions: BTreeMap::new(),
            charges: BTreeMap::new(),
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
        charges, charge, charge_mut, insert_charge, ChargeRecord, CHARGE;
        refunds, refund, refund_mut, insert_refund, RefundRecord, REFUND;
        answers, answer, answer_mut, insert_answer, SavedAnswer, IDEMPOTENCY;
        buyers, buyer, buyer_mut, insert_buyer, BuyerRecord, BUYER;
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
                self.charges.insert(key, decode(kind, id, body)?);
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

    pub fn changes(&mut self) -> Vec<Row> {
        let State {
            sessions,
            permissions,
            charges,
            refunds,
            answers,
            buyers,
            schedule,
            dirty,
        } = self;
        let mut rows = dirty.take(|kind, id| match kind {
            SESSION => encode(sessions.get(id)),
            PERMISSION => encode(permissions.get(id)),
            CHARGE => encode(charges.get(id)),
            REFUND => encode(refunds.get(id)),
            IDEMPOTENCY => encode(answers.get(id)),
            BUYER => encode(buyers.get(id)),
            _ => None,
        });
        rows.extend(schedule.changes());
        rows
    }
}
