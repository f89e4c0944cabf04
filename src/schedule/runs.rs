//! What the scheduler loop (in `daemon/`) calls: claim a due slot, mark it
//! started, finish it, recover after a restart, and the per-schedule run logs
//! in `logs/schedules/<id>.jsonl`.
//!
//! Exactly-once protocol: [`claim_due`] appends a `claim` line to
//! `schedules.state.jsonl` (the `pending` marker, and `next_run` advanced past
//! missed slots) and fsyncs it before the run starts. [`mark_started`] notes
//! (durably) that the run is starting, [`finish`] records the outcome and
//! clears the marker. After a crash, [`recover`] returns
//! claims that never started (run them now, once) and records started ones as
//! `interrupted` rather than running them twice.

use std::io::Write;
use std::path::PathBuf;

use jiff::Timestamp;

use super::journal::{self, Op};
use super::store::find;
use super::table::{Table, lock};
use super::{RunLogEntry, RunStatus, ScheduleError, ScheduleFile, ScheduleRecord};
use crate::state::StateDir;

/// A slot the caller now owns and must run, then [`finish`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub slot: Timestamp,
    /// The schedule as it was when claimed (prompt, group, timeout, context).
    pub schedule: ScheduleRecord,
}

/// `(next_run, id)` of every schedule that will fire, for the loop's heap.
pub fn heap_entries(file: &ScheduleFile) -> Vec<(Timestamp, String)> {
    file.schedules
        .iter()
        .filter(|s| s.enabled && !s.completed && s.pending.is_none())
        .filter_map(|s| s.next_run.map(|t| (t, s.id.clone())))
        .collect()
}

/// Loads the merged state under the journal lock, lets `f` decide the lines to
/// append, and appends them durably in one write.
fn with_journal<R>(
    state: &StateDir,
    f: impl FnOnce(&mut Table) -> (Vec<Op>, R),
) -> Result<R, ScheduleError> {
    let _lock = lock(state)?;
    let mut table = Table::load(state)?;
    let (ops, out) = f(&mut table);
    let path = journal::journal_path(state);
    if !ops.is_empty() {
        journal::append(&mut journal::open_append(&path)?, &path, &ops, true)?;
    }
    Ok(out)
}

/// Claims the due slot of schedule `id` if it is still due at `now` (another
/// writer may have disabled, changed or claimed it since the heap was built).
pub fn claim_due(
    state: &StateDir,
    id: &str,
    now: Timestamp,
) -> Result<Option<Claim>, ScheduleError> {
    with_journal(state, |t| match t.claim(id, now) {
        Some((c, op)) => (vec![op], Some(c)),
        None => (Vec::new(), None),
    })
}

/// Claims every slot due at `now` with one append and one fsync.
pub fn claim_all_due(state: &StateDir, now: Timestamp) -> Result<Vec<Claim>, ScheduleError> {
    with_journal(state, |t| {
        let (mut out, ops): (Vec<Claim>, Vec<Op>) =
            t.due(now).iter().filter_map(|id| t.claim(id, now)).unzip();
        out.sort_by(|a, b| (a.slot, &a.schedule.id).cmp(&(b.slot, &b.schedule.id)));
        (ops, out)
    })
}

/// [`mark_started`] for many claims in one write.
pub fn mark_all_started(
    state: &StateDir,
    claims: &[(String, Timestamp)],
    now: Timestamp,
) -> Result<(), ScheduleError> {
    if claims.is_empty() {
        return Ok(());
    }
    let ops = claims
        .iter()
        .map(|(id, slot)| Op::Start {
            id: id.clone(),
            slot: *slot,
            at: now,
        })
        .collect();
    with_journal(state, |_| (ops, ()))
}

/// Notes that the claimed run is starting (after a crash it is then recorded
/// as interrupted, not started a second time).
pub fn mark_started(
    state: &StateDir,
    id: &str,
    slot: Timestamp,
    now: Timestamp,
) -> Result<(), ScheduleError> {
    mark_all_started(state, &[(id.to_string(), slot)], now)
}

/// Records a finished run: appends the log line, sets `last_*`, clears the
/// marker, and completes a once schedule. A deleted schedule only gets the log.
pub fn finish(
    state: &StateDir,
    id: &str,
    slot: Timestamp,
    entry: &RunLogEntry,
) -> Result<(), ScheduleError> {
    append_log(state, id, entry)?;
    with_journal(state, |_| (vec![Op::finish(id, slot, entry)], ()))?;
    tracing::info!(id, %slot, status = ?entry.status, "schedule run finished");
    Ok(())
}

/// Called once when the scheduler starts: returns the claims to run now (claimed
/// before a crash but never started), records started ones as interrupted (or
/// as the run log says they ended, when only the state line was lost), and
/// compacts the journal.
pub fn recover(state: &StateDir, now: Timestamp) -> Result<Vec<Claim>, ScheduleError> {
    let _lock = lock(state)?;
    let mut table = Table::load(state)?;
    let mut to_run = Vec::new();
    let mut ops = Vec::new();
    for rec in &table.file.schedules {
        let Some(p) = rec.pending.clone() else {
            continue;
        };
        if p.started_at.is_none() {
            to_run.push(Claim {
                slot: p.slot,
                schedule: rec.clone(),
            });
            continue;
        }
        let logged = logs_of(state, &rec.id)?
            .into_iter()
            .rev()
            .find(|e| e.scheduled_for == Some(p.slot));
        let entry = match logged {
            Some(e) => e,
            None => {
                let started = p.started_at.unwrap_or(p.claimed_at);
                let e = RunLogEntry {
                    run_at: started,
                    duration_ms: u64::try_from(now.duration_since(started).as_millis())
                        .unwrap_or(0),
                    status: RunStatus::Interrupted,
                    result: None,
                    error: Some("the daemon stopped while this run was in progress".into()),
                    scheduled_for: Some(p.slot),
                };
                append_log(state, &rec.id, &e)?;
                tracing::info!(id = %rec.id, slot = %p.slot, "schedule run recorded as interrupted");
                e
            }
        };
        ops.push(Op::finish(&rec.id, p.slot, &entry));
    }
    table.replay(&ops);
    let path = journal::journal_path(state);
    if !table.file.schedules.is_empty() || path.exists() {
        journal::compact(&path, &table.file.schedules)?;
    }
    to_run.sort_by(|a, b| (a.slot, &a.schedule.id).cmp(&(b.slot, &b.schedule.id)));
    Ok(to_run)
}

pub fn log_path(state: &StateDir, id: &str) -> PathBuf {
    state
        .logs_dir()
        .join("schedules")
        .join(format!("{id}.jsonl"))
}

/// Appends one JSON line (a single write, so concurrent appenders do not interleave).
pub fn append_log(state: &StateDir, id: &str, entry: &RunLogEntry) -> Result<(), ScheduleError> {
    let path = log_path(state, id);
    let io = |action, source| ScheduleError::Log {
        path: path.clone(),
        action,
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io("create the directory of", e))?;
    }
    let mut line = serde_json::to_string(entry).map_err(|e| io("serialize", e.into()))?;
    line.push('\n');
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| io("open", e))?;
    f.write_all(line.as_bytes()).map_err(|e| io("append to", e))
}

/// The run log of a schedule (by id or name; a deleted schedule's log by its id),
/// oldest first, the last `last` entries when given.
pub fn logs(
    state: &StateDir,
    id_or_name: &str,
    last: Option<usize>,
) -> Result<Vec<RunLogEntry>, ScheduleError> {
    let file = super::store::load(state)?;
    let id = match find(&file, id_or_name) {
        Ok(i) => file.schedules[i].id.clone(),
        Err(e) => {
            let safe = !id_or_name.is_empty()
                && id_or_name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-');
            if safe && log_path(state, id_or_name).exists() {
                id_or_name.to_string()
            } else {
                return Err(e);
            }
        }
    };
    let mut out = logs_of(state, &id)?;
    if let Some(k) = last {
        let skip = out.len().saturating_sub(k);
        out.drain(..skip);
    }
    Ok(out)
}

fn logs_of(state: &StateDir, id: &str) -> Result<Vec<RunLogEntry>, ScheduleError> {
    let path = log_path(state, id);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(ScheduleError::Log {
                path,
                action: "read",
                source,
            });
        }
    };
    let mut out = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        match serde_json::from_str::<RunLogEntry>(line) {
            Ok(e) => out.push(e),
            // A torn last line after a crash should not hide the rest of the history.
            Err(e) => {
                tracing::warn!(path = %path.display(), line = n + 1, error = %e, "skipping unreadable run log line")
            }
        }
    }
    Ok(out)
}
