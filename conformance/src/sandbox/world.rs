//! The whole state: what every generation shares, and each generation's own objects. The store
//! reads and writes it as rows; each part knows its own kinds.

use super::common::Common;
use super::persist::{Row, StoreError};
use super::v1::state::State;

#[derive(Debug, Default)]
pub struct World {
    pub common: Common,
    pub v1: State,
}

impl World {
    /// The world of stored rows (unknown kinds are skipped: a newer simulator's rows).
    pub fn restore(rows: Vec<(String, String, String)>) -> Result<World, StoreError> {
        let mut world = World::default();
        for (kind, id, body) in rows {
            if !world.common.restore(&kind, &id, &body)? {
                world.v1.restore(&kind, &id, &body)?;
            }
        }
        world.v1.restored();
        Ok(world)
    }

    /// The rows changed since the last call.
    pub fn changes(&mut self) -> Vec<Row> {
        let mut rows = self.common.changes();
        rows.extend(self.v1.changes());
        rows
    }
}
