//! Next-run computation for 10,000 schedules: parse cost, `next_after` cost per
//! schedule (ns per computation), and a 5-run `upcoming` as `list`/`check` use.
//! Run with `cargo bench --bench schedule_next`; prints figures, asserts nothing.

use std::hint::black_box;
use std::time::Instant;

use aigo::schedule::{CronExpr, Timing, Trigger, next_after, resolve_zone, upcoming};
use jiff::Timestamp;

const N: usize = 10_000;

fn main() {
    let zones = ["UTC", "America/New_York", "Asia/Tokyo", "Europe/Berlin"];
    let zones: Vec<_> = zones
        .iter()
        .map(|z| resolve_zone(Some(z)).expect("zone"))
        .collect();
    let shapes = [
        "{m} {h} * * *",
        "*/{s} * * * *",
        "{m} {h} * * 1-5",
        "{m} */2 * * MON,WED,FRI",
        "{m} {h} 1,15 * *",
        "{m} {h} 13 * 5",
        "{m} {h} 29 2 *",
        "{m} 9-17 * JAN-JUN *",
        "30 2 * * *",
        "@hourly",
    ];
    let texts: Vec<String> = (0..N)
        .map(|i| {
            shapes[i % shapes.len()]
                .replace("{m}", &(i % 60).to_string())
                .replace("{h}", &(i % 24).to_string())
                .replace("{s}", &(1 + i % 30).to_string())
        })
        .collect();

    let t0 = Instant::now();
    let exprs: Vec<CronExpr> = texts
        .iter()
        .map(|t| CronExpr::parse(t).expect("valid"))
        .collect();
    let parse_ns = t0.elapsed().as_nanos() as f64 / N as f64;

    let mut timings: Vec<Timing> = exprs
        .into_iter()
        .enumerate()
        .map(|(i, e)| Timing {
            trigger: Trigger::Cron(Box::new(e)),
            tz: zones[i % zones.len()].clone(),
        })
        .collect();
    let now: Timestamp = "2026-03-07T12:34:56Z".parse().expect("ts");

    let cron_ns = per_schedule(&timings, now, 5);
    let cron_upcoming_ns = {
        let t = Instant::now();
        for tm in &timings {
            black_box(upcoming(tm, now, 5));
        }
        t.elapsed().as_nanos() as f64 / N as f64
    };
    for (i, t) in timings.iter_mut().enumerate() {
        t.trigger = Trigger::Interval {
            ms: 1_000 * (60 + i as u64 % 3600),
        };
    }
    let interval_ns = per_schedule(&timings, now, 5);

    println!("schedules: {N} (cron over 4 zones, 10 shapes incl. Feb 29, DST-gap times, OR-days)");
    println!("cron parse:                 {parse_ns:>9.0} ns/schedule");
    println!("cron next_after:            {cron_ns:>9.0} ns/computation");
    println!("cron upcoming(5):           {cron_upcoming_ns:>9.0} ns/schedule");
    println!("interval next_after:        {interval_ns:>9.0} ns/computation");
    println!(
        "all 10,000 cron next runs:  {:>9.2} ms",
        cron_ns * N as f64 / 1e6
    );
}

/// Mean ns of one `next_after` over all timings, best of `rounds`.
fn per_schedule(timings: &[Timing], now: Timestamp, rounds: usize) -> f64 {
    let anchor: Timestamp = "2026-01-01T00:00:00Z".parse().expect("ts");
    (0..rounds)
        .map(|_| {
            let t = Instant::now();
            for tm in timings {
                black_box(next_after(black_box(tm), anchor, now));
            }
            t.elapsed().as_nanos() as f64 / timings.len() as f64
        })
        .fold(f64::INFINITY, f64::min)
}
