//! Agent runs end to end on this machine's Docker Engine with a busybox
//! stand-in for the runner that speaks the IPC contract (`events/`): one-shot
//! runs closed after their answer, conversations closed when idle, delivery
//! through the router, follow-ups with `aigo send`, refusals before anything
//! starts, a violation by a non-main group, a timeout, signals, and orphan
//! clean-up at daemon start. `node_runner` walks the same through the real
//! Node runner and the fake claude, with the agent's tools and memory.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "run_e2e/node_runner.rs"]
mod node_runner;
mod support_image;

use std::sync::Arc;
use std::time::Duration;

use aigo::audit::AuditLog;
use aigo::config::Config;
use aigo::daemon::DaemonOptions;
use aigo::groups::{self, Group};
use aigo::mounts::MountAllowlist;
use aigo::runs::{ProxyCheck, RunMode, RunRecord, RunRequest, RunState, Runner};
use common::{TestDaemon, docker_or_skip};
use tokio_util::sync::CancellationToken;

const IMAGE: &str = "aigo-test-contract-runner:latest";

fn deliveries(d: &TestDaemon) -> String {
    std::fs::read_to_string(d.state.logs_dir().join("deliveries.jsonl")).unwrap_or_default()
}

fn request(group: &str, prompt: &str, timeout: Option<Duration>) -> RunRequest {
    RunRequest {
        timeout,
        image: Some(IMAGE.into()),
        ..RunRequest::new(group, prompt, format!("cli:{}", std::process::id()))
    }
}

/// The run service of the test daemon's state, with `config` and an empty
/// allowlist (no extra mounts); the daemon in this process serves the proxy.
fn runner(d: &TestDaemon, rt: &tokio::runtime::Runtime, config: Config) -> Runner {
    let engine = rt.block_on(aigo::runs::connect_engine(&config)).unwrap();
    Runner::new(
        d.state.clone(),
        Arc::new(config),
        Arc::new(MountAllowlist::default()),
        AuditLog::open(&d.state),
        engine,
        ProxyCheck::Daemon,
    )
}

/// Starts a run and follows it in the background.
fn spawn_run(
    r: &Runner,
    rt: &tokio::runtime::Runtime,
    req: &RunRequest,
) -> (RunRecord, tokio::task::JoinHandle<RunRecord>) {
    let handle = rt.block_on(r.start(req)).unwrap();
    let rec = handle.record.clone();
    let r = r.clone();
    let done = rt.spawn(async move { r.execute(handle, CancellationToken::new(), None).await });
    (rec, done)
}

/// Containers of this test's state directory, running or not.
fn containers_of(d: &TestDaemon) -> String {
    let out = std::process::Command::new("docker")
        .args(["ps", "-aq", "--filter"])
        .arg(format!("label=aigo.home={}", d.state.root().display()))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn setup() -> Option<(TestDaemon, tokio::runtime::Runtime)> {
    if !docker_or_skip("run_e2e") {
        return None;
    }
    common::contract_runner_image(IMAGE);
    Some(daemon_with(IMAGE))
}

/// A test daemon whose `config.toml` runs `image`, with groups `main` (tg:100)
/// and `family` (tg:200).
fn daemon_with(image: &str) -> (TestDaemon, tokio::runtime::Runtime) {
    // Configured before the daemon starts, so its cached config has the image.
    let home = tempfile::tempdir().unwrap();
    let state = aigo::state::StateDir::at(home.path());
    std::fs::write(state.config(), format!("image_tag = \"{image}\"\n")).unwrap();
    for (name, main, jid) in [("main", true, "tg:100"), ("family", false, "tg:200")] {
        groups::add(
            &state,
            Group {
                name: name.into(),
                main,
                jids: vec![jid.into()],
                senders: vec![],
                ..Default::default()
            },
        )
        .unwrap();
    }
    let d = TestDaemon::start_with_network(home, DaemonOptions::default(), "run");
    // Serving means it holds the state directory and wrote daemon.json, which
    // is how `aigo run` finds its proxy.
    common::wait_for("the daemon", 30, || d.get("/api/v1/health").status == 200);
    let rt = tokio::runtime::Runtime::new().unwrap();
    (d, rt)
}

#[test]
fn a_conversation_delivers_takes_a_follow_up_and_closes() {
    let Some((d, rt)) = setup() else {
        return;
    };
    let r = runner(&d, &rt, Config::load(&d.state).unwrap());
    let req = RunRequest {
        chat_jid: Some("tg:100".into()),
        mode: RunMode::Conversation,
        ..request("main", "hello", None)
    };
    let (started, done) = spawn_run(&r, &rt, &req);
    assert!(
        started.container.starts_with("aigo-main-"),
        "{}",
        started.container
    );
    common::wait_for("the first reply", 30, || {
        deliveries(&d).contains("echo: hello")
    });
    assert!(deliveries(&d).contains("\"chatJid\":\"tg:100\""));

    common::aigo(d.home.path())
        .args(["send", "--group", "main", "again"])
        .assert()
        .success();
    common::wait_for("the follow-up reply", 30, || {
        deliveries(&d).contains("echo: again")
    });
    common::aigo(d.home.path())
        .args(["close", "--group", "main"])
        .assert()
        .success();
    let rec = rt.block_on(done).unwrap();
    assert_eq!(rec.state, RunState::Exited);
    assert_eq!(rec.exit_code, Some(0));
    assert_eq!(rec.turns, 2);
    assert_eq!(rec.result.as_deref(), Some("echo: again"));
    assert_eq!(rec.agent_session, Some(format!("claude-{}", rec.session)));
    let log = std::fs::read_to_string(d.state.runs_dir().join(format!("{}.log", rec.id))).unwrap();
    assert!(
        log.contains("answered: hello") && log.contains("closing"),
        "{log}"
    );
    let out = common::aigo(d.home.path())
        .args(["runs", "--json"])
        .assert()
        .success();
    let v = common::json(&out.get_output().stdout);
    assert_eq!(v[0]["id"], rec.id.as_str());
    assert_eq!(v[0]["exitCode"], 0);
    assert_eq!(v[0]["result"], "echo: again");
    assert!(containers_of(&d).is_empty(), "container left behind");
    // With nothing running, follow-ups are refused and nothing is written.
    let out = common::aigo(d.home.path())
        .args(["send", "--group", "main", "anyone?"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("no running container for group \"main\""),
        "{err}"
    );
    common::aigo(d.home.path())
        .args(["close", "--group", "main", "--session", &rec.session])
        .assert()
        .code(2);
    let input = aigo::ipc::session_dirs(&d.state, "main", &rec.session)
        .unwrap()
        .input;
    assert_eq!(std::fs::read_dir(input).unwrap().count(), 0);
}

#[test]
fn a_one_shot_run_in_the_terminal_prints_the_answer_and_exits_0() {
    let Some((d, _rt)) = setup() else {
        return;
    };
    let out = common::aigo(d.home.path())
        .args(["run", "--group", "main", "--prompt", "hello there"])
        .timeout(Duration::from_secs(120))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert_eq!(stdout.trim(), "echo: hello there");
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("finished (1 turn)"), "{stderr}");
    assert!(
        !stderr.contains("Exited"),
        "human words, not Debug: {stderr}"
    );
    let runs = aigo::runs::history(&d.state).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].state, RunState::Exited);
    assert_eq!(runs[0].exit_code, Some(0), "closed by _close, not killed");
    assert_eq!(runs[0].chat_jid, None, "a terminal run has no chat");
    assert!(containers_of(&d).is_empty(), "container left behind");
    // The runner saw no AIGO_CHAT_JID and the host's zone as TZ.
    let log =
        std::fs::read_to_string(d.state.runs_dir().join(format!("{}.log", runs[0].id))).unwrap();
    assert!(log.contains("jid=none tz="), "{log}");
    assert!(!log.contains("tz=\n"), "TZ is set: {log}");

    // --json: the runner's events as JSON lines, then the record.
    let out = common::aigo(d.home.path())
        .args(["run", "--group", "main", "--prompt", "again", "--json"])
        .timeout(Duration::from_secs(120))
        .assert()
        .success();
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.get_output().stdout)
        .lines()
        .map(|l| common::json(l.as_bytes()))
        .collect();
    assert_eq!(lines[0]["type"], "started", "{lines:?}");
    assert_eq!(lines[1]["type"], "turn");
    assert_eq!(lines[1]["status"], "success");
    assert_eq!(lines[1]["result"], "echo: again");
    assert_eq!(lines.last().unwrap()["type"], "finished");
    assert_eq!(lines.last().unwrap()["run"]["state"], "exited");
}

#[test]
fn a_failed_turn_exits_non_zero_with_the_agents_error() {
    let Some((d, _rt)) = setup() else {
        return;
    };
    let out = common::aigo(d.home.path())
        .args(["run", "--group", "main", "--prompt", "please fail"])
        .timeout(Duration::from_secs(120))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("the agent could not: please fail"),
        "{stderr}"
    );
    let runs = aigo::runs::history(&d.state).unwrap();
    assert_eq!(
        runs[0].error.as_deref(),
        Some("the agent could not: please fail")
    );
    assert!(containers_of(&d).is_empty());
}

#[test]
fn an_interactive_run_relays_each_line_and_ctrl_d_closes_it() {
    let Some((d, _rt)) = setup() else {
        return;
    };
    let out = common::aigo(d.home.path())
        .args(["run", "--group", "main", "-i"])
        .write_stdin("first question\nsecond question\n")
        .timeout(Duration::from_secs(120))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        ["echo: first question", "echo: second question"]
    );
    let runs = aigo::runs::history(&d.state).unwrap();
    assert_eq!(runs[0].turns, 2);
    assert_eq!(runs[0].mode, RunMode::Conversation);
    assert!(containers_of(&d).is_empty());
}

#[test]
fn a_silent_conversation_is_closed_by_the_idle_timeout() {
    let Some((d, rt)) = setup() else {
        return;
    };
    let r = runner(&d, &rt, Config::load(&d.state).unwrap());
    let req = RunRequest {
        mode: RunMode::Conversation,
        idle_timeout: Some(Duration::from_secs(2)),
        ..request("main", "stay silent", Some(Duration::from_secs(300)))
    };
    // The runner keeps writing files of its own; they must not keep it alive.
    let (_, done) = spawn_run(&r, &rt, &req);
    let rec = rt.block_on(done).unwrap();
    assert_eq!(rec.state, RunState::IdleTimeout, "{rec:?}");
    assert_eq!(rec.exit_code, Some(0), "it was closed, not killed");
    assert!(
        rec.reason
            .as_deref()
            .unwrap()
            .contains("without a turn or message")
    );
    assert_eq!(rec.turns, 0);
    assert_eq!(
        rec.outcome().status,
        aigo::schedule::RunStatus::Timeout,
        "idle before any answer is not a success"
    );
    assert!(containers_of(&d).is_empty());
}

#[test]
fn refusals_start_nothing_and_are_recorded_and_audited() {
    let Some((d, _rt)) = setup() else {
        return;
    };
    // Unknown group: exit 2, the groups listed.
    let out = common::aigo(d.home.path())
        .args(["run", "--group", "mian", "--prompt", "x"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("no group \"mian\"") && err.contains("main, family"),
        "{err}"
    );
    assert_eq!(err.matches("no group").count(), 1, "said once: {err}");
    // Image missing: how to build it, from the CLI and the API (409, not 500).
    let out = common::aigo(d.home.path())
        .args([
            "run",
            "--group",
            "main",
            "--prompt",
            "x",
            "--image",
            "aigo-test-nope:1",
        ])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("aigo image build") && err.contains("aigo image context"),
        "{err}"
    );
    let r = common::http(
        d.addr,
        "POST",
        "/api/v1/container/runs",
        Some(r#"{"group": "main", "prompt": "x", "image": "aigo-test-nope:1"}"#),
        &[],
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.json()["error"], "image_missing");
    let r = common::http(
        d.addr,
        "POST",
        "/api/v1/container/runs",
        Some(r#"{"group": "mian", "prompt": "x"}"#),
        &[],
    );
    assert_eq!(r.status, 422, "{}", r.body);

    let runs = aigo::runs::history(&d.state).unwrap();
    assert_eq!(runs.len(), 4, "{runs:?}");
    assert!(runs.iter().all(|r| r.state == RunState::Refused));
    let out = common::aigo(d.home.path())
        .args(["runs"])
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("refused"));
    let audit = d
        .get("/api/v1/container/audit-log?category=container")
        .json();
    let refused = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["message"].as_str().unwrap().contains("did not start"))
        .count();
    assert_eq!(refused, 4, "{audit}");
    assert!(
        !d.state.sessions_dir().exists()
            || std::fs::read_dir(d.state.sessions_dir()).unwrap().count() == 0,
        "a refused run leaves no session behind"
    );
    assert!(containers_of(&d).is_empty());
}

#[test]
fn without_a_daemon_a_run_is_refused_with_the_fix() {
    if !docker_or_skip("without_a_daemon_a_run_is_refused_with_the_fix") {
        return;
    }
    common::contract_runner_image(IMAGE);
    let home = tempfile::tempdir().unwrap();
    common::aigo(home.path())
        .args(["group", "add", "main", "--main"])
        .assert()
        .success();
    let out = common::aigo(home.path())
        .args(["run", "--group", "main", "--prompt", "x", "--image", IMAGE])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("no credential proxy") && err.contains("aigo daemon"),
        "{err}"
    );
    let state = aigo::state::StateDir::at(home.path());
    let runs = aigo::runs::history(&state).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].state, RunState::Refused);
    assert!(!state.sessions_dir().join("main").exists());
    let audit = std::fs::read_to_string(state.root().join("audit.jsonl")).unwrap();
    assert!(audit.contains("did not start"), "{audit}");
    common::aigo(home.path())
        .args(["run", "--group", "main", "--prompt", "x", "--detach"])
        .assert()
        .code(2);
}

#[cfg(unix)]
#[test]
fn a_foreground_run_that_gets_sigterm_stops_its_container() {
    let Some((d, _rt)) = setup() else {
        return;
    };
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("aigo"))
        .env("AIGO_HOME", d.home.path())
        .env_remove("DOCKER_HOST")
        .args(["run", "--group", "main", "--prompt", "stay silent"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    common::wait_for("the container", 60, || !containers_of(&d).is_empty());
    let st = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let code = child.wait().unwrap();
    assert_eq!(code.code(), Some(1), "a stopped run is not a success");
    assert!(containers_of(&d).is_empty(), "container left behind");
    let runs = aigo::runs::history(&d.state).unwrap();
    assert_eq!(runs[0].state, RunState::Stopped);
}

#[test]
fn a_non_main_group_cannot_send_to_another_groups_chat() {
    let Some((d, rt)) = setup() else {
        return;
    };
    let r = runner(&d, &rt, Config::load(&d.state).unwrap());
    // The agent of `family` replies to main's chat.
    let req = RunRequest {
        chat_jid: Some("tg:100".into()),
        ..request("family", "sneaky", Some(Duration::from_secs(60)))
    };
    let (started, done) = spawn_run(&r, &rt, &req);
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
    let dirs = aigo::ipc::session_dirs(&d.state, "family", &started.session).unwrap();
    assert!(
        std::fs::read_dir(&dirs.errors).unwrap().count() >= 2,
        "quarantined with a reason"
    );
    assert_eq!(rt.block_on(done).unwrap().state, RunState::Exited);
    assert!(aigo::audit::verify(&d.state).unwrap().valid);
}

#[test]
fn a_timeout_stops_the_container_and_is_recorded() {
    let Some((d, rt)) = setup() else {
        return;
    };
    let r = runner(&d, &rt, Config::load(&d.state).unwrap());
    let (_, done) = spawn_run(
        &r,
        &rt,
        &request("main", "stay silent", Some(Duration::from_secs(2))),
    );
    let rec = rt.block_on(done).unwrap();
    assert_eq!(rec.state, RunState::Timeout);
    assert!(rec.reason.unwrap().contains("timeout"));
    assert!(containers_of(&d).is_empty(), "container left behind");
}

/// Joining a session clears the `_close` an earlier run left, through the
/// `input/` handle: an `input/` swapped for a link is never followed (the
/// `_close` at its target stays), the session is quarantined, the run refused.
#[test]
fn joining_a_session_whose_input_is_a_link_removes_nothing_through_it() {
    let Some((d, rt)) = setup() else {
        return;
    };
    let r = runner(&d, &rt, Config::load(&d.state).unwrap());
    let dirs = aigo::ipc::init(&d.state, "main", "joined").unwrap();
    let victim = tempfile::tempdir().unwrap();
    std::fs::write(victim.path().join(aigo::ipc::CLOSE_FILE), "keep me").unwrap();
    std::fs::remove_dir(&dirs.input).unwrap();
    std::os::unix::fs::symlink(victim.path(), &dirs.input).unwrap();
    let req = RunRequest {
        session: Some("joined".into()),
        ..request("main", "hello", Some(Duration::from_secs(60)))
    };
    let err = rt.block_on(r.start(&req)).err().unwrap();
    assert!(err.to_string().contains("quarantined"), "{err}");
    assert_eq!(
        std::fs::read_to_string(victim.path().join(aigo::ipc::CLOSE_FILE)).unwrap(),
        "keep me"
    );
    assert_eq!(
        aigo::runs::history(&d.state).unwrap()[0].state,
        RunState::Refused
    );
    assert!(containers_of(&d).is_empty());
    // A leftover `_close` in a real input/ is removed, and the run answers.
    let dirs = aigo::ipc::init(&d.state, "main", "joined2").unwrap();
    aigo::ipc::close(&dirs).unwrap();
    let req = RunRequest {
        session: Some("joined2".into()),
        ..request("main", "hello", Some(Duration::from_secs(60)))
    };
    let (_, done) = spawn_run(&r, &rt, &req);
    let rec = rt.block_on(done).unwrap();
    assert_eq!((rec.state, rec.turns), (RunState::Exited, 1), "{rec:?}");
}

#[test]
fn a_rejected_mount_starts_nothing_and_is_audited() {
    let Some((d, rt)) = setup() else {
        return;
    };
    let r = runner(&d, &rt, Config::load(&d.state).unwrap());
    let mut req = request("main", "x", None);
    req.mounts = vec!["/etc:etc".parse().unwrap()];
    let err = rt.block_on(r.start(&req)).err().unwrap();
    assert!(
        err.to_string().contains("Path not under any allowed root"),
        "{err}"
    );
    let v = d.get("/api/v1/container/audit-log?category=mount").json();
    assert_eq!(v["total"], 1);
    let runs = aigo::runs::history(&d.state).unwrap();
    assert_eq!(runs[0].state, RunState::Refused);
    assert!(!d.state.sessions_dir().join("main").exists());
}

#[test]
fn the_daemon_removes_containers_a_crash_left_behind() {
    if !docker_or_skip("the_daemon_removes_containers_a_crash_left_behind") {
        return;
    }
    common::contract_runner_image(IMAGE);
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
    let Some((d, _rt)) = setup() else {
        return;
    };
    let body = format!(
        r#"{{"group": "main", "prompt": "via api", "image": "{IMAGE}", "chatJid": "tg:100", "mode": "conversation", "timeoutSecs": 120}}"#
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
            .any(|c| c["id"] == id.as_str()),
        "ps ids are run ids: {ps}"
    );
    let out = common::aigo(d.home.path())
        .args(["ps", "--json"])
        .assert()
        .success();
    let v = common::json(&out.get_output().stdout);
    // Other tests (and other state directories) may have containers running now: find
    // this run's row rather than assuming it is the newest.
    let row = v
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id.as_str())
        .unwrap_or_else(|| panic!("`aigo ps --json` lists the run by its run id: {v}"));
    assert!(
        row["containerId"].as_str().is_some_and(|c| c.len() == 64),
        "{row}"
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
    let rec = aigo::runs::load_record(&d.state, &id).unwrap();
    assert_eq!(rec.state, RunState::Stopped);
    assert_eq!(
        rec.exit_code,
        Some(0),
        "_close within the grace period, no kill"
    );
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
    let Some((d, rt)) = setup() else {
        return;
    };
    let r = runner(&d, &rt, Config::load(&d.state).unwrap());
    let req = RunRequest {
        mode: RunMode::Conversation,
        ..request("main", "x", Some(Duration::from_secs(120)))
    };
    let (started, done) = spawn_run(&r, &rt, &req);
    let clean = started.container.clone();
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
    let engine = rt
        .block_on(aigo::runs::connect_engine(&Config::default()))
        .unwrap();
    let reports = rt
        .block_on(aigo::runs::check_running(
            &d.state,
            &engine,
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
    aigo::ipc::close(&aigo::ipc::session_dirs(&d.state, "main", &started.session).unwrap())
        .unwrap();
    rt.block_on(done).unwrap();
}

#[test]
fn schedule_run_runs_the_prompt_now_and_logs_the_reply() {
    let Some((d, _rt)) = setup() else {
        return;
    };
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
            "60s",
        ])
        .assert()
        .success();
    // What a crashed earlier run left in the group's standing session must not
    // end this one or pass for its answer.
    let dirs = aigo::ipc::init(&d.state, "main", "scheduled").unwrap();
    aigo::ipc::close(&dirs).unwrap();
    std::fs::write(
        dirs.events.join("1000000000000-00001.json"),
        r#"{"type":"turn","status":"success","result":"stale"}"#,
    )
    .unwrap();
    let out = common::aigo(d.home.path())
        .args(["schedule", "run", "nightly"])
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("echo: report"));
    let out = common::aigo(d.home.path())
        .args(["schedule", "logs", "nightly", "--json"])
        .assert()
        .success();
    let v = common::json(&out.get_output().stdout);
    assert_eq!(v[0]["status"], "success", "{v}");
    assert_eq!(v[0]["result"], "echo: report", "{v}");
    let rec = aigo::runs::history(&d.state).unwrap().pop().unwrap();
    assert_eq!(rec.turns, 1, "the stale turn is not this run's");
    assert!(containers_of(&d).is_empty());
}

#[test]
fn a_scheduled_run_finishes_after_its_turn_and_logs_the_reply() {
    let Some((d, _rt)) = setup() else {
        return;
    };
    let at = (jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3))
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    common::aigo(d.home.path())
        .args([
            "schedule",
            "add",
            "--name",
            "soon",
            "--group",
            "main",
            "--prompt",
            "status",
            "--timeout",
            "120s",
            "--at",
        ])
        .arg(&at)
        .assert()
        .success();
    common::wait_for("the scheduled run's log", 90, || {
        let out = common::aigo(d.home.path())
            .args(["schedule", "logs", "soon", "--json"])
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .is_ok_and(|v| v.as_array().is_some_and(|a| !a.is_empty()))
    });
    let out = common::aigo(d.home.path())
        .args(["schedule", "logs", "soon", "--json"])
        .assert()
        .success();
    let v = common::json(&out.get_output().stdout);
    assert_eq!(v[0]["status"], "success", "{v}");
    assert_eq!(v[0]["result"], "echo: status", "{v}");
    assert!(containers_of(&d).is_empty(), "container left behind");
    // The reply also went to the group's chat.
    common::wait_for("the delivery", 30, || {
        deliveries(&d).contains("echo: status")
    });
}

fn run_log(d: &TestDaemon, id: &str) -> String {
    std::fs::read_to_string(d.state.runs_dir().join(format!("{id}.log"))).unwrap()
}

/// Runs `aigo run` to success and returns the new run's record.
fn cli_run(d: &TestDaemon, args: &[&str]) -> RunRecord {
    let before = aigo::runs::history(&d.state).unwrap().len();
    common::aigo(d.home.path())
        .arg("run")
        .args(args)
        .timeout(Duration::from_secs(120))
        .assert()
        .success();
    let runs = aigo::runs::history(&d.state).unwrap();
    assert_eq!(runs.len(), before + 1);
    runs.last().unwrap().clone()
}

#[test]
fn a_second_run_for_the_same_chat_resumes_the_agents_session() {
    let Some((d, _rt)) = setup() else {
        return;
    };
    let first = cli_run(&d, &["--group", "main", "--prompt", "one"]);
    let sid = first.agent_session.clone().unwrap();
    assert!(run_log(&d, &first.id).contains("resume=none"));
    let second = cli_run(&d, &["--group", "main", "--prompt", "two"]);
    let log = run_log(&d, &second.id);
    assert!(log.contains(&format!("resume={sid}")), "{log}");
    // The agent's state directory persisted between the runs.
    assert!(log.contains(&format!("main/{}", first.session)), "{log}");
    // Another chat of the group has its own session.
    let chat = cli_run(&d, &["--group", "main", "--prompt", "x", "--jid", "tg:100"]);
    assert!(run_log(&d, &chat.id).contains("resume=none"));
    // --new starts fresh, and is what the terminal resumes next.
    let fresh = cli_run(&d, &["--group", "main", "--prompt", "three", "--new"]);
    assert!(run_log(&d, &fresh.id).contains("resume=none"));
    let out = common::aigo(d.home.path())
        .args(["group", "show", "main", "--json"])
        .assert()
        .success();
    let v = common::json(&out.get_output().stdout);
    let sessions = v["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{v}");
    let term = sessions.iter().find(|s| s["chatJid"].is_null()).unwrap();
    assert_eq!(
        term["sessionId"],
        fresh.agent_session.clone().unwrap().as_str()
    );
    // Another group never sees main's state.
    let other = cli_run(&d, &["--group", "family", "--prompt", "hi"]);
    let log = run_log(&d, &other.id);
    assert!(
        log.contains("resume=none") && log.contains("state dir holds: \n"),
        "{log}"
    );
    assert!(
        other
            .binds
            .iter()
            .all(|b| !b.host.ends_with("agents/main/claude"))
    );
    // Forgotten: the next run starts fresh.
    common::aigo(d.home.path())
        .args(["group", "forget", "main"])
        .assert()
        .success()
        .stdout(predicates::str::contains("forgot 2 agent sessions"));
    let after = cli_run(&d, &["--group", "main", "--prompt", "four"]);
    assert!(run_log(&d, &after.id).contains("resume=none"));
    // An isolated schedule neither resumes nor is remembered, and gets no state dir.
    common::aigo(d.home.path())
        .args([
            "schedule",
            "add",
            "--name",
            "iso",
            "--group",
            "main",
            "--prompt",
            "tick",
            "--cron",
            "0 3 * * *",
            "--context",
            "isolated",
        ])
        .assert()
        .success();
    common::aigo(d.home.path())
        .args(["schedule", "run", "iso"])
        .assert()
        .success();
    let iso = aigo::runs::history(&d.state)
        .unwrap()
        .last()
        .unwrap()
        .clone();
    let log = run_log(&d, &iso.id);
    assert!(
        log.contains("resume=none") && !log.contains("state dir holds"),
        "{log}"
    );
}

#[test]
fn a_detached_run_is_followed_by_the_daemon_to_its_end() {
    let Some((d, _rt)) = setup() else {
        return;
    };
    let out = common::aigo(d.home.path())
        .args(["run", "--group", "main", "--prompt", "later", "--detach"])
        .assert()
        .success();
    let id = String::from_utf8_lossy(&out.get_output().stdout)
        .trim()
        .to_string();
    common::wait_for("the detached run to finish", 60, || {
        aigo::runs::load_record(&d.state, &id).is_ok_and(|r| r.state != RunState::Running)
    });
    let rec = aigo::runs::load_record(&d.state, &id).unwrap();
    assert_eq!(rec.state, RunState::Exited, "{rec:?}");
    assert_eq!(rec.owner, "daemon");
    assert_eq!(rec.result.as_deref(), Some("echo: later"));
    assert!(containers_of(&d).is_empty());
}

/// A shell "agent" for containment tests: waits for its first input, runs the
/// text as a shell command, prints what it printed, and exits. It reads nothing
/// before the host hands it input, so what a run shows is what it was given.
const PROBE_IMAGE: &str = "aigo-test-probe-agent:latest";
const PROBE_AGENT: &str = r#"#!/bin/sh
while :; do
  for f in /workspace/ipc/input/*.json; do
    [ -e "$f" ] || continue
    cmd=$(sed -n 's/.*"text":"\([^"]*\)".*/\1/p' "$f")
    echo probe-start
    sh -c "$cmd" 2>&1
    echo probe-end
    exit 0
  done
  sleep 0.05
done
"#;

fn probe_setup() -> Option<(TestDaemon, tokio::runtime::Runtime, aigo::runtime::Engine)> {
    let (d, rt) = setup()?;
    let docker = rt
        .block_on(aigo::runs::connect_engine(&Config::load(&d.state).unwrap()))
        .unwrap();
    let s = (d, rt, docker);
    common::busybox_image(
        PROBE_IMAGE,
        &[("probe.sh", PROBE_AGENT)],
        "ENTRYPOINT [\"/bin/sh\", \"/probe.sh\"]\n",
    );
    Some(s)
}

/// Runs `cmd` in a probe container with `mounts`, validated against the state
/// directory's real allowlist; returns the record and the run log.
async fn probe(
    state: &aigo::state::StateDir,
    docker: &aigo::runtime::Engine,
    mounts: &[&str],
    cmd: &str,
) -> Result<(RunRecord, String), aigo::runs::RunError> {
    let config = Config::load(state).unwrap();
    let allowlist: MountAllowlist = aigo::state::load_toml(&state.mounts()).unwrap();
    let mut req = request("main", cmd, Some(Duration::from_secs(60)));
    req.image = Some(PROBE_IMAGE.into());
    req.mounts = mounts.iter().map(|m| m.parse().unwrap()).collect();
    let r = Runner::new(
        state.clone(),
        Arc::new(config),
        Arc::new(allowlist),
        AuditLog::open(state),
        docker.clone(),
        ProxyCheck::Daemon,
    );
    let handle = r.start(&req).await?;
    let rec = r.execute(handle, CancellationToken::new(), None).await;
    let log = std::fs::read_to_string(state.runs_dir().join(format!("{}.log", rec.id)))
        .unwrap_or_default();
    Ok((rec, log))
}

#[test]
fn agents_run_unprivileged_on_a_read_only_root_and_never_see_masked_secrets() {
    let Some((d, rt, docker)) = probe_setup() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let root = work.path().canonicalize().unwrap();
    let proj = root.join("proj");
    std::fs::create_dir_all(proj.join("sub/.ssh")).unwrap();
    std::fs::write(proj.join(".env"), "TOKEN=hunter2\n").unwrap();
    std::fs::write(proj.join("sub/.ssh/id_ed25519"), "PRIVATE KEY\n").unwrap();
    std::fs::write(proj.join("README"), "hello from the project\n").unwrap();
    aigo::mounts::add_root(&d.state, &root, true, None, false).unwrap();
    let mount = format!("{}:proj:rw", proj.display());
    let cmd = "echo uid=$(id -u); touch /probe-root || echo rootfs-refused; \
               touch /tmp/t && echo tmp-ok; touch $HOME/h && echo home-ok; \
               cat /workspace/extra/proj/.env; echo env-bytes=$(wc -c < /workspace/extra/proj/.env); \
               echo ssh-entries=$(ls -A /workspace/extra/proj/sub/.ssh | wc -l); \
               echo x > /workspace/extra/proj/.env || echo env-write-refused; \
               cat /workspace/extra/proj/README";
    let (rec, log) = rt
        .block_on(probe(&d.state, &docker, &[&mount], cmd))
        .unwrap();
    assert_eq!(rec.state, RunState::Exited, "{rec:?}\n{log}");
    assert!(log.contains("probe-end"), "{log}");
    let uid = log
        .lines()
        .find_map(|l| l.strip_prefix("uid="))
        .unwrap_or_else(|| panic!("no uid in {log}"));
    assert_ne!(uid.trim(), "0", "the agent runs as root: {log}");
    for want in [
        "Read-only file system",
        "rootfs-refused",
        "tmp-ok",
        "home-ok",
        "env-bytes=0",
        "ssh-entries=0",
        "env-write-refused",
        "hello from the project",
    ] {
        assert!(log.contains(want), "{want:?} missing in:\n{log}");
    }
    assert!(
        !log.contains("hunter2") && !log.contains("PRIVATE KEY"),
        "{log}"
    );
    // The masks hid the files; they did not touch them.
    assert_eq!(
        std::fs::read_to_string(proj.join(".env")).unwrap(),
        "TOKEN=hunter2\n"
    );
    assert!(
        rec.binds
            .iter()
            .any(|b| b.container == "/workspace/extra/proj/.env" && b.read_only),
        "{:?}",
        rec.binds
    );
}

/// A run's container sits on the agents' internal network (default egress
/// `proxy-only`), not the default bridge: `host-gateway` is that network's
/// gateway address, and its one interface has an address in that subnet.
#[test]
fn runs_sit_on_the_agents_network_with_host_gateway_at_its_gateway() {
    let Some((d, rt, docker)) = probe_setup() else {
        return;
    };
    let cmd = "echo hosts=$(grep -w host-gateway /etc/hosts | cut -f1 -d' ' | cut -f1); \
               echo self=$(grep -w $(hostname) /etc/hosts | cut -f1 | head -n1); \
               echo nets=$(ls /sys/class/net | grep -vx lo | wc -l)";
    let (rec, log) = rt.block_on(probe(&d.state, &docker, &[], cmd)).unwrap();
    assert_eq!(rec.state, RunState::Exited, "{rec:?}\n{log}");
    let net = Config::load(&d.state).unwrap().network.name;
    let gw = std::process::Command::new("docker")
        .args(["network", "inspect", &net, "-f"])
        .arg("{{range .IPAM.Config}}{{.Gateway}} {{.Subnet}}{{end}}")
        .output()
        .unwrap();
    let gw = String::from_utf8_lossy(&gw.stdout).trim().to_string();
    let (gw, subnet) = gw
        .split_once(' ')
        .unwrap_or_else(|| panic!("the run did not create network {net}: {gw:?}"));
    let (base, bits) = subnet.split_once('/').unwrap();
    let mask = u32::MAX << (32 - bits.parse::<u32>().unwrap());
    let base = u32::from(base.parse::<std::net::Ipv4Addr>().unwrap());
    let me = log
        .lines()
        .find_map(|l| l.strip_prefix("self="))
        .unwrap_or_else(|| panic!("no self line in {log}"));
    let me = u32::from(me.trim().parse::<std::net::Ipv4Addr>().unwrap());
    assert_eq!(
        me & mask,
        base & mask,
        "the container is not on {net} ({subnet}): {log}"
    );
    let hosts = log
        .lines()
        .find_map(|l| l.strip_prefix("hosts="))
        .unwrap_or_else(|| panic!("no hosts line in {log}"));
    assert_eq!(
        hosts.trim(),
        gw,
        "host-gateway is not {net}'s gateway: {log}"
    );
    assert!(
        log.contains("nets=1"),
        "the container is on more than one network: {log}"
    );
}

#[test]
fn the_state_directory_and_a_root_turned_symlink_to_slash_never_reach_a_container() {
    let Some((d, rt, docker)) = probe_setup() else {
        return;
    };
    // A root that holds the state directory (like `aigo mount add ~`).
    let parent = d.home.path().canonicalize().unwrap();
    let parent = parent.parent().unwrap();
    common::aigo(d.home.path())
        .args(["mount", "add", "--read-write"])
        .arg(parent)
        .assert()
        .success();
    d.write_config(&format!("image_tag = \"{PROBE_IMAGE}\"\n"));
    let out = common::aigo(d.home.path())
        .args(["run", "--group", "main", "--prompt", "cat keystore.key"])
        .arg("--mount")
        .arg(format!("{}:w", d.home.path().display()))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("state directory"), "{err}");
    // A pending root that appears as a symlink to /: /etc through it is refused.
    let work = tempfile::tempdir().unwrap();
    let later = work.path().canonicalize().unwrap().join("later");
    aigo::mounts::add_root(&d.state, &later, false, None, true).unwrap();
    std::os::unix::fs::symlink("/", &later).unwrap();
    let etc = format!("{}:etc", later.join("etc").display());
    let e = rt
        .block_on(probe(
            &d.state,
            &docker,
            &[&etc],
            "cat /workspace/extra/etc/shadow",
        ))
        .err()
        .unwrap();
    assert!(e.to_string().contains("too broad"), "{e}");
    let v = d
        .get("/api/v1/container/audit-log?severity=violation&category=mount")
        .json();
    assert_eq!(v["total"], 2, "{v}");
    let ps = std::process::Command::new("docker")
        .args(["ps", "-aq", "--filter", "label=aigo.run"])
        .args([
            "--filter",
            &format!("label=aigo.home={}", d.state.root().display()),
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&ps.stdout).trim().is_empty());
    assert!(aigo::audit::verify(&d.state).unwrap().valid);
}

/// Issue 12's race: a directory under a root is swapped with a symlink to a
/// victim outside every root every 2 ms while 40 runs start. Docker resolves
/// bind sources at start, after validation; the post-start check must catch
/// every run that got the victim, before the agent gets its input.
#[test]
fn a_directory_swapped_for_a_symlink_during_start_never_mounts_the_victim() {
    let Some((d, rt, docker)) = probe_setup() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let base = work.path().canonicalize().unwrap();
    std::fs::create_dir_all(base.join("root/proj")).unwrap();
    std::fs::create_dir_all(base.join("victim")).unwrap();
    std::fs::write(base.join("root/proj/marker"), "real-dir\n").unwrap();
    std::fs::write(base.join("victim/marker"), "VICTIM-DIR\n").unwrap();
    std::os::unix::fs::symlink(base.join("victim"), base.join("root/proj.link")).unwrap();
    aigo::mounts::add_root(&d.state, &base.join("root"), false, None, false).unwrap();

    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let swapper = {
        let stop = stop.clone();
        let root = base.join("root");
        std::thread::spawn(move || {
            // One atomic exchange per swap (renameat2 RENAME_EXCHANGE), as an
            // attacker would do it: `proj` is always there, a directory or a link
            // to the victim, never missing for the engine to trip over.
            let (p, other) = (root.join("proj"), root.join("proj.link"));
            let mut swaps = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                rustix::fs::renameat_with(
                    rustix::fs::CWD,
                    &p,
                    rustix::fs::CWD,
                    &other,
                    rustix::fs::RenameFlags::EXCHANGE,
                )
                .expect("exchange proj and proj.link");
                swaps += 1;
                std::thread::sleep(Duration::from_millis(2));
            }
            swaps
        })
    };
    let mount = format!("{}:proj", base.join("root/proj").display());
    let results = rt.block_on(async {
        let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(4));
        let mut tasks = Vec::new();
        for _ in 0..40 {
            let (state, docker, mount, sem) =
                (d.state.clone(), docker.clone(), mount.clone(), sem.clone());
            tasks.push(tokio::spawn(async move {
                let _permit = sem.acquire_owned().await.unwrap();
                probe(
                    &state,
                    &docker,
                    &[&mount],
                    "cat /workspace/extra/proj/marker",
                )
                .await
            }));
        }
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let swaps = swapper.join().unwrap();
    let (mut real, mut refused, mut rejected) = (0, 0, 0);
    for r in &results {
        match r {
            Ok((rec, log)) => {
                assert!(
                    !log.contains("VICTIM-DIR"),
                    "the victim was mounted in run {}: {log}",
                    rec.id
                );
                if log.contains("real-dir") {
                    real += 1;
                }
            }
            Err(aigo::runs::RunError::Refused { .. }) => refused += 1,
            Err(aigo::runs::RunError::MountRejected { .. }) => rejected += 1,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    println!(
        "race: {swaps} swaps; 40 runs: {real} mounted the real dir, {refused} refused after start, {rejected} rejected at validation, 0 mounted the victim"
    );
    // Every refusal after start is a recorded run and an audited violation.
    let refused_records = aigo::runs::history(&d.state)
        .unwrap()
        .into_iter()
        .filter(|r| r.state == RunState::Refused)
        .count();
    // Refusals at validation are recorded as refused runs too.
    assert_eq!(refused_records, refused + rejected);
    let v = d
        .get("/api/v1/container/audit-log?severity=violation&category=mount&limit=1000")
        .json();
    assert_eq!(v["total"], refused + rejected, "{v}");
    assert!(aigo::audit::verify(&d.state).unwrap().valid);
}

const ATTACK_IMAGE: &str = "aigo-test-attack-agent:latest";

/// A hostile agent: swaps its IPC folder `$ATTACK` for a link to `$TARGET` (a
/// host path, as `/proc/self/mountinfo` reveals), provokes the host into using
/// it, then prints whatever reaches its `errors/` until it is stopped.
const ATTACK_AGENT: &str = r#"#!/bin/sh
ipc=/workspace/ipc
# Strike once the run is under way (the prompt arrived); a swap before that
# makes the host refuse to send the prompt at all.
until ls "$ipc"/input/*.json >/dev/null 2>&1; do sleep 0.05; done
rm -rf "$ipc/$ATTACK"
ln -s "$TARGET" "$ipc/$ATTACK"
printf 'not json' > "$ipc/messages/bad.json" 2>/dev/null
echo "swapped $ATTACK"
while :; do
  for f in "$ipc"/errors/* "$ipc"/input/*; do [ -f "$f" ] && cat "$f"; done 2>/dev/null
  sleep 0.2
done
"#;

/// Every entry directly in `dir`: a file's text and mode, a folder's mode;
/// what an attack through a link would move, overwrite or chmod.
fn host_files(dir: &std::path::Path) -> std::collections::BTreeMap<String, (String, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = std::collections::BTreeMap::new();
    let mode = |m: &std::fs::Metadata| m.permissions().mode();
    out.insert(
        ".".into(),
        (String::new(), mode(&std::fs::metadata(dir).unwrap())),
    );
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let m = e.metadata().unwrap();
        let text = if m.is_file() {
            String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned()
        } else {
            String::new()
        };
        out.insert(
            e.file_name().to_string_lossy().into_owned(),
            (text, mode(&m)),
        );
    }
    out
}

#[test]
fn agents_that_link_their_ipc_folders_to_the_state_dir_get_nothing_and_are_stopped() {
    let Some((d, rt)) = setup() else {
        return;
    };
    common::busybox_image(
        ATTACK_IMAGE,
        &[("agent.sh", ATTACK_AGENT)],
        "ENTRYPOINT [\"/bin/sh\", \"/agent.sh\"]\n",
    );
    // A real keystore in the state directory, the attacker's prize.
    const KEY: &str = "sk-ant-REAL-KEY-CANARY-0123456789";
    common::aigo(d.home.path())
        .args([
            "proxy",
            "add",
            "--name",
            "anthropic",
            "--upstream",
            "https://api.anthropic.com/",
        ])
        .args(["--type", "api-key", "--credential-stdin"])
        .write_stdin(format!("{KEY}\n"))
        .assert()
        .success();
    let identity = std::fs::read_to_string(d.state.root().join("keystore.key")).unwrap();
    let before = host_files(d.state.root());
    let mut violations = aigo::ipc::subscribe_violations();

    for attack in ["messages", "tasks", "errors", "input"] {
        let mut config = Config::load(&d.state).unwrap();
        config.runs.extra_run_args = vec![
            "--env".into(),
            format!("ATTACK={attack}"),
            "--env".into(),
            format!("TARGET={}", d.state.root().display()),
        ];
        let mut req = request("family", "hello", Some(Duration::from_secs(120)));
        req.image = Some(ATTACK_IMAGE.into());
        let r = runner(&d, &rt, config);
        let handle = rt.block_on(r.start(&req)).unwrap();
        let (id, session) = (handle.record.id.clone(), handle.record.session.clone());
        let dirs = aigo::ipc::session_dirs(&d.state, "family", &session).unwrap();
        let cancel = CancellationToken::new();
        let done = {
            let (r, cancel) = (r.clone(), cancel.clone());
            rt.spawn(async move { r.execute(handle, cancel, None).await })
        };
        let link = dirs.root.join(attack);
        common::wait_for("the swap", 30, || {
            link.symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
        });
        if attack == "input" {
            // The operator's follow-up: refused, nothing written through the link.
            let out = common::aigo(d.home.path())
                .args(["send", "--group", "family", "--session", &session, "hi"])
                .assert()
                .code(2);
            let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
            assert!(
                err.contains("quarantined") && err.contains("symlink"),
                "{err}"
            );
        }
        common::wait_for("the quarantine", 30, || {
            aigo::ipc::is_quarantined(&dirs).is_some()
        });
        // The run service hears of it (found by the daemon's router, or by
        // `aigo send` and then announced again by the router).
        rt.block_on(async {
            tokio::time::timeout(Duration::from_secs(30), async {
                while violations.recv().await.unwrap().session != session {}
            })
            .await
        })
        .unwrap();
        let log_path = d.state.runs_dir().join(format!("{id}.log"));
        let read_log = || std::fs::read_to_string(&log_path).unwrap_or_default();
        common::wait_for("the agent's log", 30, || {
            read_log().contains(&format!("swapped {attack}"))
        });
        // The run service stops the run on the violation.
        let rec = rt.block_on(done).unwrap();
        assert_eq!(rec.state, RunState::Stopped, "{attack}");
        assert!(
            rec.reason
                .as_deref()
                .unwrap_or_default()
                .contains("quarantined"),
            "{rec:?}"
        );
        drop(cancel);
        let log = read_log();
        // Nothing of the state directory landed in the session (what the
        // container sees), links not followed.
        let mut stack = vec![dirs.root.clone()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let e = e.unwrap();
                let t = e.file_type().unwrap();
                if t.is_dir() {
                    stack.push(e.path());
                } else if t.is_file() {
                    let text =
                        String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned();
                    assert!(
                        !text.contains(KEY) && !text.contains("AGE-SECRET-KEY"),
                        "{:?}",
                        e.path()
                    );
                    assert_ne!(e.file_name(), "keystore.key");
                }
            }
        }
        for secret in [KEY, identity.trim()] {
            assert!(
                !log.contains(secret),
                "{attack}: a secret reached the container: {log}"
            );
        }
    }

    // Everything that was there is as it was; what is new is the daemon's own
    // bookkeeping of the runs (never a quarantined file or a reason note).
    let after = host_files(d.state.root());
    for (name, was) in &before {
        assert_eq!(after.get(name), Some(was), "{name} changed");
    }
    let new: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert!(
        new.iter().all(|n| n.starts_with("audit.jsonl")
            || ["groups", "runs", "logs", "agents"].contains(&n.as_str())),
        "{new:?}"
    );
    let v = d
        .get("/api/v1/container/audit-log?severity=violation")
        .json();
    let messages: Vec<String> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect();
    for attack in ["messages", "tasks", "errors", "input"] {
        assert_eq!(
            messages
                .iter()
                .filter(|m| m.contains(&format!("ipc/{attack} is a symlink to")))
                .count(),
            1,
            "one violation for the {attack} attack: {messages:?}"
        );
    }
    let audit_text = std::fs::read_to_string(d.state.root().join("audit.jsonl")).unwrap();
    assert!(!audit_text.contains(KEY));
    common::aigo(d.home.path())
        .args(["audit", "verify"])
        .assert()
        .success();
    let _ = std::process::Command::new("docker")
        .args(["rmi", "-f", ATTACK_IMAGE])
        .output();
}
