//! The scheduler loop on the real clock: firing lateness (launch time minus
//! scheduled slot) p50/p99 for 1,000 schedules due in the same minute, as a
//! burst (all at the same second) and spread over the minute, with a launcher
//! that returns at once; and the process CPU time while 10,000 schedules wait
//! far in the future. Run with `cargo bench --bench scheduler`; prints
//! figures, asserts nothing. `SCHED_BENCH_QUICK=1` shortens the spread case
//! to 10 s and the idle window to 3 s.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aigo::ipc::BoxFut;
use aigo::schedule::{
    Claim, ContextMode, Launcher, RunOutcome, RunStatus, ScheduleFile, ScheduleRecord,
    ScheduleSpec, Scheduler, WallClock,
};
use aigo::state::{StateDir, save_toml};
use jiff::{SignedDuration, Timestamp};
use tokio_util::sync::CancellationToken;

/// Records each launch's lateness in milliseconds and returns at once.
struct Lateness {
    ms: Mutex<Vec<f64>>,
}

impl Launcher for Lateness {
    fn launch<'a>(&'a self, claim: &'a Claim) -> BoxFut<'a, RunOutcome> {
        let late = Timestamp::now().duration_since(claim.slot);
        if let Ok(mut v) = self.ms.lock() {
            v.push(late.as_secs_f64() * 1000.0);
        }
        Box::pin(async {
            RunOutcome {
                status: RunStatus::Success,
                result: None,
                error: None,
            }
        })
    }
}

fn once(i: usize, at: Timestamp, now: Timestamp) -> ScheduleRecord {
    ScheduleRecord {
        id: format!("sch-{i:010}"),
        name: format!("bench-{i}"),
        group: "main".into(),
        prompt: "benchmark".into(),
        schedule: ScheduleSpec::Once(at.to_string()),
        timezone: Some("UTC".into()),
        timeout_secs: None,
        context_mode: ContextMode::Isolated,
        enabled: true,
        rev: 0,
        completed: false,
        created_at: now,
        anchor: now,
        next_run: Some(at),
        last_run: None,
        last_status: None,
        last_result: None,
        pending: None,
    }
}

fn write(state: &StateDir, schedules: Vec<ScheduleRecord>) {
    let mut f = ScheduleFile {
        schema_version: 2,
        schedules,
    };
    save_toml(&state.schedules(), &mut f).expect("write schedules.toml");
}

fn whole_second(t: Timestamp) -> Timestamp {
    Timestamp::from_second(t.as_second()).expect("timestamp")
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(f64::NAN)
}

/// Fires `n` schedules whose slots are `lead` from now, spread evenly over
/// `spread`; returns the sorted lateness in ms.
async fn lateness(n: usize, lead: Duration, spread: Duration, limit: usize) -> Vec<f64> {
    let home = tempfile::tempdir().expect("tempdir");
    let state = StateDir::at(home.path());
    let now = Timestamp::now();
    let first = whole_second(now + SignedDuration::try_from(lead).expect("lead"));
    let step = spread.as_nanos() as i64 / n as i64;
    let recs = (0..n)
        .map(|i| once(i, first + SignedDuration::from_nanos(step * i as i64), now))
        .collect();
    write(&state, recs);
    let launcher = Arc::new(Lateness {
        ms: Mutex::new(Vec::with_capacity(n)),
    });
    let s = Scheduler::new(state, Arc::new(WallClock), launcher.clone(), limit);
    let cancel = CancellationToken::new();
    let task = tokio::spawn(s.clone().run(cancel.clone()));
    while launcher.ms.lock().map(|v| v.len()).unwrap_or(n) < n {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    s.idle().await;
    cancel.cancel();
    let _ = task.await;
    let mut v = launcher.ms.lock().map(|v| v.clone()).unwrap_or_default();
    v.sort_by(f64::total_cmp);
    v
}

/// utime + stime of this process in seconds (from /proc/self/stat, 100 Hz ticks).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

async fn idle_cpu(n: usize, window: Duration) {
    let home = tempfile::tempdir().expect("tempdir");
    let state = StateDir::at(home.path());
    let now = Timestamp::now();
    let recs = (0..n)
        .map(|i| {
            let at = whole_second(now) + SignedDuration::from_hours(24 + (i % 240) as i64);
            once(i, at, now)
        })
        .collect();
    write(&state, recs);
    let launcher = Arc::new(Lateness {
        ms: Mutex::new(Vec::new()),
    });
    let cpu0 = cpu_seconds();
    let s = Scheduler::new(state, Arc::new(WallClock), launcher, 2);
    let cancel = CancellationToken::new();
    let task = tokio::spawn(s.clone().run(cancel.clone()));
    // Start-up (recovery, compaction, loading 10,000 records) is measured apart.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let cpu1 = cpu_seconds();
    tokio::time::sleep(window).await;
    let cpu2 = cpu_seconds();
    cancel.cancel();
    let _ = task.await;
    if let (Some(a), Some(b), Some(c)) = (cpu0, cpu1, cpu2) {
        println!(
            "idle, {n} schedules waiting: start-up CPU {:.2} s; then {:.3} s CPU over {:.0} s wall = {:.2}% of a core",
            b - a,
            c - b,
            window.as_secs_f64(),
            (c - b) / window.as_secs_f64() * 100.0
        );
    } else {
        println!("idle CPU: /proc/self/stat not readable here");
    }
}

fn report(what: &str, v: &[f64]) {
    println!(
        "{what}: n={} lateness p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        v.len(),
        pct(v, 0.50),
        pct(v, 0.99),
        v.last().copied().unwrap_or(f64::NAN)
    );
}

fn main() {
    let quick = std::env::var_os("SCHED_BENCH_QUICK").is_some();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let lead = Duration::from_secs(3);
        for limit in [2, 1000] {
            let v = lateness(1000, lead, Duration::ZERO, limit).await;
            report(
                &format!("burst: 1,000 due at the same second, limit {limit}"),
                &v,
            );
        }
        let spread = Duration::from_secs(if quick { 10 } else { 60 });
        let v = lateness(1000, lead, spread, 2).await;
        report(
            &format!("spread: 1,000 due over {} s, limit 2", spread.as_secs()),
            &v,
        );
        let window = Duration::from_secs(if quick { 3 } else { 10 });
        idle_cpu(10_000, window).await;
    });
}
