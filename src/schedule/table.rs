//! The merged view of the schedules: definitions from `schedules.toml` with the
//! journal replayed over them, indexed by id, and claiming from it.

use std::collections::HashMap;
use std::path::Path;

use jiff::Timestamp;

use super::journal::{self, Op};
use super::next::next_after;
use super::store::record_timing;
use super::{Claim, ScheduleError, ScheduleFile, ScheduleRecord};
use crate::state::{FileLock, StateDir, load_toml};

/// Identifies one version of `schedules.toml` (every write renames a new file
/// over it, so the inode changes): a cheap "did a user edit it?" check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp(Option<(u64, i128, u64)>);

impl Stamp {
    pub(crate) fn of(path: &Path) -> Self {
        let Ok(m) = std::fs::metadata(path) else {
            return Self(None);
        };
        let mtime = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        #[cfg(unix)]
        let ino = std::os::unix::fs::MetadataExt::ino(&m);
        #[cfg(not(unix))]
        let ino = 0;
        Self(Some((ino, mtime, m.len())))
    }
}

pub(crate) struct Table {
    pub(crate) file: ScheduleFile,
    index: HashMap<String, usize>,
    /// Lines in the journal (to decide when to compact).
    pub(crate) lines: usize,
    /// The `schedules.toml` this table was loaded from.
    pub(crate) stamp: Stamp,
}

/// Holds the journal's lock: one writer of the runtime state at a time.
pub(crate) fn lock(state: &StateDir) -> Result<FileLock, ScheduleError> {
    Ok(FileLock::acquire(&journal::journal_path(state))?)
}

impl Table {
    /// Loads and merges. Writers call it with the journal lock held.
    pub(crate) fn load(state: &StateDir) -> Result<Self, ScheduleError> {
        let stamp = Stamp::of(&state.schedules());
        let file: ScheduleFile = load_toml(&state.schedules())?;
        let ops = journal::read(&journal::journal_path(state))?;
        let mut t = Self::new(file);
        t.stamp = stamp;
        t.replay(&ops);
        Ok(t)
    }

    pub(crate) fn new(file: ScheduleFile) -> Self {
        let index = file
            .schedules
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        Self {
            file,
            index,
            lines: 0,
            stamp: Stamp(None),
        }
    }

    /// Applies journal lines; lines of deleted schedules are ignored.
    pub(crate) fn replay(&mut self, ops: &[Op]) {
        for op in ops {
            if let Some(&i) = self.index.get(op.id()) {
                journal::apply(&mut self.file.schedules[i], op);
            }
        }
        self.lines += ops.len();
    }

    pub(crate) fn get(&self, id: &str) -> Option<&ScheduleRecord> {
        self.index.get(id).map(|&i| &self.file.schedules[i])
    }

    /// The claim line for `id` if its slot is due at `now` and not claimed yet;
    /// not applied (the caller applies it once it is written).
    pub(crate) fn claim(&self, id: &str, now: Timestamp) -> Option<(Claim, Op)> {
        let rec = self.get(id)?;
        let slot = match rec.next_run {
            Some(t) if t <= now && rec.enabled && !rec.completed && rec.pending.is_none() => t,
            _ => return None,
        };
        let timing = match record_timing(rec) {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(id, error = %e, "schedule cannot be timed; not firing it");
                return None;
            }
        };
        let op = Op::Claim {
            id: id.to_string(),
            rev: rec.rev,
            slot,
            at: now,
            next: next_after(&timing, slot, now),
            started: None,
        };
        let mut schedule = rec.clone();
        journal::apply(&mut schedule, &op);
        tracing::debug!(id, %slot, next = ?schedule.next_run, "claimed schedule slot");
        Some((Claim { slot, schedule }, op))
    }

    /// Ids of every schedule due at `now`.
    pub(crate) fn due(&self, now: Timestamp) -> Vec<String> {
        self.file
            .schedules
            .iter()
            .filter(|s| s.next_run.is_some_and(|t| t <= now))
            .map(|s| s.id.clone())
            .collect()
    }
}
