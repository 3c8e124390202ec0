//! What a connection is doing, for its header and idle timeouts.
//!
//! hyper's own `header_read_timeout` also starts the moment a kept-alive connection goes idle,
//! so with it an idle connection could not outlive the header timeout. Here the two are
//! separate: the reader ([`Watched`]) notes the first byte of a request head, the service
//! notes when a request is being handled ([`Activity::begin`]), and [`Activity::expired`]
//! resolves when the phase the connection is in has lasted too long.
//!
//! The watchdog is not told of phase changes: it looks at the phase now and then instead. A
//! phase that begins after a look cannot end before the shorter of the two timeouts has
//! passed, so looking again at the latest that much later never misses a deadline, and a
//! request costs the watchdog nothing. (Woken three times a request, with a timer made and
//! dropped twice, it held the v2 simulator's throughput about a tenth lower in `load`.)

use std::io::IoSlice;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Instant;

use super::Timeouts;

#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Waiting for a request, since this instant (the last byte written or the last answer).
    Idle(Instant),
    /// Reading a request head whose first byte came at this instant.
    Head(Instant),
    /// Handling a request (HTTP/1.1 handles one at a time): the body timeout and the
    /// handler take over.
    Busy,
}

/// One connection's phase, shared by its reader, its service and its watchdog.
#[derive(Debug)]
pub struct Activity {
    phase: Mutex<Phase>,
}

/// The watchdog looks at least this far apart, however short the timeouts (a zero timeout
/// would otherwise have it look without pause).
const LOOK_APART: Duration = Duration::from_millis(1);

impl Activity {
    pub fn new() -> Arc<Activity> {
        Arc::new(Activity {
            phase: Mutex::new(Phase::Idle(Instant::now())),
        })
    }

    fn phase(&self) -> MutexGuard<'_, Phase> {
        // The phase is a plain value: a panic elsewhere cannot leave it half-written.
        self.phase.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn read_some(&self) {
        let mut phase = self.phase();
        if let Phase::Idle(_) = *phase {
            *phase = Phase::Head(Instant::now());
        }
    }

    fn wrote_some(&self) {
        // An answer still being written is not idleness.
        if let Phase::Idle(since) = &mut *self.phase() {
            *since = Instant::now();
        }
    }

    /// A request is being handled until the returned guard is dropped.
    pub fn begin(self: &Arc<Activity>) -> Busy {
        *self.phase() = Phase::Busy;
        Busy(Arc::clone(self))
    }

    /// When the phase the connection is in ends it; `None` while a request is handled (or
    /// for a timeout beyond the clock's range).
    fn deadline(&self, timeouts: &Timeouts) -> Option<Instant> {
        match *self.phase() {
            Phase::Idle(since) => since.checked_add(timeouts.idle),
            Phase::Head(since) => since.checked_add(timeouts.header),
            Phase::Busy => None,
        }
    }

    /// Resolves once the connection has been idle for `timeouts.idle`, or has spent
    /// `timeouts.header` on one request head; never while a request is handled.
    pub async fn expired(&self, timeouts: &Timeouts) {
        // No phase that begins after a look ends sooner than this after it.
        let soonest = timeouts.header.min(timeouts.idle).max(LOOK_APART);
        loop {
            let now = Instant::now();
            let look_again = now.checked_add(soonest);
            let wake = match (self.deadline(timeouts), look_again) {
                (Some(deadline), _) if deadline <= now => return,
                (Some(deadline), Some(look_again)) => deadline.min(look_again),
                (Some(deadline), None) => deadline,
                (None, Some(look_again)) => look_again,
                // A timeout beyond the clock's range: nothing can expire.
                (None, None) => return std::future::pending().await,
            };
            tokio::time::sleep_until(wake).await;
        }
    }
}

/// Marks the end of a request's handling when dropped (answered, or abandoned by hyper).
pub struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        *self.0.phase() = Phase::Idle(Instant::now());
    }
}

/// A connection's byte stream (plain TCP or decrypted TLS) reporting to its [`Activity`].
pub struct Watched<I> {
    io: I,
    activity: Arc<Activity>,
}

impl<I> Watched<I> {
    pub fn new(io: I, activity: Arc<Activity>) -> Watched<I> {
        Watched { io, activity }
    }
}

impl<I: AsyncRead + Unpin> AsyncRead for Watched<I> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read_some();
        }
        polled
    }
}

impl<I: AsyncWrite + Unpin> AsyncWrite for Watched<I> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote_some();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote_some();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Timeouts = Timeouts {
        handshake: Duration::from_secs(1),
        header: Duration::from_secs(10),
        body: Duration::from_secs(30),
        idle: Duration::from_secs(60),
    };

    /// The virtual time since `start` is `expected`, give or take the timer's millisecond.
    fn took(start: Instant, expected: Duration) {
        let took = start.elapsed();
        assert!(
            took >= expected && took <= expected + Duration::from_millis(1),
            "{took:?} instead of {expected:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn each_phase_has_its_own_deadline() {
        let activity = Activity::new();
        let start = Instant::now();
        activity.expired(&T).await;
        took(start, T.idle);

        let activity = Activity::new();
        activity.read_some();
        let start = Instant::now();
        activity.expired(&T).await;
        took(start, T.header);
    }

    #[tokio::test(start_paused = true)]
    async fn a_head_begun_while_the_watchdog_sleeps_still_ends_at_its_deadline() {
        let activity = Activity::new();
        let watchdog = {
            let activity = Arc::clone(&activity);
            tokio::spawn(async move { activity.expired(&T).await })
        };
        // Half way through the idle timeout, long after the watchdog last looked.
        tokio::time::sleep(T.idle / 2 + Duration::from_millis(300)).await;
        activity.read_some();
        let head = Instant::now();
        watchdog.await.unwrap();
        took(head, T.header);
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_being_handled_never_expires_and_idleness_starts_after_it() {
        let activity = Activity::new();
        activity.read_some();
        let busy = activity.begin();
        let watchdog = {
            let activity = Arc::clone(&activity);
            tokio::spawn(async move { activity.expired(&T).await })
        };
        tokio::time::sleep(T.idle * 5).await;
        assert!(!watchdog.is_finished());
        let answered = Instant::now();
        drop(busy);
        watchdog.await.unwrap();
        took(answered, T.idle);
    }
}
