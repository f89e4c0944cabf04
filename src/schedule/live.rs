//! The daemon's copy of the schedules in memory and its writer of the
//! journal: claims are decided from memory (no re-reading of 10,000 records
//! per wake), appended with one fsync per wake, and applied to memory once
//! written. Starts and finishes of concurrent runs are group-committed: whoever
//! writes takes everything queued meanwhile, so a burst costs a few writes.

use std::fs::File;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};

use jiff::Timestamp;

use super::journal::{self, Op};
use super::table::{Stamp, Table, lock};
use super::{Claim, ScheduleError, ScheduleFile};
use crate::state::StateDir;

/// Claims with their permits, and whether the table was reloaded.
pub(crate) type Claimed<P> = (Vec<(Claim, Option<P>)>, bool);

pub(crate) struct Live {
    state: StateDir,
    path: PathBuf,
    inner: Mutex<Inner>,
    queue: Mutex<Queue>,
}

struct Inner {
    table: Table,
    /// Reopened after a failed write (which ends a torn line).
    file: Option<File>,
}

#[derive(Default)]
struct Queue {
    ops: Vec<Op>,
    sync: bool,
    /// Tickets handed out and tickets written (in order).
    queued: u64,
    written: u64,
    failed: Option<(u64, u64, String)>,
}

fn guard<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Live {
    pub(crate) fn new(state: StateDir) -> Self {
        Self {
            path: journal::journal_path(&state),
            state,
            inner: Mutex::new(Inner {
                table: Table::new(ScheduleFile::default()),
                file: None,
            }),
            queue: Mutex::new(Queue::default()),
        }
    }

    /// Re-reads `schedules.toml` and the journal.
    pub(crate) fn reload(&self) -> Result<(), ScheduleError> {
        let mut inner = guard(&self.inner);
        let _lock = lock(&self.state)?;
        inner.table = Table::load(&self.state)?;
        Ok(())
    }

    /// `(next_run, id)` of every schedule that will fire.
    pub(crate) fn heap(&self) -> Vec<(Timestamp, String)> {
        super::heap_entries(&guard(&self.inner).table.file)
    }

    /// The next run of `id` if it may fire (not pending, enabled, not completed).
    pub(crate) fn next_of(&self, id: &str) -> Option<Timestamp> {
        let inner = guard(&self.inner);
        let rec = inner.table.get(id)?;
        (rec.enabled && !rec.completed && rec.pending.is_none())
            .then_some(rec.next_run)
            .flatten()
    }

    /// Claims those of `due` still due at `now`, in order, with one durable
    /// write. A claim that gets a permit from `permit` is written as started.
    /// When a user edited `schedules.toml` since the last load, it is reloaded
    /// first and every due schedule is considered (the bool says so: the
    /// caller rebuilds its heap).
    pub(crate) fn claim<P>(
        &self,
        mut due: Vec<String>,
        now: Timestamp,
        mut permit: impl FnMut() -> Option<P>,
    ) -> Result<Claimed<P>, ScheduleError> {
        let mut inner = guard(&self.inner);
        let _lock = lock(&self.state)?;
        let stamp = Stamp::of(&self.state.schedules());
        let reloaded = stamp != inner.table.stamp;
        if reloaded {
            match Table::load(&self.state) {
                Ok(t) => inner.table = t,
                // A hand edit broke the file: keep firing from the last good copy
                // (and do not retry until the file changes again).
                Err(e) => {
                    tracing::error!(error = %e, "schedules do not load; keeping the last good copy");
                    inner.table.stamp = stamp;
                }
            }
            due = inner.table.due(now);
            due.sort_by_key(|id| inner.table.get(id).and_then(|r| r.next_run));
        }
        let mut out = Vec::new();
        let mut ops = Vec::new();
        // The heap may hold an id twice (a rebuild and a finished run's
        // requeue); claims apply only once written, so skip repeats here.
        let mut seen = std::collections::HashSet::new();
        for id in due.iter().filter(|id| seen.insert(id.as_str())) {
            let Some((claim, mut op)) = inner.table.claim(id, now) else {
                continue;
            };
            let p = permit();
            if p.is_some()
                && let Op::Claim { started, .. } = &mut op
            {
                *started = Some(now);
            }
            ops.push(op);
            out.push((claim, p));
        }
        self.flush(&mut inner, ops, true)?;
        Ok((out, reloaded))
    }

    /// Appends `ops` (durably when `sync`), possibly together with others'.
    pub(crate) fn commit(&self, ops: Vec<Op>, sync: bool) -> Result<(), ScheduleError> {
        let ticket = {
            let mut q = guard(&self.queue);
            q.ops.extend(ops);
            q.sync |= sync;
            q.queued += 1;
            q.queued
        };
        let mut inner = guard(&self.inner);
        if guard(&self.queue).written < ticket {
            let _lock = lock(&self.state)?;
            return self.flush(&mut inner, Vec::new(), false);
        }
        match &guard(&self.queue).failed {
            Some((from, to, msg)) if (*from..=*to).contains(&ticket) => Err(ScheduleError::Log {
                path: self.path.clone(),
                action: "append to",
                source: std::io::Error::other(msg.clone()),
            }),
            _ => Ok(()),
        }
    }

    /// Writes everything queued plus `extra`, then applies it in memory.
    /// The caller holds `inner` and the journal lock.
    fn flush(&self, inner: &mut Inner, extra: Vec<Op>, sync: bool) -> Result<(), ScheduleError> {
        let (mut ops, sync, from, to) = {
            let mut q = guard(&self.queue);
            let s = std::mem::take(&mut q.sync) || sync;
            (std::mem::take(&mut q.ops), s, q.written + 1, q.queued)
        };
        ops.extend(extra);
        let res = self.write(inner, &ops, sync);
        let mut q = guard(&self.queue);
        q.written = to;
        if let Err(e) = &res {
            q.failed = Some((from, to, e.to_string()));
        }
        res
    }

    fn write(&self, inner: &mut Inner, ops: &[Op], sync: bool) -> Result<(), ScheduleError> {
        if ops.is_empty() {
            return Ok(());
        }
        let file = match &mut inner.file {
            Some(f) => f,
            None => inner.file.insert(journal::open_append(&self.path)?),
        };
        if let Err(e) = journal::append(file, &self.path, ops, sync) {
            inner.file = None;
            return Err(e);
        }
        inner.table.replay(ops);
        let n = inner.table.file.schedules.len();
        if inner.table.lines > 2 * n + 10_000 {
            journal::compact(&self.path, &inner.table.file.schedules)?;
            inner.file = None;
            inner.table.lines = n;
        }
        Ok(())
    }
}
