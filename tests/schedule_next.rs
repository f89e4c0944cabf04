//! The next-run matrix: fixed `from` instants in UTC, America/New_York,
//! Asia/Tokyo and Europe/Berlin; steps, ranges, lists, names, Sunday 0/7, the
//! either-day rule, DST gap and overlap days, Feb 29, intervals and once.

#![allow(clippy::unwrap_used)]

use aigo::schedule::{
    CheckRequest, CronExpr, ScheduleSpec, Timing, Trigger, check, next_after, resolve_zone,
    upcoming,
};
use jiff::Timestamp;

fn ts(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

/// The next `n` runs of `cron` in `zone` after `from` (naive = in the zone), as `…Z` strings.
fn runs(cron: &str, zone: &str, from: &str, n: usize) -> Vec<String> {
    let r = check(
        &CheckRequest {
            schedule: ScheduleSpec::Cron(cron.into()),
            timezone: Some(zone.into()),
            from: Some(from.into()),
            count: Some(n),
        },
        ts("2000-01-01T00:00:00Z"),
    );
    assert!(r.valid, "{cron}: {:?}", r.error);
    r.next_runs.iter().map(|t| t.to_string()).collect()
}

fn warnings(cron: &str, zone: &str, from: &str) -> Vec<String> {
    check(
        &CheckRequest {
            schedule: ScheduleSpec::Cron(cron.into()),
            timezone: Some(zone.into()),
            from: Some(from.into()),
            count: Some(1),
        },
        ts("2000-01-01T00:00:00Z"),
    )
    .warnings
}

#[test]
fn steps_ranges_lists() {
    assert_eq!(
        runs("*/15 * * * *", "UTC", "2026-01-01T00:00", 4),
        [
            "2026-01-01T00:15:00Z",
            "2026-01-01T00:30:00Z",
            "2026-01-01T00:45:00Z",
            "2026-01-01T01:00:00Z"
        ]
    );
    assert_eq!(
        runs("1-30/10 * * * *", "UTC", "2026-01-01T00:00", 4),
        [
            "2026-01-01T00:01:00Z",
            "2026-01-01T00:11:00Z",
            "2026-01-01T00:21:00Z",
            "2026-01-01T01:01:00Z"
        ]
    );
    assert_eq!(
        runs("0 8,12,18 * * *", "UTC", "2026-01-01T10:00", 3),
        [
            "2026-01-01T12:00:00Z",
            "2026-01-01T18:00:00Z",
            "2026-01-02T08:00:00Z"
        ]
    );
    assert_eq!(
        runs("0 0 1 JAN,jul *", "UTC", "2026-02-01T00:00", 2),
        ["2026-07-01T00:00:00Z", "2027-01-01T00:00:00Z"]
    );
    assert_eq!(
        runs("@daily", "UTC", "2026-01-01T00:00", 1),
        ["2026-01-02T00:00:00Z"]
    );
    assert_eq!(
        runs("@weekly", "UTC", "2026-01-01T00:00", 1),
        ["2026-01-04T00:00:00Z"]
    );
}

#[test]
fn first_run_is_strictly_after_from() {
    // 09:00 exactly is "now", so the next is tomorrow's.
    assert_eq!(
        runs("0 9 * * *", "UTC", "2026-01-01T09:00", 1),
        ["2026-01-02T09:00:00Z"]
    );
    // Seconds past a matching minute: that minute has gone.
    assert_eq!(
        runs("0 9 * * *", "UTC", "2026-01-01T09:00:30", 1),
        ["2026-01-02T09:00:00Z"]
    );
    assert_eq!(
        runs("0 9 * * *", "UTC", "2026-01-01T08:59:59", 1),
        ["2026-01-01T09:00:00Z"]
    );
}

#[test]
fn weekday_names_and_sunday_as_0_and_7() {
    // 2026-01-01 is a Thursday.
    let sun = ["2026-01-04T10:00:00Z", "2026-01-11T10:00:00Z"];
    assert_eq!(runs("0 10 * * 0", "UTC", "2026-01-01T00:00", 2), sun);
    assert_eq!(runs("0 10 * * 7", "UTC", "2026-01-01T00:00", 2), sun);
    assert_eq!(runs("0 10 * * SUN", "UTC", "2026-01-01T00:00", 2), sun);
    assert_eq!(
        runs("0 9 * * MON-FRI", "UTC", "2026-01-01T12:00", 3),
        runs("0 9 * * 1-5", "UTC", "2026-01-01T12:00", 3)
    );
    assert_eq!(
        runs("0 9 * * 1-5", "UTC", "2026-01-01T12:00", 3),
        [
            "2026-01-02T09:00:00Z",
            "2026-01-05T09:00:00Z",
            "2026-01-06T09:00:00Z"
        ]
    );
    // 5-7 = Friday, Saturday, Sunday.
    assert_eq!(
        runs("0 0 * * 5-7", "UTC", "2026-01-01T12:00", 4),
        [
            "2026-01-02T00:00:00Z",
            "2026-01-03T00:00:00Z",
            "2026-01-04T00:00:00Z",
            "2026-01-09T00:00:00Z"
        ]
    );
}

#[test]
fn either_day_rule_when_both_restricted() {
    // The 13th OR any Friday; Feb 13 2026 is both and fires once.
    assert_eq!(
        runs("0 0 13 * 5", "UTC", "2026-02-01T00:00", 5),
        [
            "2026-02-06T00:00:00Z",
            "2026-02-13T00:00:00Z",
            "2026-02-20T00:00:00Z",
            "2026-02-27T00:00:00Z",
            "2026-03-06T00:00:00Z"
        ]
    );
    // With day-of-week `*`, only the 13th.
    assert_eq!(
        runs("0 0 13 * *", "UTC", "2026-02-01T00:00", 2),
        ["2026-02-13T00:00:00Z", "2026-03-13T00:00:00Z"]
    );
    assert!(
        warnings("0 0 13 * 5", "UTC", "2026-02-01T00:00")
            .iter()
            .any(|w| w.contains("EITHER"))
    );
}

#[test]
fn new_york_gap_fires_once_when_the_gap_ends() {
    // 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist.
    assert_eq!(
        runs("30 2 * * *", "America/New_York", "2026-03-07T12:00", 3),
        [
            "2026-03-08T07:00:00Z",
            "2026-03-09T06:30:00Z",
            "2026-03-10T06:30:00Z"
        ]
    );
    // Every 15 minutes in the missing hour: one run at 03:00 EDT, not four.
    assert_eq!(
        runs("*/15 2 * * *", "America/New_York", "2026-03-07T12:00", 2),
        ["2026-03-08T07:00:00Z", "2026-03-09T06:00:00Z"]
    );
    // A 03:00 run and a 02:30 run on the gap day coincide: once.
    assert_eq!(
        runs("30 2,3 * * *", "America/New_York", "2026-03-08T00:00", 2),
        ["2026-03-08T07:00:00Z", "2026-03-08T07:30:00Z"]
    );
    let w = warnings("30 2 * * *", "America/New_York", "2026-03-01T00:00");
    assert!(
        w.iter()
            .any(|w| w.contains("2026-03-08") && w.contains("does not exist")),
        "{w:?}"
    );
}

#[test]
fn new_york_overlap_fires_once_at_first_occurrence() {
    // 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice.
    assert_eq!(
        runs("30 1 * * *", "America/New_York", "2026-10-31T12:00", 2),
        ["2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"]
    );
    // Already in the second pass (01:10 EST): the repeat is not fired.
    assert_eq!(
        runs("30 1 * * *", "America/New_York", "2026-11-01T06:10:00Z", 1),
        ["2026-11-02T06:30:00Z"]
    );
    // Hourly: 01:00 EDT, then 02:00 EST (the repeated 01:00 EST is skipped).
    assert_eq!(
        runs("0 * * * *", "America/New_York", "2026-11-01T00:30", 3),
        [
            "2026-11-01T05:00:00Z",
            "2026-11-01T07:00:00Z",
            "2026-11-01T08:00:00Z"
        ]
    );
    let w = warnings("30 1 * * *", "America/New_York", "2026-10-01T00:00");
    assert!(
        w.iter()
            .any(|w| w.contains("2026-11-01") && w.contains("twice")),
        "{w:?}"
    );
}

#[test]
fn berlin_gap_and_overlap() {
    // 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET.
    assert_eq!(
        runs("30 2 * * *", "Europe/Berlin", "2026-03-28T12:00", 2),
        ["2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"]
    );
    assert_eq!(
        runs("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00", 2),
        ["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"]
    );
    // Times outside the changed hour are unaffected, only the UTC offset moves.
    assert_eq!(
        runs("0 9 * * *", "Europe/Berlin", "2026-03-28T12:00", 2),
        ["2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z"]
    );
}

#[test]
fn tokyo_has_no_dst() {
    // 2026-01-01 is a Thursday; 09:00 JST = 00:00Z.
    assert_eq!(
        runs("0 9 * * 1-5", "Asia/Tokyo", "2026-01-01T00:00", 3),
        [
            "2026-01-01T00:00:00Z",
            "2026-01-02T00:00:00Z",
            "2026-01-05T00:00:00Z"
        ]
    );
    assert!(warnings("30 2 * * *", "Asia/Tokyo", "2026-01-01T00:00").is_empty());
}

#[test]
fn february_29() {
    assert_eq!(
        runs("0 0 29 2 *", "UTC", "2024-01-01T00:00", 2),
        ["2024-02-29T00:00:00Z", "2028-02-29T00:00:00Z"]
    );
    assert_eq!(
        runs("0 0 29 2 *", "UTC", "2026-01-01T00:00", 1),
        ["2028-02-29T00:00:00Z"]
    );
    // Day 29 in a non-leap February is skipped, not moved.
    assert_eq!(
        runs("0 0 29 * *", "UTC", "2027-02-01T00:00", 1),
        ["2027-03-29T00:00:00Z"]
    );
    assert!(
        warnings("0 0 29 2 *", "UTC", "2026-01-01T00:00")
            .iter()
            .any(|w| w.contains("leap"))
    );
    assert!(
        warnings("0 0 31 * *", "UTC", "2026-01-01T00:00")
            .iter()
            .any(|w| w.contains("day 31 does not exist"))
    );
}

#[test]
fn invalid_expressions_are_refused_with_a_reason() {
    for (expr, field, needle) in [
        ("61 * * * *", Some("minute"), "0-59"),
        ("0 24 * * *", Some("hour"), "0-23"),
        ("0 0 32 * *", Some("day-of-month"), "1-31"),
        ("0 0 * 13 *", Some("month"), "1-12"),
        ("0 0 * * 8", Some("day-of-week"), "0-7"),
        ("0 0 * * FUN", Some("day-of-week"), "SUN-SAT"),
        ("* * *", None, "found 3"),
        ("0 0 * * * *", None, "found 6"),
        ("", None, "empty"),
        ("   ", None, "empty"),
        ("0 0 30 2 *", Some("day-of-month"), "never fires"),
    ] {
        let e = CronExpr::parse(expr).expect_err(expr);
        assert_eq!(e.field, field, "{expr}");
        assert!(e.to_string().contains(needle), "{expr}: {e}");
        let r = check(
            &CheckRequest {
                schedule: ScheduleSpec::Cron(expr.into()),
                timezone: Some("UTC".into()),
                from: None,
                count: None,
            },
            ts("2026-01-01T00:00:00Z"),
        );
        assert!(
            !r.valid && r.next_runs.is_empty() && r.error.is_some(),
            "{expr}"
        );
    }
}

#[test]
fn naive_from_is_read_in_the_zone_and_offsets_are_kept() {
    let from = |s: &str| {
        check(
            &CheckRequest {
                schedule: ScheduleSpec::Cron("* * * * *".into()),
                timezone: Some("America/New_York".into()),
                from: Some(s.into()),
                count: Some(1),
            },
            ts("2000-01-01T00:00:00Z"),
        )
        .from
        .map(|t| t.to_string())
    };
    assert_eq!(
        from("2026-03-06T12:00").as_deref(),
        Some("2026-03-06T17:00:00Z")
    );
    assert_eq!(
        from("2026-03-06T12:00Z").as_deref(),
        Some("2026-03-06T12:00:00Z")
    );
    assert_eq!(
        from("2026-03-06T12:00+01:00").as_deref(),
        Some("2026-03-06T11:00:00Z")
    );
}

#[test]
fn intervals_are_anchored_and_skip_missed_slots() {
    let t = Timing {
        trigger: Trigger::Interval { ms: 30 * 60_000 },
        tz: resolve_zone(Some("UTC")).unwrap(),
    };
    let anchor = ts("2026-01-01T00:00:00Z");
    assert_eq!(
        next_after(&t, anchor, anchor),
        Some(ts("2026-01-01T00:30:00Z"))
    );
    // A slow run finishing at 00:41 does not shift the grid.
    assert_eq!(
        next_after(&t, ts("2026-01-01T00:30:00Z"), ts("2026-01-01T00:41:00Z")),
        Some(ts("2026-01-01T01:00:00Z"))
    );
    // Down for hours: the missed slots are skipped, the next is on the grid.
    assert_eq!(
        next_after(&t, anchor, ts("2026-01-01T05:10:00Z")),
        Some(ts("2026-01-01T05:30:00Z"))
    );
    assert_eq!(
        next_after(&t, anchor, ts("2026-01-01T05:30:00Z")),
        Some(ts("2026-01-01T06:00:00Z"))
    );
    assert_eq!(upcoming(&t, anchor, 3).len(), 3);
}

#[test]
fn cron_next_after_skips_missed_slots() {
    let t = Timing {
        trigger: Trigger::Cron(Box::new(CronExpr::parse("0 * * * *").unwrap())),
        tz: resolve_zone(Some("UTC")).unwrap(),
    };
    assert_eq!(
        next_after(&t, ts("2026-01-01T00:00:00Z"), ts("2026-01-01T05:10:00Z")),
        Some(ts("2026-01-01T06:00:00Z"))
    );
}

#[test]
fn once_fires_once() {
    let at = ts("2026-12-01T08:00:00Z");
    let t = Timing {
        trigger: Trigger::Once { at },
        tz: resolve_zone(Some("Europe/Berlin")).unwrap(),
    };
    let created = ts("2026-11-01T00:00:00Z");
    assert_eq!(next_after(&t, created, created), Some(at));
    // After it fired (anchor = its slot), nothing more.
    assert_eq!(next_after(&t, at, ts("2026-12-01T08:00:05Z")), None);
    // Naive --at is read in the zone: 09:00 in Berlin is 08:00Z.
    let r = check(
        &CheckRequest {
            schedule: ScheduleSpec::Once("2026-12-01T09:00".into()),
            timezone: Some("Europe/Berlin".into()),
            from: Some("2026-11-01T00:00".into()),
            count: Some(5),
        },
        created,
    );
    assert_eq!(r.next_runs, vec![at]);
}

/// A small deterministic generator, so failures reproduce.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn random_field(r: &mut Lcg, min: u64, max: u64) -> String {
    let v = |r: &mut Lcg| min + r.next(max - min + 1);
    match r.next(6) {
        0 | 1 => "*".into(),
        2 => format!("*/{}", 1 + r.next(max.min(20))),
        3 => v(r).to_string(),
        4 => {
            let (a, b) = (v(r), v(r));
            format!("{}-{}", a.min(b), a.max(b))
        }
        _ => format!("{},{}", v(r), v(r)),
    }
}

#[test]
fn cron_next_agrees_with_a_brute_force_scan_in_utc_and_tokyo() {
    use jiff::civil::Date;
    let mut r = Lcg(7);
    for case in 0..150 {
        let expr = format!(
            "{} {} {} {} {}",
            random_field(&mut r, 0, 59),
            random_field(&mut r, 0, 23),
            random_field(&mut r, 1, 28),
            random_field(&mut r, 1, 12),
            random_field(&mut r, 0, 7)
        );
        let e = CronExpr::parse(&expr).unwrap();
        let zone = if case % 2 == 0 { "UTC" } else { "Asia/Tokyo" };
        let tz = resolve_zone(Some(zone)).unwrap();
        let from_day = Date::new(2026, 1, 1)
            .unwrap()
            .checked_add(jiff::Span::new().days(r.next(365) as i64))
            .unwrap();
        let from = from_day
            .at(r.next(24) as i8, r.next(60) as i8, 0, 0)
            .to_zoned(tz.clone())
            .unwrap()
            .timestamp();
        // Brute force over civil minutes (no DST in these zones), up to 2 years.
        let start = tz.to_datetime(from);
        let mut want = None;
        let mut day = start.date();
        'days: for _ in 0..731 {
            for h in 0..24i8 {
                for m in 0..60i8 {
                    let c = day.at(h, m, 0, 0);
                    if c > start && e.matches(c) {
                        want = Some(c.to_zoned(tz.clone()).unwrap().timestamp());
                        break 'days;
                    }
                }
            }
            day = day.tomorrow().unwrap();
        }
        let t = Timing {
            trigger: Trigger::Cron(Box::new(e)),
            tz,
        };
        let got = next_after(&t, from, from);
        match want {
            Some(w) => assert_eq!(got, Some(w), "{expr} in {zone} from {from}"),
            None => assert!(got.is_none_or(|g| g > from), "{expr}"),
        }
    }
}
