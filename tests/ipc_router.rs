//! The IPC router: authorization by directory, quarantine of hostile files, a
//! flood, restart delivery, and the audit chain staying valid throughout.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use aigo::audit::AuditLog;
use aigo::groups::{self, Group};
use aigo::ipc::{
    self, BoxFut, MessageSink, OutboundMessage, Router, SessionDirs, TaskRefusal, TaskRequest,
    TaskSink,
};
use aigo::state::StateDir;
use tokio::sync::mpsc;

struct Capture(mpsc::UnboundedSender<(String, OutboundMessage)>);

impl MessageSink for Capture {
    fn deliver<'a>(
        &'a self,
        group: &'a str,
        msg: &'a OutboundMessage,
    ) -> BoxFut<'a, Result<(), String>> {
        let _ = self.0.send((group.to_string(), msg.clone()));
        Box::pin(async { Ok(()) })
    }
}

struct OwnTasksOnly;

impl TaskSink for OwnTasksOnly {
    fn apply<'a>(
        &'a self,
        group: &'a str,
        req: TaskRequest,
    ) -> BoxFut<'a, Result<String, TaskRefusal>> {
        Box::pin(async move {
            match req {
                TaskRequest::PauseTask { task_id } if task_id.starts_with(group) => {
                    Ok(format!("paused {task_id}"))
                }
                TaskRequest::PauseTask { task_id } => Err(TaskRefusal::Unauthorized(format!(
                    "{group} may not pause {task_id}"
                ))),
                _ => Err(TaskRefusal::Invalid("unsupported in this test".into())),
            }
        })
    }
}

struct Setup {
    _home: tempfile::TempDir,
    state: StateDir,
    router: Arc<Router>,
    rx: mpsc::UnboundedReceiver<(String, OutboundMessage)>,
    main: SessionDirs,
    family: SessionDirs,
}

fn setup() -> Setup {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    groups::add(
        &state,
        Group {
            name: "main".into(),
            main: true,
            jids: vec!["tg:1".into()],
            senders: vec![],
            ..Default::default()
        },
    )
    .unwrap();
    groups::add(
        &state,
        Group {
            name: "family".into(),
            main: false,
            jids: vec!["tg:2".into()],
            senders: vec![],
            ..Default::default()
        },
    )
    .unwrap();
    groups::add(
        &state,
        Group {
            name: "work".into(),
            main: false,
            jids: vec!["slack:C1".into()],
            senders: vec![],
            ..Default::default()
        },
    )
    .unwrap();
    let main = ipc::init(&state, "main", "s1").unwrap();
    let family = ipc::init(&state, "family", "s1").unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    let router = Router::new(
        state.clone(),
        AuditLog::open(&state),
        Arc::new(Capture(tx)),
        Arc::new(OwnTasksOnly),
    );
    Setup {
        _home: home,
        state,
        router,
        rx,
        main,
        family,
    }
}

fn msg(jid: &str, text: &str) -> OutboundMessage {
    OutboundMessage::new(jid, text)
}

fn errors_with_reasons(d: &SessionDirs) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(&d.errors).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(base) = name.strip_suffix(".reason.json") {
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(d.errors.join(&name)).unwrap()).unwrap();
            assert!(
                d.errors.join(base).symlink_metadata().is_ok(),
                "quarantined file {base} is missing"
            );
            out.push((
                v["file"].as_str().unwrap().to_string(),
                v["reason"].as_str().unwrap().to_string(),
            ));
        }
    }
    out.sort();
    out
}

fn left_in(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

#[tokio::test]
async fn main_may_send_anywhere_and_others_only_to_their_own_chats() {
    let mut s = setup();
    ipc::write_json(&s.main.messages, &msg("slack:C1", "from main to work")).unwrap();
    ipc::write_json(&s.family.messages, &msg("tg:2", "family to its own chat")).unwrap();
    ipc::write_json(
        &s.family.messages,
        &msg("slack:C1", "family to work's chat"),
    )
    .unwrap();
    s.router.scan_all().await;

    let mut got = Vec::new();
    while let Ok(d) = s.rx.try_recv() {
        got.push((d.0, d.1.text));
    }
    got.sort();
    assert_eq!(
        got,
        [
            ("family".to_string(), "family to its own chat".to_string()),
            ("main".to_string(), "from main to work".to_string())
        ]
    );
    assert_eq!(left_in(&s.main.messages) + left_in(&s.family.messages), 0);
    let errs = errors_with_reasons(&s.family);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].1.contains("may not send to slack:C1"), "{errs:?}");

    let log = aigo::audit::query(&s.state, &aigo::audit::AuditQuery::default()).unwrap();
    let v: Vec<_> = log
        .events
        .iter()
        .filter(|e| e.severity == aigo::audit::Severity::Violation)
        .collect();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].group.as_deref(), Some("family"));
    assert!(
        !serde_json::to_string(&v[0])
            .unwrap()
            .contains("family to work's chat"),
        "message text must not be audited"
    );
}

#[tokio::test]
async fn hostile_files_are_quarantined_with_reasons_and_the_chain_stays_valid() {
    let s = setup();
    let m = &s.family.messages;
    let secret = s.state.root().join("host-secret.txt");
    std::fs::write(&secret, "SECRET-ON-HOST").unwrap();
    std::fs::write(m.join("bad.json"), "{not json").unwrap();
    std::fs::write(
        m.join("wrong-shape.json"),
        r#"{"type":"message","text":"no jid"}"#,
    )
    .unwrap();
    std::fs::write(
        m.join("extra.json"),
        r#"{"type":"message","chatJid":"tg:2","text":"x","run":"rm -rf /"}"#,
    )
    .unwrap();
    std::fs::write(
        m.join("badjid.json"),
        r#"{"type":"message","chatJid":"../../etc","text":"x"}"#,
    )
    .unwrap();
    std::fs::write(
        m.join("..evil.json"),
        r#"{"type":"message","chatJid":"tg:9","text":"x"}"#,
    )
    .unwrap();
    std::fs::write(m.join("a..b.json"), "[]").unwrap();
    let big = std::fs::File::create(m.join("huge.json")).unwrap();
    big.set_len(100 * 1024 * 1024).unwrap();
    std::os::unix::fs::symlink(&secret, m.join("link.json")).unwrap();
    std::fs::create_dir(m.join("adir")).unwrap();
    let fifo = m.join("pipe.json");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    std::fs::write(
        s.family.tasks.join("bad-task.json"),
        r#"{"type":"format_disk"}"#,
    )
    .unwrap();
    std::fs::write(
        s.family.tasks.join("foreign.json"),
        r#"{"type":"pause_task","taskId":"main-123"}"#,
    )
    .unwrap();
    std::fs::write(
        s.family.tasks.join("own.json"),
        r#"{"type":"pause_task","taskId":"family-7"}"#,
    )
    .unwrap();

    s.router.scan_all().await;

    let errs = errors_with_reasons(&s.family);
    let reason = |f: &str| {
        errs.iter()
            .find(|(n, _)| n == f)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("{f} not quarantined: {errs:?}"))
    };
    assert!(reason("bad.json").contains("not a valid message"));
    assert!(reason("wrong-shape.json").contains("chatJid"));
    assert!(reason("extra.json").contains("unknown field"));
    assert!(reason("badjid.json").contains("invalid chat JID"));
    assert!(reason("..evil.json").contains("may not send to tg:9"));
    assert!(reason("a..b.json").contains("not a valid message"));
    assert!(reason("huge.json").contains("oversized"));
    assert!(reason("link.json").contains("symlink"));
    assert!(reason("adir").contains("not a regular file"));
    assert!(reason("pipe.json").contains("not a regular file"));
    assert!(reason("bad-task.json").contains("not a valid task request"));
    assert!(reason("foreign.json").contains("may not pause main-123"));
    assert_eq!(errs.len(), 12, "{errs:?}");
    assert_eq!(left_in(m), 0);
    assert_eq!(left_in(&s.family.tasks), 0, "own task applied and removed");
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        "SECRET-ON-HOST",
        "link target untouched"
    );
    assert!(errs.iter().all(|(_, r)| !r.contains("SECRET")));

    let report = aigo::audit::verify(&s.state).unwrap();
    assert!(report.valid, "{report:?}");
    let log = aigo::audit::export(&s.state).unwrap();
    assert_eq!(log.len(), 12, "one audit event per quarantined file");
    assert!(!serde_json::to_string(&log).unwrap().contains("SECRET"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_ten_thousand_files_is_delivered_while_the_router_runs() {
    let mut s = setup();
    let cancel = tokio_util::sync::CancellationToken::new();
    let task = tokio::spawn(s.router.clone().run(cancel.clone()));
    let dir = s.main.messages.clone();
    let writer = tokio::task::spawn_blocking(move || {
        for i in 0..10_000 {
            ipc::write_json(&dir, &msg("tg:1", &format!("m{i}"))).unwrap();
        }
    });
    let mut seen = std::collections::HashSet::new();
    while seen.len() < 10_000 {
        let (_, m) = tokio::time::timeout(Duration::from_secs(60), s.rx.recv())
            .await
            .expect("flood stalled")
            .unwrap();
        assert!(seen.insert(m.text.clone()), "{} delivered twice", m.text);
    }
    writer.await.unwrap();
    // Still running afterwards.
    ipc::write_json(&s.main.messages, &msg("tg:1", "after")).unwrap();
    let (_, m) = tokio::time::timeout(Duration::from_secs(30), s.rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.text, "after");
    cancel.cancel();
    task.await.unwrap().unwrap();
    assert_eq!(left_in(&s.main.messages), 0);
}

#[tokio::test]
async fn files_written_while_down_are_delivered_at_start_and_new_sessions_are_seen() {
    let mut s = setup();
    ipc::write_json(&s.main.messages, &msg("tg:1", "while down")).unwrap();
    let cancel = tokio_util::sync::CancellationToken::new();
    let task = tokio::spawn(s.router.clone().run(cancel.clone()));
    let (_, m) = tokio::time::timeout(Duration::from_secs(30), s.rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.text, "while down");
    // A session created after start, written to at once.
    let late = ipc::init(&s.state, "family", "late").unwrap();
    ipc::write_json(&late.messages, &msg("tg:2", "new session")).unwrap();
    let (g, m) = tokio::time::timeout(Duration::from_secs(30), s.rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((g.as_str(), m.text.as_str()), ("family", "new session"));
    cancel.cancel();
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn temp_files_wait_for_their_rename_but_abandoned_ones_are_accounted_for() {
    let s = setup();
    let fresh = s.family.messages.join("fresh.json.tmp");
    let stale = s.family.messages.join("stale.json.tmp");
    std::fs::write(&fresh, "{").unwrap();
    std::fs::write(&stale, "{").unwrap();
    let old = std::time::SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(old)
        .unwrap();
    s.router.scan_all().await;
    assert!(fresh.exists(), "a temp file being written is left alone");
    let errs = errors_with_reasons(&s.family);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].0, "stale.json.tmp");
}

/// Every file below `dir` with its bytes and mode, to prove nothing changed.
fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mode = std::fs::symlink_metadata(&d).unwrap().permissions().mode();
        out.push((d.display().to_string(), Vec::new(), mode));
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            if m.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.display().to_string(),
                    std::fs::read(&p).unwrap(),
                    m.permissions().mode(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// A host directory an attacker would aim at: a fake keystore, a file that is
/// a valid IPC message, a folder; readable by others (0755) so a chmod shows.
fn victim(state: &StateDir) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let v = state.root().join("victim");
    std::fs::create_dir_all(v.join("sub")).unwrap();
    std::fs::write(v.join("keystore.key"), "AGE-SECRET-KEY-CANARY").unwrap();
    std::fs::write(
        v.join("0001-1.json"),
        r#"{"type":"message","chatJid":"tg:2","text":"from the victim dir"}"#,
    )
    .unwrap();
    std::fs::write(
        v.join("0002-1.json"),
        r#"{"type":"pause_task","taskId":"family-1"}"#,
    )
    .unwrap();
    std::fs::set_permissions(&v, std::fs::Permissions::from_mode(0o755)).unwrap();
    v
}

#[tokio::test]
async fn ipc_folders_replaced_by_links_quarantine_the_session_and_touch_nothing_outside() {
    let mut s = setup();
    let victim = victim(&s.state);
    let before = snapshot(&victim);
    let mut violations = ipc::subscribe_violations();
    let attacks = [
        ("messages", "link"),
        ("tasks", "link"),
        ("errors", "link"),
        ("input", "link"),
        ("events", "link"),
        ("messages", "file"),
    ];
    for (i, (which, how)) in attacks.iter().enumerate() {
        let session = format!("a{i}");
        let d = ipc::init(&s.state, "family", &session).unwrap();
        // The agent's view: a message waiting, then the folder swapped.
        ipc::write_json(&d.messages, &msg("tg:2", "pending")).unwrap();
        let p = d.root.join(which);
        std::fs::remove_dir_all(&p).unwrap();
        if *how == "link" {
            std::os::unix::fs::symlink(&victim, &p).unwrap();
        } else {
            std::fs::write(&p, "not a dir").unwrap();
        }
        // What the host does with that folder on the agent's behalf.
        let err = match *which {
            "input" => Some(ipc::send(&d, "follow-up", "operator").unwrap_err()),
            "events" => Some(ipc::read_events(&d).unwrap_err()),
            _ => {
                s.router.scan_all().await;
                None
            }
        };
        if let Some(e) = err {
            assert!(matches!(e, ipc::IpcError::Unsafe { .. }), "{e}");
            assert!(e.to_string().contains("quarantined"), "{e}");
        }
        // (Sessions quarantined earlier may be announced again first.)
        let v = loop {
            let v = violations.try_recv().expect("the run service is told");
            if v.session == session {
                break v;
            }
        };
        assert_eq!(
            (v.group.as_str(), v.session.as_str()),
            ("family", session.as_str())
        );
        let expect = if *how == "link" {
            "a symlink to"
        } else {
            "a regular file"
        };
        assert!(v.found.contains(expect) && v.found.contains(which), "{v:?}");
        assert!(ipc::is_quarantined(&d).is_some());
        // Later calls refuse the session without touching it, and do not re-audit.
        for e in [
            ipc::init(&s.state, "family", &session).unwrap_err(),
            ipc::close(&d).unwrap_err(),
            ipc::send(&d, "x", "y").unwrap_err(),
        ] {
            assert!(matches!(e, ipc::IpcError::Quarantined { .. }), "{e}");
        }
        s.router.scan_all().await;
        let audited = aigo::audit::export(&s.state)
            .unwrap()
            .iter()
            .filter(|e| e.severity.as_str() == "violation")
            .count();
        assert_eq!(audited, i + 1, "one violation per attempt");
        // The router only announces the quarantine again (for a run service
        // in this process); it finds nothing new.
        while let Ok(again) = violations.try_recv() {
            assert!(again.session.as_str() <= session.as_str(), "{again:?}");
        }
    }
    // `ipc init` / `run --session` on a session whose input/ is already a link:
    // never chmod'ed, never written.
    let home = s.state.sessions_dir().join("family/b0/ipc");
    std::fs::create_dir_all(&home).unwrap();
    std::os::unix::fs::symlink(&victim, home.join("input")).unwrap();
    let e = ipc::init(&s.state, "family", "b0").unwrap_err();
    assert!(matches!(e, ipc::IpcError::Unsafe { .. }), "{e}");
    // The only session `aigo send` may still pick is the untouched one.
    assert_eq!(
        ipc::latest_session(&s.state, "family").unwrap().session,
        "s1"
    );

    assert_eq!(
        snapshot(&victim),
        before,
        "nothing outside the session changed"
    );
    assert!(
        s.rx.try_recv().is_err(),
        "nothing delivered from a quarantined session"
    );
    let log = aigo::audit::export(&s.state).unwrap();
    let found: Vec<&str> = log
        .iter()
        .filter(|e| e.severity.as_str() == "violation")
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(found.len(), attacks.len() + 1, "{found:?}");
    assert!(found.iter().all(|m| m.contains("quarantined")), "{found:?}");
    assert!(!serde_json::to_string(&log).unwrap().contains("CANARY"));
    assert!(aigo::audit::verify(&s.state).unwrap().valid);
}

#[tokio::test]
async fn a_null_chat_jid_is_a_reply_recorded_in_the_session() {
    let mut s = setup();
    std::fs::write(
        s.family.messages.join("0001-1.json"),
        r#"{"type":"message","chatJid":null,"text":"for the terminal"}"#,
    )
    .unwrap();
    s.router.scan_all().await;
    let replies =
        std::fs::read_to_string(s.family.root.parent().unwrap().join(ipc::REPLIES_FILE)).unwrap();
    let line: serde_json::Value = serde_json::from_str(replies.trim()).unwrap();
    assert_eq!(line["text"], "for the terminal");
    assert_eq!(line["session"], "s1");
    assert!(
        errors_with_reasons(&s.family).is_empty(),
        "never quarantined"
    );
    assert_eq!(left_in(&s.family.messages), 0);
    assert!(s.rx.try_recv().is_err(), "no chat delivery");
}

/// Records, at the main group's delivery, how many flood files still wait.
struct Probe(std::path::PathBuf, mpsc::UnboundedSender<(String, usize)>);

impl MessageSink for Probe {
    fn deliver<'a>(
        &'a self,
        group: &'a str,
        _msg: &'a OutboundMessage,
    ) -> BoxFut<'a, Result<(), String>> {
        let _ = self.1.send((group.to_string(), left_in(&self.0)));
        Box::pin(async { Ok(()) })
    }
}

#[tokio::test]
async fn a_non_main_flood_waits_its_turn_and_its_excess_is_quarantined() {
    let s = setup();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let limits = ipc::IpcLimits {
        files_per_round: 16,
        ..ipc::IpcLimits::default()
    };
    let router = Router::with_limits(
        s.state.clone(),
        AuditLog::open(&s.state),
        Arc::new(Probe(s.family.tasks.clone(), tx)),
        Arc::new(aigo::schedule::ScheduleTasks::new(s.state.clone()).with_group_limit(50)),
        limits,
    );
    let body = serde_json::json!({"type": "schedule_task", "name": "flood",
        "prompt": "x".repeat(200 * 1024), "schedule": {"type": "cron", "value": "0 9 * * *"}})
    .to_string();
    for i in 0..300 {
        std::fs::write(s.family.tasks.join(format!("{i:013}-1.json")), &body).unwrap();
    }
    ipc::write_json(&s.main.messages, &msg("tg:1", "urgent")).unwrap();
    router.scan_all().await;
    let (group, waiting) = rx.try_recv().unwrap();
    assert_eq!(group, "main");
    assert!(
        waiting >= 300 - 16,
        "main waited for {} flood files, more than one round",
        300 - waiting
    );
    let errs = errors_with_reasons(&s.family);
    assert_eq!(errs.len(), 300);
    assert!(
        errs.iter()
            .all(|(_, r)| r.contains("oversized") && r.contains("the limit is 147456")),
        "{:?}",
        errs[0]
    );
    assert!(aigo::schedule::list(&s.state).unwrap().is_empty());
    assert!(aigo::audit::verify(&s.state).unwrap().valid);
}

#[tokio::test]
async fn a_non_main_group_holds_at_most_its_schedule_limit() {
    let s = setup();
    let (tx, _rx) = mpsc::unbounded_channel();
    let router = Router::new(
        s.state.clone(),
        AuditLog::open(&s.state),
        Arc::new(Capture(tx)),
        Arc::new(aigo::schedule::ScheduleTasks::new(s.state.clone()).with_group_limit(5)),
    );
    for d in [&s.family, &s.main] {
        for i in 0..20 {
            let body = serde_json::json!({"type": "schedule_task", "name": format!("t{i}"),
                "prompt": "hi", "schedule": {"type": "interval", "value": "1h"}});
            ipc::write_json(&d.tasks, &body).unwrap();
        }
    }
    router.scan_all().await;
    let all = aigo::schedule::list(&s.state).unwrap();
    let count = |g: &str| all.iter().filter(|v| v.group == g).count();
    assert_eq!((count("family"), count("main")), (5, 20));
    let errs = errors_with_reasons(&s.family);
    assert_eq!(errs.len(), 15);
    assert!(
        errs[0].1.contains("already has 5 schedules"),
        "{:?}",
        errs[0]
    );
    assert!(errors_with_reasons(&s.main).is_empty());
}

/// Every agent-made schedule rewrites `schedules.toml`, so the table agents may
/// build is bounded, the main group's included (the CLI is not limited).
#[tokio::test]
async fn agents_cannot_grow_the_schedule_table_past_its_total_limit() {
    let s = setup();
    let (tx, _rx) = mpsc::unbounded_channel();
    let tasks = aigo::schedule::ScheduleTasks::new(s.state.clone())
        .with_group_limit(5)
        .with_total_limit(12);
    let router = Router::new(
        s.state.clone(),
        AuditLog::open(&s.state),
        Arc::new(Capture(tx)),
        Arc::new(tasks),
    );
    for i in 0..20 {
        let body = serde_json::json!({"type": "schedule_task", "name": format!("t{i}"),
            "prompt": "hi", "schedule": {"type": "interval", "value": "1h"}});
        ipc::write_json(&s.main.tasks, &body).unwrap();
    }
    router.scan_all().await;
    assert_eq!(aigo::schedule::list(&s.state).unwrap().len(), 12);
    let errs = errors_with_reasons(&s.main);
    assert_eq!(errs.len(), 8);
    assert!(
        errs.iter()
            .all(|(_, r)| r.contains("already 12 schedules") && r.contains("max_schedules_total")),
        "{errs:?}"
    );
    // A person can still add one.
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_aigo"))
        .arg("--home")
        .arg(s.state.root())
        .args([
            "schedule", "add", "--name", "by-hand", "--every", "1h", "--prompt", "hi",
        ])
        .output()
        .unwrap();
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    assert_eq!(aigo::schedule::list(&s.state).unwrap().len(), 13);
}

#[tokio::test]
async fn runner_events_are_read_typed_and_consumed() {
    let s = setup();
    let events = &s.family.events;
    std::fs::write(
        events.join("0001-1.json"),
        r#"{"type":"started","ts":"2026-11-29T06:00:00.000Z"}"#,
    )
    .unwrap();
    std::fs::write(
        events.join("0002-1.json"),
        r#"{"type":"turn","status":"success","sessionId":"abc","durationMs":12,"costUsd":0.01,"result":"done","error":null,"ts":"2026-11-29T06:00:01Z"}"#,
    )
    .unwrap();
    std::fs::write(events.join("0003-1.json"), r#"{"type":"bogus"}"#).unwrap();
    std::fs::write(events.join("0004-1.json.tmp"), "{").unwrap();
    let got = ipc::read_events(&s.family).unwrap();
    assert_eq!(got.len(), 2);
    assert!(matches!(got[0].1, ipc::RunnerEvent::Started { .. }));
    match &got[1].1 {
        ipc::RunnerEvent::Turn {
            status, session_id, ..
        } => {
            assert_eq!(*status, ipc::TurnStatus::Success);
            assert_eq!(session_id.as_deref(), Some("abc"));
        }
        e => panic!("{e:?}"),
    }
    assert_eq!(left_in(events), 1, "consumed; the temp file waits");
    assert_eq!(errors_with_reasons(&s.family)[0].0, "0003-1.json");
    assert!(ipc::read_events(&s.family).unwrap().is_empty());
}
