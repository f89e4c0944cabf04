//! Schedules as stored in `schedules.toml` (snake_case) and as the API and
//! `--json` show them (camelCase), plus request bodies and run-log entries.

use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize};

/// `{type: "cron"|"interval"|"once", value}`: interval values are milliseconds
/// (a number, a string of digits, or a duration string like `"30m"`), once
/// values ISO timestamps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum ScheduleSpec {
    Cron(String),
    Interval(#[serde(deserialize_with = "ms_or_duration")] u64),
    Once(String),
}

fn ms_or_duration<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Ms(u64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Ms(ms) => Ok(ms),
        // Digits only: milliseconds sent as a string, as some clients do.
        Raw::Text(t) if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => {
            t.parse().map_err(serde::de::Error::custom)
        }
        Raw::Text(t) => {
            super::timeparse::parse_duration_ms(&t, "interval").map_err(serde::de::Error::custom)
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ContextMode {
    /// The run joins the group's session (sees its context).
    #[default]
    Group,
    /// A fresh session for every run.
    Isolated,
}

impl ContextMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Group => "group",
            Self::Isolated => "isolated",
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    Success,
    Error,
    Timeout,
    /// The daemon stopped while the run was in progress.
    Interrupted,
}

/// A slot the scheduler has claimed but not finished: written before the run
/// starts, so a restart neither loses nor repeats it (see `runs.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PendingFire {
    /// The scheduled time being fired.
    pub slot: Timestamp,
    pub claimed_at: Timestamp,
    /// Set once the container was started; a restart then records the run as
    /// interrupted instead of starting it a second time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Timestamp>,
    /// The record's `rev` when claimed: a once schedule retimed while it ran
    /// is not completed by that run.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rev: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One schedule: its definition, and the runtime fields (`anchor` onwards). In
/// `schedules.toml` the runtime fields are as of the last user edit; the
/// journal `schedules.state.jsonl` is replayed over them (see `journal.rs`).
/// Schema 1 files (runtime fields kept up to date inline) load as they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRecord {
    pub id: String,
    pub name: String,
    pub group: String,
    pub prompt: String,
    pub schedule: ScheduleSpec,
    /// IANA zone for cron fields and naive once times; `None` = system zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_secs: Option<u64>,
    #[serde(default)]
    pub context_mode: ContextMode,
    pub enabled: bool,
    /// Bumped by every user edit to when the schedule fires (retime, enable,
    /// disable): journal timing of an older revision no longer applies.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rev: u64,
    /// A once schedule that has run.
    #[serde(default)]
    pub completed: bool,
    pub created_at: Timestamp,
    /// Where the interval grid counts from: creation, then each fired slot.
    pub anchor: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_run: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_run: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_status: Option<RunStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_result: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<PendingFire>,
}

/// The whole `schedules.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScheduleFile {
    pub schema_version: u32,
    pub schedules: Vec<ScheduleRecord>,
}

impl Default for ScheduleFile {
    fn default() -> Self {
        Self {
            schema_version: 2,
            schedules: Vec::new(),
        }
    }
}

// 2: runtime fields live in `schedules.state.jsonl`; records carry `rev`.
crate::versioned!(ScheduleFile, 2);

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_secs: Option<u64>,
}

/// The body of `POST /api/v1/container/schedules` and `aigo schedule add`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewSchedule {
    pub name: String,
    #[serde(default = "main_group")]
    pub group: String,
    pub prompt: String,
    pub schedule: ScheduleSpec,
    #[serde(default)]
    pub container_config: ContainerConfig,
    #[serde(default)]
    pub context_mode: ContextMode,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub timezone: Option<String>,
}

fn main_group() -> String {
    "main".into()
}
fn yes() -> bool {
    true
}

/// A partial update (`PATCH`): absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SchedulePatch {
    pub name: Option<String>,
    pub group: Option<String>,
    pub prompt: Option<String>,
    pub schedule: Option<ScheduleSpec>,
    pub container_config: Option<ContainerConfig>,
    pub context_mode: Option<ContextMode>,
    pub enabled: Option<bool>,
    pub timezone: Option<String>,
}

/// A schedule as `GET …/schedules` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleView {
    pub id: String,
    pub name: String,
    pub group: String,
    pub prompt: String,
    pub schedule: ScheduleSpec,
    /// The zone cron fields are read in (`local` = the system zone).
    pub timezone: String,
    pub description: String,
    pub container_config: ContainerConfig,
    pub context_mode: ContextMode,
    pub enabled: bool,
    /// `active`, `paused` (disabled), `running` or `completed` (a once schedule that ran).
    pub status: String,
    pub next_run: Option<Timestamp>,
    pub last_run: Option<Timestamp>,
    pub last_status: Option<RunStatus>,
    pub last_result: Option<String>,
    pub created_at: Timestamp,
    /// Present after create/update: things worth knowing (DST, short intervals).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// One line of `logs/schedules/<id>.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RunLogEntry {
    /// When the run started (the scheduled slot is `scheduledFor`).
    pub run_at: Timestamp,
    pub duration_ms: u64,
    pub status: RunStatus,
    pub result: Option<String>,
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_for: Option<Timestamp>,
}
