//! `schedules.toml` and the scheduler-loop protocol: create/update/delete,
//! claim → start → finish, missed slots skipped, exactly-once after a restart.

#![allow(clippy::unwrap_used)]

use aigo::schedule::{
    self, ContainerConfig, ContextMode, NewSchedule, RunLogEntry, RunStatus, SchedulePatch,
    ScheduleSpec,
};
use aigo::state::StateDir;
use jiff::Timestamp;

fn ts(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

fn body(name: &str, spec: ScheduleSpec) -> NewSchedule {
    NewSchedule {
        name: name.into(),
        group: "main".into(),
        prompt: "summarize the inbox".into(),
        schedule: spec,
        container_config: ContainerConfig {
            timeout_secs: Some(300),
        },
        context_mode: ContextMode::Isolated,
        enabled: true,
        timezone: Some("UTC".into()),
    }
}

fn entry(at: &str, status: RunStatus) -> RunLogEntry {
    RunLogEntry {
        run_at: ts(at),
        duration_ms: 1200,
        status,
        result: Some("done".into()),
        error: None,
        scheduled_for: None,
    }
}

#[test]
fn create_list_update_delete() {
    let dir = tempfile::tempdir().unwrap();
    let state = StateDir::at(dir.path());
    let now = ts("2026-01-01T10:00:00Z");
    let v = schedule::create(
        &state,
        body("inbox", ScheduleSpec::Cron("0 9 * * 1-5".into())),
        now,
    )
    .unwrap();
    assert!(v.id.starts_with("sch-"));
    assert_eq!(v.status, "active");
    assert_eq!(v.next_run, Some(ts("2026-01-02T09:00:00Z")));
    assert_eq!(v.description, "at 09:00 on Monday through Friday");

    // The API JSON shape.
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["schedule"]["type"], "cron");
    assert_eq!(json["schedule"]["value"], "0 9 * * 1-5");
    assert_eq!(json["containerConfig"]["timeoutSecs"], 300);
    assert_eq!(json["contextMode"], "isolated");
    assert_eq!(json["nextRun"], "2026-01-02T09:00:00Z");
    assert!(json["lastRun"].is_null());

    assert_eq!(schedule::list(&state).unwrap().len(), 1);
    assert_eq!(schedule::get(&state, "inbox").unwrap().id, v.id);

    let off = schedule::set_enabled(&state, &v.id, false, now).unwrap();
    assert_eq!((off.status.as_str(), off.next_run), ("paused", None));
    let on = schedule::set_enabled(&state, &v.id, true, ts("2026-01-05T12:00:00Z")).unwrap();
    assert_eq!(on.next_run, Some(ts("2026-01-06T09:00:00Z")));

    let patched = schedule::update(
        &state,
        &v.id,
        SchedulePatch {
            schedule: Some(ScheduleSpec::Interval(3_600_000)),
            ..Default::default()
        },
        ts("2026-01-05T12:00:00Z"),
    )
    .unwrap();
    assert_eq!(patched.next_run, Some(ts("2026-01-05T13:00:00Z")));
    assert_eq!(patched.description, "every 1 hour");

    schedule::delete(&state, &v.id).unwrap();
    assert!(schedule::list(&state).unwrap().is_empty());
    assert!(matches!(
        schedule::get(&state, &v.id),
        Err(schedule::ScheduleError::NotFound(_))
    ));
}

#[test]
fn invalid_schedules_are_refused_at_add() {
    let dir = tempfile::tempdir().unwrap();
    let state = StateDir::at(dir.path());
    let now = ts("2026-01-01T10:00:00Z");
    let e = schedule::create(
        &state,
        body("x", ScheduleSpec::Cron("61 * * * *".into())),
        now,
    )
    .unwrap_err();
    assert!(e.to_string().contains("minute field"), "{e}");
    let e = schedule::create(
        &state,
        body("x", ScheduleSpec::Once("2025-01-01T00:00".into())),
        now,
    )
    .unwrap_err();
    assert!(e.to_string().contains("past"), "{e}");
    let e = schedule::create(&state, body("x", ScheduleSpec::Interval(10)), now).unwrap_err();
    assert!(e.to_string().contains("shorter than a second"), "{e}");
    let mut b = body("x", ScheduleSpec::Cron("@daily".into()));
    b.timezone = Some("Mars/Olympus".into());
    assert!(schedule::create(&state, b, now).is_err());
    let mut b = body("x", ScheduleSpec::Cron("@daily".into()));
    b.group = "../etc".into();
    assert!(schedule::create(&state, b, now).is_err());
    assert!(
        !state.schedules().exists(),
        "nothing written for refused schedules"
    );
}

#[test]
fn post_body_parses_like_the_reference() {
    let b: NewSchedule = serde_json::from_str(
        r#"{"name":"n","group":"main","prompt":"p","schedule":{"type":"interval","value":1800000},
            "containerConfig":{"timeoutSecs":300},"contextMode":"group","enabled":true}"#,
    )
    .unwrap();
    assert_eq!(b.schedule, ScheduleSpec::Interval(1_800_000));
    for value in [r#""1800000""#, r#""30m""#] {
        let spec: ScheduleSpec =
            serde_json::from_str(&format!(r#"{{"type":"interval","value":{value}}}"#)).unwrap();
        assert_eq!(spec, ScheduleSpec::Interval(1_800_000));
    }
    let b: NewSchedule = serde_json::from_str(
        r#"{"name":"n","prompt":"p","schedule":{"type":"once","value":"2026-12-01T09:00:00Z"}}"#,
    )
    .unwrap();
    assert_eq!(b.group, "main");
    assert!(b.enabled);
}

#[test]
fn claim_finish_and_missed_slots() {
    let dir = tempfile::tempdir().unwrap();
    let state = StateDir::at(dir.path());
    let created = ts("2026-01-01T00:00:00Z");
    let v = schedule::create(
        &state,
        body("tick", ScheduleSpec::Interval(1_800_000)),
        created,
    )
    .unwrap();
    assert_eq!(v.next_run, Some(ts("2026-01-01T00:30:00Z")));
    // Not due yet.
    assert!(
        schedule::claim_due(&state, &v.id, ts("2026-01-01T00:29:00Z"))
            .unwrap()
            .is_none()
    );
    // The daemon was down from 00:20 to 02:10: one run for the overdue slot,
    // the slots in between are skipped, the next stays on the grid.
    let now = ts("2026-01-01T02:10:00Z");
    let c = schedule::claim_due(&state, &v.id, now)
        .unwrap()
        .expect("due");
    assert_eq!(c.slot, ts("2026-01-01T00:30:00Z"));
    assert!(
        schedule::claim_due(&state, &v.id, now).unwrap().is_none(),
        "claimed once"
    );
    let file = schedule::load(&state).unwrap();
    assert_eq!(file.schedules[0].next_run, Some(ts("2026-01-01T02:30:00Z")));
    assert!(
        schedule::heap_entries(&file).is_empty(),
        "pending runs are not in the heap"
    );

    schedule::mark_started(&state, &v.id, c.slot, now).unwrap();
    assert_eq!(schedule::get(&state, &v.id).unwrap().status, "running");
    schedule::finish(
        &state,
        &v.id,
        c.slot,
        &entry("2026-01-01T02:10:00Z", RunStatus::Success),
    )
    .unwrap();
    let after = schedule::get(&state, &v.id).unwrap();
    assert_eq!(after.status, "active");
    assert_eq!(after.last_run, Some(ts("2026-01-01T02:10:00Z")));
    assert_eq!(after.last_result.as_deref(), Some("done"));
    let logs = schedule::logs(&state, &v.id, None).unwrap();
    assert_eq!(logs.len(), 1);
    let line = std::fs::read_to_string(schedule::log_path(&state, &v.id)).unwrap();
    let j: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    for k in ["runAt", "durationMs", "status", "result", "error"] {
        assert!(j.get(k).is_some(), "log line lacks {k}: {line}");
    }
}

#[test]
fn restart_fires_an_unstarted_claim_once_and_never_repeats_a_started_one() {
    let dir = tempfile::tempdir().unwrap();
    let state = StateDir::at(dir.path());
    let created = ts("2026-01-01T00:00:00Z");
    let a = schedule::create(&state, body("a", ScheduleSpec::Interval(600_000)), created).unwrap();
    let b = schedule::create(&state, body("b", ScheduleSpec::Interval(600_000)), created).unwrap();
    let now = ts("2026-01-01T00:10:00Z");
    let ca = schedule::claim_due(&state, &a.id, now).unwrap().unwrap();
    let cb = schedule::claim_due(&state, &b.id, now).unwrap().unwrap();
    schedule::mark_started(&state, &b.id, cb.slot, now).unwrap();
    // Crash. On restart: `a` never started -> run it now; `b` started -> interrupted.
    let later = ts("2026-01-01T00:12:00Z");
    let to_run = schedule::recover(&state, later).unwrap();
    assert_eq!(to_run.len(), 1);
    assert_eq!(
        (to_run[0].schedule.id.as_str(), to_run[0].slot),
        (a.id.as_str(), ca.slot)
    );
    let bl = schedule::logs(&state, &b.id, None).unwrap();
    assert_eq!(bl.len(), 1);
    assert_eq!(bl[0].status, RunStatus::Interrupted);
    assert_eq!(
        schedule::get(&state, &b.id).unwrap().last_status,
        Some(RunStatus::Interrupted)
    );
    // A second recover (another restart before `a` ran) returns it again, still once per claim.
    assert_eq!(schedule::recover(&state, later).unwrap().len(), 1);
    schedule::finish(
        &state,
        &a.id,
        ca.slot,
        &entry("2026-01-01T00:12:00Z", RunStatus::Success),
    )
    .unwrap();
    assert!(schedule::recover(&state, later).unwrap().is_empty());
}

#[test]
fn a_once_schedule_completes_after_it_runs() {
    let dir = tempfile::tempdir().unwrap();
    let state = StateDir::at(dir.path());
    let created = ts("2026-11-01T00:00:00Z");
    let mut b = body("once", ScheduleSpec::Once("2026-12-01T09:00".into()));
    b.timezone = Some("Europe/Berlin".into());
    let v = schedule::create(&state, b, created).unwrap();
    assert_eq!(
        v.schedule,
        ScheduleSpec::Once("2026-12-01T08:00:00Z".into())
    );
    assert_eq!(v.next_run, Some(ts("2026-12-01T08:00:00Z")));
    let now = ts("2026-12-01T08:00:01Z");
    let c = schedule::claim_due(&state, &v.id, now).unwrap().unwrap();
    schedule::finish(
        &state,
        &v.id,
        c.slot,
        &entry("2026-12-01T08:00:01Z", RunStatus::Error),
    )
    .unwrap();
    let done = schedule::get(&state, &v.id).unwrap();
    assert_eq!((done.status.as_str(), done.next_run), ("completed", None));
    assert!(
        schedule::claim_due(&state, &v.id, ts("2026-12-02T00:00:00Z"))
            .unwrap()
            .is_none()
    );
}

#[test]
fn logs_last_n() {
    let dir = tempfile::tempdir().unwrap();
    let state = StateDir::at(dir.path());
    let v = schedule::create(
        &state,
        body("l", ScheduleSpec::Cron("@hourly".into())),
        ts("2026-01-01T00:00:00Z"),
    )
    .unwrap();
    for h in 1..=5 {
        schedule::append_log(
            &state,
            &v.id,
            &entry(&format!("2026-01-01T0{h}:00:00Z"), RunStatus::Success),
        )
        .unwrap();
    }
    let last2 = schedule::logs(&state, &v.id, Some(2)).unwrap();
    assert_eq!(
        last2.iter().map(|e| e.run_at).collect::<Vec<_>>(),
        vec![ts("2026-01-01T04:00:00Z"), ts("2026-01-01T05:00:00Z")]
    );
    // A deleted schedule's log is still readable by id.
    schedule::delete(&state, &v.id).unwrap();
    assert_eq!(schedule::logs(&state, &v.id, None).unwrap().len(), 5);
}

#[test]
fn a_corrupt_schedules_file_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let state = StateDir::at(dir.path());
    let broken = "schema_version = 1\n[[schedules]]\nid = \"x\"\nname = \n";
    std::fs::write(state.schedules(), broken).unwrap();
    let e = schedule::create(
        &state,
        body("n", ScheduleSpec::Cron("@daily".into())),
        ts("2026-01-01T00:00:00Z"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("schedules.toml:4"), "{e}");
    assert!(schedule::list(&state).is_err());
    assert_eq!(std::fs::read_to_string(state.schedules()).unwrap(), broken);
}
