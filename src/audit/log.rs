//! [`AuditLog`]: the handle components share, with group commit.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::AuditError;
use super::append::Writer;
use super::event::{AuditEvent, NewEvent};
use crate::state::StateDir;

/// Appends to `audit.jsonl`. Cheap to clone (an `Arc` inside); share one per process.
///
/// Every append takes the log's advisory lock (`audit.jsonl.lock`), so any number
/// of threads, tasks and `aigo` processes can write concurrently and the chain
/// stays whole. The last id and hash are cached between appends; the cache is
/// trusted only while the file's length and inode are what this process left,
/// so appends by another process are noticed and re-read.
///
/// Group commit: a call returns only once its events are written and fsynced,
/// but callers that arrive while an append is in progress queue up, and the
/// caller doing that append (the leader) then writes the whole queue with one
/// fsync, and repeats until the queue is empty.
#[derive(Debug, Clone)]
pub struct AuditLog {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    queue: Mutex<Queue>,
    /// Only the leader locks it; a mutex because leaders change.
    writer: Mutex<Writer>,
}

#[derive(Debug, Default)]
struct Queue {
    pending: Vec<Pending>,
    /// A caller is appending and will take everything queued before it stops.
    leading: bool,
}

type Reply = Result<Vec<AuditEvent>, AuditError>;

#[derive(Debug)]
struct Pending {
    events: Vec<NewEvent>,
    reply: SyncSender<Reply>,
}

impl AuditLog {
    /// The log of a state directory. Touches nothing until the first append.
    pub fn open(state: &StateDir) -> Self {
        Self::at(state.audit())
    }

    pub fn at(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        Self {
            inner: Arc::new(Inner {
                queue: Mutex::new(Queue::default()),
                writer: Mutex::new(Writer::new(path.clone())),
                path,
            }),
        }
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Appends one event and fsyncs it before returning. Blocking: from async
    /// code use [`AuditLog::record_async`].
    pub fn record(&self, event: NewEvent) -> Result<AuditEvent, AuditError> {
        let mut v = self.record_batch(vec![event])?;
        v.pop()
            .ok_or_else(|| AuditError::Background("append returned no event".into()))
    }

    /// Appends several events, consecutive in the log, with one write and one fsync.
    pub fn record_batch(&self, events: Vec<NewEvent>) -> Result<Vec<AuditEvent>, AuditError> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let (tx, rx) = sync_channel(1);
        let lead = {
            let mut q = lock(&self.inner.queue);
            q.pending.push(Pending { events, reply: tx });
            !std::mem::replace(&mut q.leading, true)
        };
        if lead {
            let guard = Leading(&self.inner);
            let mut writer = lock(&self.inner.writer);
            loop {
                let pending = {
                    let mut q = lock(&self.inner.queue);
                    if q.pending.is_empty() {
                        q.leading = false;
                        break;
                    }
                    std::mem::take(&mut q.pending)
                };
                commit(&mut writer, pending);
            }
            std::mem::forget(guard);
        }
        rx.recv()
            .map_err(|_| AuditError::Background("the audit append panicked".into()))?
    }

    /// [`AuditLog::record`] on the blocking pool.
    pub async fn record_async(&self, event: NewEvent) -> Result<AuditEvent, AuditError> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.record(event))
            .await
            .map_err(|e| AuditError::Background(e.to_string()))?
    }
}

/// Writes all pending requests as one batch and hands each caller its events.
fn commit(writer: &mut Writer, pending: Vec<Pending>) {
    let counts: Vec<usize> = pending.iter().map(|p| p.events.len()).collect();
    let (events, replies): (Vec<_>, Vec<_>) =
        pending.into_iter().map(|p| (p.events, p.reply)).unzip();
    tracing::trace!(path = %writer.path().display(), callers = counts.len(), "audit group commit");
    match writer.append(events.into_iter().flatten().collect()) {
        Ok(out) => {
            let mut out = out.into_iter();
            for (n, reply) in counts.into_iter().zip(replies) {
                let _ = reply.send(Ok(out.by_ref().take(n).collect()));
            }
        }
        Err(e) => {
            let e = Arc::new(e);
            for reply in replies {
                let _ = reply.send(Err(AuditError::Batch(e.clone())));
            }
        }
    }
}

/// Resets leadership if the leader unwinds, failing what is queued (their
/// replies are dropped) instead of leaving those callers waiting forever.
struct Leading<'a>(&'a Inner);

impl Drop for Leading<'_> {
    fn drop(&mut self) {
        let mut q = lock(&self.0.queue);
        q.leading = false;
        q.pending.clear();
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
