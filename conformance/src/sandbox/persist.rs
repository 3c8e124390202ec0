//! `--state FILE`: the world in SQLite, so it survives a restart. Each object is one row of
//! JSON (the generated types' serde form); after every request the rows it changed are
//! written in one transaction.

use std::path::Path;

use rusqlite::{Connection, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::world::{Kind, World};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("state file: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("state file row {kind}/{id}: {reason}")]
    Row {
        kind: &'static str,
        id: String,
        reason: String,
    },
}

pub struct Store {
    connection: Connection,
}

impl Store {
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let connection = Connection::open(path)?;
        connection.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             CREATE TABLE IF NOT EXISTS objects (
                 kind TEXT NOT NULL,
                 id   TEXT NOT NULL,
                 body TEXT NOT NULL,
                 PRIMARY KEY (kind, id)
             );",
        )?;
        Ok(Store { connection })
    }

    /// Reads the whole world.
    pub fn load(&self) -> Result<World, StoreError> {
        let mut world = World::default();
        let mut statement = self
            .connection
            .prepare("SELECT kind, id, body FROM objects")?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (kind_name, id, body) = row?;
            let Some(kind) = Kind::ALL.into_iter().find(|k| k.name() == kind_name) else {
                continue;
            };
            match kind {
                Kind::BillingAgreement => {
                    world
                        .billing_agreements
                        .insert(id.clone(), decode(kind, &id, &body)?);
                }
                Kind::OrderReference => {
                    world
                        .order_references
                        .insert(id.clone(), decode(kind, &id, &body)?);
                }
                Kind::Authorization => {
                    world
                        .authorizations
                        .insert(id.clone(), decode(kind, &id, &body)?);
                }
                Kind::Capture => {
                    world.captures.insert(id.clone(), decode(kind, &id, &body)?);
                }
                Kind::Refund => {
                    world.refunds.insert(id.clone(), decode(kind, &id, &body)?);
                }
                Kind::ReferenceId => {
                    world
                        .reference_ids
                        .insert(id.clone(), decode(kind, &id, &body)?);
                }
                Kind::Schedule => {
                    let key = schedule_key(&id).ok_or_else(|| StoreError::Row {
                        kind: kind.name(),
                        id: id.clone(),
                        reason: "not `at:sequence`".into(),
                    })?;
                    world.schedule.insert(key, decode(kind, &id, &body)?);
                }
                Kind::BuyerMessage => world.buyer_messages.push(decode(kind, &id, &body)?),
                Kind::Meta => match id.as_str() {
                    "sequence" => world.sequence = decode(kind, &id, &body)?,
                    "clock_offset" => world.clock_offset = decode(kind, &id, &body)?,
                    _ => {}
                },
            }
        }
        world.buyer_messages.sort_by(|a, b| a.at.cmp(&b.at));
        Ok(world)
    }

    /// Writes the rows `world.dirty` names (deleting those whose object is gone) and clears it.
    pub fn save(&mut self, world: &mut World) -> Result<(), StoreError> {
        if world.dirty.is_empty() {
            return Ok(());
        }
        let dirty = std::mem::take(&mut world.dirty);
        let tx = self.connection.transaction()?;
        for (kind, id) in dirty {
            let body = match kind {
                Kind::BillingAgreement => encode(world.billing_agreements.get(&id)),
                Kind::OrderReference => encode(world.order_references.get(&id)),
                Kind::Authorization => encode(world.authorizations.get(&id)),
                Kind::Capture => encode(world.captures.get(&id)),
                Kind::Refund => encode(world.refunds.get(&id)),
                Kind::ReferenceId => encode(world.reference_ids.get(&id)),
                Kind::Schedule => encode(schedule_key(&id).and_then(|k| world.schedule.get(&k))),
                Kind::BuyerMessage => encode(
                    id.parse::<usize>()
                        .ok()
                        .and_then(|i| world.buyer_messages.get(i)),
                ),
                Kind::Meta => match id.as_str() {
                    "sequence" => encode(Some(&world.sequence)),
                    "clock_offset" => encode(Some(&world.clock_offset)),
                    _ => None,
                },
            };
            match body {
                Some(body) => tx.execute(
                    "INSERT INTO objects (kind, id, body) VALUES (?1, ?2, ?3)
                     ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body",
                    params![kind.name(), id, body],
                )?,
                None => tx.execute(
                    "DELETE FROM objects WHERE kind = ?1 AND id = ?2",
                    params![kind.name(), id],
                )?,
            };
        }
        tx.commit()?;
        Ok(())
    }
}

fn schedule_key(id: &str) -> Option<(i64, u64)> {
    let (at, seq) = id.split_once(':')?;
    Some((at.parse().ok()?, seq.parse().ok()?))
}

fn encode<T: Serialize>(value: Option<&T>) -> Option<String> {
    value.and_then(|v| serde_json::to_string(v).ok())
}

fn decode<T: DeserializeOwned>(kind: Kind, id: &str, body: &str) -> Result<T, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Row {
        kind: kind.name(),
        id: id.to_owned(),
        reason: e.to_string(),
    })
}
