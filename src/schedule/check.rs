//! `aigo schedule check` and `POST …/schedules/check`: is a schedule valid, what
//! does it mean in words, when does it fire next, and what might surprise you.
//! `add` validates through [`timing_of`] and [`warnings`] too.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::cron::{CronExpr, max_days};
use super::describe::describe;
use super::next::{Timing, Trigger, upcoming};
use super::timeparse::{parse_instant, resolve_zone, zone_name};
use super::{CronError, ScheduleSpec};

pub const DEFAULT_COUNT: usize = 5;
pub const MAX_COUNT: usize = 1000;

/// The body of `POST /api/v1/container/schedules/check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    notes.extend(warnings(&timing, from));
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

/// What might surprise: DST gaps and overlaps within a year of `from`, days
/// some months lack, the either-day rule, sub-minute intervals, a past once time.
pub fn warnings(timing: &Timing, from: Timestamp) -> Vec<String> {
    let mut out = Vec::new();
    match &timing.trigger {
        Trigger::Cron(e) => {
            out.extend(dst_warnings(e, &timing.tz, from));
            out.extend(short_month_warnings(e));
            if e.days_or() {
                out.push(
                    "both day-of-month and day-of-week are restricted: as in standard cron, a day matches if EITHER matches".into(),
                );
            }
        }
        Trigger::Interval { ms } if *ms < 60_000 => out.push(format!(
            "the interval ({}) is shorter than a minute: a run that takes longer makes the next slots be skipped",
            super::timeparse::format_ms(*ms)
        )),
        Trigger::Interval { .. } => {}
        Trigger::Once { at } if *at <= from => out.push(format!(
            "{at} is not after {from}: a once schedule at that time would never fire"
        )),
        Trigger::Once { .. } => {}
    }
    out
}

fn dst_warnings(e: &CronExpr, tz: &TimeZone, from: Timestamp) -> Vec<String> {
    let zone = zone_name(tz);
    let Ok(end) = from.checked_add(SignedDuration::from_hours(24 * 366)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for t in tz.following(from).take_while(|t| t.timestamp() < end) {
        let at = t.timestamp();
        let Ok(just_before) = at.checked_sub(SignedDuration::from_nanos(1)) else {
            continue;
        };
        let before = tz.to_offset(just_before);
        let after = t.offset();
        let (lo, hi) = if after > before {
            (before.to_datetime(at), after.to_datetime(at))
        } else {
            (after.to_datetime(at), before.to_datetime(at))
        };
        let mut hits = Vec::new();
        let mut c = lo.date().at(lo.hour(), lo.minute(), 0, 0);
        while c < hi {
            if e.matches(c) {
                hits.push(c.strftime("%H:%M").to_string());
            }
            match c.checked_add(SignedDuration::from_mins(1)) {
                Ok(n) => c = n,
                Err(_) => break,
            }
        }
        if hits.is_empty() {
            continue;
        }
        let shown = if hits.len() > 3 {
            format!("{}, … ({} times)", hits[..3].join(", "), hits.len())
        } else {
            hits.join(", ")
        };
        let last = hi.checked_sub(SignedDuration::from_mins(1)).unwrap_or(hi);
        let span = format!("{}–{}", lo.strftime("%H:%M"), last.strftime("%H:%M"));
        out.push(if after > before {
            format!(
                "on {} the clocks in {zone} jump from {} to {}: {shown} does not exist that day; it fires once, at {} ({})",
                lo.date(),
                lo.strftime("%H:%M"),
                hi.strftime("%H:%M"),
                hi.strftime("%H:%M"),
                at
            )
        } else {
            format!(
                "on {} the clocks in {zone} fall back and {span} happens twice: {shown} fires once, at its first occurrence (offset {before})",
                lo.date()
            )
        });
    }
    out
}

fn short_month_warnings(e: &CronExpr) -> Vec<String> {
    if e.dom.star {
        return Vec::new();
    }
    let months: Vec<u8> = e.month.values().collect();
    let mut out = Vec::new();
    for d in e.dom.values().filter(|d| *d >= 29) {
        let lacking: Vec<String> = months
            .iter()
            .filter(|m| d > max_days(**m) || (d == 29 && **m == 2))
            .map(|m| MONTHS[usize::from(*m) - 1].to_string())
            .collect();
        if lacking.is_empty() {
            continue;
        }
        out.push(if d == 29 && lacking == ["February"] {
            "day 29 exists in February only in leap years: other years have no February run".into()
        } else {
            let mut l = super::describe::join_and(&lacking);
            if d == 29 {
                l = l.replace("February", "February (except in leap years)");
            }
            format!("day {d} does not exist in {l}: those months have no run on day {d}")
        });
    }
    out
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
