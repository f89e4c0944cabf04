//! Reading the log: filtered queries (`aigo audit`, `GET …/audit-log`) and export.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::AuditError;
use super::event::{AuditEvent, Severity};
use crate::state::StateDir;

/// How many events a query returns when no limit is given (CLI and API alike).
pub const DEFAULT_LIMIT: usize = 100;

/// Filters, all optional and combined with AND.
///
/// `severity` matches exactly that severity (`severity=warning` returns only
/// warnings, as the reference's `?severity=violation` suggests); `min_severity`
/// matches that one and everything more severe. `limit` keeps the newest N
/// matches; `None` keeps all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditQuery {
    pub severity: Option<Severity>,
    pub min_severity: Option<Severity>,
    pub limit: Option<usize>,
    pub since: Option<jiff::Timestamp>,
    pub category: Option<String>,
    pub group: Option<String>,
}

/// The API's query string (`?severity=violation&limit=500&since=1h`), unparsed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct AuditQueryParams {
    /// Only events of exactly this severity: info, warning, violation
    pub severity: Option<String>,
    /// Events of this severity or worse
    pub min_severity: Option<String>,
    /// At most this many events (newest first)
    pub limit: Option<usize>,
    /// Only events since a timestamp or a duration ago (1h, 2d)
    pub since: Option<String>,
    /// Only this category
    pub category: Option<String>,
    /// Only events of this group
    pub group: Option<String>,
}

impl AuditQueryParams {
    /// Validates the parameters; `limit` defaults to [`DEFAULT_LIMIT`].
    pub fn resolve(self, now: jiff::Timestamp) -> Result<AuditQuery, AuditError> {
        let sev = |s: Option<String>| {
            s.filter(|s| !s.is_empty())
                .map(|s| s.parse::<Severity>().map_err(AuditError::BadQuery))
                .transpose()
        };
        Ok(AuditQuery {
            severity: sev(self.severity)?,
            min_severity: sev(self.min_severity)?,
            limit: Some(self.limit.unwrap_or(DEFAULT_LIMIT)),
            since: self
                .since
                .filter(|s| !s.is_empty())
                .map(|s| parse_since(&s, now))
                .transpose()?,
            category: self.category.filter(|s| !s.is_empty()),
            group: self.group.filter(|s| !s.is_empty()),
        })
    }
}

/// The JSON of `GET /api/v1/container/audit-log` and `aigo audit --json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogResponse {
    /// Oldest first; the newest `limit` of the matches.
    pub events: Vec<AuditEvent>,
    /// How many events matched before `limit` was applied.
    pub total: usize,
}

impl AuditQuery {
    pub fn matches(&self, e: &AuditEvent) -> bool {
        self.severity.is_none_or(|s| e.severity == s)
            && self.min_severity.is_none_or(|s| e.severity >= s)
            && self.since.is_none_or(|t| e.ts >= t)
            && self.category.as_deref().is_none_or(|c| e.category == c)
            && self
                .group
                .as_deref()
                .is_none_or(|g| e.group.as_deref() == Some(g))
    }
}

/// Streams the log, keeping at most `limit` matches in memory.
pub fn query(state: &StateDir, q: &AuditQuery) -> Result<AuditLogResponse, AuditError> {
    let mut keep = VecDeque::new();
    let mut total = 0;
    for_each_event(&state.audit(), |e| {
        if q.matches(&e) {
            total += 1;
            if q.limit != Some(0) {
                keep.push_back(e);
            }
            if q.limit.is_some_and(|l| keep.len() > l) {
                keep.pop_front();
            }
        }
    })?;
    Ok(AuditLogResponse {
        events: keep.into(),
        total,
    })
}

/// Every event, oldest first (`aigo audit export`).
pub fn export(state: &StateDir) -> Result<Vec<AuditEvent>, AuditError> {
    let mut all = Vec::new();
    for_each_event(&state.audit(), |e| all.push(e))?;
    Ok(all)
}

/// Calls `f` for every readable event. Lines that do not parse are skipped with
/// a warning (`aigo audit verify` is the tool that judges them), and so is a
/// last line still being written by another process.
fn for_each_event(path: &Path, mut f: impl FnMut(AuditEvent)) -> Result<(), AuditError> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(AuditError::io(path, "open", e)),
    };
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    let mut n = 0u64;
    loop {
        line.clear();
        if reader
            .read_until(b'\n', &mut line)
            .map_err(|e| AuditError::io(path, "read", e))?
            == 0
            || line.last() != Some(&b'\n')
        {
            return Ok(());
        }
        n += 1;
        match serde_json::from_slice::<AuditEvent>(&line) {
            Ok(e) => f(e),
            Err(e) => {
                tracing::warn!(path = %path.display(), line = n, error = %e, "skipping an unreadable audit line")
            }
        }
    }
}

/// `--since`: an RFC 3339 timestamp (`2026-01-31T12:00:00Z`) or a duration
/// back from `now`: a number and a unit `s`, `m`, `h`, `d` or `w` (`90m`, `2d`).
pub fn parse_since(s: &str, now: jiff::Timestamp) -> Result<jiff::Timestamp, AuditError> {
    let s = s.trim();
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    let bad = || {
        AuditError::BadQuery(format!(
            "since {s:?} is neither an RFC 3339 timestamp (2026-01-31T12:00:00Z) nor a duration like 30m, 1h, 2d, 1w"
        ))
    };
    let split = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (num, unit) = s.split_at(split);
    let num: i64 = num.parse().map_err(|_| bad())?;
    let secs = match unit.trim() {
        "s" | "sec" | "secs" => 1,
        "m" | "min" | "mins" => 60,
        "h" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        "w" | "week" | "weeks" => 604_800,
        _ => return Err(bad()),
    };
    let back = jiff::SignedDuration::from_secs(num.checked_mul(secs).ok_or_else(bad)?);
    now.checked_sub(back).map_err(|_| bad())
}
