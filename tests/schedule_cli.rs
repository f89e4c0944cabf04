//! `aigo schedule …` through the real binary with a temp `AIGO_HOME`.

#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn aigo(home: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("aigo").expect("binary");
    c.env("AIGO_HOME", home).env_remove("AIGO_LOG");
    c
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("JSON output")
}

#[test]
fn check_json_is_reproducible_with_from() {
    let home = tempfile::tempdir().unwrap();
    let out = aigo(home.path())
        .args([
            "schedule",
            "check",
            "--cron",
            "0 9 * * 1-5",
            "--tz",
            "America/New_York",
        ])
        .args(["--from", "2026-03-06T12:00", "--count", "3", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["description"], "at 09:00 on Monday through Friday");
    // Friday noon EST; Monday is after the DST change (EDT, UTC-4).
    assert_eq!(
        v["nextRuns"],
        serde_json::json!([
            "2026-03-09T13:00:00Z",
            "2026-03-10T13:00:00Z",
            "2026-03-11T13:00:00Z"
        ])
    );
    assert!(v["warnings"].as_array().unwrap().is_empty());
}

#[test]
fn check_json_warns_about_the_gap() {
    let home = tempfile::tempdir().unwrap();
    let out = aigo(home.path())
        .args([
            "schedule",
            "check",
            "--cron",
            "30 2 * * *",
            "--tz",
            "Europe/Berlin",
        ])
        .args([
            "--from",
            "2026-03-28T12:00:00+01:00",
            "--count",
            "1",
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    assert_eq!(v["nextRuns"], serde_json::json!(["2026-03-29T01:00:00Z"]));
    let w = v["warnings"].as_array().unwrap();
    assert!(
        w.iter()
            .any(|w| w.as_str().unwrap().contains("does not exist")),
        "{w:?}"
    );
}

#[test]
fn check_refuses_invalid_expressions_with_the_reason() {
    let home = tempfile::tempdir().unwrap();
    for (expr, needle) in [
        ("61 * * * *", "minute field"),
        ("* * *", "found 3"),
        ("0 0 * * * *", "found 6"),
        ("", "empty"),
    ] {
        let out = aigo(home.path())
            .args(["schedule", "check", "--cron", expr, "--json"])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        let v = json(&out);
        assert_eq!(v["valid"], false, "{expr}");
        assert!(v["error"].as_str().unwrap().contains(needle), "{expr}: {v}");
        aigo(home.path())
            .args(["schedule", "check", "--cron", expr])
            .assert()
            .code(1)
            .stdout(predicate::str::contains("invalid:"));
    }
    aigo(home.path())
        .args(["schedule", "check", "--every", "30"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("no unit"));
}

#[test]
fn check_text_shows_zone_and_utc() {
    let home = tempfile::tempdir().unwrap();
    aigo(home.path())
        .args(["schedule", "check", "--every", "20s", "--tz", "Asia/Tokyo"])
        .args(["--from", "2026-01-01T00:00", "--count", "2"])
        .assert()
        .success()
        .stdout(predicate::str::contains("every 20 seconds"))
        .stdout(predicate::str::contains("2025-12-31T15:00:20Z"))
        .stderr(predicate::str::contains("shorter than a minute"));
}

#[test]
fn add_list_show_disable_enable_remove_logs() {
    let home = tempfile::tempdir().unwrap();
    aigo(home.path())
        .args([
            "schedule", "add", "--name", "bad", "--prompt", "x", "--cron", "0 9 * *",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("found 4"));
    let out = aigo(home.path())
        .args([
            "schedule",
            "add",
            "--name",
            "inbox",
            "--prompt",
            "summarize",
        ])
        .args([
            "--cron",
            "0 9 * * 1-5",
            "--tz",
            "Europe/Berlin",
            "--timeout",
            "300s",
        ])
        .args(["--context", "isolated", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let added = json(&out);
    let id = added["id"].as_str().unwrap().to_string();
    assert_eq!(added["containerConfig"]["timeoutSecs"], 300);
    assert_eq!(added["contextMode"], "isolated");

    let list = json(
        &aigo(home.path())
            .args(["schedule", "list", "--json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    assert!(list[0]["nextRun"].as_str().unwrap().ends_with('Z'));

    aigo(home.path())
        .args(["schedule", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("inbox"));
    aigo(home.path())
        .args(["schedule", "show", "inbox"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Monday through Friday"));
    aigo(home.path())
        .args(["schedule", "disable", &id])
        .assert()
        .success();
    let shown = json(
        &aigo(home.path())
            .args(["schedule", "show", &id, "--json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(
        (shown["enabled"].clone(), shown["status"].clone()),
        (Value::Bool(false), "paused".into())
    );
    assert!(shown["nextRun"].is_null());
    aigo(home.path())
        .args(["schedule", "enable", &id])
        .assert()
        .success();

    // A run log written by the daemon.
    let logs = home.path().join("logs/schedules");
    std::fs::create_dir_all(&logs).unwrap();
    let line = r#"{"runAt":"2026-01-01T08:00:01Z","durationMs":4200,"status":"success","result":"3 new mails","error":null}"#;
    std::fs::write(
        logs.join(format!("{id}.jsonl")),
        format!("{line}\n{line}\n"),
    )
    .unwrap();
    let l = json(
        &aigo(home.path())
            .args(["schedule", "logs", &id, "--last", "1", "--json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(l.as_array().unwrap().len(), 1);
    assert_eq!(l[0]["result"], "3 new mails");
    aigo(home.path())
        .args(["schedule", "logs", "inbox"])
        .assert()
        .success()
        .stdout(predicate::str::contains("3 new mails"));

    aigo(home.path())
        .args(["schedule", "remove", &id])
        .assert()
        .success();
    aigo(home.path())
        .args(["schedule", "show", &id])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no schedule"));
}
