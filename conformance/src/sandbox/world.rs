//! The whole state: what every generation shares, and each generation's own objects. The store
//! reads and writes it as rows; each part knows its own kinds.

use super::common::Common;
use super::persist::{Row, StoreError};
use super::v1::state::State;
use super::v2::state::State as V2State;

#[derive(Debug, Default)]
pub struct World {
    pub common: Common,
    pub v1: State,
    pub v2: V2State,
}

impl World {
    /// The world of stored rows (unknown kinds are skipped: a newer simulator's rows).
    pub fn restore(rows: Vec<(String, String, String)>) -> Result<World, StoreError> {
        let mut world = World::default();
        for (kind, id, body) in rows {
            let _known = world.common.restore(&kind, &id, &body)?
                || world.v1.restore(&kind, &id, &body)?
                || world.v2.restore(&kind, &id, &body)?;
        }
        world.v1.restored();
        Ok(world)
    }

    /// The rows changed since the last call.
    pub fn changes(&mut self) -> Vec<Row> {
        let mut rows = self.common.changes();
        rows.extend(self.v1.changes());
        rows.extend(self.v2.changes());
        rows
    }

    /// Forgets what changed, unwritten: a world with no state file has nowhere to write it.
    pub fn forget_changes(&mut self) {
        self.common.forget_changes();
        self.v1.forget_changes();
        self.v2.forget_changes();
    }
}

#[cfg(test)]
mod tests {
    use amazon_pay_protocol::Timestamp;

    use super::*;
    use crate::sandbox::common::{ReferenceUse, SEQUENCE_AHEAD};
    use crate::sandbox::v1::records::Event;

    #[test]
    fn every_part_reads_back_the_rows_it_wrote_and_unknown_kinds_are_skipped() {
        let mut world = World::default();
        let id = world.common.new_root_id("S01");
        world.common.set_clock_offset(90);
        let used = ReferenceUse {
            action: "Authorize".into(),
            parent: id.clone(),
            fingerprint: "Amount=1\n".into(),
            created: format!("{id}-A0000002"),
        };
        world
            .common
            .record_reference("S/AuthorizationReferenceId/r1".into(), used);
        let at = Timestamp::from_unix(100).unwrap();
        let sequence = world.common.next_sequence();
        let event = Event::SettleAuthorization(id.clone());
        world.v1.schedule.add(at, sequence, event.clone());

        let mut rows: Vec<(String, String, String)> = world
            .changes()
            .into_iter()
            .map(|row| {
                (
                    row.kind.to_owned(),
                    row.id,
                    row.body.unwrap().encode().unwrap(),
                )
            })
            .collect();
        assert_eq!(rows.len(), 4, "{rows:?}");
        assert!(
            world.changes().is_empty(),
            "written rows are no longer dirty"
        );
        rows.push(("a_later_generation".into(), "x".into(), "{}".into()));

        let mut back = World::restore(rows).unwrap();
        // The file holds the bound written with the first number (1), where a restarted world
        // goes on: past every number handed out.
        assert_eq!(back.common.sequence, 1 + SEQUENCE_AHEAD);
        assert!(back.common.sequence >= world.common.sequence);
        assert_eq!(back.common.clock_offset, 90);
        assert_eq!(back.common.reference_ids, world.common.reference_ids);
        assert_eq!(back.v1.schedule.take_due(at), vec![event]);
    }

    #[test]
    fn a_world_kept_in_memory_forgets_what_changed_in_every_part() {
        let mut world = World::default();
        let id = world.common.new_root_id("S01");
        let at = Timestamp::from_unix(100).unwrap();
        let sequence = world.common.next_sequence();
        world
            .v1
            .schedule
            .add(at, sequence, Event::SettleAuthorization(id.clone()));
        let v2_event = crate::sandbox::v2::records::Event::SettleAuthorization {
            charge_id: id,
            declines_with: None,
        };
        world.v2.schedule.add(at, sequence, v2_event);
        world
            .v1
            .tell_buyer(crate::sandbox::v1::records::BuyerMessage {
                at: "2026-12-01T00:00:00Z".into(),
                email: "buyer@example.com".into(),
                object_id: "S01-1".into(),
                subject: "Your order".into(),
            });
        let answer = crate::sandbox::v2::records::SavedAnswer {
            fingerprint: "POST /v2/charges".into(),
            status: 201,
            body: "{}".into(),
        };
        world.v2.insert_answer("merchant/key".into(), answer);
        world.forget_changes();
        assert!(world.changes().is_empty());
    }
}
