//! Checkpoints of the state file's WAL, away from the requests: SQLite would otherwise run one
//! inside the commit that fills the log past its threshold, fsyncing twice while that request
//! holds the world's lock (about 1.5 ms per fsync on a small VM's disk) and stalling every
//! request behind it. A thread of its own copies the log into the database a few times a
//! second with a connection of its own; a passive checkpoint never blocks a writer, and a
//! commit is as durable before it as after (it is in the log). Under a steady stream of
//! commits these never finish, so the writer also runs one between two of its transactions
//! now and then (`persist.rs`, `CHECKPOINT_EVERY`).

use std::path::Path;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

/// Why checkpointing could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot start the checkpoint thread: {0}")]
    Thread(#[from] std::io::Error),
}

/// Copies what it can of the log into the database without waiting for a writer; whether it
/// copied all of it (the checkpoint finished). A busy or partial checkpoint is fine: the next
/// one goes on from there.
pub fn passive(connection: &Connection) -> bool {
    // One row: whether another checkpoint kept this one out (1), the frames in the log, and
    // those now in the database.
    let outcome = connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, i64>(2)?,
        ))
    });
    match outcome {
        Ok((busy, log, copied)) => busy == 0 && log == copied,
        Err(e) => {
            tracing::debug!(error = %e, "sandbox state checkpoint did not run");
            false
        }
    }
}

/// How often the log is copied into the database.
pub const EVERY: Duration = Duration::from_millis(250);

/// The checkpointing thread of one open store; stopped (and joined, within one interval) when
/// dropped.
pub struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing the database at `path` (already in WAL mode) every `every`.
    pub fn start(path: &Path, every: Duration) -> Result<Checkpointer, StartError> {
        let connection = Connection::open(path)?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("sandbox-checkpoint".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                    passive(&connection);
                }
            })?;
        Ok(Checkpointer {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
