//! The runtime-state journal `schedules.state.jsonl`: schema-1 files with the
//! runtime fields inline still load and migrate, firing does not rewrite
//! `schedules.toml`, a user's retime outranks older journal lines, a torn last
//! line is skipped, and recovery compacts the journal.

#![allow(clippy::unwrap_used)]

use aigo::schedule::{self, RunLogEntry, RunStatus, SchedulePatch, ScheduleSpec};
use aigo::state::StateDir;
use jiff::Timestamp;

const ID: &str = "sch-0000000001";

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// A schedules.toml as aigo wrote it before the journal: runtime inline, and
/// a claim that never started.
const V1: &str = r#"schema_version = 1

[[schedules]]
id = "sch-0000000001"
name = "tick"
group = "main"
prompt = "p"
timezone = "UTC"
context_mode = "isolated"
enabled = true
completed = false
created_at = "2026-01-01T00:00:00Z"
anchor = "2026-01-01T00:30:00Z"
next_run = "2026-01-01T01:00:00Z"
last_run = "2026-01-01T00:00:05Z"
last_status = "success"
last_result = "earlier"

[schedules.schedule]
type = "interval"
value = 1800000

[schedules.pending]
slot = "2026-01-01T00:30:00Z"
claimed_at = "2026-01-01T00:30:00Z"
"#;

fn entry(at: &str, slot: Timestamp) -> RunLogEntry {
    RunLogEntry {
        run_at: ts(at),
        duration_ms: 5,
        status: RunStatus::Success,
        result: Some("fresh".into()),
        error: None,
        scheduled_for: Some(slot),
    }
}

#[test]
fn a_schema_1_file_loads_and_firing_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let state = StateDir::at(dir.path());
    std::fs::write(state.schedules(), V1).unwrap();
    let v = schedule::get(&state, "tick").unwrap();
    assert_eq!(v.last_result.as_deref(), Some("earlier"));
    assert_eq!(v.next_run, Some(ts("2026-01-01T01:00:00Z")));

    // Recovery hands back the unstarted claim and compacts the journal.
    let now = ts("2026-01-01T00:31:00Z");
    let claims = schedule::recover(&state, now).unwrap();
    assert_eq!(claims.len(), 1);
    let journal = std::fs::read_to_string(schedule::journal_path(&state)).unwrap();
    assert_eq!(journal.lines().count(), 1, "one set line per schedule");

    schedule::mark_started(&state, ID, claims[0].slot, now).unwrap();
    assert_eq!(schedule::get(&state, "tick").unwrap().status, "running");
    schedule::finish(
        &state,
        ID,
        claims[0].slot,
        &entry("2026-01-01T00:31:00Z", claims[0].slot),
    )
    .unwrap();
    let c = schedule::claim_due(&state, ID, ts("2026-01-01T01:00:00Z"))
        .unwrap()
        .unwrap();
    assert_eq!(c.schedule.next_run, Some(ts("2026-01-01T01:30:00Z")));
    assert_eq!(
        std::fs::read_to_string(state.schedules()).unwrap(),
        V1,
        "runtime changes go to the journal"
    );
    let v = schedule::get(&state, "tick").unwrap();
    assert_eq!(
        (v.last_result.as_deref(), v.next_run),
        (Some("fresh"), Some(ts("2026-01-01T01:30:00Z")))
    );

    // A user edit rewrites the file in the new schema, runtime as of now.
    schedule::set_enabled(&state, "tick", false, ts("2026-01-01T01:00:01Z")).unwrap();
    let text = std::fs::read_to_string(state.schedules()).unwrap();
    assert!(text.starts_with("schema_version = 2"), "{text}");
    assert!(text.contains("rev = 1"), "{text}");
    let file = schedule::load(&state).unwrap();
    assert_eq!(file.schedules[0].next_run, None);
    assert!(
        file.schedules[0].pending.is_some(),
        "the run in flight is kept"
    );
}

#[test]
fn a_retime_outranks_older_journal_lines() {
    let dir = tempfile::tempdir().unwrap();
    let state = StateDir::at(dir.path());
    std::fs::write(state.schedules(), V1.replace("\n[schedules.pending]\nslot = \"2026-01-01T00:30:00Z\"\nclaimed_at = \"2026-01-01T00:30:00Z\"\n", "")).unwrap();
    let now = ts("2026-01-01T01:05:00Z");
    let c = schedule::claim_due(&state, ID, now).unwrap().unwrap();
    assert_eq!(c.schedule.next_run, Some(ts("2026-01-01T01:30:00Z")));
    let patch = SchedulePatch {
        schedule: Some(ScheduleSpec::Interval(600_000)),
        ..SchedulePatch::default()
    };
    let v = schedule::update(&state, "tick", patch, ts("2026-01-01T01:06:00Z")).unwrap();
    assert_eq!(v.next_run, Some(ts("2026-01-01T01:16:00Z")));
    // The claim line (older rev) still sets the marker but not the timing.
    let file = schedule::load(&state).unwrap();
    assert_eq!(file.schedules[0].next_run, Some(ts("2026-01-01T01:16:00Z")));
    assert!(file.schedules[0].pending.is_some());
    schedule::finish(&state, ID, c.slot, &entry("2026-01-01T01:05:00Z", c.slot)).unwrap();
    let v = schedule::get(&state, "tick").unwrap();
    assert_eq!(
        (v.status.as_str(), v.next_run),
        ("active", Some(ts("2026-01-01T01:16:00Z")))
    );
    assert_eq!(v.last_run, Some(ts("2026-01-01T01:05:00Z")));
}

#[test]
fn a_torn_last_line_is_skipped_and_ended() {
    let dir = tempfile::tempdir().unwrap();
    let state = StateDir::at(dir.path());
    std::fs::write(state.schedules(), V1).unwrap();
    let path = schedule::journal_path(&state);
    std::fs::write(&path, "{\"op\":\"finish\",\"id\":\"tick\",\"sl").unwrap();
    let v = schedule::get(&state, "tick").unwrap();
    assert_eq!(v.last_result.as_deref(), Some("earlier"));
    let slot = ts("2026-01-01T00:30:00Z");
    schedule::mark_started(&state, ID, slot, slot).unwrap();
    assert_eq!(schedule::get(&state, "tick").unwrap().status, "running");
}
