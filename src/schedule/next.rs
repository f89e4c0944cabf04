//! Next-run computation: cron in a time zone across DST, drift-free intervals,
//! once-only timestamps, and [`next_after`] for the scheduler loop.
//!
//! DST rules (documented in `aigo schedule check --help` too):
//! - a wall-clock time that falls in a gap (spring forward) fires once, at the
//!   first valid instant after the gap (the transition itself, e.g. 03:00);
//! - a wall-clock time that repeats in an overlap (fall back) fires once, at its
//!   first occurrence; the repeated hour is not fired again, even for `*/15`.

use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use super::cron::CronExpr;

/// When a schedule fires, resolved against its zone.
#[derive(Debug, Clone)]
pub enum Trigger {
    // Boxed: a parsed expression is ~10x the other variants.
    Cron(Box<CronExpr>),
    /// Every `ms` milliseconds of real time, counted from the anchor.
    Interval {
        ms: u64,
    },
    Once {
        at: Timestamp,
    },
}

/// A trigger plus the zone its wall-clock fields are read in.
#[derive(Debug, Clone)]
pub struct Timing {
    pub trigger: Trigger,
    pub tz: TimeZone,
}

/// How far ahead a cron search looks: Feb 29 recurs within 8 years.
const SEARCH_YEARS: i16 = 9;

/// The first slot of `timing`'s series strictly after both `anchor` and `now`.
///
/// `anchor` is the slot that just fired (or the creation time of a new
/// schedule). Interval slots are `anchor + k·interval`, so a late or slow run
/// does not shift later ones (no drift), and slots that passed while nothing
/// ran are skipped, not replayed. A once trigger yields its time while it is
/// still after `anchor`, and `None` after it fired (then the schedule is complete).
pub fn next_after(timing: &Timing, anchor: Timestamp, now: Timestamp) -> Option<Timestamp> {
    match &timing.trigger {
        Trigger::Cron(expr) => cron_next(expr, &timing.tz, anchor.max(now)),
        Trigger::Interval { ms } => interval_next(anchor, now, *ms),
        Trigger::Once { at } => (*at > anchor).then_some(*at),
    }
}

/// The next `count` slots after `from` (for `check`, `show` and `list`).
pub fn upcoming(timing: &Timing, from: Timestamp, count: usize) -> Vec<Timestamp> {
    let mut out = Vec::with_capacity(count.min(64));
    let mut cur = from;
    while out.len() < count {
        match next_after(timing, cur, cur) {
            Some(t) => {
                out.push(t);
                cur = t;
            }
            None => break,
        }
    }
    out
}

fn interval_next(anchor: Timestamp, now: Timestamp, ms: u64) -> Option<Timestamp> {
    let every = i128::from(ms.max(1)) * 1_000_000;
    let a = anchor.as_nanosecond();
    let n = now.as_nanosecond();
    let k = if n < a { 1 } else { (n - a) / every + 1 };
    Timestamp::from_nanosecond(a + k * every).ok()
}

/// The first instant strictly after `after` at which `expr` fires in `tz`.
pub fn cron_next(expr: &CronExpr, tz: &TimeZone, after: Timestamp) -> Option<Timestamp> {
    let local = tz.to_datetime(after);
    let limit = local.year().saturating_add(SEARCH_YEARS);
    let mut start = local
        .date()
        .at(local.hour(), local.minute(), 0, 0)
        .checked_add(SignedDuration::from_mins(1))
        .ok()?;
    loop {
        let c = next_civil(expr, start, limit)?;
        let at = match tz.to_ambiguous_timestamp(c).offset() {
            AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(c).ok()?,
            // First occurrence: the earlier instant, under the pre-transition offset.
            AmbiguousOffset::Fold { before, .. } => before.to_timestamp(c).ok()?,
            AmbiguousOffset::Gap { after: post, .. } => gap_end(tz, c, post)?,
        };
        if at > after {
            return Some(at);
        }
        start = c.checked_add(SignedDuration::from_mins(1)).ok()?;
    }
}

/// The transition instant that ends the gap containing civil time `c`.
pub(crate) fn gap_end(tz: &TimeZone, c: DateTime, post: jiff::tz::Offset) -> Option<Timestamp> {
    // `c` read with the post-gap offset lies just before the transition.
    let early = post.to_timestamp(c).ok()?;
    tz.following(early).next().map(|t| t.timestamp())
}

/// The first civil minute at or after `start` (minute-aligned) that `expr` matches.
pub fn next_civil(expr: &CronExpr, start: DateTime, limit_year: i16) -> Option<DateTime> {
    let mut date = start.date();
    let mut from = (start.hour() as u8, start.minute() as u8);
    loop {
        if date.year() > limit_year {
            return None;
        }
        if !expr.month.contains(date.month() as u8) {
            date = first_of_next_month(date)?;
            from = (0, 0);
            continue;
        }
        if expr.day_matches(date)
            && let Some((h, m)) = first_time(expr, from)
        {
            return Some(date.at(h as i8, m as i8, 0, 0));
        }
        date = date.tomorrow().ok()?;
        from = (0, 0);
    }
}

fn first_of_next_month(d: Date) -> Option<Date> {
    let (y, m) = if d.month() == 12 {
        (d.year().checked_add(1)?, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    Date::new(y, m, 1).ok()
}

/// The first (hour, minute) ≥ `from` allowed by the hour and minute fields.
fn first_time(expr: &CronExpr, from: (u8, u8)) -> Option<(u8, u8)> {
    for h in from.0..24 {
        if !expr.hour.contains(h) {
            continue;
        }
        let lo = if h == from.0 { from.1 } else { 0 };
        let rest = expr.minute.bits >> lo;
        if rest != 0 {
            let m = lo + rest.trailing_zeros() as u8;
            if m < 60 {
                return Some((h, m));
            }
        }
    }
    None
}
