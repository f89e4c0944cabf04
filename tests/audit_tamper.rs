//! Tampering with `audit.jsonl` is detected, and `aigo audit verify` names the line.

use assert_cmd::Command;
use predicates::prelude::*;

use aigo::audit::{self, AuditLog, Category, NewEvent, Problem, Severity};
use aigo::state::StateDir;

/// A log of `n` events; returns the tempdir, the state and the file's lines.
fn log_with(n: usize) -> (tempfile::TempDir, StateDir, Vec<String>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = StateDir::at(dir.path());
    let log = AuditLog::open(&state);
    for i in 1..=n {
        log.record(
            NewEvent::new(Severity::Info, Category::Container, format!("event {i}")).group("main"),
        )
        .expect("record");
    }
    let lines = read_lines(&state);
    (dir, state, lines)
}

fn read_lines(state: &StateDir) -> Vec<String> {
    std::fs::read_to_string(state.audit())
        .expect("read")
        .lines()
        .map(str::to_string)
        .collect()
}

fn write_lines(state: &StateDir, lines: &[String]) {
    std::fs::write(state.audit(), lines.join("\n") + "\n").expect("write");
}

/// Runs `aigo audit verify`: exit 1, and stdout names `line`.
fn cli_rejects(state: &StateDir, line: u64) {
    Command::cargo_bin("aigo")
        .expect("binary")
        .args(["audit", "verify"])
        .env("AIGO_HOME", state.root())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!("INVALID at line {line}:")));
}

fn expect_problem(state: &StateDir, problem: Problem, line: u64) -> audit::VerifyReport {
    let r = audit::verify(state).expect("verify");
    assert!(!r.valid, "{r:?}");
    assert_eq!(
        (r.problem, r.first_bad_line),
        (Some(problem), Some(line)),
        "{r:?}"
    );
    cli_rejects(state, line);
    r
}

#[test]
fn an_intact_log_verifies_with_exit_0() {
    let (_d, state, _) = log_with(3);
    Command::cargo_bin("aigo")
        .expect("binary")
        .args(["audit", "verify"])
        .env("AIGO_HOME", state.root())
        .assert()
        .success()
        .stdout(predicate::str::contains("audit log OK: 3 events"));
}

#[test]
fn editing_one_line_is_caught_at_that_line() {
    let (_d, state, mut lines) = log_with(5);
    lines[2] = lines[2].replace("event 3", "event 9");
    write_lines(&state, &lines);
    let r = expect_problem(&state, Problem::HashMismatch, 3);
    assert_eq!(r.events, 2);
    assert!(r.reason.expect("reason").contains("line 3 was modified"));
}

#[test]
fn editing_a_line_and_recomputing_its_hash_breaks_the_next_link() {
    let (_d, state, mut lines) = log_with(5);
    let mut v: serde_json::Value = serde_json::from_str(&lines[1]).expect("json");
    v["severity"] = "info".into();
    v["message"] = "nothing happened".into();
    v["hash"] = audit::hash_value(&v).into();
    lines[1] = v.to_string();
    write_lines(&state, &lines);
    expect_problem(&state, Problem::BrokenLink, 3);
}

#[test]
fn deleting_a_middle_line_is_caught_where_it_was() {
    let (_d, state, mut lines) = log_with(5);
    lines.remove(3);
    write_lines(&state, &lines);
    expect_problem(&state, Problem::BrokenLink, 4);
}

#[test]
fn deleting_the_first_line_is_caught() {
    let (_d, state, mut lines) = log_with(3);
    lines.remove(0);
    write_lines(&state, &lines);
    let r = expect_problem(&state, Problem::BrokenLink, 1);
    assert!(
        r.reason
            .expect("reason")
            .contains("earlier lines were deleted")
    );
}

#[test]
fn reordering_lines_is_caught() {
    let (_d, state, mut lines) = log_with(4);
    lines.swap(1, 2);
    write_lines(&state, &lines);
    expect_problem(&state, Problem::BrokenLink, 2);
}

#[test]
fn deleting_the_last_line_is_caught_by_the_head_anchor() {
    let (_d, state, mut lines) = log_with(4);
    lines.pop();
    write_lines(&state, &lines);
    let r = expect_problem(&state, Problem::MissingTail, 4);
    assert_eq!(r.events, 3);
}

#[test]
fn deleting_the_last_lines_stays_visible_after_later_appends() {
    let (_d, state, mut lines) = log_with(5);
    lines.truncate(3);
    write_lines(&state, &lines);
    let e = AuditLog::open(&state)
        .record(NewEvent::new(Severity::Info, Category::Container, "later"))
        .expect("record");
    // Numbering continues after the anchor, so the hole is permanent evidence.
    assert_eq!(e.id, 7);
    let r = expect_problem(&state, Problem::IdGap, 4);
    assert!(r.reason.expect("reason").contains("from 3 to 6"));
    let violations = audit::query(
        &state,
        &audit::AuditQuery {
            severity: Some(Severity::Violation),
            ..Default::default()
        },
    )
    .expect("query");
    assert_eq!(violations.total, 1);
    assert_eq!(violations.events[0].category, "audit");
}

#[test]
fn rewriting_the_last_event_is_caught_by_the_head_anchor() {
    let (_d, state, mut lines) = log_with(3);
    let mut v: serde_json::Value = serde_json::from_str(&lines[2]).expect("json");
    v["message"] = "forged".into();
    v["hash"] = audit::hash_value(&v).into();
    lines[2] = v.to_string();
    write_lines(&state, &lines);
    expect_problem(&state, Problem::HeadMismatch, 3);
}

#[test]
fn a_truncated_last_line_is_reported_distinctly() {
    let (_d, state, _) = log_with(3);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(state.audit())
        .expect("open");
    std::io::Write::write_all(&mut f, br#"{"id":4,"ts":"2026-"#).expect("write");
    drop(f);
    let r = expect_problem(&state, Problem::TruncatedLastLine, 4);
    assert_eq!(r.events, 3);
    Command::cargo_bin("aigo")
        .expect("binary")
        .args(["audit", "verify"])
        .env("AIGO_HOME", state.root())
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("incomplete").and(predicate::str::contains("interrupted")),
        );
}

#[test]
fn a_garbage_line_is_unparseable() {
    let (_d, state, mut lines) = log_with(3);
    lines.insert(1, "{not json".into());
    write_lines(&state, &lines);
    expect_problem(&state, Problem::Unparseable, 2);
}

#[test]
fn an_unreadable_anchor_is_a_warning_not_a_failure() {
    let (_d, state, _) = log_with(2);
    let mut anchor = state.audit().into_os_string();
    anchor.push(".head");
    std::fs::write(&anchor, "garbage").expect("write");
    let r = audit::verify(&state).expect("verify");
    assert!(r.valid, "{r:?}");
    assert_eq!(r.warnings.len(), 1);
    // And the next append still works and rewrites it.
    AuditLog::open(&state)
        .record(NewEvent::new(Severity::Info, Category::Container, "x"))
        .expect("record");
    let r = audit::verify(&state).expect("verify");
    assert!(r.valid && r.warnings.is_empty(), "{r:?}");
}
