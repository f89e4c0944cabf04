//! The same acceptance through the real `aigo` binary, with the real runner:
//! the image built from the host's `node` holding `container/runner.js`,
//! `mcp-server.js` and the fake claude (tests/fake-claude/claude.js), which
//! speaks Claude Code's stream-json and calls the agent's tools through the
//! MCP server started from the runner's `--mcp-config`. A daemon in this
//! process serves the proxy and routes what the agent writes.

use std::time::{Duration, Instant};

use super::*;

/// The daemon of [`daemon_with`] running the Node runner image; `None` (after
/// saying why) without Docker or `node`, a failure under `AIGO_REQUIRE_DOCKER=1`.
fn node_setup(test: &str) -> Option<(TestDaemon, tokio::runtime::Runtime)> {
    if !docker_or_skip(test) {
        return None;
    }
    let image = support_image::node_runner_image(test)?;
    Some(daemon_with(&image))
}

fn stdout_of(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

/// The newest run of the history.
fn last_run(d: &TestDaemon) -> RunRecord {
    aigo::runs::history(&d.state).unwrap().pop().unwrap()
}

/// Waits (bounded) for a spawned `aigo` to exit; kills it if it does not.
fn wait_exit(child: &mut std::process::Child, what: &str) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            return st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The `field=value` of the fake claude's `whoami` line in `reply`.
fn who(reply: &str, field: &str) -> String {
    let line = reply
        .lines()
        .find(|l| l.starts_with("pid="))
        .unwrap_or_else(|| panic!("no whoami line in {reply:?}"));
    line.split(' ')
        .find_map(|kv| kv.strip_prefix(&format!("{field}=")))
        .unwrap_or_else(|| panic!("no {field} in {line:?}"))
        .to_string()
}

#[test]
fn aigo_run_with_the_node_runner_answers_relays_follow_ups_and_closes_when_idle() {
    let test = "aigo_run_with_the_node_runner_answers_relays_follow_ups_and_closes_when_idle";
    let Some((d, _rt)) = node_setup(test) else {
        return;
    };
    // One-shot: the answer on stdout, exit 0, the container gone.
    let t = Instant::now();
    let out = common::aigo(d.home.path())
        .args(["run", "--group", "main", "--prompt", "hello there"])
        .timeout(Duration::from_secs(120))
        .assert()
        .success();
    // Reported, not asserted (no timing asserts): the whole run, container included.
    eprintln!(
        "one-shot `aigo run` with the node runner took {:?}",
        t.elapsed()
    );
    assert_eq!(stdout_of(&out).trim(), "hello there");
    let rec = last_run(&d);
    assert_eq!(rec.state, RunState::Exited, "{rec:?}");
    assert_eq!(rec.exit_code, Some(0), "closed by _close, not killed");
    assert_eq!(rec.turns, 1);
    assert!(containers_of(&d).is_empty(), "container left behind");

    // -i: each stdin line a follow-up into the same live claude; EOF closes.
    let out = common::aigo(d.home.path())
        .args(["run", "--group", "main", "-i", "--new"])
        .write_stdin("whoami\nwhoami\n")
        .timeout(Duration::from_secs(120))
        .assert()
        .success();
    let stdout = stdout_of(&out);
    let replies: Vec<&str> = stdout.lines().collect();
    assert_eq!(replies.len(), 2, "{stdout}");
    assert_eq!(who(replies[0], "turn"), "1");
    assert_eq!(who(replies[1], "turn"), "2", "{stdout}");
    assert_eq!(
        who(replies[0], "pid"),
        who(replies[1], "pid"),
        "one claude for the session"
    );
    let rec = last_run(&d);
    assert_eq!((rec.state, rec.turns), (RunState::Exited, 2), "{rec:?}");
    assert_eq!(rec.mode, RunMode::Conversation);
    assert!(containers_of(&d).is_empty(), "container left behind");

    // A conversation that goes silent (stdin open, nothing typed) is closed
    // by its idle timeout, counted from the answer.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("aigo"))
        .env("AIGO_HOME", d.home.path())
        .env_remove("DOCKER_HOST")
        .env_remove("AIGO_LOG")
        .args(["run", "--group", "main", "-i", "--idle-timeout", "2s"])
        .args(["--prompt", "anyone there?"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take();
    let st = wait_exit(&mut child, "the idle conversation to close");
    drop(stdin);
    let mut stdout = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut stdout).unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(st.success(), "{st:?}: {stderr}");
    assert_eq!(stdout.trim(), "anyone there?");
    let rec = last_run(&d);
    assert_eq!(rec.state, RunState::IdleTimeout, "{rec:?}");
    assert_eq!(rec.exit_code, Some(0), "closed, not killed");
    assert!(stderr.contains("idle"), "{stderr}");
    assert!(containers_of(&d).is_empty(), "container left behind");
}

/// The schedules as `(group, name)`.
fn schedule_names(d: &TestDaemon) -> Vec<(String, String)> {
    aigo::schedule::list(&d.state)
        .unwrap()
        .into_iter()
        .map(|s| (s.group, s.name))
        .collect()
}

fn add_schedule(d: &TestDaemon, name: &str, group: &str, prompt: &str, extra: &[&str]) {
    common::aigo(d.home.path())
        .args(["schedule", "add", "--name", name, "--group", group])
        .args(["--prompt", prompt, "--cron", "0 3 * * *"])
        .args(extra)
        .assert()
        .success();
}

#[test]
fn the_agents_tools_reach_the_chat_the_scheduler_and_its_task_snapshot() {
    let test = "the_agents_tools_reach_the_chat_the_scheduler_and_its_task_snapshot";
    let Some((d, _rt)) = node_setup(test) else {
        return;
    };
    add_schedule(&d, "main-report", "main", "report", &[]);
    add_schedule(&d, "family-news", "family", "news", &[]);
    let at = (jiff::Timestamp::now() + jiff::SignedDuration::from_secs(20))
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let prompt = format!(
        "tool:send_message {{\"text\":\"working on it\"}}\n\
         sleep:300\n\
         tool:list_tasks {{}}\n\
         tool:schedule_task {{\"name\":\"spy\",\"prompt\":\"spy\",\"schedule\":{{\"type\":\"interval\",\"value\":\"1h\"}},\"group\":\"main\"}}\n\
         tool:schedule_task {{\"name\":\"water\",\"prompt\":\"water the plants\",\"schedule\":{{\"type\":\"once\",\"value\":\"{at}\"}}}}\n\
         tool:list_tasks {{}}\n\
         all done"
    );
    let out = common::aigo(d.home.path())
        .args(["run", "--group", "family", "--jid", "tg:200", "--prompt"])
        .arg(&prompt)
        .timeout(Duration::from_secs(120))
        .assert()
        .success();
    let reply = stdout_of(&out);
    // The progress message reached the chat before the turn's answer.
    let lines: Vec<serde_json::Value> = deliveries(&d)
        .lines()
        .map(|l| common::json(l.as_bytes()))
        .collect();
    let texts: Vec<&str> = lines.iter().map(|l| l["text"].as_str().unwrap()).collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert_eq!(texts[0], "working on it");
    assert!(texts[1].ends_with("all done"), "{texts:?}");
    assert!(lines.iter().all(|l| l["chatJid"] == "tg:200"));
    assert!(
        reply.contains("send_message: Sent: the host delivered the message to tg:200."),
        "{reply}"
    );
    // list_tasks: the host's snapshot, the group's own tasks only.
    let sections: Vec<&str> = reply.split("list_tasks: ").skip(1).collect();
    assert_eq!(sections.len(), 2, "{reply}");
    assert!(sections[0].starts_with("1 task(s)"), "{reply}");
    assert!(sections[0].contains("family-news"), "{reply}");
    assert!(!sections[0].contains("main-report"), "{reply}");
    // Another group's schedule: refused, audited, and the tool says so.
    assert!(
        reply.contains(
            "schedule_task error: Refused by the host: group \"family\" may not schedule for group \"main\""
        ),
        "{reply}"
    );
    let v = d
        .get("/api/v1/container/audit-log?severity=violation")
        .json();
    assert_eq!(v["total"], 1, "{v}");
    assert_eq!(v["events"][0]["group"], "family");
    // Its own schedule: created, and in the snapshot the next list_tasks reads.
    assert!(
        reply.contains("schedule_task: Done: the host applied schedule_task \"water\"."),
        "{reply}"
    );
    assert!(sections[1].starts_with("2 task(s)"), "{reply}");
    assert!(sections[1].contains("\"water\""), "{reply}");
    assert!(!sections[1].contains("spy") && !sections[1].contains("main-report"));
    let names = schedule_names(&d);
    assert!(
        names.contains(&("family".into(), "water".into())),
        "{names:?}"
    );
    assert!(!names.iter().any(|(_, n)| n == "spy"), "{names:?}");

    // The main group's agent sees every group's tasks.
    let out = common::aigo(d.home.path())
        .args(["run", "--group", "main", "--prompt", "tool:list_tasks {}"])
        .timeout(Duration::from_secs(120))
        .assert()
        .success();
    let all = stdout_of(&out);
    assert!(all.starts_with("list_tasks: 3 task(s)"), "{all}");
    for name in ["main-report", "family-news", "water"] {
        assert!(all.contains(name), "{name} missing: {all}");
    }

    // The schedule the agent made fires: its log shows the reply, the container is gone.
    let logs = || {
        let out = common::aigo(d.home.path())
            .args(["schedule", "logs", "water", "--json"])
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap_or_default()
    };
    common::wait_for("the agent's schedule to fire and finish", 120, || {
        logs().as_array().is_some_and(|a| !a.is_empty())
    });
    let v = logs();
    assert_eq!(v[0]["status"], "success", "{v}");
    assert_eq!(v[0]["result"], "water the plants", "{v}");
    common::wait_for("the scheduled run's container to go", 30, || {
        containers_of(&d).is_empty()
    });
    common::wait_for("the scheduled reply in the chat", 30, || {
        deliveries(&d).contains("\"text\":\"water the plants\"")
    });
}

#[test]
fn a_running_agent_sees_schedules_changed_during_its_run() {
    let test = "a_running_agent_sees_schedules_changed_during_its_run";
    let Some((d, rt)) = node_setup(test) else {
        return;
    };
    let r = runner(&d, &rt, Config::load(&d.state).unwrap());
    let req = RunRequest {
        chat_jid: Some("tg:200".into()),
        mode: RunMode::Conversation,
        image: None,
        ..request(
            "family",
            "tool:list_tasks {}",
            Some(Duration::from_secs(120)),
        )
    };
    let (started, done) = spawn_run(&r, &rt, &req);
    common::wait_for("the first list", 60, || {
        deliveries(&d).contains("list_tasks")
    });
    assert!(
        deliveries(&d).contains("list_tasks: 0 task(s) as of"),
        "written before the start: {}",
        deliveries(&d)
    );
    // Changed by someone else while the agent runs: the CLI, for it and for main.
    add_schedule(&d, "added-later", "family", "later", &[]);
    add_schedule(&d, "main-only", "main", "report", &[]);
    common::wait_for("the snapshot to follow", 30, || {
        let dirs = aigo::ipc::session_dirs(&d.state, "family", &started.session).unwrap();
        std::fs::read_to_string(dirs.root.join(aigo::ipc::TASKS_SNAPSHOT))
            .is_ok_and(|s| s.contains("added-later"))
    });
    common::aigo(d.home.path())
        .args(["send", "--group", "family", "tool:list_tasks {}\nsecond"])
        .assert()
        .success();
    common::wait_for("the second list", 60, || deliveries(&d).contains("second"));
    let last = deliveries(&d).lines().last().unwrap().to_string();
    assert!(
        last.contains("1 task(s)") && last.contains("added-later"),
        "{last}"
    );
    assert!(!last.contains("main-only"), "{last}");
    aigo::ipc::close(&aigo::ipc::session_dirs(&d.state, "family", &started.session).unwrap())
        .unwrap();
    assert_eq!(rt.block_on(done).unwrap().state, RunState::Exited);
}

#[test]
fn the_next_run_for_a_chat_resumes_the_agents_session_and_groups_never_share_state() {
    let test = "the_next_run_for_a_chat_resumes_the_agents_session_and_groups_never_share_state";
    let Some((d, _rt)) = node_setup(test) else {
        return;
    };
    let run = |args: &[&str]| -> (RunRecord, String) {
        let out = common::aigo(d.home.path())
            .arg("run")
            .args(args)
            .timeout(Duration::from_secs(120))
            .assert()
            .success();
        (last_run(&d), stdout_of(&out))
    };
    let (first, r1) = run(&["--group", "main", "--jid", "tg:100", "--prompt", "whoami"]);
    assert_eq!(who(&r1, "resumed"), "none", "{r1}");
    let sid = who(&r1, "session");
    assert_eq!(first.agent_session.as_deref(), Some(sid.as_str()));
    // The same chat: the second run resumes the first's session (seen by claude).
    let (_, r2) = run(&["--group", "main", "--jid", "tg:100", "--prompt", "whoami"]);
    assert_eq!(who(&r2, "resumed"), sid, "{r2}");
    assert_eq!(who(&r2, "history"), "2", "the conversation went on: {r2}");
    // An isolated schedule starts fresh (seen by claude) and is not remembered.
    add_schedule(&d, "iso", "main", "whoami", &["--context", "isolated"]);
    let out = common::aigo(d.home.path())
        .args(["schedule", "run", "iso"])
        .assert()
        .success();
    let r_iso = stdout_of(&out);
    assert_eq!(who(&r_iso, "resumed"), "none", "{r_iso}");
    let iso = last_run(&d);
    let out = common::aigo(d.home.path())
        .args(["group", "show", "main", "--json"])
        .assert()
        .success();
    let v = common::json(&out.get_output().stdout);
    assert!(
        v["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["sessionId"] != iso.agent_session.as_deref().unwrap()),
        "an isolated run is not remembered: {v}"
    );
    // Another group: a fresh session, and none of main's state in its own.
    let (other, r3) = run(&["--group", "family", "--jid", "tg:200", "--prompt", "whoami"]);
    assert_eq!(who(&r3, "resumed"), "none", "{r3}");
    assert_ne!(who(&r3, "session"), sid);
    assert!(
        other
            .binds
            .iter()
            .all(|b| !b.host.to_string_lossy().contains("agents/main")),
        "{:?}",
        other.binds
    );
    let family_state = d.state.root().join("agents/family/claude/fake-claude");
    let held: Vec<String> = std::fs::read_dir(&family_state)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(held, [format!("{}.json", who(&r3, "session"))], "{held:?}");
    // The chat's session is still main's first one (the isolated run was not remembered).
    let (_, r4) = run(&["--group", "main", "--jid", "tg:100", "--prompt", "whoami"]);
    assert_eq!(who(&r4, "resumed"), sid, "{r4}");
}
