//! What the scheduler loop (in `daemon/`) calls: claim a due slot, mark it
//! started, finish it, recover after a restart, and the per-schedule run logs
//! in `logs/schedules/<id>.jsonl`.
//!
//! Exactly-once protocol: [`claim_due`] writes a `pending` marker and advances
//! `next_run` (skipping missed slots) in one locked, atomic write, before the run
//! starts. [`mark_started`] notes that the container was started, [`finish`]
//! records the outcome and clears the marker. After a crash, [`recover`] returns
//! claims that never started (run them now, once) and records started ones as
//! `interrupted` rather than running them twice.

use std::io::Write;
use std::path::PathBuf;

use jiff::Timestamp;

use super::next::next_after;
use super::store::{find, record_timing};
use super::{PendingFire, RunLogEntry, RunStatus, ScheduleError, ScheduleFile, ScheduleRecord};
use crate::state::{StateDir, update_toml};

/// How much of a run's result or error is kept in `schedules.toml`.
const LAST_RESULT_CHARS: usize = 500;

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

/// Claims the due slot of schedule `id` if it is still due at `now` (another
/// writer may have disabled, changed or claimed it since the heap was built).
pub fn claim_due(
    state: &StateDir,
    id: &str,
    now: Timestamp,
) -> Result<Option<Claim>, ScheduleError> {
    update_toml(&state.schedules(), |file: &mut ScheduleFile| {
        let Some(rec) = file.schedules.iter_mut().find(|s| s.id == id) else {
            return Ok(None);
        };
        let slot = match rec.next_run {
            Some(t) if t <= now && rec.enabled && !rec.completed && rec.pending.is_none() => t,
            _ => return Ok(None),
        };
        let timing = record_timing(rec)?;
        rec.pending = Some(PendingFire {
            slot,
            claimed_at: now,
            started_at: None,
        });
        rec.anchor = slot;
        rec.next_run = next_after(&timing, slot, now);
        tracing::debug!(id, %slot, next = ?rec.next_run, "claimed schedule slot");
        Ok::<_, ScheduleError>(Some(Claim {
            slot,
            schedule: rec.clone(),
        }))
    })
}

/// Claims every slot due at `now` in one locked write: a burst of schedules due
/// together costs one rewrite of `schedules.toml`, not one each.
pub fn claim_all_due(state: &StateDir, now: Timestamp) -> Result<Vec<Claim>, ScheduleError> {
    update_toml(&state.schedules(), |file: &mut ScheduleFile| {
        let mut out = Vec::new();
        for rec in &mut file.schedules {
            let slot = match rec.next_run {
                Some(t) if t <= now && rec.enabled && !rec.completed && rec.pending.is_none() => t,
                _ => continue,
            };
            let timing = record_timing(rec)?;
            rec.pending = Some(PendingFire {
                slot,
                claimed_at: now,
                started_at: None,
            });
            rec.anchor = slot;
            rec.next_run = next_after(&timing, slot, now);
            out.push(Claim {
                slot,
                schedule: rec.clone(),
            });
        }
        out.sort_by(|a, b| (a.slot, &a.schedule.id).cmp(&(b.slot, &b.schedule.id)));
        Ok::<_, ScheduleError>(out)
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
    update_toml(&state.schedules(), |file: &mut ScheduleFile| {
        for rec in &mut file.schedules {
            if let Some(p) = rec.pending.as_mut()
                && claims
                    .iter()
                    .any(|(id, slot)| *id == rec.id && *slot == p.slot)
            {
                p.started_at = Some(now);
            }
        }
        Ok::<_, ScheduleError>(())
    })
}

/// Notes that the claimed run's container has started.
pub fn mark_started(
    state: &StateDir,
    id: &str,
    slot: Timestamp,
    now: Timestamp,
) -> Result<(), ScheduleError> {
    update_toml(&state.schedules(), |file: &mut ScheduleFile| {
        if let Some(p) = file
            .schedules
            .iter_mut()
            .find(|s| s.id == id)
            .and_then(|s| s.pending.as_mut())
            .filter(|p| p.slot == slot)
        {
            p.started_at = Some(now);
        }
        Ok::<_, ScheduleError>(())
    })
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
    update_toml(&state.schedules(), |file: &mut ScheduleFile| {
        let Some(rec) = file.schedules.iter_mut().find(|s| s.id == id) else {
            return Ok(());
        };
        if rec.pending.as_ref().is_some_and(|p| p.slot == slot) {
            rec.pending = None;
        }
        rec.last_run = Some(entry.run_at);
        rec.last_status = Some(entry.status);
        rec.last_result = entry
            .error
            .as_deref()
            .or(entry.result.as_deref())
            .map(|s| s.chars().take(LAST_RESULT_CHARS).collect());
        if matches!(rec.schedule, super::ScheduleSpec::Once(_)) {
            rec.completed = true;
            rec.next_run = None;
        }
        Ok::<_, ScheduleError>(())
    })?;
    tracing::info!(id, %slot, status = ?entry.status, "schedule run finished");
    Ok(())
}

/// Called once when the scheduler starts: returns the claims to run now (claimed
/// before a crash but never started) and records started ones as interrupted.
pub fn recover(state: &StateDir, now: Timestamp) -> Result<Vec<Claim>, ScheduleError> {
    let (to_run, interrupted) = update_toml(&state.schedules(), |file: &mut ScheduleFile| {
        let mut to_run = Vec::new();
        let mut interrupted = Vec::new();
        for rec in &mut file.schedules {
            match rec.pending.clone() {
                Some(p) if p.started_at.is_none() => to_run.push(Claim {
                    slot: p.slot,
                    schedule: rec.clone(),
                }),
                Some(p) => interrupted.push((rec.id.clone(), p)),
                None => {}
            }
        }
        Ok::<_, ScheduleError>((to_run, interrupted))
    })?;
    for (id, p) in interrupted {
        let started = p.started_at.unwrap_or(p.claimed_at);
        let entry = RunLogEntry {
            run_at: started,
            duration_ms: u64::try_from(now.duration_since(started).as_millis()).unwrap_or(0),
            status: RunStatus::Interrupted,
            result: None,
            error: Some("the daemon stopped while this run was in progress".into()),
            scheduled_for: Some(p.slot),
        };
        finish(state, &id, p.slot, &entry)?;
    }
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
    let path = log_path(state, &id);
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
    if let Some(k) = last {
        let skip = out.len().saturating_sub(k);
        out.drain(..skip);
    }
    Ok(out)
}
