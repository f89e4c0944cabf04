//! Agent runs end to end on this machine's Docker Engine with a busybox "agent":
//! delivery through the router, a follow-up with `aigo send`, `_close`, a
//! violation by a non-main group, a timeout, and orphan clean-up at daemon start.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use aigo::audit::AuditLog;
use aigo::config::Config;
use aigo::daemon::DaemonOptions;
use aigo::groups::{self, Group};
use aigo::mounts::MountAllowlist;
use aigo::runs::{self, RunRequest, RunState};
use common::{TestDaemon, docker_or_skip};
use tokio_util::sync::CancellationToken;

const IMAGE: &str = "aigo-test-echo-agent:latest";

fn deliveries(d: &TestDaemon) -> String {
    std::fs::read_to_string(d.state.logs_dir().join("deliveries.jsonl")).unwrap_or_default()
}

fn request(group: &str, prompt: &str, timeout: Option<Duration>) -> RunRequest {
    RunRequest {
        group: group.into(),
        session: None,
        prompt: prompt.into(),
        mounts: vec![],
        timeout,
        idle_timeout: None,
        image: Some(IMAGE.into()),
        chat_jid: None,
        owner: format!("cli:{}", std::process::id()),
    }
}

/// Starts a run with an empty allowlist (no extra mounts) on the test engine.
fn start_run(
    d: &TestDaemon,
    rt: &tokio::runtime::Runtime,
    docker: &bollard::Docker,
    config: &Config,
    req: &RunRequest,
) -> runs::RunHandle {
    let audit = AuditLog::open(&d.state);
    rt.block_on(runs::start(
        &d.state,
        config,
        &MountAllowlist::default(),
        &audit,
        docker,
        req,
    ))
    .unwrap()
}

/// Waits for the run to end on the test runtime, in the background.
fn spawn_execute(
    d: &TestDaemon,
    rt: &tokio::runtime::Runtime,
    handle: runs::RunHandle,
) -> tokio::task::JoinHandle<aigo::runs::RunRecord> {
    let state = d.state.clone();
    rt.spawn(async move {
        runs::execute(
            &state,
            &AuditLog::open(&state),
            handle,
            CancellationToken::new(),
        )
        .await
    })
}

fn setup() -> Option<(TestDaemon, tokio::runtime::Runtime, bollard::Docker)> {
    if !docker_or_skip("run_e2e") {
        return None;
    }
    common::busybox_image(
        IMAGE,
        &[("agent.sh", common::ECHO_AGENT)],
        "ENTRYPOINT [\"/bin/sh\", \"/agent.sh\"]\n",
    );
    let d = TestDaemon::start(DaemonOptions::default());
    groups::add(
        &d.state,
        Group {
            name: "main".into(),
            main: true,
            jids: vec!["tg:100".into()],
            senders: vec![],
            ..Default::default()
        },
    )
    .unwrap();
    groups::add(
        &d.state,
        Group {
            name: "family".into(),
            main: false,
            jids: vec!["tg:200".into()],
            senders: vec![],
            ..Default::default()
        },
    )
    .unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let docker = rt.block_on(runs::docker(&Config::default())).unwrap();
    Some((d, rt, docker))
}

#[test]
fn main_group_run_delivers_takes_a_follow_up_and_closes() {
    let Some((d, rt, docker)) = setup() else {
        return;
    };
    let config = Config::load(&d.state).unwrap();
    let handle = start_run(&d, &rt, &docker, &config, &request("main", "hello", None));
    let (id, session, container) = (
        handle.record.id.clone(),
        handle.record.session.clone(),
        handle.record.container.clone(),
    );
    assert!(container.starts_with("aigo-main-"), "{container}");
    let done = spawn_execute(&d, &rt, handle);
    common::wait_for("the first reply", 30, || {
        deliveries(&d).contains("echo: hello")
    });
    assert!(deliveries(&d).contains("\"chatJid\":\"tg:100\""));

    common::aigo(d.home.path())
        .args(["send", "--group", "main", "--session", &session, "again"])
        .assert()
        .success();
    common::wait_for("the follow-up reply", 30, || {
        deliveries(&d).contains("echo: again")
    });
    common::aigo(d.home.path())
        .args(["close", "--group", "main", "--session", &session])
        .assert()
        .success();
    let rec = rt.block_on(done).unwrap();
    assert_eq!(rec.state, RunState::Exited);
    assert_eq!(rec.exit_code, Some(0));
    let log = std::fs::read_to_string(d.state.runs_dir().join(format!("{id}.log"))).unwrap();
    assert!(
        log.contains("answered: hello") && log.contains("closing"),
        "{log}"
    );
    let out = common::aigo(d.home.path())
        .args(["runs", "--json"])
        .assert()
        .success();
    let v = common::json(&out.get_output().stdout);
    assert_eq!(v[0]["id"], id.as_str());
    assert_eq!(v[0]["exitCode"], 0);
    // The container is gone and never saw a real key.
    let ps = std::process::Command::new("docker")
        .args(["ps", "-aq", "--filter", &format!("name={container}")])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&ps.stdout).trim().is_empty());
}

#[test]
fn a_non_main_group_cannot_send_to_another_groups_chat() {
    let Some((d, rt, docker)) = setup() else {
        return;
    };
    let mut config = Config::load(&d.state).unwrap();
    config.runs.extra_run_args = vec!["--env".into(), "REPLY_JID=tg:100".into()];
    let handle = start_run(
        &d,
        &rt,
        &docker,
        &config,
        &request("family", "sneaky", Some(Duration::from_secs(60))),
    );
    let session = handle.record.session.clone();
    let done = spawn_execute(&d, &rt, handle);
    common::wait_for("the violation", 30, || {
        d.get("/api/v1/container/audit-log?severity=violation")
            .json()["total"]
            == 1
    });
    let v = d
        .get("/api/v1/container/audit-log?severity=violation")
        .json();
    assert_eq!(v["events"][0]["group"], "family");
    assert!(
        v["events"][0]["message"]
            .as_str()
            .unwrap()
            .contains("tg:100")
    );
    assert!(!deliveries(&d).contains("sneaky"));
    let dirs = aigo::ipc::session_dirs(&d.state, "family", &session).unwrap();
    assert!(
        std::fs::read_dir(&dirs.errors).unwrap().count() >= 2,
        "quarantined with a reason"
    );
    aigo::ipc::close(&dirs).unwrap();
    assert_eq!(rt.block_on(done).unwrap().state, RunState::Exited);
    assert!(aigo::audit::verify(&d.state).unwrap().valid);
}

#[test]
fn a_timeout_stops_the_container_and_is_recorded() {
    let Some((d, rt, docker)) = setup() else {
        return;
    };
    let config = Config::load(&d.state).unwrap();
    let audit = AuditLog::open(&d.state);
    let handle = start_run(
        &d,
        &rt,
        &docker,
        &config,
        &request("main", "x", Some(Duration::from_secs(2))),
    );
    let rec = rt.block_on(runs::execute(
        &d.state,
        &audit,
        handle,
        CancellationToken::new(),
    ));
    assert_eq!(rec.state, RunState::Timeout);
    assert!(rec.reason.unwrap().contains("timeout"));
    let ps = std::process::Command::new("docker")
        .args(["ps", "-aq", "--filter", &format!("name={}", rec.container)])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&ps.stdout).trim().is_empty(),
        "container left behind"
    );
}

#[test]
fn a_rejected_mount_starts_nothing_and_is_audited() {
    let Some((d, rt, docker)) = setup() else {
        return;
    };
    let config = Config::load(&d.state).unwrap();
    let mut req = request("main", "x", None);
    req.mounts = vec!["/etc:etc".parse().unwrap()];
    let err = rt
        .block_on(runs::start(
            &d.state,
            &config,
            &MountAllowlist::default(),
            &AuditLog::open(&d.state),
            &docker,
            &req,
        ))
        .err()
        .unwrap();
    assert!(
        err.to_string().contains("Path not under any allowed root"),
        "{err}"
    );
    let v = d.get("/api/v1/container/audit-log?category=mount").json();
    assert_eq!(v["total"], 1);
}

#[test]
fn the_daemon_removes_containers_a_crash_left_behind() {
    if !docker_or_skip("the_daemon_removes_containers_a_crash_left_behind") {
        return;
    }
    common::busybox_image(
        IMAGE,
        &[("agent.sh", common::ECHO_AGENT)],
        "ENTRYPOINT [\"/bin/sh\", \"/agent.sh\"]\n",
    );
    let home = tempfile::tempdir().unwrap();
    let name = format!("aigo-main-orphan{}", std::process::id());
    let st = std::process::Command::new("docker")
        .args([
            "run",
            "-d",
            "--name",
            &name,
            "--label",
            "aigo.managed=true",
            "--label",
            "aigo.owner=daemon",
        ])
        .arg("--label")
        .arg(format!("aigo.home={}", home.path().display()))
        .arg(IMAGE)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let d = TestDaemon::start_in(home, DaemonOptions::default());
    common::wait_for("the orphan to be removed", 30, || {
        let ps = std::process::Command::new("docker")
            .args(["ps", "-aq", "--filter", &format!("name={name}")])
            .output()
            .unwrap();
        String::from_utf8_lossy(&ps.stdout).trim().is_empty()
    });
    drop(d);
}

#[test]
fn runs_started_through_the_api_can_be_listed_and_stopped() {
    let Some((d, _rt, _docker)) = setup() else {
        return;
    };
    let body = format!(
        r#"{{"group": "main", "prompt": "via api", "image": "{IMAGE}", "timeoutSecs": 120}}"#
    );
    let r = common::http(d.addr, "POST", "/api/v1/container/runs", Some(&body), &[]);
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_string();
    common::wait_for("the reply", 30, || deliveries(&d).contains("echo: via api"));
    let ps = d.get("/api/v1/container/ps").json();
    assert!(
        ps.as_array()
            .unwrap()
            .iter()
            .any(|c| c["run"] == id.as_str()),
        "{ps}"
    );
    let r = common::http(
        d.addr,
        "POST",
        &format!("/api/v1/container/runs/{id}/stop"),
        Some("{}"),
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    common::wait_for("the run to be recorded as ended", 30, || {
        let h = d.get("/api/v1/container/runs").json();
        h.as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == id.as_str() && x["state"] != "running")
    });
    let r = common::http(
        d.addr,
        "POST",
        "/api/v1/container/runs/nope/stop",
        Some("{}"),
        &[],
    );
    assert_eq!(r.status, 404);
}

#[test]
fn compliance_checks_flag_a_tampered_container_and_pass_a_clean_one() {
    let Some((d, rt, docker)) = setup() else {
        return;
    };
    let config = Config::load(&d.state).unwrap();
    let audit = AuditLog::open(&d.state);
    let handle = start_run(
        &d,
        &rt,
        &docker,
        &config,
        &request("main", "x", Some(Duration::from_secs(120))),
    );
    let clean = handle.record.container.clone();
    // A container claiming to be aigo's, with a real key in its env. (This sandbox
    // refuses --privileged containers, so that check is not exercised here.)
    let bad = format!("aigo-main-tampered{}", std::process::id());
    let st = std::process::Command::new("docker")
        .args([
            "run",
            "-d",
            "--name",
            &bad,
            "--label",
            "aigo.managed=true",
            "--label",
            "aigo.run=zzz",
        ])
        .args([
            "--label",
            &format!("aigo.owner=cli:{}", std::process::id()),
            "-e",
            "ANTHROPIC_API_KEY=sk-real-key-1",
        ])
        .arg(IMAGE)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let reports = rt
        .block_on(runs::check_running(
            &d.state,
            &docker,
            &["sk-real-key-1".to_string()],
        ))
        .unwrap();
    let _ = std::process::Command::new("docker")
        .args(["rm", "-f", &bad])
        .output();
    let ok = reports.iter().find(|r| r.container == clean).unwrap();
    assert!(ok.failed.is_empty(), "{ok:?}");
    let t = reports.iter().find(|r| r.container == bad).unwrap();
    for want in [
        "not the proxy placeholder",
        "holds a real credential",
        "no run record",
    ] {
        assert!(
            t.failed.iter().any(|f| f.contains(want)),
            "{want} missing in {:?}",
            t.failed
        );
    }
    assert!(
        !format!("{reports:?}").contains("sk-real-key-1"),
        "a compliance report must not repeat the secret"
    );
    aigo::ipc::close(&aigo::ipc::session_dirs(&d.state, "main", &handle.record.session).unwrap())
        .unwrap();
    rt.block_on(runs::execute(
        &d.state,
        &audit,
        handle,
        CancellationToken::new(),
    ));
}

#[test]
fn schedule_run_runs_the_prompt_now_and_logs_it() {
    let Some((d, _rt, _docker)) = setup() else {
        return;
    };
    std::fs::write(d.state.config(), format!("image_tag = \"{IMAGE}\"\n")).unwrap();
    common::aigo(d.home.path())
        .args([
            "schedule",
            "add",
            "--name",
            "nightly",
            "--group",
            "main",
            "--prompt",
            "report",
            "--cron",
            "0 3 * * *",
            "--timeout",
            "6s",
        ])
        .assert()
        .success();
    let out = common::aigo(d.home.path())
        .args(["schedule", "run", "nightly"])
        .assert()
        .code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("Timeout"));
    // The agent answered within its 6 s; the router may still be delivering.
    common::wait_for("the agent's answer", 30, || {
        deliveries(&d).contains("echo: report")
    });
    let out = common::aigo(d.home.path())
        .args(["schedule", "logs", "nightly", "--json"])
        .assert()
        .success();
    let v = common::json(&out.get_output().stdout);
    assert_eq!(v[0]["status"], "timeout", "{v}");
}
