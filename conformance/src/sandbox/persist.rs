//! `--state FILE`: the world in SQLite, so it survives a restart. Each object is one row of
//! JSON (the generated types' serde form) with its kind and id; the rows requests changed are
//! written in transactions by the journal (`journal.rs`), several requests to one.
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
//! Rows live in slots (the table's rowid) handed out in the order objects are made, and the
//! store keeps in memory which slot holds which kind and id. So a request's new objects land
//! together at the end of the one b-tree and an update or a delete goes straight to its slot:
//! a commit rewrites two or three pages instead of one per kind (the rows of a `(kind, id)`
//! primary key, or of an index on it, are spread over as many pages as the request has
//! kinds), and with no index there is nothing else to keep. Only this store writes the file,
//! so the map cannot go stale; one that was edited by hand into holding a key twice keeps the
//! later slot, and the earlier is deleted when the file is read.
//!
//! The store knows rows, not objects: each part of the world (the shared ids and reference
//! ids, each API generation's objects) marks the rows it changes in a [`Dirty`] set, turns them
//! into [`Row`]s, and reads its own kinds back on load. A new generation adds kinds, not code
//! here.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, params};

use super::checkpoint::{self, Checkpointer, StartError};
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
    #[error("state file: cannot start its writer: {0}")]
    Writer(std::io::Error),
    /// A write this change was queued behind (and made on top of) failed.
    #[error("state file: an earlier change could not be saved, so this one is undone too")]
    Undone,
    /// A write's failure, as every change written with it sees it.
    #[error(transparent)]
    Failed(std::sync::Arc<StoreError>),
}

/// One changed row: its body, or `None` when the object is gone.
pub struct Row {
    pub kind: &'static str,
    pub id: String,
    pub body: Option<Body>,
}

/// A changed object's row body to be: the object as it is now, copied under the world's lock
/// and turned into JSON by the writer, off the lock. Encoding under the lock took about as
/// long as the operation itself (15 µs for an AuthorizeOnBillingAgreement's rows, against a
/// few for the copy), and every other request waited for it.
pub struct Body(Box<dyn Fn() -> serde_json::Result<String> + Send>);

impl Body {
    /// A copy of `value`, encoded when it is written.
    pub fn of<T: Serialize + Clone + Send + 'static>(value: &T) -> Body {
        let value = value.clone();
        Body(Box::new(move || serde_json::to_string(&value)))
    }

    /// A body that is already text (tests write rows of no particular kind).
    #[cfg(test)]
    pub fn text(text: &str) -> Body {
        let text = text.to_owned();
        Body(Box::new(move || Ok(text.clone())))
    }

    /// The row's JSON.
    pub fn encode(&self) -> serde_json::Result<String> {
        (self.0)()
    }
}

/// A row as the table holds it: its body encoded.
struct Encoded<'a> {
    kind: &'static str,
    id: &'a str,
    body: Option<String>,
}

impl Row {
    fn encoded(&self) -> Result<Encoded<'_>, StoreError> {
        let body = self.body.as_ref().map(Body::encode).transpose();
        Ok(Encoded {
            kind: self.kind,
            id: &self.id,
            body: body.map_err(|e| row_error(self.kind, &self.id, &e))?,
        })
    }
}

/// The rows of one part of the world changed since the last save, as `(kind, id)`.
#[derive(Debug, Default)]
pub struct Dirty(BTreeSet<(&'static str, String)>);

impl Dirty {
    pub fn mark(&mut self, kind: &'static str, id: impl Into<String>) {
        self.0.insert((kind, id.into()));
    }

    /// Forgets the marks: for a world kept only in memory, whose set would otherwise grow
    /// with every request.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Turns every marked row into its current body (`body` looks it up) and clears the set.
    pub fn take(&mut self, mut body: impl FnMut(&'static str, &str) -> Option<Body>) -> Vec<Row> {
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
    slots: Slots,
    /// Commits since this connection last checkpointed the log itself (see `write`); after a
    /// checkpoint that did not finish, set so that the next falls due [`CHECKPOINT_RETRY`]
    /// commits later.
    commits: u32,
    /// Copies the log into the database; its thread ends when the store is dropped.
    _checkpointer: Checkpointer,
    /// Holds the exclusive lock of `FILE.lock` for as long as the store is open.
    _owner: Connection,
}

/// How long a write waits for another process holding the database (a `sqlite3` shell, say)
/// before it fails and the request is answered 500.
const BUSY_TIMEOUT: Duration = Duration::from_secs(1);

/// Every this many commits the store's own connection checkpoints the log, between two
/// transactions ([`Store::checkpoint`]). The checkpoint thread's passive checkpoints never
/// finish while commits keep coming (each ends behind the newest commit), and SQLite starts the
/// log over only after one that finished: under a steady load the log grew without end (146 MB
/// after 40,000 requests), and every commit paid for the file system growing it. Run with the
/// store held, nothing is appended during the checkpoint, so it finishes, and the next commit
/// starts the log over. It copies only what the checkpoint thread has not (at most a quarter of
/// a second of commits) plus two fsyncs: a few milliseconds, once per ~1,000 commits, against a
/// log of a few megabytes. The journal runs it on its writer thread after answering the
/// transaction that made it due, so that no request waits for the fsyncs it did not need, and
/// no thread of the async runtime is blocked for them.
pub(super) const CHECKPOINT_EVERY: u32 = 1024;

/// A checkpoint of the store's that could not finish is tried again this many commits later,
/// not [`CHECKPOINT_EVERY`]: it fails while the checkpoint thread's own is running (one
/// checkpointer at a time), which on a busy disk lasts as long as its fsync, and each interval
/// it waited for added up to 4 MB to the log, a page a commit (in CI, three in a row let it
/// pass 16 MB). A reader holding an old snapshot (a `sqlite3` shell) keeps it from finishing too;
/// meanwhile a retry copies what the snapshot allows and is cheap.
const CHECKPOINT_RETRY: u32 = 32;

/// A log that a large transaction grew past this is cut back to it when it starts over.
const LOG_SIZE_LIMIT: u64 = 64 << 20;

impl Store {
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with(path, checkpoint::EVERY)
    }

    /// [`Store::open`], with the checkpoint thread running every `checkpoint_every` (tests
    /// slow it down to see the store's own checkpoints alone).
    fn open_with(path: &Path, checkpoint_every: Duration) -> Result<Store, StoreError> {
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
        let mut connection = Connection::open(path)?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        // SQLite's own checkpoints are off: they would run inside a request's commit. The
        // checkpoint thread (`checkpoint.rs`) and the writer between transactions (`write`) run
        // them instead.
        connection.pragma_update(None, "journal_size_limit", LOG_SIZE_LIMIT)?;
        connection.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA wal_autocheckpoint = 0;
             CREATE TABLE IF NOT EXISTS state_rows (
                 slot INTEGER PRIMARY KEY,
                 kind TEXT NOT NULL,
                 id   TEXT NOT NULL,
                 body TEXT NOT NULL
             );",
        )?;
        migrate_keyed_table(&mut connection)?;
        Ok(Store {
            connection,
            slots: Slots::default(),
            commits: 0,
            _checkpointer: Checkpointer::start(path, checkpoint_every)?,
            _owner: owner,
        })
    }

    /// Every stored row as `(kind, id, body)`, in the order the objects were made; also
    /// learns (again) which slot holds each.
    pub fn rows(&mut self) -> Result<Vec<(String, String, String)>, StoreError> {
        let mut slots = Slots::default();
        let mut rows = Vec::new();
        let mut shadowed = Vec::new();
        {
            let mut statement = self
                .connection
                .prepare("SELECT slot, kind, id, body FROM state_rows ORDER BY slot")?;
            let mut found = statement.query([])?;
            while let Some(row) = found.next()? {
                let (slot, kind, id, body): (i64, String, String, String) =
                    (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
                if let Some(earlier) = slots.place(&kind, &id, Some(slot)) {
                    shadowed.push(earlier);
                }
                rows.push((kind, id, body));
            }
        }
        if !shadowed.is_empty() {
            let tx = self.connection.transaction()?;
            for slot in shadowed {
                tx.execute("DELETE FROM state_rows WHERE slot = ?1", [slot])?;
            }
            tx.commit()?;
        }
        self.slots = slots;
        Ok(rows)
    }

    /// Writes the changed rows (deleting those whose object is gone) in one transaction,
    /// with statements prepared once per connection (SQLite's statement cache), not per row.
    /// When it fails, the slot map is put back with the rows.
    pub fn write(&mut self, rows: Vec<Row>) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        // A row that cannot be encoded fails the whole change before anything is written.
        let rows = rows
            .iter()
            .map(Row::encoded)
            .collect::<Result<Vec<_>, _>>()?;

        let mut undo = Vec::new();
        let written = write_rows(&self.connection, &mut self.slots, &rows, &mut undo);
        if written.is_err() {
            for (row, slot) in rows.iter().zip(undo).rev() {
                self.slots.place(row.kind, row.id, slot);
            }
        } else {
            self.commits = self.commits.saturating_add(1);
        }
        written
    }

    /// Whether enough commits went by for [`Store::checkpoint`] (see [`CHECKPOINT_EVERY`]).
    pub fn checkpoint_due(&self) -> bool {
        self.commits >= CHECKPOINT_EVERY
    }

    /// Copies the log into the database, between two transactions (see [`CHECKPOINT_EVERY`]).
    /// It finishes unless the checkpoint thread's is running or another connection reads an
    /// old snapshot; then it is due again [`CHECKPOINT_RETRY`] commits later and goes on from
    /// there.
    pub fn checkpoint(&mut self) {
        let finished = checkpoint::passive(&self.connection);
        self.commits = if finished {
            0
        } else {
            CHECKPOINT_EVERY - CHECKPOINT_RETRY
        };
    }
}

/// The transaction of [`Store::write`]; `undo` gets the slot each row had before (the first
/// rows', when it fails part way). `BEGIN` and `COMMIT` are cached statements too:
/// `Connection::transaction` would parse both again for every transaction.
fn write_rows(
    connection: &Connection,
    slots: &mut Slots,
    rows: &[Encoded<'_>],
    undo: &mut Vec<Option<i64>>,
) -> Result<(), StoreError> {
    connection.prepare_cached("BEGIN")?.execute([])?;
    let written = write_each(connection, slots, rows, undo)
        .and_then(|()| Ok(connection.prepare_cached("COMMIT")?.execute([])?));
    if written.is_err() && !connection.is_autocommit() {
        // As a dropped `Transaction` does: a rollback that fails leaves nothing to do.
        let _ = connection.execute_batch("ROLLBACK");
    }
    written.map(drop)
}

/// Every row's statement, in the open transaction.
fn write_each(
    connection: &Connection,
    slots: &mut Slots,
    rows: &[Encoded<'_>],
    undo: &mut Vec<Option<i64>>,
) -> Result<(), StoreError> {
    let mut insert = connection
        .prepare_cached("INSERT INTO state_rows (slot, kind, id, body) VALUES (?1, ?2, ?3, ?4)")?;
    let mut update =
        connection.prepare_cached("UPDATE state_rows SET body = ?2 WHERE slot = ?1")?;
    let mut delete = connection.prepare_cached("DELETE FROM state_rows WHERE slot = ?1")?;
    for row in rows {
        let before = slots.get(row.kind, row.id);
        undo.push(before);
        match (before, &row.body) {
            (Some(slot), Some(body)) => update.execute(params![slot, body])?,
            (Some(slot), None) => {
                slots.place(row.kind, row.id, None);
                delete.execute([slot])?
            }
            (None, Some(body)) => {
                let slot = slots.next_free();
                slots.place(row.kind, row.id, Some(slot));
                insert.execute(params![slot, row.kind, row.id, body])?
            }
            (None, None) => 0,
        };
    }
    Ok(())
}

/// Which slot holds each stored row, by kind and then id (so a lookup borrows both). The ids
/// of a kind are a B-tree, not a hash map: a hash map of every row grows by doubling, and
/// each doubling rehashes every id into freshly faulted-in memory (a fifteenth of the state
/// file's cost per write under load).
#[derive(Debug, Default)]
struct Slots {
    by_kind: HashMap<String, BTreeMap<String, i64>>,
    /// One past the highest slot ever placed.
    next: i64,
}

impl Slots {
    fn get(&self, kind: &str, id: &str) -> Option<i64> {
        self.by_kind.get(kind)?.get(id).copied()
    }

    /// Puts the row in `slot` (or takes it out with `None`); returns the slot it had.
    fn place(&mut self, kind: &str, id: &str, slot: Option<i64>) -> Option<i64> {
        match slot {
            Some(slot) => {
                self.next = self.next.max(slot + 1);
                let ids = match self.by_kind.get_mut(kind) {
                    Some(ids) => ids,
                    None => self.by_kind.entry(kind.to_owned()).or_default(),
                };
                ids.insert(id.to_owned(), slot)
            }
            None => self.by_kind.get_mut(kind)?.remove(id),
        }
    }

    fn next_free(&self) -> i64 {
        self.next.max(1)
    }
}

/// Moves the rows of a file from before slots (one table keyed by kind and id) into the
/// slotted table, once.
fn migrate_keyed_table(connection: &mut Connection) -> Result<(), rusqlite::Error> {
    let tx = connection.transaction()?;
    let old: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'objects')",
        [],
        |row| row.get(0),
    )?;
    if old {
        tx.execute_batch(
            "INSERT INTO state_rows (kind, id, body) SELECT kind, id, body FROM objects;
             DROP TABLE objects;",
        )?;
    }
    tx.commit()
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

/// A row's body: the value's, when there is one (see [`Body`]).
pub fn body_of<T: Serialize + Clone + Send + 'static>(value: Option<&T>) -> Option<Body> {
    value.map(Body::of)
}

/// A stored row read back.
pub fn decode<T: DeserializeOwned>(kind: &str, id: &str, body: &str) -> Result<T, StoreError> {
    serde_json::from_str(body).map_err(|e| row_error(kind, id, &e))
}

/// A row whose JSON could not be read or written.
fn row_error(kind: &str, id: &str, e: &serde_json::Error) -> StoreError {
    StoreError::Row {
        kind: kind.to_owned(),
        id: id.to_owned(),
        reason: e.to_string(),
    }
}

/// A state struct's records of one kind, by id, each in a box of its own: a B-tree node
/// holds its values inline and shifts them on every insert, and with records of up to 2.6 KB
/// (a charge is 720 bytes) that copying cost more than the operation that made the record (5 µs of a Create
/// Charge, for a map of charges that grows under load).
pub type Records<T> = BTreeMap<String, Box<T>>;

/// Getters, `*_mut` accessors that mark the row dirty, and `insert_*`, for [`Records`] of a
/// state struct with a `dirty: Dirty` field: every mutation is written by the store.
macro_rules! dirty_accessors {
    ($($field:ident, $get:ident, $get_mut:ident, $insert:ident, $ty:ty, $kind:expr;)*) => {$(
        pub fn $get(&self, id: &str) -> Option<&$ty> {
            self.$field.get(id).map(|record| &**record)
        }

        pub fn $get_mut(&mut self, id: &str) -> Option<&mut $ty> {
            let found = self.$field.get_mut(id).map(|record| &mut **record);
            if found.is_some() {
                self.dirty.mark($kind, id);
            }
            found
        }

        pub fn $insert(&mut self, id: String, value: $ty) {
            self.dirty.mark($kind, id.clone());
            self.$field.insert(id, Box::new(value));
        }
    )*};
}

pub(crate) use dirty_accessors;

/// A state file's path in a fresh folder under the system's temporary one, for tests.
#[cfg(test)]
pub(super) fn temp_state_file() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "sandbox-store-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("state.sqlite")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: &'static str, id: &str, body: Option<&str>) -> Row {
        Row {
            kind,
            id: id.into(),
            body: body.map(Body::text),
        }
    }

    fn stored(path: &Path) -> Vec<(i64, String, String, String)> {
        let connection = Connection::open(path).unwrap();
        let mut statement = connection
            .prepare("SELECT slot, kind, id, body FROM state_rows ORDER BY slot")
            .unwrap();
        statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn rows_are_updated_and_deleted_in_their_slots_and_read_back_after_a_restart() {
        let path = temp_state_file();
        let mut store = Store::open(&path).unwrap();
        assert!(store.rows().unwrap().is_empty());
        store
            .write(vec![row("a", "1", Some("one")), row("b", "1", Some("uno"))])
            .unwrap();
        store
            .write(vec![
                row("a", "1", Some("ONE")),
                row("b", "1", None),
                row("a", "2", Some("two")),
                row("c", "gone", None),
            ])
            .unwrap();
        drop(store);

        let mut store = Store::open(&path).unwrap();
        let expected = |s: &[(&str, &str, &str)]| -> Vec<(String, String, String)> {
            s.iter()
                .map(|(k, i, b)| ((*k).into(), (*i).into(), (*b).into()))
                .collect()
        };
        assert_eq!(
            store.rows().unwrap(),
            expected(&[("a", "1", "ONE"), ("a", "2", "two")])
        );
        // The map read back places an update in the row's slot, not in a new one.
        store.write(vec![row("a", "2", Some("TWO"))]).unwrap();
        drop(store);
        let slots: Vec<i64> = stored(&path).iter().map(|r| r.0).collect();
        assert_eq!(slots, [1, 3], "b/1's slot 2 was deleted, a/2 stays in 3");
        assert_eq!(stored(&path)[1].3, "TWO");
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn the_log_starts_over_under_a_steady_stream_of_commits() {
        let path = temp_state_file();
        // The checkpoint thread's first run is an hour away: what is measured is the store's own
        // checkpoints (when the thread's runs at the same moment, the store's is tried again
        // soon: the next test).
        let mut store = Store::open_with(&path, Duration::from_secs(3600)).unwrap();
        // Back to back, as under load: the checkpoint thread alone never lets the log start
        // over, and each commit here adds a page (4 KiB) to it.
        for i in 0..8 * CHECKPOINT_EVERY {
            store
                .write(vec![row("counter", "1", Some(&i.to_string()))])
                .unwrap();
            if store.checkpoint_due() {
                store.checkpoint();
            }
        }
        let mut log = path.as_os_str().to_owned();
        log.push("-wal");
        let size = std::fs::metadata(&log).unwrap().len();
        // Without those checkpoints: about 8 × 1024 pages, 33 MB.
        assert!(size < 16 << 20, "the log is {size} bytes");
        drop(store);
        assert_eq!(stored(&path)[0].3, (8 * CHECKPOINT_EVERY - 1).to_string());
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn a_checkpoint_that_cannot_finish_is_due_again_soon() {
        let path = temp_state_file();
        let mut store = Store::open_with(&path, Duration::from_secs(3600)).unwrap();
        let commit = |store: &mut Store, i: u32| {
            store
                .write(vec![row("counter", "1", Some(&i.to_string()))])
                .unwrap();
        };
        commit(&mut store, 0);
        // Another connection reads the file's first state and keeps reading it: nothing
        // written after that snapshot can be copied into the database.
        let reader = Connection::open(&path).unwrap();
        reader.execute_batch("BEGIN").unwrap();
        let seen: String = reader
            .query_row("SELECT body FROM state_rows", [], |r| r.get(0))
            .unwrap();
        assert_eq!(seen, "0");
        for i in 1..=CHECKPOINT_EVERY {
            commit(&mut store, i);
        }
        assert!(store.checkpoint_due());
        store.checkpoint();
        for i in 0..CHECKPOINT_RETRY - 1 {
            assert!(!store.checkpoint_due(), "due again after {i} commits");
            commit(&mut store, CHECKPOINT_EVERY + 1 + i);
        }
        commit(&mut store, CHECKPOINT_EVERY + CHECKPOINT_RETRY);
        assert!(
            store.checkpoint_due(),
            "an unfinished checkpoint waits {CHECKPOINT_RETRY} commits, not {CHECKPOINT_EVERY}"
        );

        // Once the snapshot is let go the checkpoint finishes, and the next is a full
        // interval away.
        reader.execute_batch("COMMIT").unwrap();
        store.checkpoint();
        for i in 0..CHECKPOINT_EVERY {
            assert!(!store.checkpoint_due(), "due again after {i} commits");
            commit(&mut store, i);
        }
        assert!(store.checkpoint_due());
        drop(store);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_slot_map_as_it_was() {
        let path = temp_state_file();
        let mut store = Store::open(&path).unwrap();
        store.write(vec![row("a", "1", Some("one"))]).unwrap();

        // Another connection holds the write lock: the write fails after the busy timeout.
        let holder = Connection::open(&path).unwrap();
        holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let failed = store.write(vec![row("a", "2", Some("two")), row("a", "1", None)]);
        assert!(matches!(failed, Err(StoreError::Sqlite(_))), "{failed:?}");
        holder.execute_batch("ROLLBACK").unwrap();

        // Had the failed write's placements stayed, a/2 would be updated in a slot that holds
        // nothing, and a/1 inserted a second time.
        store
            .write(vec![row("a", "2", Some("two")), row("a", "1", Some("ONE"))])
            .unwrap();
        let rows: Vec<(String, String)> = stored(&path)
            .into_iter()
            .map(|(_, _, id, body)| (id, body))
            .collect();
        assert_eq!(
            rows,
            [("1".into(), "ONE".into()), ("2".into(), "two".into())]
        );
        drop(store);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn a_body_that_cannot_be_encoded_fails_its_change_and_writes_none_of_it() {
        let path = temp_state_file();
        let mut store = Store::open(&path).unwrap();
        let unencodable = Row {
            kind: "a",
            id: "2".into(),
            body: Some(Body(Box::new(|| {
                Err(serde::ser::Error::custom("a map key that is not a string"))
            }))),
        };
        let failed = store.write(vec![row("a", "1", Some("one")), unencodable]);
        assert!(
            matches!(&failed, Err(StoreError::Row { kind, id, reason })
                if kind == "a" && id == "2" && reason.contains("map key")),
            "{failed:?}"
        );
        assert!(stored(&path).is_empty());
        store.write(vec![row("a", "1", Some("one"))]).unwrap();
        assert_eq!(stored(&path).len(), 1, "the slot map was not touched");
        drop(store);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn a_file_from_before_slots_is_moved_over_and_a_key_held_twice_keeps_its_later_row() {
        let path = temp_state_file();
        {
            let old = Connection::open(&path).unwrap();
            old.execute_batch(
                "CREATE TABLE objects (
                     kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
                     PRIMARY KEY (kind, id)
                 ) WITHOUT ROWID;
                 INSERT INTO objects VALUES ('a', '1', 'one'), ('b', '1', 'uno');",
            )
            .unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        let mut rows = store.rows().unwrap();
        rows.sort();
        assert_eq!(
            rows,
            [
                ("a".into(), "1".into(), "one".into()),
                ("b".into(), "1".into(), "uno".into())
            ]
        );
        drop(store);

        // Edited by hand: a/1 twice. The later row wins, and the earlier one is deleted.
        Connection::open(&path)
            .unwrap()
            .execute(
                "INSERT INTO state_rows (kind, id, body) VALUES ('a', '1', 'later')",
                [],
            )
            .unwrap();
        let mut store = Store::open(&path).unwrap();
        let rows = store.rows().unwrap();
        assert_eq!(rows.len(), 3, "all three are read: {rows:?}");
        store.write(vec![row("a", "1", None)]).unwrap();
        drop(store);
        let left: Vec<String> = stored(&path).into_iter().map(|r| r.3).collect();
        assert_eq!(left, ["uno"], "no copy of a/1 is left to come back");
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }
}
