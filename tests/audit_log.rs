//! The audit log as a library: append, query, export, verify, redaction, recovery.

use std::io::Write;

use aigo::audit::{
    self, AuditLog, AuditQuery, AuditQueryParams, Category, GENESIS_HASH, NewEvent, Problem,
    Severity,
};
use aigo::state::StateDir;
use serde_json::json;

fn setup() -> (tempfile::TempDir, StateDir, AuditLog) {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = StateDir::at(dir.path());
    let log = AuditLog::open(&state);
    (dir, state, log)
}

fn ev(sev: Severity, cat: Category, msg: &str) -> NewEvent {
    NewEvent::new(sev, cat, msg)
}

#[test]
fn append_chains_and_verifies() {
    let (_d, state, log) = setup();
    let a = log
        .record(ev(Severity::Info, Category::Container, "one").group("main"))
        .expect("record");
    let b = log
        .record(ev(Severity::Warning, Category::Ipc, "two"))
        .expect("record");
    assert_eq!((a.id, b.id), (1, 2));
    assert_eq!(a.prev_hash, GENESIS_HASH);
    assert_eq!(b.prev_hash, a.hash);
    assert_eq!(
        a.hash,
        audit::hash_value(&serde_json::to_value(&a).expect("json"))
    );
    let r = audit::verify(&state).expect("verify");
    assert!(r.valid, "{r:?}");
    assert_eq!(r.events, 2);
    assert_eq!(r.last_hash.as_deref(), Some(b.hash.as_str()));
    let text = std::fs::read_to_string(state.audit()).expect("read");
    assert_eq!(text.lines().count(), 2);
    let first: serde_json::Value =
        serde_json::from_str(text.lines().next().expect("line")).expect("json");
    for key in [
        "id", "ts", "severity", "category", "group", "message", "details", "prevHash", "hash",
    ] {
        assert!(first.get(key).is_some(), "missing {key} in {first}");
    }
}

#[test]
fn empty_and_missing_logs_are_valid() {
    let (_d, state, _log) = setup();
    let r = audit::verify(&state).expect("verify");
    assert!(r.valid && r.events == 0);
    assert!(audit::export(&state).expect("export").is_empty());
    assert_eq!(
        audit::query(&state, &AuditQuery::default())
            .expect("query")
            .total,
        0
    );
}

#[test]
fn batches_share_one_write_and_stay_chained() {
    let (_d, state, log) = setup();
    let out = log
        .record_batch(
            (0..5)
                .map(|i| ev(Severity::Info, Category::Proxy, &format!("b{i}")))
                .collect(),
        )
        .expect("batch");
    assert_eq!(
        out.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5]
    );
    assert!(
        log.record_batch(Vec::new())
            .expect("empty batch")
            .is_empty()
    );
    assert!(audit::verify(&state).expect("verify").valid);
}

#[test]
fn query_filters_and_keeps_the_newest() {
    let (_d, state, log) = setup();
    let sevs = [Severity::Info, Severity::Warning, Severity::Violation];
    for i in 0..30 {
        let g = if i % 2 == 0 { "main" } else { "team" };
        let cat = if i % 3 == 0 {
            Category::Ipc
        } else {
            Category::Mount
        };
        log.record(ev(sevs[i % 3], cat, &format!("e{i}")).group(g))
            .expect("record");
    }
    let all = audit::query(&state, &AuditQuery::default()).expect("query");
    assert_eq!((all.total, all.events.len()), (30, 30));

    let q = AuditQuery {
        severity: Some(Severity::Warning),
        ..Default::default()
    };
    let r = audit::query(&state, &q).expect("query");
    assert_eq!(r.total, 10);
    assert!(
        r.events.iter().all(|e| e.severity == Severity::Warning),
        "exact severity only"
    );

    let q = AuditQuery {
        min_severity: Some(Severity::Warning),
        ..Default::default()
    };
    assert_eq!(audit::query(&state, &q).expect("query").total, 20);

    let q = AuditQuery {
        limit: Some(4),
        ..Default::default()
    };
    let r = audit::query(&state, &q).expect("query");
    assert_eq!(r.total, 30);
    let msgs: Vec<_> = r.events.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(msgs, ["e26", "e27", "e28", "e29"], "newest N, oldest first");

    let q = AuditQuery {
        category: Some("ipc".into()),
        group: Some("main".into()),
        ..Default::default()
    };
    let r = audit::query(&state, &q).expect("query");
    assert!(
        r.events
            .iter()
            .all(|e| e.category == "ipc" && e.group.as_deref() == Some("main"))
    );
    assert_eq!(r.total, 5);

    let future = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(60);
    let q = AuditQuery {
        since: Some(future),
        ..Default::default()
    };
    assert_eq!(audit::query(&state, &q).expect("query").total, 0);
    let q = AuditQuery {
        limit: Some(0),
        ..Default::default()
    };
    let r = audit::query(&state, &q).expect("query");
    assert_eq!((r.total, r.events.len()), (30, 0));
    assert_eq!(audit::export(&state).expect("export").len(), 30);
}

#[test]
fn query_params_resolve_like_the_api() {
    let now: jiff::Timestamp = "2026-01-10T12:00:00Z".parse().expect("ts");
    let p = AuditQueryParams {
        severity: Some("violation".into()),
        since: Some("2d".into()),
        ..Default::default()
    };
    let q = p.resolve(now).expect("resolve");
    assert_eq!(q.severity, Some(Severity::Violation));
    assert_eq!(q.limit, Some(audit::DEFAULT_LIMIT));
    assert_eq!(q.since, Some("2026-01-08T12:00:00Z".parse().expect("ts")));
    let p = AuditQueryParams {
        severity: Some("loud".into()),
        ..Default::default()
    };
    assert!(matches!(
        p.resolve(now),
        Err(audit::AuditError::BadQuery(_))
    ));
    for (s, want) in [
        ("90m", "2026-01-10T10:30:00Z"),
        ("1h", "2026-01-10T11:00:00Z"),
        ("1w", "2026-01-03T12:00:00Z"),
        ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"),
        ("2026-01-01T01:00:00+01:00", "2026-01-01T00:00:00Z"),
    ] {
        assert_eq!(
            audit::parse_since(s, now).expect(s),
            want.parse::<jiff::Timestamp>().expect("ts"),
            "{s}"
        );
    }
    for bad in ["", "h", "5y", "yesterday", "-1h"] {
        assert!(
            audit::parse_since(bad, now).is_err(),
            "{bad} should be refused"
        );
    }
}

#[test]
fn secrets_are_redacted_from_details_and_message() {
    let (_d, state, log) = setup();
    let e = log
        .record(
            ev(Severity::Warning, Category::Proxy, "upstream said no to Bearer abc.def.ghi with sk-ant-api03-AAAAAAAAAAAAAAAAAAAA")
                .details(json!({
                    "path": "/v1/messages",
                    "headers": {"x-api-key": "sk-ant-real", "Authorization": "Bearer x", "accept": "json"},
                    "nested": [{"botToken": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq"}],
                    "note": "key was ghp_0123456789abcdefghij",
                    "mappingPassword": null
                })),
        )
        .expect("record");
    let text = std::fs::read_to_string(state.audit()).expect("read");
    for secret in ["sk-ant-", "abc.def.ghi", "Bearer x", "AAHdqTcv", "ghp_0123"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    assert_eq!(e.details["path"], "/v1/messages");
    assert_eq!(e.details["headers"]["accept"], "json");
    assert_eq!(e.details["headers"]["x-api-key"], audit::redact::REDACTED);
    assert!(e.details["mappingPassword"].is_null());
    assert!(
        e.message
            .starts_with("upstream said no to Bearer [redacted] with [redacted]")
    );
    assert!(audit::verify(&state).expect("verify").valid);
}

#[test]
fn ready_made_events_have_consistent_shapes() {
    let (_d, state, log) = setup();
    let evs = vec![
        NewEvent::mount_rejected(
            Some("team"),
            "/home/u/.ssh",
            "Path contains blocked pattern",
        ),
        NewEvent::ipc_violation(
            "team",
            "send to a foreign chat blocked",
            json!({"chatJid": "tg:2"}),
        ),
        NewEvent::quarantined("team", "messages/x.json", "not JSON"),
        NewEvent::proxy_unauthorized("missing placeholder", json!({"path": "/v1/messages"})),
        NewEvent::container_started("main", "aigo-main-1", json!({"image": "aigo-agent:latest"})),
        NewEvent::container_stopped("main", "aigo-main-1", Some(137)),
        NewEvent::compliance("main", "aigo-main-1", &[], 4),
        NewEvent::compliance(
            "main",
            "aigo-main-1",
            &["envApiKeyIsPlaceholder".to_string()],
            4,
        ),
    ];
    let out = log.record_batch(evs).expect("batch");
    let got: Vec<_> = out
        .iter()
        .map(|e| (e.category.as_str(), e.severity))
        .collect();
    assert_eq!(
        got,
        [
            ("mount", Severity::Violation),
            ("ipc", Severity::Violation),
            ("quarantine", Severity::Warning),
            ("proxy", Severity::Warning),
            ("container", Severity::Info),
            ("container", Severity::Warning),
            ("compliance", Severity::Info),
            ("compliance", Severity::Violation),
        ]
    );
    assert_eq!(out[4].details["image"], "aigo-agent:latest");
    assert!(audit::verify(&state).expect("verify").valid);
}

#[test]
fn torn_last_line_is_reported_then_moved_aside_on_next_append() {
    let (_d, state, log) = setup();
    log.record(ev(Severity::Info, Category::Container, "before"))
        .expect("record");
    // A crash mid-append: half a line, no newline, head anchor not advanced.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(state.audit())
        .expect("open");
    f.write_all(br#"{"id":2,"ts":"2026-01-01T00:00:00Z","sever"#)
        .expect("write");
    drop(f);
    let r = audit::verify(&state).expect("verify");
    assert!(!r.valid);
    assert_eq!(r.problem, Some(Problem::TruncatedLastLine));
    assert_eq!(r.first_bad_line, Some(2));
    assert_eq!(r.events, 1);

    // Another AuditLog (another process) appends: it repairs, says so, and chains on.
    let other = AuditLog::open(&state);
    let e = other
        .record(ev(Severity::Info, Category::Container, "after"))
        .expect("record");
    assert_eq!(e.id, 3, "the recovery event is 2");
    let r = audit::verify(&state).expect("verify");
    assert!(r.valid, "{r:?}");
    let all = audit::export(&state).expect("export");
    assert_eq!(all[1].category, "audit");
    assert_eq!(all[1].severity, Severity::Warning);
    let saved = all[1].details["savedTo"].as_str().expect("savedTo");
    assert!(
        std::fs::read_to_string(saved)
            .expect("saved")
            .contains("\"sever")
    );
    // The first AuditLog's cache is stale now: it must notice and chain after event 3.
    assert_eq!(
        log.record(ev(Severity::Info, Category::Container, "x"))
            .expect("record")
            .id,
        4
    );
    assert!(audit::verify(&state).expect("verify").valid);
}

#[test]
fn a_complete_event_missing_only_its_newline_is_kept() {
    let (_d, state, log) = setup();
    log.record(ev(Severity::Info, Category::Container, "a"))
        .expect("record");
    log.record(ev(Severity::Info, Category::Container, "b"))
        .expect("record");
    let text = std::fs::read_to_string(state.audit()).expect("read");
    std::fs::write(state.audit(), text.trim_end()).expect("write");
    assert_eq!(
        audit::verify(&state).expect("verify").problem,
        Some(Problem::TruncatedLastLine)
    );
    let e = AuditLog::open(&state)
        .record(ev(Severity::Info, Category::Container, "c"))
        .expect("record");
    assert_eq!(e.id, 3);
    let msgs: Vec<_> = audit::export(&state)
        .expect("export")
        .into_iter()
        .map(|e| e.message)
        .collect();
    assert_eq!(msgs, ["a", "b", "c"]);
    assert!(audit::verify(&state).expect("verify").valid);
}

#[test]
fn a_corrupt_last_line_stops_appends_without_touching_the_file() {
    let (_d, state, log) = setup();
    log.record(ev(Severity::Info, Category::Container, "a"))
        .expect("record");
    std::fs::write(state.audit(), "not json\n").expect("write");
    let err = AuditLog::open(&state)
        .record(ev(Severity::Info, Category::Container, "b"))
        .expect_err("must refuse");
    assert!(err.to_string().contains("audit.jsonl:1"), "{err}");
    assert_eq!(
        std::fs::read_to_string(state.audit()).expect("read"),
        "not json\n"
    );
}

#[tokio::test]
async fn record_async_works_from_tasks() {
    let (_d, state, log) = setup();
    let e = log
        .record_async(ev(Severity::Info, Category::Container, "async"))
        .await
        .expect("record");
    assert_eq!(e.id, 1);
    assert!(audit::verify(&state).expect("verify").valid);
}

#[test]
fn every_concurrent_caller_gets_the_error_of_a_failed_group_commit() {
    let (_d, state, log) = setup();
    std::fs::write(state.audit(), "not json\n").expect("write");
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let log = log.clone();
            std::thread::spawn(move || {
                log.record(ev(Severity::Info, Category::Ipc, &format!("t{i}")))
            })
        })
        .collect();
    for h in handles {
        let err = h.join().expect("thread").expect_err("must fail");
        assert!(err.to_string().contains("nothing was appended"), "{err}");
    }
    assert_eq!(
        std::fs::read_to_string(state.audit()).expect("read"),
        "not json\n"
    );
}

#[test]
fn long_lines_are_found_when_the_tail_is_re_read() {
    let (_d, state, log) = setup();
    let big = "x".repeat(20_000);
    log.record(ev(Severity::Info, Category::Compliance, "big").details(json!({"report": big})))
        .expect("record");
    // A fresh AuditLog has no cache: it must find the 20 KB line's hash from the end.
    let e = AuditLog::open(&state)
        .record(ev(Severity::Info, Category::Compliance, "after"))
        .expect("record");
    assert_eq!(e.id, 2);
    assert!(audit::verify(&state).expect("verify").valid);
}
