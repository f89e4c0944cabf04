//! `aigo audit`, `aigo audit verify`, `aigo audit export` through the real binary.

use assert_cmd::Command;
use predicates::prelude::*;

use aigo::audit::{
    self, AuditEvent, AuditLog, AuditLogResponse, Category, NewEvent, Severity, VerifyReport,
};
use aigo::state::StateDir;

fn aigo(state: &StateDir) -> Command {
    let mut c = Command::cargo_bin("aigo").expect("binary");
    c.env("AIGO_HOME", state.root()).env_remove("AIGO_LOG");
    c
}

fn stdout(state: &StateDir, args: &[&str]) -> String {
    let out = aigo(state)
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("utf-8")
}

fn seeded() -> (tempfile::TempDir, StateDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = StateDir::at(dir.path());
    let log = AuditLog::open(&state);
    log.record_batch(vec![
        NewEvent::container_started("main", "aigo-main-1", serde_json::json!({})),
        NewEvent::mount_rejected(
            Some("team"),
            "/home/u/.ssh",
            "Path contains blocked pattern",
        ),
        NewEvent::quarantined("team", "messages/bad.json", "not JSON"),
        NewEvent::ipc_violation(
            "team",
            "send to tg:99 blocked: not this group's chat",
            serde_json::json!({"chatJid": "tg:99"}),
        ),
    ])
    .expect("seed");
    (dir, state)
}

#[test]
fn empty_log_lists_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = StateDir::at(dir.path());
    aigo(&state)
        .arg("audit")
        .assert()
        .success()
        .stdout("No audit events match.\n");
    let page: AuditLogResponse =
        serde_json::from_str(&stdout(&state, &["audit", "--json"])).expect("json");
    assert_eq!((page.events.len(), page.total), (0, 0));
    assert_eq!(stdout(&state, &["audit", "export"]).trim(), "[]");
}

#[test]
fn table_shows_time_severity_category_group_message() {
    let (_d, state) = seeded();
    let out = stdout(&state, &["audit"]);
    for want in [
        "Time",
        "Severity",
        "Category",
        "Group",
        "Message",
        "violation",
        "quarantine",
        "team",
        "aigo-main-1",
    ] {
        assert!(out.contains(want), "{want} missing from\n{out}");
    }
    let out = stdout(&state, &["audit", "--severity", "violation"]);
    assert!(
        out.contains("mount rejected") && out.contains("tg:99"),
        "{out}"
    );
    assert!(!out.contains("quarantined"), "{out}");
    let out = stdout(&state, &["audit", "--limit", "1"]);
    assert!(out.contains("1 of 4 matching events"), "{out}");
}

#[test]
fn json_is_the_api_shape_and_matches_the_library() {
    let (_d, state) = seeded();
    let text = stdout(
        &state,
        &[
            "audit",
            "--json",
            "--min-severity",
            "warning",
            "--group",
            "team",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert!(v["events"].is_array() && v["total"].is_u64(), "{v}");
    assert!(v["events"][0].get("prevHash").is_some(), "camelCase: {v}");
    let page: AuditLogResponse = serde_json::from_value(v).expect("shape");
    let q = audit::AuditQuery {
        min_severity: Some(Severity::Warning),
        group: Some("team".into()),
        limit: Some(audit::DEFAULT_LIMIT),
        ..Default::default()
    };
    assert_eq!(page, audit::query(&state, &q).expect("query"));
    assert_eq!(page.total, 3);

    let page: AuditLogResponse = serde_json::from_str(&stdout(
        &state,
        &["audit", "--json", "--category", "ipc", "--since", "1h"],
    ))
    .expect("json");
    assert_eq!(page.total, 1);
    let page: AuditLogResponse = serde_json::from_str(&stdout(
        &state,
        &["audit", "--json", "--since", "2999-01-01T00:00:00Z"],
    ))
    .expect("json");
    assert_eq!(page.total, 0);
}

#[test]
fn export_prints_every_event_as_an_array() {
    let (_d, state) = seeded();
    let events: Vec<AuditEvent> =
        serde_json::from_str(&stdout(&state, &["audit", "export"])).expect("json");
    assert_eq!(events, audit::export(&state).expect("export"));
    assert_eq!(
        events.iter().map(|e| e.id).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
}

#[test]
fn verify_json_reports_the_chain() {
    let (_d, state) = seeded();
    let r: VerifyReport =
        serde_json::from_str(&stdout(&state, &["audit", "verify", "--json"])).expect("json");
    assert!(
        r.valid && r.events == 4 && r.first_bad_line.is_none(),
        "{r:?}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&state, &["audit", "verify", "--json"])).expect("json");
    assert!(
        v.get("firstBadLine").is_some() && v.get("lastHash").is_some(),
        "{v}"
    );
}

#[test]
fn bad_filters_are_usage_errors() {
    let (_d, state) = seeded();
    aigo(&state)
        .args(["audit", "--since", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("RFC 3339"));
    aigo(&state)
        .args(["audit", "--severity", "loud"])
        .assert()
        .code(2);
    aigo(&state)
        .args(["audit", "--severity", "info", "--min-severity", "info"])
        .assert()
        .code(2);
}

#[test]
fn record_appends_and_is_hidden_from_help() {
    let (_d, state) = seeded();
    aigo(&state)
        .args([
            "audit",
            "record",
            "--category",
            "proxy",
            "--severity",
            "warning",
            "--message",
            "401 from proxy",
        ])
        .assert()
        .success();
    let page: AuditLogResponse =
        serde_json::from_str(&stdout(&state, &["audit", "--json", "--category", "proxy"]))
            .expect("json");
    assert_eq!(page.events[0].severity, Severity::Warning);
    assert_eq!(page.events[0].category, Category::Proxy.as_str());
    let help = stdout(&state, &["audit", "--help"]);
    assert!(
        help.contains("verify") && help.contains("export") && !help.contains("record"),
        "{help}"
    );
}
