//! Warnings for `check` and `add`: what about a valid schedule might surprise.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::cron::{CronExpr, max_days};
use super::next::{Timing, Trigger};
use super::timeparse::zone_name;

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
            .map(|m| super::describe::MONTH_NAMES[usize::from(*m) - 1].to_string())
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
