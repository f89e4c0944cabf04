//! Reading durations (`30m`, `1h30m`, `1500ms`), zones and timestamps given by
//! people. A naive timestamp is read in the schedule's zone with the same DST
//! rules as cron (gap: the instant the gap ends; overlap: the first occurrence);
//! one with an offset, `Z` or a `[Zone]` annotation is taken as given.

use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, Zoned};

use super::CronError;
use super::next::gap_end;

/// Parses `30m`, `1h30m`, `45s`, `1500ms`, `2d`, `1w` into milliseconds.
pub fn parse_duration_ms(text: &str, field: &'static str) -> Result<u64, CronError> {
    let err = |m: String| CronError::new(Some(field), m);
    let s = text.trim();
    if s.is_empty() {
        return Err(err(
            "empty duration; expected e.g. 30m, 1h30m, 45s, 1500ms".into()
        ));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(format!(
            "{s:?} has no unit; write e.g. {s}s, {s}m or {s}ms"
        )));
    }
    let mut total: u64 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(err(format!(
                "{s:?} is not a duration; expected e.g. 30m, 1h30m, 45s, 1500ms"
            )));
        }
        let n: u64 = rest[..digits]
            .parse()
            .map_err(|_| err(format!("{s:?}: number too large")))?;
        rest = &rest[digits..];
        let ulen = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let unit = &rest[..ulen];
        rest = rest[ulen..].trim_start();
        let factor: u64 = match unit {
            "ms" => 1,
            "s" | "sec" | "secs" => 1_000,
            "m" | "min" | "mins" => 60_000,
            "h" | "hr" | "hrs" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            _ => {
                return Err(err(format!(
                    "unknown unit {unit:?} in {s:?}; use ms, s, m, h, d or w"
                )));
            }
        };
        total = n
            .checked_mul(factor)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| err(format!("{s:?} is too long")))?;
    }
    Ok(total)
}

/// Short human form of a millisecond count: `1h 30m`, `45s`, `1500ms`.
pub fn format_ms(ms: u64) -> String {
    if ms == 0 || !ms.is_multiple_of(1000) {
        return format!("{ms}ms");
    }
    let mut secs = ms / 1000;
    let mut out = Vec::new();
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if secs >= size {
            out.push(format!("{}{unit}", secs / size));
            secs %= size;
        }
    }
    out.join(" ")
}

/// The named zone, or the system's when `None`.
pub fn resolve_zone(name: Option<&str>) -> Result<TimeZone, CronError> {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        None => Ok(TimeZone::system()),
        Some(n) if n.eq_ignore_ascii_case("utc") => Ok(TimeZone::UTC),
        Some(n) => TimeZone::get(n).map_err(|e| {
            CronError::new(
                Some("timezone"),
                format!(
                    "unknown time zone {n:?} (expected an IANA name such as Europe/Berlin): {e}"
                ),
            )
        }),
    }
}

/// The zone's IANA name, or `local` for an unnamed system zone.
pub fn zone_name(tz: &TimeZone) -> String {
    tz.iana_name().unwrap_or("local").to_string()
}

/// An instant from `text`, plus a warning when a naive time was ambiguous or missing.
pub fn parse_instant(
    text: &str,
    tz: &TimeZone,
    field: &'static str,
) -> Result<(Timestamp, Option<String>), CronError> {
    let s = text.trim();
    if s.contains('[')
        && let Ok(z) = s.parse::<Zoned>()
    {
        return Ok((z.timestamp(), None));
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Ok((ts, None));
    }
    let dt = match s.parse::<DateTime>() {
        Ok(dt) => dt,
        Err(_) => match s.parse::<Date>() {
            Ok(d) => d.to_datetime(jiff::civil::Time::midnight()),
            Err(e) => {
                return Err(CronError::new(
                    Some(field),
                    format!(
                        "{s:?} is not a timestamp; expected e.g. 2026-12-01T09:00 (read in the zone), 2026-12-01T08:00:00Z or 2026-12-01T09:00+01:00: {e}"
                    ),
                ));
            }
        },
    };
    resolve_civil(dt, tz)
        .ok_or_else(|| CronError::new(Some(field), format!("{s:?} is out of range")))
}

/// A wall-clock time in `tz` as an instant, by the cron DST rules.
pub fn resolve_civil(dt: DateTime, tz: &TimeZone) -> Option<(Timestamp, Option<String>)> {
    let zone = zone_name(tz);
    match tz.to_ambiguous_timestamp(dt).offset() {
        AmbiguousOffset::Unambiguous { offset } => Some((offset.to_timestamp(dt).ok()?, None)),
        AmbiguousOffset::Fold { before, after } => {
            let ts = before.to_timestamp(dt).ok()?;
            let w = format!(
                "{dt} happens twice in {zone} (clocks fall back from {before} to {after}); the first occurrence ({ts}) is used"
            );
            Some((ts, Some(w)))
        }
        AmbiguousOffset::Gap { before, after } => {
            let ts = gap_end(tz, dt, after)?;
            let w = format!(
                "{dt} does not exist in {zone} (clocks jump from {before} to {after}); it is read as the end of the gap, {}",
                tz.to_datetime(ts)
            );
            Some((ts, Some(w)))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("30m", "every").unwrap(), 1_800_000);
        assert_eq!(parse_duration_ms("1h30m", "every").unwrap(), 5_400_000);
        assert_eq!(parse_duration_ms("1h 30m", "every").unwrap(), 5_400_000);
        assert_eq!(parse_duration_ms("1500ms", "every").unwrap(), 1500);
        assert!(parse_duration_ms("30", "every").is_err());
        assert!(parse_duration_ms("30x", "every").is_err());
        assert!(parse_duration_ms("", "every").is_err());
        assert_eq!(format_ms(5_400_000), "1h 30m");
        assert_eq!(format_ms(1500), "1500ms");
    }
}
