//! `schedules.toml`: list, get, create, update (patch), enable/disable, delete.
//! Every write goes through `update_toml` (advisory lock + atomic rename) and
//! also holds the journal's lock, so it starts from the merged runtime state
//! and a running daemon never claims from a half-applied edit.

use jiff::Timestamp;

use super::check::timing_of;
use super::describe::describe;
use super::journal;
use super::next::Timing;
use super::table::{Table, lock};
use super::timeparse::{resolve_zone, zone_name};
use super::validate::{check_fields, new_id, validate, whole_second};
use super::{
    ContainerConfig, CronError, NewSchedule, ScheduleError, ScheduleFile, SchedulePatch,
    ScheduleRecord, ScheduleView,
};
use crate::state::{StateDir, update_toml};

/// The schedules with their current runtime state (`schedules.toml` with the
/// journal replayed over it).
pub fn load(state: &StateDir) -> Result<ScheduleFile, ScheduleError> {
    Ok(Table::load(state)?.file)
}

/// Read-modify-write of the merged schedules: `f` sees the current runtime
/// state, and what it leaves is written to `schedules.toml` with the journal
/// lock still held.
fn edit<R>(
    state: &StateDir,
    f: impl FnOnce(&mut ScheduleFile) -> Result<R, ScheduleError>,
) -> Result<R, ScheduleError> {
    let (out, _journal) = update_toml(&state.schedules(), |file: &mut ScheduleFile| {
        let journal = lock(state)?;
        let mut table = Table::new(std::mem::take(file));
        table.replay(&journal::read(&journal::journal_path(state))?);
        *file = table.file;
        Ok::<_, ScheduleError>((f(file)?, journal))
    })?;
    Ok(out)
}

pub fn list(state: &StateDir) -> Result<Vec<ScheduleView>, ScheduleError> {
    Ok(load(state)?.schedules.iter().map(view).collect())
}

/// Finds a schedule by id, or by name when exactly one has it.
pub fn get(state: &StateDir, id_or_name: &str) -> Result<ScheduleView, ScheduleError> {
    let file = load(state)?;
    Ok(view(&file.schedules[find(&file, id_or_name)?]))
}

pub fn create(
    state: &StateDir,
    body: NewSchedule,
    now: Timestamp,
) -> Result<ScheduleView, ScheduleError> {
    create_many(state, vec![body], now, Limits::default())
        .pop()
        .unwrap_or_else(|| Err(ScheduleError::BadRequest("nothing to create".into())))
}

/// Creates several schedules with one write of `schedules.toml` (what the IPC
/// router does with a round of `schedule_task` requests, so a flood costs one
/// rewrite per round, not one per file). A schedule past one of `limits` is
/// refused. One result per body, in order.
pub fn create_many(
    state: &StateDir,
    bodies: Vec<NewSchedule>,
    now: Timestamp,
    limits: Limits,
) -> Vec<Result<ScheduleView, ScheduleError>> {
    let now = whole_second(now);
    let mut out: Vec<Result<(ScheduleRecord, Vec<String>), ScheduleError>> = bodies
        .into_iter()
        .map(|body| {
            let mut rec = record(body, now);
            let notes = validate(&mut rec, now)?;
            Ok((rec, notes))
        })
        .collect();
    if limits.is_limited() {
        // Refused before the write when a limit is reached: a flood from a
        // group at its limit costs a read, never a rewrite.
        match load(state) {
            Ok(file) => refuse_over_limit(&file, &mut out, limits),
            Err(e) => return vec![Err(e)],
        }
    }
    if out.iter().any(Result::is_ok) {
        let written = edit(state, |file| {
            refuse_over_limit(file, &mut out, limits);
            for (rec, _) in out.iter_mut().flatten() {
                rec.id = new_id(file, rec, now);
                file.schedules.push(rec.clone());
            }
            Ok(())
        });
        if let Err(e) = written {
            let msg = e.to_string();
            for r in &mut out {
                if r.is_ok() {
                    *r = Err(ScheduleError::BadRequest(msg.clone()));
                }
            }
        }
    }
    out.into_iter()
        .map(|r| {
            let (rec, notes) = r?;
            tracing::info!(id = %rec.id, name = %rec.name, group = %rec.group, "schedule created");
            let mut v = view(&rec);
            v.warnings = notes;
            Ok(v)
        })
        .collect()
}

/// Bounds on what [`create_many`] may add (`None`: unbounded).
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    /// Schedules one group may hold.
    pub per_group: Option<usize>,
    /// Schedules there may be in all.
    pub total: Option<usize>,
}

impl Limits {
    fn is_limited(&self) -> bool {
        self.per_group.is_some() || self.total.is_some()
    }
}

/// Turns the creations that would take a group, or the table, past `limits`
/// into refusals.
fn refuse_over_limit(
    file: &ScheduleFile,
    out: &mut [Result<(ScheduleRecord, Vec<String>), ScheduleError>],
    limits: Limits,
) {
    let mut held: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for s in &file.schedules {
        *held.entry(s.group.clone()).or_default() += 1;
    }
    let mut total = file.schedules.len();
    for r in out.iter_mut() {
        let Ok((rec, _)) = r else { continue };
        let n = held.entry(rec.group.clone()).or_default();
        if let Some(limit) = limits.total.filter(|l| total >= *l) {
            *r = Err(ScheduleError::TotalLimit { limit });
        } else if let Some(limit) = limits.per_group.filter(|l| *n >= *l) {
            let group = rec.group.clone();
            *r = Err(ScheduleError::GroupLimit { group, limit });
        } else {
            *n += 1;
            total += 1;
        }
    }
}

fn record(body: NewSchedule, now: Timestamp) -> ScheduleRecord {
    let NewSchedule {
        name,
        group,
        prompt,
        schedule,
        container_config,
        context_mode,
        enabled,
        timezone,
    } = body;
    ScheduleRecord {
        id: String::new(),
        name: name.trim().to_string(),
        group: group.trim().to_string(),
        prompt,
        schedule,
        timezone: timezone.filter(|t| !t.trim().is_empty()),
        timeout_secs: container_config.timeout_secs,
        context_mode,
        enabled,
        rev: 0,
        completed: false,
        created_at: now,
        anchor: now,
        next_run: None,
        last_run: None,
        last_status: None,
        last_result: None,
        pending: None,
    }
}

/// Applies a partial update. A changed timing or zone restarts the series from `now`.
pub fn update(
    state: &StateDir,
    id_or_name: &str,
    patch: SchedulePatch,
    now: Timestamp,
) -> Result<ScheduleView, ScheduleError> {
    let now = whole_second(now);
    let (rec, notes) = edit(state, |file| {
        let i = find(file, id_or_name)?;
        let mut rec = file.schedules[i].clone();
        let retime = patch.schedule.is_some() || patch.timezone.is_some();
        if let Some(v) = patch.name {
            rec.name = v.trim().to_string();
        }
        if let Some(v) = patch.group {
            rec.group = v.trim().to_string();
        }
        if let Some(v) = patch.prompt {
            rec.prompt = v;
        }
        if let Some(v) = patch.schedule {
            rec.schedule = v;
            rec.completed = false;
        }
        if let Some(v) = patch.timezone {
            rec.timezone = Some(v).filter(|t| !t.trim().is_empty());
        }
        if let Some(ContainerConfig { timeout_secs }) = patch.container_config {
            rec.timeout_secs = timeout_secs;
        }
        if let Some(v) = patch.context_mode {
            rec.context_mode = v;
        }
        let enabling = patch.enabled == Some(true) && !rec.enabled;
        if let Some(v) = patch.enabled {
            rec.enabled = v;
        }
        if retime {
            rec.anchor = now;
        }
        if retime || rec.enabled != file.schedules[i].enabled {
            rec.rev += 1;
        }
        let notes = if retime || enabling {
            validate(&mut rec, now)?
        } else {
            check_fields(&rec)?;
            if !rec.enabled {
                rec.next_run = None;
            }
            Vec::new()
        };
        file.schedules[i] = rec.clone();
        Ok((rec, notes))
    })?;
    tracing::info!(id = %rec.id, enabled = rec.enabled, "schedule updated");
    let mut v = view(&rec);
    v.warnings = notes;
    Ok(v)
}

pub fn set_enabled(
    state: &StateDir,
    id_or_name: &str,
    enabled: bool,
    now: Timestamp,
) -> Result<ScheduleView, ScheduleError> {
    let patch = SchedulePatch {
        enabled: Some(enabled),
        ..SchedulePatch::default()
    };
    update(state, id_or_name, patch, now)
}

/// Removes the schedule; its run log is kept for the record.
pub fn delete(state: &StateDir, id_or_name: &str) -> Result<ScheduleView, ScheduleError> {
    let rec = edit(state, |file| {
        let i = find(file, id_or_name)?;
        Ok(file.schedules.remove(i))
    })?;
    tracing::info!(id = %rec.id, "schedule deleted");
    Ok(view(&rec))
}

pub(crate) fn find(file: &ScheduleFile, key: &str) -> Result<usize, ScheduleError> {
    if let Some(i) = file.schedules.iter().position(|s| s.id == key) {
        return Ok(i);
    }
    let by_name: Vec<usize> = (0..file.schedules.len())
        .filter(|i| file.schedules[*i].name == key)
        .collect();
    match by_name.as_slice() {
        [i] => Ok(*i),
        [] => Err(ScheduleError::NotFound(key.to_string())),
        many => Err(ScheduleError::AmbiguousName(
            key.to_string(),
            many.iter()
                .map(|i| file.schedules[*i].id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        )),
    }
}

/// The record's timing, resolved in its zone.
pub fn record_timing(rec: &ScheduleRecord) -> Result<Timing, CronError> {
    let tz = resolve_zone(rec.timezone.as_deref())?;
    Ok(timing_of(&rec.schedule, tz)?.0)
}

/// The API/`--json` form of a record.
pub fn view(rec: &ScheduleRecord) -> ScheduleView {
    let (description, timezone) = match record_timing(rec) {
        Ok(t) => (describe(&t), zone_name(&t.tz)),
        Err(e) => (
            format!("invalid: {e}"),
            rec.timezone.clone().unwrap_or_else(|| "local".into()),
        ),
    };
    let status = if rec.completed {
        "completed"
    } else if rec.pending.as_ref().is_some_and(|p| p.started_at.is_some()) {
        "running"
    } else if !rec.enabled {
        "paused"
    } else {
        "active"
    };
    ScheduleView {
        id: rec.id.clone(),
        name: rec.name.clone(),
        group: rec.group.clone(),
        prompt: rec.prompt.clone(),
        schedule: rec.schedule.clone(),
        timezone,
        description,
        container_config: ContainerConfig {
            timeout_secs: rec.timeout_secs,
        },
        context_mode: rec.context_mode,
        enabled: rec.enabled,
        status: status.into(),
        next_run: rec.next_run,
        last_run: rec.last_run,
        last_status: rec.last_status,
        last_result: rec.last_result.clone(),
        created_at: rec.created_at,
        warnings: Vec::new(),
    }
}
