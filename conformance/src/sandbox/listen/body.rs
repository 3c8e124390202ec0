//! The body timeout: a request body that has not fully arrived within the timeout of its head
//! fails, so a half-sent body cannot hold a handler (and its connection) forever.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::time::{Instant, Sleep};

#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {0:?}")]
pub struct BodyTimeout(Duration);

/// A request body with a deadline; [`TimedBody::expired`] tells the service afterwards that
/// the deadline, not the client, ended it.
pub struct TimedBody<B> {
    body: B,
    timeout: Duration,
    /// When the head ended.
    start: Instant,
    /// Made when the body first has to be waited for: most bodies (and every empty one) have
    /// arrived with their head, and then no timer is made at all.
    deadline: Option<Pin<Box<Sleep>>>,
    expired: Arc<AtomicBool>,
}

impl<B> TimedBody<B> {
    pub fn new(body: B, timeout: Duration) -> TimedBody<B> {
        TimedBody {
            body,
            timeout,
            start: Instant::now(),
            deadline: None,
            expired: Arc::new(AtomicBool::new(false)),
        }
    }

    pub fn expired(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.expired)
    }
}

impl<B> Body for TimedBody<B>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<axum::BoxError>,
{
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::BoxError>>> {
        // What has arrived is delivered first; the deadline counts only while waiting.
        if let Poll::Ready(frame) = Pin::new(&mut self.body).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        let (start, timeout) = (self.start, self.timeout);
        let deadline = self.deadline.get_or_insert_with(|| {
            Box::pin(match start.checked_add(timeout) {
                Some(at) => tokio::time::sleep_until(at),
                // Beyond the clock's range: `sleep` waits "forever" for it.
                None => tokio::time::sleep(timeout),
            })
        });
        if deadline.as_mut().poll(cx).is_ready() {
            self.expired.store(true, Ordering::Relaxed);
            return Poll::Ready(Some(Err(BodyTimeout(self.timeout).into())));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}
