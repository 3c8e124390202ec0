//! `--state FILE`: the world in SQLite, so it survives a restart. Each object is one row of
//! JSON (the generated types' serde form) in one table keyed by kind and id; after every
//! request the rows it changed are written in one transaction.
//!
//! A request is answered only once its rows are written; a failed write leaves the store as it
//! was (the transaction rolls back) and the caller puts the world back from it. The journal is
//! SQLite's WAL with `synchronous = NORMAL`: a committed request survives the simulator's
//! process dying at any point (what a state file is for); a power cut may lose the last ones,
//! because fsyncing every commit (about 1.5 ms on a small VM's disk) would cost more than the
//! whole request. One simulator
//! at a time owns a state file: it holds SQLite's exclusive lock on a small `FILE.lock`
//! database while it runs (portable, and released by the OS if the process dies).
//!
//! The store knows rows, not objects: each part of the world (the shared ids and reference
//! ids, each API generation's objects) marks the rows it changes in a [`Dirty`] set, turns them
//! into [`Row`]s, and reads its own kinds back on load. A new generation adds kinds, not code
//! here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, params};

use super::checkpoint::{Checkpointer, StartError};
use serde::Serialize;
use serde::de::DeserializeOwned;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("state file: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("state file: {0}")]
    Checkpoint(#[from] StartError),
    #[error("state file {}: another simulator is using it (its lock {} is held)", .path.display(), .lock.display())]
    InUse { path: PathBuf, lock: PathBuf },
    #[error("state file row {kind}/{id}: {reason}")]
    Row {
        kind: String,
        id: String,
        reason: String,
    },
}

/// One changed row: its body, or `None` when the object is gone.
pub struct Row {
    pub kind: &'static str,
    pub id: String,
    pub body: Option<String>,
}

/// The rows of one part of the world changed since the last save, as `(kind, id)`.
#[derive(Debug, Default)]
pub struct Dirty(BTreeSet<(&'static str, String)>);

impl Dirty {
    pub fn mark(&mut self, kind: &'static str, id: impl Into<String>) {
        self.0.insert((kind, id.into()));
    }

    /// Turns every marked row into its current body (`body` looks it up) and clears the set.
    pub fn take(&mut self, mut body: impl FnMut(&'static str, &str) -> Option<String>) -> Vec<Row> {
        std::mem::take(&mut self.0)
            .into_iter()
            .map(|(kind, id)| Row {
                body: body(kind, &id),
                kind,
                id,
            })
            .collect()
    }
}

pub struct Store {
    connection: Connection,
    /// Copies the log into the database; its thread ends when the store is dropped.
    _checkpointer: Checkpointer,
    /// Holds the exclusive lock of `FILE.lock` for as long as the store is open.
    _owner: Connection,
}

/// How long a write waits for another process holding the database (a `sqlite3` shell, say)
/// before it fails and the request is answered 500.
const BUSY_TIMEOUT: Duration = Duration::from_secs(1);

impl Store {
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let mut lock = path.as_os_str().to_owned();
        lock.push(".lock");
        let lock = PathBuf::from(lock);
        let owner = own(&lock).map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::InUse {
                    path: path.to_owned(),
                    lock: lock.clone(),
                }
            }
            _ => StoreError::Sqlite(e),
        })?;
        let connection = Connection::open(path)?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        // Checkpoints run on their own thread (`checkpoint.rs`), never inside a request's
        // commit. A new file's table is keyed by its primary key alone (WITHOUT ROWID: one
        // b-tree to write per row, not a table and an index); older files keep theirs.
        connection.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA wal_autocheckpoint = 0;
             CREATE TABLE IF NOT EXISTS objects (
                 kind TEXT NOT NULL,
                 id   TEXT NOT NULL,
                 body TEXT NOT NULL,
                 PRIMARY KEY (kind, id)
             ) WITHOUT ROWID;",
        )?;
        Ok(Store {
            connection,
            _checkpointer: Checkpointer::start(path)?,
            _owner: owner,
        })
    }

    /// Every stored row as `(kind, id, body)`.
    pub fn rows(&self) -> Result<Vec<(String, String, String)>, StoreError> {
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
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Writes the changed rows (deleting those whose object is gone) in one transaction,
    /// with statements prepared once per connection (SQLite's statement cache), not per row.
    pub fn write(&mut self, rows: Vec<Row>) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let tx = self.connection.transaction()?;
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO objects (kind, id, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body",
            )?;
            let mut delete =
                tx.prepare_cached("DELETE FROM objects WHERE kind = ?1 AND id = ?2")?;
            for row in rows {
                match row.body {
                    Some(body) => upsert.execute(params![row.kind, row.id, body])?,
                    None => delete.execute(params![row.kind, row.id])?,
                };
            }
        }
        tx.commit()?;
        Ok(())
    }
}

/// Takes the lock database's exclusive lock and keeps it: in EXCLUSIVE locking mode SQLite
/// never releases a lock its connection took, and a write takes the exclusive one. Another
/// simulator's attempt fails at once (no busy wait).
fn own(lock: &Path) -> Result<Connection, rusqlite::Error> {
    let connection = Connection::open(lock)?;
    connection.busy_timeout(Duration::ZERO)?;
    connection.execute_batch(
        "PRAGMA locking_mode = EXCLUSIVE;
         CREATE TABLE IF NOT EXISTS owner (pid INTEGER NOT NULL);
         DELETE FROM owner;",
    )?;
    connection.execute("INSERT INTO owner (pid) VALUES (?1)", [std::process::id()])?;
    Ok(connection)
}

/// A row's body: the value's JSON.
pub fn encode<T: Serialize>(value: Option<&T>) -> Option<String> {
    value.and_then(|v| serde_json::to_string(v).ok())
}

/// A stored row read back.
pub fn decode<T: DeserializeOwned>(kind: &str, id: &str, body: &str) -> Result<T, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Row {
        kind: kind.to_owned(),
        id: id.to_owned(),
        reason: e.to_string(),
    })
}

/// Getters, `*_mut` accessors that mark the row dirty, and `insert_*`, for maps of records
/// of a state struct with a `dirty: Dirty` field: every mutation is written by the store.
macro_rules! dirty_accessors {
    ($($field:ident, $get:ident, $get_mut:ident, $insert:ident, $ty:ty, $kind:expr;)*) => {$(
        pub fn $get(&self, id: &str) -> Option<&$ty> {
            self.$field.get(id)
        }

        pub fn $get_mut(&mut self, id: &str) -> Option<&mut $ty> {
            let found = self.$field.get_mut(id);
            if found.is_some() {
                self.dirty.mark($kind, id);
            }
            found
        }

        pub fn $insert(&mut self, id: String, value: $ty) {
            self.dirty.mark($kind, id.clone());
            self.$field.insert(id, value);
        }
    )*};
}

pub(crate) use dirty_accessors;
