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

/// Copies what it can of the log into the database without waiting for a writer. A busy or
/// partial checkpoint is fine: the next one goes on from there.
pub fn passive(connection: &Connection) {
    if let Err(e) = connection.execute_batch("PRAGMA wal_checkpoint(PASSIVE);") {
        tracing::debug!(error = %e, "sandbox state checkpoint did not run");
    }
}

/// How often the log is copied into the database.
const EVERY: Duration = Duration::from_millis(250);

/// The checkpointing thread of one open store; stopped (and joined, within one interval) when
/// dropped.
pub struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing the database at `path` (already in WAL mode).
    pub fn start(path: &Path) -> Result<Checkpointer, StartError> {
        let connection = Connection::open(path)?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("sandbox-checkpoint".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
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
