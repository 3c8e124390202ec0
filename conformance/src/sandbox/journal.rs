//! Group commit: the state file is written off the world's lock, by one writer, several
//! requests per transaction.
//!
//! A request changes the world under the lock and queues the rows it changed (copies of the
//! objects, encoded when written), in the order the changes were made; then it lets the lock
//! go and waits for its rows to be written before it answers. Whoever writes takes everything
//! queued since the last transaction and writes it in one, so while it is writing, other
//! requests run (and queue) instead of waiting for the lock behind a commit.
//!
//! Who writes: the request itself, on its own thread, when no transaction is being written
//! ([`Journal::write_here`]); a commit takes tens of microseconds, and handing each to a writer
//! thread cost a wakeup and a context switch each way on top (on a 2-core machine, about a
//! tenth of the v1 simulator's throughput with a state file and a quarter of its p99). When one is
//! being written, the request leaves its rows to that writer: whoever ends a transaction with
//! changes still queued wakes the writer thread, which writes until nothing is queued.
//!
//! What a request answers must be durable, and that holds for what it read too: a request that
//! saw changes still queued (its own or others') waits for them as well. One that saw only
//! written state answers at once. A request that changed nothing waits for the last change it
//! saw and no later one: behind the last queued change, or, when every change is in the
//! transaction being written, with that transaction. It never wakes the writer, which has
//! that work already.
//!
//! When a transaction fails, the world holds changes the file does not, and changes queued
//! after them were made on top of them: all of them fail (answered 500 by the caller), the
//! journal is *poisoned*, and the next request first puts the world back from the file
//! ([`Journal::poisoned`], [`Journal::rows`], [`Journal::reloaded`]). Each queued change
//! carries the epoch (the number of reloads) it was made in, so none made before a reload is
//! ever written after it.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, TryLockError};
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use super::persist::{Row, Store, StoreError};

/// Whether a queued change was written.
pub type Saved = Result<(), Arc<StoreError>>;

/// A queued change's outcome, to wait for.
pub type Pending = oneshot::Receiver<Saved>;

/// The state file and its writer thread; the thread writes what is still queued and ends when
/// the journal is dropped.
pub struct Journal {
    core: Arc<Core>,
    writer: Option<JoinHandle<()>>,
}

struct Core {
    store: Mutex<Store>,
    queue: Mutex<Queue>,
    /// Wakes the writer: something was queued, or the journal is closing.
    queued: Condvar,
}

#[derive(Default)]
struct Queue {
    items: Vec<Item>,
    /// While a transaction is being written: the answers of work that saw changes in it and
    /// none queued after it, given with the transaction's outcome.
    writing: Option<Vec<oneshot::Sender<Saved>>>,
    /// How many times the world was put back from the file.
    epoch: u64,
    /// A write failed since the last reload: every change of this epoch is lost.
    poisoned: bool,
    /// The store is due a checkpoint of its log ([`Store::checkpoint`]), which the writer
    /// thread runs.
    checkpoint: bool,
    closing: bool,
}

struct Item {
    epoch: u64,
    rows: Vec<Row>,
    saved: oneshot::Sender<Saved>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing here panics with a guard held but a failed thread spawn; the data is plain.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Journal {
    pub fn start(store: Store) -> Result<Journal, std::io::Error> {
        let core = Arc::new(Core {
            store: Mutex::new(store),
            queue: Mutex::new(Queue::default()),
            queued: Condvar::new(),
        });
        let writer = {
            let core = core.clone();
            std::thread::Builder::new()
                .name("sandbox-journal".into())
                .spawn(move || core.write_forever())?
        };
        Ok(Journal {
            core,
            writer: Some(writer),
        })
    }

    /// Queues the rows a piece of work changed; called under the world's lock, so the queue
    /// is in the order of the changes; then the caller lets the lock go and calls
    /// [`Journal::write_here`]. `None` when there is nothing to wait for: no rows, and nothing
    /// the work could have seen is still unwritten.
    pub fn queue(&self, rows: Vec<Row>) -> Option<Pending> {
        let mut queue = lock(&self.core.queue);
        let queue = &mut *queue;
        if rows.is_empty() && queue.items.is_empty() {
            if queue.poisoned {
                // What the work saw may be a lost change.
                let (saved, pending) = oneshot::channel();
                let _ = saved.send(Err(Arc::new(StoreError::Undone)));
                return Some(pending);
            }
            // Nothing is being written: what the work saw is written.
            let watchers = queue.writing.as_mut()?;
            let (saved, pending) = oneshot::channel();
            watchers.push(saved);
            return Some(pending);
        }
        let (saved, pending) = oneshot::channel();
        queue.items.push(Item {
            epoch: queue.epoch,
            rows,
            saved,
        });
        Some(pending)
    }

    /// Writes what is queued, on this thread, unless a transaction is being written: then its
    /// writer sees to it (see the module documentation). It blocks for one commit, tens of
    /// microseconds, and up to the busy timeout while another process holds the file; the
    /// checkpoint one commit in 1,024 makes due (a few milliseconds) is left to the writer
    /// thread.
    pub fn write_here(&self) {
        let mut store = match self.core.store.try_lock() {
            Ok(store) => store,
            Err(TryLockError::WouldBlock) => return,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
        };
        self.core.write_queued(&mut store);
        drop(store);
        self.core.hand_off();
    }

    /// Writes everything queued now, on this thread, waiting for a transaction being written
    /// (for callers that cannot wait asynchronously); afterwards every change queued before
    /// the call is settled.
    pub fn flush(&self) {
        self.core.write_queued(&mut lock(&self.core.store));
        self.core.hand_off();
    }

    /// Whether the world must be put back from the file before it is used again.
    pub fn poisoned(&self) -> bool {
        lock(&self.core.queue).poisoned
    }

    /// Every row in the file (see [`Store::rows`]), for putting the world back.
    pub fn rows(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        lock(&self.core.store).rows()
    }

    /// The world was put back from the file: changes queued from now on are written again.
    pub fn reloaded(&self) {
        let mut queue = lock(&self.core.queue);
        queue.epoch += 1;
        queue.poisoned = false;
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        lock(&self.core.queue).closing = true;
        self.core.queued.notify_one();
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

impl Core {
    fn write_forever(&self) {
        loop {
            let (write, checkpoint) = {
                let mut queue = lock(&self.queue);
                while queue.items.is_empty() && !queue.checkpoint && !queue.closing {
                    queue = self
                        .queued
                        .wait(queue)
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                }
                (
                    !queue.items.is_empty(),
                    std::mem::take(&mut queue.checkpoint),
                )
            };
            if !write && !checkpoint {
                // Woken only to close.
                return;
            }
            let mut store = lock(&self.store);
            if write {
                self.write_queued(&mut store);
            }
            // After the answers, with the store held so that nothing is appended meanwhile.
            if checkpoint {
                store.checkpoint();
            }
        }
    }

    /// One transaction for everything queued, under the store's lock (so transactions, from
    /// whichever thread, follow the queue's order).
    fn write_queued(&self, store: &mut Store) {
        let batch = self.take();
        self.write(store, batch);
    }

    /// Writes a batch [`Core::take`] took and answers it with the outcome.
    fn write(&self, store: &mut Store, batch: Batch) {
        let saved = store.write(batch.rows).map_err(Arc::new);
        self.settle(batch.answers, saved, store.checkpoint_due());
    }

    /// After a transaction written off the writer thread, with the store's lock let go: the
    /// changes queued meanwhile were left to this writer, and so is a checkpoint that fell
    /// due, so the writer thread takes them.
    fn hand_off(&self) {
        let queue = lock(&self.queue);
        if !queue.items.is_empty() || queue.checkpoint {
            self.queued.notify_one();
        }
    }

    /// Takes everything queued for one transaction, which is being written from now on. The
    /// changes made before the last reload, or since a failed write, are lost, and answered
    /// so at once.
    fn take(&self) -> Batch {
        let (items, lost) = {
            let mut queue = lock(&self.queue);
            queue.writing = Some(Vec::new());
            let items = std::mem::take(&mut queue.items);
            let (epoch, poisoned) = (queue.epoch, queue.poisoned);
            items
                .into_iter()
                .partition::<Vec<_>, _>(|item| item.epoch == epoch && !poisoned)
        };
        let undone = Arc::new(StoreError::Undone);
        for item in lost {
            let _ = item.saved.send(Err(undone.clone()));
        }
        // One write for all of them, in order: a row several changed (the shared sequence
        // counter, say) ends with its last body.
        let mut batch = Batch::default();
        for item in items {
            batch.rows.extend(item.rows);
            batch.answers.push(item.saved);
        }
        batch
    }

    /// Answers the transaction's changes, and the work that waited for it, with its outcome;
    /// `checkpoint_due`: the store's commits made a checkpoint due.
    fn settle(&self, answers: Vec<oneshot::Sender<Saved>>, saved: Saved, checkpoint_due: bool) {
        if let Err(e) = &saved {
            tracing::error!(error = %e, "could not save the sandbox state; the change is undone");
        }
        let watchers = {
            let mut queue = lock(&self.queue);
            if saved.is_err() {
                queue.poisoned = true;
            }
            queue.checkpoint |= checkpoint_due;
            queue.writing.take().unwrap_or_default()
        };
        for answer in answers.into_iter().chain(watchers) {
            let _ = answer.send(saved.clone());
        }
    }
}

/// The rows of one transaction, in the order they were changed, and the answers of the
/// changes they are.
#[derive(Default)]
struct Batch {
    rows: Vec<Row>,
    answers: Vec<oneshot::Sender<Saved>>,
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use rusqlite::Connection;

    use super::*;
    use crate::sandbox::persist::{Body, CHECKPOINT_EVERY, temp_state_file};

    fn open() -> (PathBuf, Journal) {
        let path = temp_state_file();
        let mut store = Store::open(&path).unwrap();
        store.rows().unwrap();
        (path.clone(), Journal::start(store).unwrap())
    }

    fn row(id: &str, body: &str) -> Row {
        Row {
            kind: "k",
            id: id.into(),
            body: Some(Body::text(body)),
        }
    }

    fn bodies(path: &Path) -> Vec<(String, String)> {
        let connection = Connection::open(path).unwrap();
        let mut statement = connection
            .prepare("SELECT id, body FROM state_rows ORDER BY slot")
            .unwrap();
        statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn outcome(mut pending: Pending) -> Option<Saved> {
        pending.try_recv().ok()
    }

    /// Polls `done` until it holds; fails after five seconds, naming `what` did not happen.
    fn eventually<T>(what: &str, mut done: impl FnMut() -> Option<T>) -> T {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            if let Some(value) = done() {
                return value;
            }
            assert!(std::time::Instant::now() < deadline, "{what}");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    #[test]
    fn changes_queued_together_are_written_once_each_in_order() {
        let (path, journal) = open();
        // Held, so that the writer thread cannot take the changes one by one.
        let store = lock(&journal.core.store);
        let first = journal.queue(vec![row("a", "1"), row("seq", "1")]).unwrap();
        let second = journal.queue(vec![row("b", "2"), row("seq", "2")]).unwrap();
        let read = journal
            .queue(Vec::new())
            .expect("a read waits for what it saw");
        drop(store);
        journal.flush();
        for pending in [first, second, read] {
            assert!(matches!(outcome(pending), Some(Ok(()))));
        }
        assert_eq!(
            bodies(&path),
            [
                ("a".into(), "1".into()),
                ("seq".into(), "2".into()),
                ("b".into(), "2".into())
            ]
        );
        assert!(
            journal.queue(Vec::new()).is_none(),
            "nothing left unwritten"
        );
        drop(journal);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn work_that_saw_only_the_changes_being_written_is_answered_with_their_transaction() {
        let (path, journal) = open();
        let core = &journal.core;
        // The test plays the writer: held, the store keeps the writer thread out.
        let mut store = lock(&core.store);
        let first = journal.queue(vec![row("a", "1")]).unwrap();
        let batch = core.take();
        let saw_first = journal
            .queue(Vec::new())
            .expect("a read waits for the change being written");
        let mut second = journal.queue(vec![row("b", "2")]).unwrap();
        let mut saw_second = journal
            .queue(Vec::new())
            .expect("a read waits for the queued change");
        core.write(&mut store, batch);
        assert!(matches!(outcome(first), Some(Ok(()))));
        assert!(matches!(outcome(saw_first), Some(Ok(()))));
        assert!(second.try_recv().is_err(), "not written yet");
        assert!(
            saw_second.try_recv().is_err(),
            "what it saw is not written yet"
        );

        drop(store);
        journal.flush();
        assert!(matches!(outcome(second), Some(Ok(()))));
        assert!(matches!(outcome(saw_second), Some(Ok(()))));
        assert_eq!(
            bodies(&path),
            [("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        drop(journal);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn changes_left_to_a_writer_off_the_writer_thread_are_written_without_another_request() {
        let (path, journal) = open();
        let core = &journal.core;
        // Time for the writer thread to go to sleep: only the hand-off may bring it back.
        std::thread::sleep(std::time::Duration::from_millis(200));
        // A request writes on its own thread; another queues meanwhile and leaves its change
        // to that writer.
        let mut store = lock(&core.store);
        let first = journal.queue(vec![row("a", "1")]).unwrap();
        let batch = core.take();
        let mut second = journal.queue(vec![row("b", "2")]).unwrap();
        journal.write_here();
        assert!(second.try_recv().is_err(), "left to the writer");
        core.write(&mut store, batch);
        drop(store);
        core.hand_off();
        assert!(matches!(outcome(first), Some(Ok(()))));
        // The writer thread takes it: nothing else will come.
        let written = eventually("the queued change was never written", || {
            second.try_recv().ok()
        });
        assert!(written.is_ok());
        assert_eq!(
            bodies(&path),
            [("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        drop(journal);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn a_checkpoint_a_request_made_due_is_left_to_the_writer_thread() {
        let (path, journal) = open();
        for i in 0..CHECKPOINT_EVERY {
            let pending = journal.queue(vec![row("counter", &i.to_string())]).unwrap();
            journal.write_here();
            // Answered by the time the request's own write returns, the last one (which made
            // the checkpoint due) included.
            assert!(matches!(outcome(pending), Some(Ok(()))), "commit {i}");
        }
        // Nothing else is queued: only the hand-off can have the writer thread run it.
        eventually("the due checkpoint never ran", || {
            (!lock(&journal.core.store).checkpoint_due()).then_some(())
        });
        drop(journal);
        assert_eq!(
            bodies(&path),
            [("counter".into(), (CHECKPOINT_EVERY - 1).to_string())]
        );
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn the_write_that_makes_a_checkpoint_due_answers_without_running_it() {
        let (path, journal) = open();
        let core = &journal.core;
        // The test plays the request: held, the store keeps the writer thread out.
        let mut store = lock(&core.store);
        for i in 0..CHECKPOINT_EVERY {
            let pending = journal.queue(vec![row("counter", &i.to_string())]).unwrap();
            core.write_queued(&mut store);
            assert!(matches!(outcome(pending), Some(Ok(()))), "commit {i}");
        }
        assert!(
            store.checkpoint_due(),
            "the request's own write ran the checkpoint"
        );
        drop(store);
        core.hand_off();
        eventually("the due checkpoint never ran", || {
            (!lock(&core.store).checkpoint_due()).then_some(())
        });
        drop(journal);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn a_failed_write_fails_what_was_queued_after_it_until_the_world_is_reloaded() {
        let (path, journal) = open();
        let holder = Connection::open(&path).unwrap();
        holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let failed = journal.queue(vec![row("a", "1")]).unwrap();
        journal.flush();
        assert!(matches!(outcome(failed), Some(Err(_))));
        holder.execute_batch("ROLLBACK").unwrap();
        assert!(journal.poisoned());

        // Made on top of the lost change, before the world was put back: never written.
        let on_top = journal.queue(vec![row("b", "2")]).unwrap();
        journal.flush();
        assert!(matches!(outcome(on_top), Some(Err(e)) if matches!(*e, StoreError::Undone)));
        assert!(journal.rows().unwrap().is_empty());

        journal.reloaded();
        assert!(!journal.poisoned());
        let after = journal.queue(vec![row("c", "3")]).unwrap();
        journal.flush();
        assert!(matches!(outcome(after), Some(Ok(()))));
        assert_eq!(bodies(&path), [("c".into(), "3".into())]);
        drop(journal);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }
}
