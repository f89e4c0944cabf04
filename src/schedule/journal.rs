//! `schedules.state.jsonl`: the scheduler's runtime state as an append-only
//! journal of claim/start/finish lines, so firing a schedule costs one short
//! append instead of a rewrite of `schedules.toml`.
//!
//! `schedules.toml` holds the definitions plus the runtime fields as they were
//! when it was last written (by a user edit); the journal's lines are replayed
//! over it. Every change a user makes to *when* a schedule fires bumps the
//! record's `rev`; timing in lines of an older `rev` is then ignored, so
//! replaying lines older than the file is harmless (every line sets values,
//! none adds to them). [`compact`] rewrites the journal as one `set` line per
//! schedule; the daemon does it on start and when the journal grows.
//!
//! Writers hold the journal's lock (`schedules.state.jsonl.lock`); a user edit
//! holds it while it rewrites `schedules.toml`, so the daemon never claims
//! from a definition that is being replaced.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{PendingFire, RunStatus, ScheduleError, ScheduleRecord, ScheduleSpec};
use crate::state::{StateDir, StateError, write_atomic};

/// How much of a run's result or error is kept as `last_result`.
pub(crate) const LAST_RESULT_CHARS: usize = 500;

pub fn journal_path(state: &StateDir) -> PathBuf {
    state.root().join("schedules.state.jsonl")
}

/// The runtime fields of a record, as a `set` line carries them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Runtime {
    anchor: Timestamp,
    next_run: Option<Timestamp>,
    completed: bool,
    pending: Option<PendingFire>,
    last_run: Option<Timestamp>,
    last_status: Option<RunStatus>,
    last_result: Option<String>,
}

/// One journal line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub(crate) enum Op {
    /// The slot is owned: persisted before the run starts. `next` is the
    /// following slot; `started` is set when the run starts in the same write.
    Claim {
        id: String,
        rev: u64,
        slot: Timestamp,
        at: Timestamp,
        next: Option<Timestamp>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        started: Option<Timestamp>,
    },
    /// The run is about to start: after a crash it is recorded, not repeated.
    Start {
        id: String,
        slot: Timestamp,
        at: Timestamp,
    },
    Finish {
        id: String,
        slot: Timestamp,
        run_at: Timestamp,
        status: RunStatus,
        result: Option<String>,
    },
    Set {
        id: String,
        rev: u64,
        state: Box<Runtime>,
    },
}

impl Op {
    pub(crate) fn id(&self) -> &str {
        match self {
            Op::Claim { id, .. } | Op::Start { id, .. } | Op::Finish { id, .. } => id,
            Op::Set { id, .. } => id,
        }
    }

    pub(crate) fn set(rec: &ScheduleRecord) -> Self {
        Op::Set {
            id: rec.id.clone(),
            rev: rec.rev,
            state: Box::new(Runtime {
                anchor: rec.anchor,
                next_run: rec.next_run,
                completed: rec.completed,
                pending: rec.pending.clone(),
                last_run: rec.last_run,
                last_status: rec.last_status,
                last_result: rec.last_result.clone(),
            }),
        }
    }

    pub(crate) fn finish(id: &str, slot: Timestamp, e: &super::RunLogEntry) -> Self {
        Op::Finish {
            id: id.to_string(),
            slot,
            run_at: e.run_at,
            status: e.status,
            result: e
                .error
                .as_deref()
                .or(e.result.as_deref())
                .map(|s| s.chars().take(LAST_RESULT_CHARS).collect()),
        }
    }
}

/// Applies one line to its record. Timing (anchor, next run, completion)
/// changes only when the line belongs to the record's current `rev`.
pub(crate) fn apply(rec: &mut ScheduleRecord, op: &Op) {
    match op {
        Op::Claim {
            rev,
            slot,
            at,
            next,
            started,
            ..
        } => {
            rec.pending = Some(PendingFire {
                slot: *slot,
                claimed_at: *at,
                started_at: *started,
                rev: *rev,
            });
            if *rev == rec.rev {
                rec.anchor = *slot;
                rec.next_run = *next;
            }
        }
        Op::Start { slot, at, .. } => {
            if let Some(p) = rec.pending.as_mut().filter(|p| p.slot == *slot) {
                p.started_at = Some(*at);
            }
        }
        Op::Finish {
            slot,
            run_at,
            status,
            result,
            ..
        } => {
            let claimed = rec.pending.take_if(|p| p.slot == *slot);
            rec.last_run = Some(*run_at);
            rec.last_status = Some(*status);
            rec.last_result.clone_from(result);
            if matches!(rec.schedule, ScheduleSpec::Once(_))
                && claimed.is_some_and(|p| p.rev == rec.rev)
            {
                rec.completed = true;
                rec.next_run = None;
            }
        }
        Op::Set { rev, state, .. } => {
            rec.pending.clone_from(&state.pending);
            rec.last_run = state.last_run;
            rec.last_status = state.last_status;
            rec.last_result.clone_from(&state.last_result);
            if *rev == rec.rev {
                rec.anchor = state.anchor;
                rec.next_run = state.next_run;
                rec.completed = state.completed;
            }
        }
    }
}

fn io(path: &Path, action: &'static str, e: std::io::Error) -> ScheduleError {
    StateError::io(path, action, e).into()
}

/// Every readable line, oldest first. A torn last line (a crash mid-append) is
/// skipped: its write never completed, so nothing relied on it.
pub(crate) fn read(path: &Path) -> Result<Vec<Op>, ScheduleError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(path, "read", e)),
    };
    let mut out = Vec::with_capacity(text.len() / 120);
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Op>(line) {
            Ok(op) => out.push(op),
            Err(e) => {
                tracing::warn!(path = %path.display(), line = n + 1, error = %e, "skipping unreadable schedule state line")
            }
        }
    }
    Ok(out)
}

/// Opens for appending; a torn last line (a crash or a failed write) is ended
/// first, so the next line is not glued to it.
pub(crate) fn open_append(path: &Path) -> Result<File, ScheduleError> {
    let mut f = OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(path)
        .map_err(|e| io(path, "open", e))?;
    let mut last = [0u8; 1];
    let torn =
        f.seek(SeekFrom::End(-1)).is_ok() && f.read_exact(&mut last).is_ok() && last[0] != b'\n';
    if torn {
        f.write_all(b"\n").map_err(|e| io(path, "append to", e))?;
    }
    Ok(f)
}

/// Appends `ops` in one write; `sync` makes them durable before returning
/// (claims and starts must be; a lost finish only shows up as a recovery).
pub(crate) fn append(
    file: &mut File,
    path: &Path,
    ops: &[Op],
    sync: bool,
) -> Result<(), ScheduleError> {
    if ops.is_empty() {
        return Ok(());
    }
    let mut buf = Vec::with_capacity(ops.len() * 160);
    for op in ops {
        serde_json::to_writer(&mut buf, op).map_err(|e| io(path, "serialize", e.into()))?;
        buf.push(b'\n');
    }
    file.write_all(&buf).map_err(|e| io(path, "append to", e))?;
    if sync {
        file.sync_data().map_err(|e| io(path, "sync", e))?;
    }
    Ok(())
}

/// Replaces the journal with one `set` line per record (atomically).
pub(crate) fn compact(path: &Path, recs: &[ScheduleRecord]) -> Result<(), ScheduleError> {
    let mut buf = Vec::with_capacity(recs.len() * 200);
    for rec in recs {
        serde_json::to_writer(&mut buf, &Op::set(rec))
            .map_err(|e| io(path, "serialize", e.into()))?;
        buf.push(b'\n');
    }
    write_atomic(path, &buf)?;
    tracing::debug!(path = %path.display(), records = recs.len(), "schedule state compacted");
    Ok(())
}
