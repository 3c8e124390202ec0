//! The schedule of events: what happens later on its own (Amazon's asynchronous processing),
//! applied when the simulator clock passes it. Each API generation schedules its own event
//! type; the order of equal times is the order of the sequence numbers they were given.

use std::collections::BTreeMap;

use amazon_pay_protocol::Timestamp;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::persist::{Dirty, Row, StoreError, body_of, decode};

/// The store's kind for scheduled events of the first generation (v1); each other
/// generation names its own (`Schedule::named`).
const KIND: &str = "schedule";

#[derive(Debug)]
pub struct Schedule<E> {
    /// Due events, keyed by `(unix seconds, sequence)` so equal times keep their order.
    events: BTreeMap<(i64, u64), E>,
    kind: &'static str,
    dirty: Dirty,
}

impl<E> Default for Schedule<E> {
    fn default() -> Schedule<E> {
        Schedule::named(KIND)
    }
}

impl<E> Schedule<E> {
    /// A schedule whose rows are stored under `kind`.
    pub fn named(kind: &'static str) -> Schedule<E> {
        Schedule {
            events: BTreeMap::new(),
            kind,
            dirty: Dirty::default(),
        }
    }
}

fn row_id((at, seq): (i64, u64)) -> String {
    format!("{at}:{seq}")
}

fn key_of(id: &str) -> Option<(i64, u64)> {
    let (at, seq) = id.split_once(':')?;
    Some((at.parse().ok()?, seq.parse().ok()?))
}

impl<E: Serialize + DeserializeOwned + Clone + Send + 'static> Schedule<E> {
    /// Schedules `event` at `at`; `sequence` is a number never handed out before.
    pub fn add(&mut self, at: Timestamp, sequence: u64, event: E) {
        let key = (at.unix(), sequence);
        self.dirty.mark(self.kind, row_id(key));
        self.events.insert(key, event);
    }

    /// Removes and returns the events due at `now`, oldest first.
    pub fn take_due(&mut self, now: Timestamp) -> Vec<E> {
        // Asked on every request: most often nothing is due, and splitting the map would
        // allocate for nothing.
        match self.events.first_key_value() {
            Some(((at, _), _)) if *at <= now.unix() => {}
            _ => return Vec::new(),
        }
        let later = self.events.split_off(&(now.unix() + 1, 0));
        let due = std::mem::replace(&mut self.events, later);
        due.into_iter()
            .map(|(key, event)| {
                self.dirty.mark(self.kind, row_id(key));
                event
            })
            .collect()
    }

    /// Reads a stored row back; `Ok(false)` when the row is not a scheduled event.
    pub fn restore(&mut self, kind: &str, id: &str, body: &str) -> Result<bool, StoreError> {
        if kind != self.kind {
            return Ok(false);
        }
        let key = key_of(id).ok_or_else(|| StoreError::Row {
            kind: self.kind.to_owned(),
            id: id.to_owned(),
            reason: "not `at:sequence`".into(),
        })?;
        self.events.insert(key, decode(kind, id, body)?);
        Ok(true)
    }

    pub fn forget_changes(&mut self) {
        self.dirty.clear();
    }

    pub fn changes(&mut self) -> Vec<Row> {
        let events = &self.events;
        self.dirty
            .take(|_, id| body_of(key_of(id).and_then(|k| events.get(&k))))
    }
}
