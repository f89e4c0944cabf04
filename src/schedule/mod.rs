//! Scheduled agent runs: the schedule model, cron parsing, next-run computation
//! across time zones and DST, plain-words descriptions, `schedules.toml`, and
//! the runtime-state journal `schedules.state.jsonl`, and the run logs in
//! `logs/schedules/<id>.jsonl`.
//!
//! Owns everything about *when* a schedule fires and what is recorded about it,
//! and the [`Scheduler`] loop (the daemon supplies the [`Launcher`] that starts
//! containers). [`claim_due`], [`mark_started`], [`finish`] and [`recover`] are
//! the same protocol for one-off callers and tests. Pure functions
//! ([`check`], [`next_after`], [`CronExpr`]) do no I/O.

mod check;
mod cron;
mod describe;
mod error;
mod field;
mod journal;
mod live;
mod model;
mod next;
mod runs;
mod scheduler;
mod snapshot;
mod store;
mod table;
mod tasks;
mod timeparse;
mod validate;
mod warn;

pub use check::{
    CheckRequest, CheckResult, DEFAULT_COUNT, MAX_COUNT, check, local_rfc3339, timing_of,
};
pub use cron::{CronExpr, Field, Item};
pub use describe::{describe, describe_cron, spell_ms};
pub use error::{CronError, ScheduleError};
pub use journal::journal_path;
pub use model::{
    ContainerConfig, ContextMode, NewSchedule, PendingFire, RunLogEntry, RunStatus, ScheduleFile,
    SchedulePatch, ScheduleRecord, ScheduleSpec, ScheduleView,
};
pub use next::{Timing, Trigger, cron_next, next_after, next_civil, upcoming};
pub use runs::{
    Claim, append_log, claim_all_due, claim_due, finish, heap_entries, log_path, logs,
    mark_all_started, mark_started, recover,
};
pub use scheduler::{Clock, Launcher, RunOutcome, Scheduler, TokioClock, WallClock};
pub use snapshot::{TasksSnapshot, tasks_snapshot};
pub use store::{
    Limits, create, create_many, delete, get, list, load, record_timing, set_enabled, update, view,
};
pub use tasks::ScheduleTasks;
pub use timeparse::{
    format_ms, parse_duration_ms, parse_instant, resolve_civil, resolve_zone, zone_name,
};
pub use validate::{MAX_TIMEOUT_SECS, MIN_INTERVAL_MS};
pub use warn::warnings;
