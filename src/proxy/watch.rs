//! One client connection's deadlines: the next request head must arrive
//! within `header_read_timeout` of the connection going idle (slow or silent
//! agents are dropped), and the upstream must answer within
//! `response_timeout` of the request.
//!
//! Each is one tokio sleep per connection that only ever moves later: tokio
//! then just notes the new deadline. A new sleep, or one moved earlier, goes
//! into the timer wheel, and when it is due before the time the worker thread
//! last parked until, tokio wakes that thread with an eventfd write, from the
//! thread itself. hyper's header timer (a new sleep per request) and a timeout
//! per request cost that, and about a tenth of the proxy's instructions.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::{Instant, Sleep, sleep_until};

pub(crate) struct Watch {
    header_read: Duration,
    response: Duration,
    inner: Mutex<Inner>,
}

struct Inner {
    /// A request is being answered: the head deadline does not apply.
    busy: bool,
    head: Pin<Box<Sleep>>,
    answer: Pin<Box<Sleep>>,
}

impl Watch {
    /// A connection accepted now: idle, its first head due in `header_read`.
    pub fn new(header_read: Duration, response: Duration) -> Self {
        let now = Instant::now();
        Self {
            header_read,
            response,
            inner: Mutex::new(Inner {
                busy: false,
                head: Box::pin(sleep_until(now + header_read)),
                answer: Box::pin(sleep_until(now + response)),
            }),
        }
    }

    /// A request head arrived: the head deadline is off until it is answered.
    pub fn request(&self) {
        self.lock().busy = true;
    }

    /// The request goes upstream: its answer is due from now.
    pub fn answer_from_now(&self) {
        let by = Instant::now() + self.response;
        self.lock().answer.as_mut().reset(by);
    }

    /// hyper has the whole answer (it drops the body then; the last bytes
    /// may still be on their way out): idle again.
    pub fn answered(&self) {
        let mut w = self.lock();
        w.busy = false;
        let by = Instant::now() + self.header_read;
        w.head.as_mut().reset(by);
    }

    /// Ready when an idle connection's next head is overdue.
    pub fn poll_head(&self, cx: &mut Context<'_>) -> Poll<()> {
        let mut w = self.lock();
        if w.busy {
            return Poll::Pending;
        }
        w.head.as_mut().poll(cx)
    }

    /// Ready when the upstream's answer is overdue.
    pub fn poll_answer(&self, cx: &mut Context<'_>) -> Poll<()> {
        self.lock().answer.as_mut().poll(cx)
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}
