//! Validation of a schedule record before it is written, and new ids.

use jiff::Timestamp;
use sha2::{Digest, Sha256};

use super::check::timing_of;
use super::next::{Trigger, next_after};
use super::timeparse::resolve_zone;
use super::warn::warnings;
use super::{ScheduleError, ScheduleFile, ScheduleRecord, ScheduleSpec};

/// The shortest interval `add` accepts; `check` warns below a minute.
pub const MIN_INTERVAL_MS: u64 = 1_000;
/// The longest run timeout accepted (a day).
pub const MAX_TIMEOUT_SECS: u64 = 86_400;

/// Interval grids start on a whole second, so times read well.
pub(crate) fn whole_second(t: Timestamp) -> Timestamp {
    Timestamp::from_second(t.as_second()).unwrap_or(t)
}

fn bad(msg: impl Into<String>) -> ScheduleError {
    ScheduleError::BadRequest(msg.into())
}

pub(crate) fn check_fields(rec: &ScheduleRecord) -> Result<(), ScheduleError> {
    if rec.name.is_empty() || rec.name.chars().count() > 100 {
        return Err(bad("name must be 1 to 100 characters"));
    }
    let g = &rec.group;
    if g.is_empty()
        || g.starts_with('.')
        || !g
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(bad(format!(
            "group {g:?} is not a valid group name (letters, digits, '-', '_', '.')"
        )));
    }
    if rec.prompt.trim().is_empty() {
        return Err(bad("prompt must not be empty"));
    }
    match rec.timeout_secs {
        Some(0) => Err(bad("timeout must be at least 1 second")),
        Some(t) if t > MAX_TIMEOUT_SECS => Err(bad(format!(
            "timeout {t}s is longer than the maximum ({MAX_TIMEOUT_SECS}s)"
        ))),
        _ => Ok(()),
    }
}

/// Validates the record, normalizes a once time to UTC, and sets `next_run`.
pub(crate) fn validate(
    rec: &mut ScheduleRecord,
    now: Timestamp,
) -> Result<Vec<String>, ScheduleError> {
    check_fields(rec)?;
    let tz = resolve_zone(rec.timezone.as_deref())?;
    let (timing, mut notes) = timing_of(&rec.schedule, tz)?;
    match timing.trigger {
        Trigger::Interval { ms } if ms < MIN_INTERVAL_MS => {
            return Err(bad(format!(
                "the interval ({ms}ms) is shorter than a second; use at least 1s"
            )));
        }
        Trigger::Once { at } => {
            if at <= now && rec.enabled && !rec.completed {
                return Err(bad(format!(
                    "the once time {at} is in the past (now is {now})"
                )));
            }
            rec.schedule = ScheduleSpec::Once(at.to_string());
        }
        _ => {}
    }
    notes.extend(warnings(&timing, now));
    rec.next_run = if rec.enabled && !rec.completed {
        next_after(&timing, rec.anchor, now)
    } else {
        None
    };
    Ok(notes)
}

pub(crate) fn new_id(file: &ScheduleFile, rec: &ScheduleRecord, now: Timestamp) -> String {
    let mut n: u64 = 0;
    loop {
        let mut h = Sha256::new();
        h.update(rec.name.as_bytes());
        h.update(rec.group.as_bytes());
        h.update(now.as_nanosecond().to_le_bytes());
        h.update(std::process::id().to_le_bytes());
        h.update(n.to_le_bytes());
        let id = format!("sch-{}", &hex::encode(h.finalize())[..10]);
        if !file.schedules.iter().any(|s| s.id == id) {
            return id;
        }
        n += 1;
    }
}
