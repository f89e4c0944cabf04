//! `aigo schedule check` and `POST …/schedules/check`: is a schedule valid, what
//! does it mean in words, when does it fire next, and what might surprise you.
//! `add` validates through [`timing_of`] and [`warnings`] too.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::cron::CronExpr;
use super::describe::describe;
use super::next::{Timing, Trigger, upcoming};
use super::timeparse::{parse_instant, resolve_zone, zone_name};
use super::warn;
use super::{CronError, ScheduleSpec};

pub const DEFAULT_COUNT: usize = 5;
pub const MAX_COUNT: usize = 1000;

/// The body of `POST /api/v1/container/schedules/check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckRequest {
    pub schedule: ScheduleSpec,
    /// IANA zone; absent = the system zone.
    #[serde(default)]
    pub timezone: Option<String>,
    /// "Now" for the answer (naive = in the zone); absent = the real now.
    #[serde(default)]
    pub from: Option<String>,
    /// How many next runs (default 5, at most 1000).
    #[serde(default)]
    pub count: Option<usize>,
}

/// The answer: `valid` false carries `error` (and `field` when one field is wrong).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    pub valid: bool,
    pub description: Option<String>,
    pub timezone: Option<String>,
    pub from: Option<Timestamp>,
    /// Next fire times in UTC (`…Z`).
    pub next_runs: Vec<Timestamp>,
    /// The same instants in the zone, RFC 3339 with offset.
    pub next_runs_local: Vec<String>,
    pub warnings: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl CheckResult {
    pub fn invalid(e: CronError) -> Self {
        Self {
            valid: false,
            description: None,
            timezone: None,
            from: None,
            next_runs: Vec::new(),
            next_runs_local: Vec::new(),
            warnings: Vec::new(),
            field: e.field.map(str::to_string),
            error: Some(e.to_string()),
        }
    }
}

/// Checks `req` with `now` as the real current time (ignored when `from` is given).
pub fn check(req: &CheckRequest, now: Timestamp) -> CheckResult {
    match try_check(req, now) {
        Ok(r) => r,
        Err(e) => CheckResult::invalid(e),
    }
}

fn try_check(req: &CheckRequest, now: Timestamp) -> Result<CheckResult, CronError> {
    let count = req.count.unwrap_or(DEFAULT_COUNT);
    if count > MAX_COUNT {
        return Err(CronError::new(
            Some("count"),
            format!("{count} is too many (at most {MAX_COUNT})"),
        ));
    }
    let tz = resolve_zone(req.timezone.as_deref())?;
    let mut notes = Vec::new();
    let from = match &req.from {
        Some(text) => {
            let (ts, w) = parse_instant(text, &tz, "from")?;
            notes.extend(w);
            ts
        }
        None => now,
    };
    let (timing, parse_notes) = timing_of(&req.schedule, tz)?;
    notes.extend(parse_notes);
    notes.extend(warn::warnings(&timing, from));
    let runs = upcoming(&timing, from, count);
    Ok(CheckResult {
        valid: true,
        description: Some(describe(&timing)),
        timezone: Some(zone_name(&timing.tz)),
        from: Some(from),
        next_runs_local: runs.iter().map(|t| local_rfc3339(&timing.tz, *t)).collect(),
        next_runs: runs,
        warnings: notes,
        error: None,
        field: None,
    })
}

/// `2026-03-08T03:00:00-04:00`.
pub fn local_rfc3339(tz: &TimeZone, t: Timestamp) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Parses a spec in a zone; the notes say how an ambiguous once time was read.
pub fn timing_of(spec: &ScheduleSpec, tz: TimeZone) -> Result<(Timing, Vec<String>), CronError> {
    let mut notes = Vec::new();
    let trigger = match spec {
        ScheduleSpec::Cron(text) => Trigger::Cron(Box::new(CronExpr::parse(text)?)),
        ScheduleSpec::Interval(0) => {
            return Err(CronError::new(
                Some("interval"),
                "the interval must be longer than zero",
            ));
        }
        ScheduleSpec::Interval(ms) => Trigger::Interval { ms: *ms },
        ScheduleSpec::Once(text) => {
            let (at, w) = parse_instant(text, &tz, "at")?;
            notes.extend(w);
            Trigger::Once { at }
        }
    };
    Ok((Timing { trigger, tz }, notes))
}
