//! A daemon killed and restarted around a due time runs the task once, not
//! zero or two times (paused tokio clock; a "kill" is a cancelled scheduler
//! whose runs never finish, then a second scheduler on the same state).

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use aigo::ipc::BoxFut;
use aigo::schedule::{
    self, Claim, ContextMode, Launcher, RunLogEntry, RunOutcome, RunStatus, ScheduleFile,
    ScheduleRecord, ScheduleSpec, Scheduler, TokioClock,
};
use aigo::state::{StateDir, save_toml};
use jiff::{Timestamp, ToSpan};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

type Fired = mpsc::UnboundedReceiver<(String, Timestamp)>;

/// Reports each launch; a hanging launcher never returns (the process died).
struct Report {
    tx: mpsc::UnboundedSender<(String, Timestamp)>,
    hang: bool,
}

impl Launcher for Report {
    fn launch<'a>(&'a self, claim: &'a Claim) -> BoxFut<'a, RunOutcome> {
        Box::pin(async move {
            let _ = self.tx.send((claim.schedule.id.clone(), claim.slot));
            if self.hang {
                std::future::pending::<()>().await;
            }
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

fn once(id: &str, at: Timestamp) -> ScheduleRecord {
    ScheduleRecord {
        id: id.into(),
        name: id.into(),
        group: "main".into(),
        prompt: "p".into(),
        schedule: ScheduleSpec::Once(at.to_string()),
        timezone: Some("UTC".into()),
        timeout_secs: None,
        context_mode: ContextMode::Isolated,
        enabled: true,
        rev: 0,
        completed: false,
        created_at: base() - 1.hour(),
        anchor: base() - 1.hour(),
        next_run: Some(at),
        last_run: None,
        last_status: None,
        last_result: None,
        pending: None,
    }
}

fn write(state: &StateDir, recs: Vec<ScheduleRecord>) {
    let mut f = ScheduleFile {
        schema_version: 2,
        schedules: recs,
    };
    save_toml(&state.schedules(), &mut f).unwrap();
}

fn start(
    state: &StateDir,
    clock: &Arc<TokioClock>,
    limit: usize,
    hang: bool,
) -> (Arc<Scheduler>, Fired, CancellationToken) {
    let (tx, rx) = mpsc::unbounded_channel();
    let s = Scheduler::new(
        state.clone(),
        clock.clone(),
        Arc::new(Report { tx, hang }),
        limit,
    );
    let cancel = CancellationToken::new();
    tokio::spawn(s.clone().run(cancel.clone()));
    (s, rx, cancel)
}

#[tokio::test(start_paused = true)]
async fn killed_before_the_due_time_and_restarted_after_it_runs_once() {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    let clock = Arc::new(TokioClock::starting_at(base()));
    let due = base() + 10.seconds();
    write(&state, vec![once("job", due)]);
    let (_a, mut rx_a, kill_a) = start(&state, &clock, 2, true);
    tokio::time::sleep(Duration::from_secs(5)).await;
    kill_a.cancel();
    tokio::time::sleep(Duration::from_secs(15)).await;
    assert!(rx_a.try_recv().is_err(), "the killed daemon fired");
    let (b, mut rx_b, stop_b) = start(&state, &clock, 2, false);
    let (id, slot) = rx_b.recv().await.unwrap();
    assert_eq!((id.as_str(), slot), ("job", due));
    b.idle().await;
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert!(rx_b.try_recv().is_err(), "ran twice");
    stop_b.cancel();
    let v = schedule::get(&state, "job").unwrap();
    assert_eq!(
        (v.status.as_str(), v.last_status),
        ("completed", Some(RunStatus::Success))
    );
}

/// Killed at the due time with one run started and one claimed but waiting
/// for the concurrency limit: after the restart the started one is recorded
/// as interrupted (not repeated) and the waiting one runs, once.
#[tokio::test(start_paused = true)]
async fn killed_at_the_due_time_neither_loses_nor_repeats_a_run() {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    let clock = Arc::new(TokioClock::starting_at(base()));
    let due = base() + 10.seconds();
    write(&state, vec![once("a", due), once("b", due)]);
    let (_a, mut rx_a, kill_a) = start(&state, &clock, 1, true);
    let (first, _) = rx_a.recv().await.unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    kill_a.cancel();
    assert!(rx_a.try_recv().is_err(), "the limit is 1");
    let second = if first == "a" { "b" } else { "a" };

    let (b, mut rx_b, stop_b) = start(&state, &clock, 1, false);
    let (id, slot) = rx_b.recv().await.unwrap();
    assert_eq!((id.as_str(), slot), (second, due));
    b.idle().await;
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert!(rx_b.try_recv().is_err(), "a run was repeated");
    stop_b.cancel();
    let log = schedule::logs(&state, &first, None).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].status, RunStatus::Interrupted);
    let log = schedule::logs(&state, second, None).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].status, RunStatus::Success);
}

/// The run finished and was logged, but the daemon died before its finish
/// line reached the journal: the restart takes the outcome from the run log.
#[tokio::test(start_paused = true)]
async fn a_logged_run_whose_finish_was_lost_is_not_recorded_twice() {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    let at = base() - 1.second();
    write(&state, vec![once("job", at)]);
    schedule::claim_all_due(&state, base()).unwrap();
    schedule::mark_all_started(&state, &[("job".into(), at)], base()).unwrap();
    let entry = RunLogEntry {
        run_at: base(),
        duration_ms: 10,
        status: RunStatus::Success,
        result: Some("done".into()),
        error: None,
        scheduled_for: Some(at),
    };
    schedule::append_log(&state, "job", &entry).unwrap();
    let clock = Arc::new(TokioClock::starting_at(base()));
    let (_s, mut rx, stop) = start(&state, &clock, 2, false);
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert!(rx.try_recv().is_err(), "a started run must not start again");
    stop.cancel();
    assert_eq!(schedule::logs(&state, "job", None).unwrap(), vec![entry]);
    let v = schedule::get(&state, "job").unwrap();
    assert_eq!(v.status, "completed");
    assert_eq!(v.last_result.as_deref(), Some("done"));
}
