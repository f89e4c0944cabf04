//! The scheduler loop under tokio's paused clock: schedules fire in order, each
//! exactly once, missed interval slots are skipped, and a restart around a due
//! time runs the task once, not zero or two times.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use aigo::ipc::BoxFut;
use aigo::schedule::{
    self, Claim, ContextMode, Launcher, RunOutcome, RunStatus, ScheduleFile, ScheduleRecord,
    ScheduleSpec, Scheduler, TokioClock,
};
use aigo::state::{StateDir, save_toml};
use jiff::{Timestamp, ToSpan};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

struct Record {
    tx: mpsc::UnboundedSender<(String, Timestamp, Timestamp)>,
    clock: Arc<TokioClock>,
    running: AtomicUsize,
    max_running: AtomicUsize,
}

impl Launcher for Record {
    fn launch<'a>(&'a self, claim: &'a Claim) -> BoxFut<'a, RunOutcome> {
        Box::pin(async move {
            let n = self.running.fetch_add(1, Ordering::SeqCst) + 1;
            self.max_running.fetch_max(n, Ordering::SeqCst);
            let _ = self.tx.send((
                claim.schedule.id.clone(),
                claim.slot,
                aigo::schedule::Clock::now(&*self.clock),
            ));
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            self.running.fetch_sub(1, Ordering::SeqCst);
            RunOutcome {
                status: RunStatus::Success,
                result: Some("ok".into()),
                error: None,
            }
        })
    }
}

fn base() -> Timestamp {
    "2026-12-01T00:00:00Z".parse().unwrap()
}

fn record(id: &str, spec: ScheduleSpec, next: Timestamp) -> ScheduleRecord {
    ScheduleRecord {
        id: id.into(),
        name: id.into(),
        group: "main".into(),
        prompt: "p".into(),
        schedule: spec,
        timezone: Some("UTC".into()),
        timeout_secs: None,
        context_mode: ContextMode::Isolated,
        enabled: true,
        rev: 0,
        completed: false,
        created_at: base() - 1.hour(),
        anchor: next,
        next_run: Some(next),
        last_run: None,
        last_status: None,
        last_result: None,
        pending: None,
    }
}

fn write(state: &StateDir, recs: Vec<ScheduleRecord>) {
    let mut f = ScheduleFile {
        schema_version: 1,
        schedules: recs,
    };
    save_toml(&state.schedules(), &mut f).unwrap();
}

type Fired = mpsc::UnboundedReceiver<(String, Timestamp, Timestamp)>;

fn start(
    state: &StateDir,
    limit: usize,
) -> (Arc<Scheduler>, Fired, CancellationToken, Arc<Record>) {
    let clock = Arc::new(TokioClock::starting_at(base()));
    let (tx, rx) = mpsc::unbounded_channel();
    let rec = Arc::new(Record {
        tx,
        clock: clock.clone(),
        running: AtomicUsize::new(0),
        max_running: AtomicUsize::new(0),
    });
    let s = Scheduler::new(state.clone(), clock, rec.clone(), limit);
    let cancel = CancellationToken::new();
    tokio::spawn(s.clone().run(cancel.clone()));
    (s, rx, cancel, rec)
}

#[tokio::test(start_paused = true)]
async fn many_schedules_fire_in_order_each_exactly_once_within_the_limit() {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    let n = 300;
    let recs = (0..n)
        .map(|i| {
            let at = base() + (i as i64 * 7 + 1).seconds();
            record(&format!("s{i:04}"), ScheduleSpec::Once(at.to_string()), at)
        })
        .collect();
    write(&state, recs);
    let (sched, mut rx, cancel, rec) = start(&state, 4);
    let mut seen = Vec::new();
    while seen.len() < n {
        seen.push(rx.recv().await.unwrap());
    }
    sched.idle().await;
    cancel.cancel();
    let slots: Vec<_> = seen.iter().map(|(_, slot, _)| *slot).collect();
    let mut sorted = slots.clone();
    sorted.sort();
    assert_eq!(slots, sorted, "fired out of order");
    let ids: std::collections::HashSet<_> = seen.iter().map(|(id, _, _)| id.clone()).collect();
    assert_eq!(ids.len(), n, "a schedule fired twice or not at all");
    assert!(seen.iter().all(|(_, slot, at)| at >= slot), "fired early");
    assert!(rec.max_running.load(Ordering::SeqCst) <= 4);
    assert!(rx.try_recv().is_err());
    let file = schedule::load(&state).unwrap();
    assert!(
        file.schedules.iter().all(|s| s.completed
            && s.pending.is_none()
            && s.last_status == Some(RunStatus::Success))
    );
    assert_eq!(schedule::logs(&state, "s0000", None).unwrap().len(), 1);
}

/// 10,000 once schedules, two due per second, listed in shuffled order: each
/// fires exactly once, in slot order, never early, at most `limit` at a time.
#[tokio::test(start_paused = true)]
async fn ten_thousand_schedules_fire_in_order_each_exactly_once() {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    let n: usize = 10_000;
    let recs = (0..n)
        .map(|i| {
            let k = (i * 7919) % n;
            let at = base() + (k as i64 / 2 + 1).seconds();
            record(&format!("s{k:05}"), ScheduleSpec::Once(at.to_string()), at)
        })
        .collect();
    write(&state, recs);
    let (sched, mut rx, cancel, rec) = start(&state, 4);
    let mut seen = Vec::with_capacity(n);
    while seen.len() < n {
        seen.push(rx.recv().await.unwrap());
    }
    sched.idle().await;
    tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    cancel.cancel();
    assert!(rx.try_recv().is_err(), "something fired twice");
    assert!(
        seen.windows(2).all(|w| w[0].1 <= w[1].1),
        "fired out of order"
    );
    let ids: std::collections::HashSet<_> = seen.iter().map(|(id, _, _)| id.clone()).collect();
    assert_eq!(ids.len(), n, "a schedule fired twice or not at all");
    assert!(seen.iter().all(|(_, slot, at)| at >= slot), "fired early");
    assert!(rec.max_running.load(Ordering::SeqCst) <= 4);
    assert_eq!(sched.fired.load(Ordering::SeqCst), n as u64);
    let file = schedule::load(&state).unwrap();
    assert!(
        file.schedules.iter().all(|s| s.completed
            && s.pending.is_none()
            && s.last_status == Some(RunStatus::Success))
    );
    assert_eq!(schedule::logs(&state, "s04321", None).unwrap().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn intervals_stay_anchored_and_skip_missed_slots() {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    // Due 10 slots ago (the daemon was down): fires once now, then on the grid.
    let mut r = record(
        "every-minute",
        ScheduleSpec::Interval(60_000),
        base() - 10.minutes(),
    );
    r.anchor = base() - 10.minutes();
    write(&state, vec![r]);
    let (_s, mut rx, cancel, _) = start(&state, 2);
    let (_, slot1, at1) = rx.recv().await.unwrap();
    assert_eq!(slot1, base() - 10.minutes());
    assert_eq!(at1, base());
    let (_, slot2, at2) = rx.recv().await.unwrap();
    assert_eq!(
        slot2,
        base() + 1.minute(),
        "missed slots are skipped, not replayed"
    );
    assert_eq!(at2, slot2);
    let (_, slot3, _) = rx.recv().await.unwrap();
    assert_eq!(
        slot3,
        base() + 2.minutes(),
        "anchored to the grid, not to the 2s run time"
    );
    cancel.cancel();
}

#[tokio::test(start_paused = true)]
async fn a_claim_that_never_started_runs_once_after_a_restart() {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    let at = base() - 1.second();
    write(
        &state,
        vec![record("once", ScheduleSpec::Once(at.to_string()), at)],
    );
    // The previous daemon claimed the slot and died before starting it.
    let claims = schedule::claim_all_due(&state, base()).unwrap();
    assert_eq!(claims.len(), 1);
    let (s, mut rx, cancel, _) = start(&state, 2);
    let (id, slot, _) = rx.recv().await.unwrap();
    assert_eq!((id.as_str(), slot), ("once", at));
    s.idle().await;
    tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    assert!(rx.try_recv().is_err(), "ran twice");
    cancel.cancel();
    assert!(schedule::load(&state).unwrap().schedules[0].completed);
}

#[tokio::test(start_paused = true)]
async fn a_run_interrupted_by_a_crash_is_recorded_not_repeated() {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    let at = base() - 1.second();
    write(
        &state,
        vec![record("once", ScheduleSpec::Once(at.to_string()), at)],
    );
    schedule::claim_all_due(&state, base()).unwrap();
    schedule::mark_all_started(&state, &[("once".into(), at)], base()).unwrap();
    let (_s, mut rx, cancel, _) = start(&state, 2);
    tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    assert!(rx.try_recv().is_err(), "a started run must not start again");
    cancel.cancel();
    let log = schedule::logs(&state, "once", None).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].status, RunStatus::Interrupted);
}

#[tokio::test(start_paused = true)]
async fn a_change_wakes_the_loop_for_a_new_earlier_schedule() {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    write(
        &state,
        vec![record(
            "late",
            ScheduleSpec::Once((base() + 24.hours()).to_string()),
            base() + 24.hours(),
        )],
    );
    let (s, mut rx, cancel, _) = start(&state, 2);
    tokio::task::yield_now().await;
    let soon = base() + 5.seconds();
    let mut f = schedule::load(&state).unwrap();
    f.schedules
        .push(record("soon", ScheduleSpec::Once(soon.to_string()), soon));
    save_toml(&state.schedules(), &mut f).unwrap();
    s.wake.notify_one();
    let (id, _, at) = rx.recv().await.unwrap();
    assert_eq!(id, "soon");
    assert_eq!(at, soon);
    cancel.cancel();
}
