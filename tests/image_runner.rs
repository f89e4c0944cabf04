//! The in-container Node runner (`container/runner.js`) and MCP server (`container/mcp-server.js`):
//! their `node --test` suites (tests/node/, against the fake claude on the host), and the real
//! runner inside a container built from the host's `node`, talking to the fake claude
//! (tests/fake-claude/claude.js) over stream-json, with the MCP server started from the
//! `--mcp-config` the runner wrote.

mod support_image;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use support_image::{docker_or_skip, host_node, node_runner_image, unique_tag, wait_for};

fn required() -> bool {
    std::env::var("AIGO_REQUIRE_DOCKER").is_ok_and(|v| v == "1")
}

#[test]
fn node_unit_tests_of_the_runner_and_the_mcp_server() {
    if let Err(why) = host_node() {
        assert!(
            !required(),
            "AIGO_REQUIRE_DOCKER=1 (CI) but {why}: the Node suites must run"
        );
        eprintln!("SKIP node_unit_tests_of_the_runner_and_the_mcp_server: {why}");
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/node");
    let mut suites: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/node")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.js"))
        .collect();
    suites.sort();
    assert!(
        suites.len() >= 2,
        "runner and MCP server suites: {suites:?}"
    );
    let out = Command::new("node")
        .arg("--test")
        .args(&suites)
        .output()
        .expect("run node --test");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "node --test failed:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("# fail 0"), "{report}");
}

fn ipc_dirs(root: &Path) -> PathBuf {
    let ipc = root.join("ipc");
    for d in ["input", "messages", "tasks", "errors", "events"] {
        std::fs::create_dir_all(ipc.join(d)).expect("mkdir ipc");
    }
    ipc
}

/// Writes an input file the way the host does: `NAME.tmp`, then rename.
fn send(ipc: &Path, name: &str, text: &str) {
    let body =
        json!({"type": "message", "text": text, "sender": "alice", "ts": "2026-01-01T00:00:00Z"});
    let tmp = ipc.join("input").join(format!("{name}.tmp"));
    std::fs::write(&tmp, body.to_string()).expect("write input");
    std::fs::rename(&tmp, ipc.join("input").join(name)).expect("rename input");
}

/// Waits until `dir` holds `n` finished JSON files and returns them in name order.
fn finished(dir: &Path, n: usize) -> Vec<Value> {
    wait_for(&format!("{n} files in {}", dir.display()), || {
        let got = json_files(dir);
        (got.len() >= n).then_some(got)
    })
}

/// Waits for `n` replies, failing at once when the runner reports an `error` event.
fn replies(ipc: &Path, n: usize) -> Vec<Value> {
    wait_for(&format!("{n} replies"), || {
        if let Some(e) = json_files(&ipc.join("events"))
            .into_iter()
            .find(|e| e["type"] == "error")
        {
            panic!("the runner failed: {e}");
        }
        let got = json_files(&ipc.join("messages"));
        (got.len() >= n).then_some(got)
    })
}

/// The finished JSON files of `dir` in name order (creation order, by the contract).
fn json_files(dir: &Path) -> Vec<Value> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        // A file being written is `NAME.tmp` until renamed; readers skip those.
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| serde_json::from_slice(&std::fs::read(p).expect("read")).expect("JSON"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_runner_in_a_container_keeps_one_claude_for_the_session() {
    let test = "node_runner_in_a_container_keeps_one_claude_for_the_session";
    let Some(docker) = docker_or_skip(test).await else {
        return;
    };
    let Some(image) = tokio::task::spawn_blocking(move || node_runner_image(test))
        .await
        .expect("build")
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let ipc = ipc_dirs(dir.path());
    let spec = aigo::runtime::ContainerSpec {
        name: unique_tag("node-runner").replace([':', '.'], "-"),
        image,
        env: vec![
            "AIGO_CHAT_JID=dc:7".into(),
            "AIGO_GROUP=family".into(),
            "AIGO_IS_MAIN=0".into(),
            "AIGO_SESSION=s1".into(),
            "AIGO_MCP_ACK_MS=200".into(),
            "TZ=Europe/Berlin".into(),
        ],
        binds: vec![aigo::runtime::BindSpec {
            host: ipc.clone(),
            container: "/workspace/ipc".into(),
            read_only: false,
        }],
        ..Default::default()
    };
    let id = docker.create_and_start(&spec).await.expect("create");
    let _cleanup = RemoveOnDrop(id.clone());

    let (d, cid) = (docker.clone(), id.clone());
    let handle = tokio::runtime::Handle::current();
    let exit_code = move || {
        let info = handle.block_on(d.inspect(&cid)).expect("inspect");
        (!info.running).then(|| info.exit_code.unwrap_or(-1))
    };
    let ipc2 = ipc.clone();
    let (messages, events, code) = tokio::task::spawn_blocking(move || {
        let ipc = ipc2;
        // The prompt starts claude's first turn.
        send(&ipc, "0001.json", "whoami\nenv:TZ");
        replies(&ipc, 1);
        // A follow-up, with a tool call mid-turn: reaches the same live claude.
        send(
            &ipc,
            "0002.json",
            "tool:send_message {\"text\":\"working on it\"}\nwhoami",
        );
        replies(&ipc, 3);
        std::fs::write(ipc.join("input/_close"), "").expect("_close");
        let code = wait_for("the runner to exit", exit_code);
        (
            finished(&ipc.join("messages"), 3),
            finished(&ipc.join("events"), 3),
            code,
        )
    })
    .await
    .expect("conversation");

    assert_eq!(
        code, 0,
        "the runner exits with claude's status after _close"
    );
    let text = |i: usize| messages[i]["text"].as_str().expect("text").to_string();
    let who = regex_like(&text(0));
    assert!(text(0).ends_with("\nTZ=Europe/Berlin"), "{}", text(0));
    assert_eq!(who.turn, 1);
    // The mid-turn tool message is in messages/ before the turn's reply.
    assert_eq!(
        messages[1],
        json!({"type": "message", "chatJid": "dc:7", "text": "working on it"})
    );
    let second = regex_like(&text(2));
    assert_eq!(
        (second.pid, second.turn, &second.session),
        (who.pid, 2, &who.session),
        "the follow-up reached the live claude (same process, next turn): {}",
        text(2)
    );
    assert!(text(2).starts_with("send_message: Queued as messages/"));
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(kinds, ["started", "turn", "turn"]);
    for e in &events[1..] {
        assert_eq!(e["status"], "success");
        assert_eq!(e["sessionId"], who.session.as_str());
        assert!(e["durationMs"].is_u64(), "{e}");
    }
    assert_eq!(events[2]["result"], text(2).as_str());
    assert!(
        std::fs::read_dir(ipc.join("input"))
            .expect("input")
            .next()
            .is_none(),
        "every input consumed, _close included"
    );
}

/// The fake claude's `whoami` line: `pid=P turn=N session=S …`.
struct Who {
    pid: u32,
    turn: u32,
    session: String,
}

fn regex_like(reply: &str) -> Who {
    let line = reply
        .lines()
        .find(|l| l.starts_with("pid="))
        .unwrap_or_else(|| panic!("no whoami line in {reply:?}"));
    let field = |k: &str| {
        line.split(' ')
            .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
            .unwrap_or_else(|| panic!("no {k} in {line:?}"))
            .to_string()
    };
    Who {
        pid: field("pid").parse().expect("pid"),
        turn: field("turn").parse().expect("turn"),
        session: field("session"),
    }
}

/// Removes the test's container however the test ends.
struct RemoveOnDrop(String);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["rm", "-f", &self.0]).output();
    }
}

struct Capture(tokio::sync::mpsc::UnboundedSender<aigo::ipc::OutboundMessage>);

impl aigo::ipc::MessageSink for Capture {
    fn deliver<'a>(
        &'a self,
        _group: &'a str,
        msg: &'a aigo::ipc::OutboundMessage,
    ) -> aigo::ipc::BoxFut<'a, Result<(), String>> {
        let _ = self.0.send(msg.clone());
        Box::pin(async { Ok(()) })
    }
}

/// The agent's tools end to end on the host: the fake claude calls them mid-turn through the
/// MCP server the runner registered, and aigo's real router (with the real schedule store)
/// answers: the progress message reaches the chat before the turn's reply, a non-main group's
/// `schedule_task` for another group is refused and audited and the tool result says so, its
/// own `schedule_task` creates the schedule.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_tools_are_answered_by_the_real_router() {
    use aigo::groups::{self, Group};
    use std::sync::Arc;
    if let Err(why) = host_node() {
        assert!(!required(), "AIGO_REQUIRE_DOCKER=1 (CI) but {why}");
        eprintln!("SKIP agent_tools_are_answered_by_the_real_router: {why}");
        return;
    }
    let home = tempfile::tempdir().expect("tempdir");
    let state = aigo::state::StateDir::at(home.path());
    for (name, main, jid) in [("main", true, "tg:1"), ("family", false, "tg:2")] {
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
        .expect("group");
    }
    let dirs = aigo::ipc::init(&state, "family", "s1").expect("session");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let router = aigo::ipc::Router::new(
        state.clone(),
        aigo::audit::AuditLog::open(&state),
        Arc::new(Capture(tx)),
        Arc::new(aigo::schedule::ScheduleTasks::new(state.clone())),
    );
    let cancel = tokio_util::sync::CancellationToken::new();
    let routing = tokio::spawn(router.run(cancel.clone()));

    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut runner = tokio::process::Command::new("node")
        .arg(repo.join("container/runner.js"))
        .env("AIGO_IPC_DIR", &dirs.root)
        .env("AIGO_CLAUDE_CMD", repo.join("tests/fake-claude/claude.js"))
        .env("AIGO_GROUP", "family")
        .env("AIGO_IS_MAIN", "0")
        .env("AIGO_CHAT_JID", "tg:2")
        .env("CLAUDE_CONFIG_DIR", home.path().join("claude"))
        .kill_on_drop(true)
        .spawn()
        .expect("spawn the runner");
    let schedule = r#"{"type":"interval","value":"1h"}"#;
    send(
        &dirs.root,
        "0001.json",
        &format!(
            "tool:send_message {{\"text\":\"working on it\"}}\n\
             tool:schedule_task {{\"prompt\":\"spy\",\"schedule\":{schedule},\"group\":\"main\"}}\n\
             tool:schedule_task {{\"name\":\"own\",\"prompt\":\"water the plants\",\"schedule\":{schedule}}}\n\
             done"
        ),
    );
    let next = async |rx: &mut tokio::sync::mpsc::UnboundedReceiver<aigo::ipc::OutboundMessage>| {
        tokio::time::timeout(std::time::Duration::from_secs(60), rx.recv())
            .await
            .expect("a delivery in time")
            .expect("router running")
    };
    let progress = next(&mut rx).await;
    assert_eq!(
        (progress.chat_jid.as_str(), progress.text.as_str()),
        ("tg:2", "working on it")
    );
    let reply = next(&mut rx).await;
    let lines: Vec<&str> = reply.text.lines().collect();
    assert_eq!(
        lines,
        [
            "send_message: Sent: the host delivered the message to tg:2.",
            "schedule_task error: Refused by the host: group \"family\" may not schedule for group \"main\"",
            "schedule_task: Done: the host applied schedule_task \"own\".",
            "done",
        ],
        "{}",
        reply.text
    );
    let schedules = aigo::schedule::list(&state).expect("schedules");
    assert_eq!(
        schedules
            .iter()
            .map(|s| (s.group.as_str(), s.name.as_str()))
            .collect::<Vec<_>>(),
        [("family", "own")]
    );
    let audit = std::fs::read_to_string(home.path().join("audit.jsonl")).expect("audit log");
    assert!(
        audit
            .lines()
            .any(|l| l.contains("\"violation\"") && l.contains("may not schedule for group")),
        "{audit}"
    );

    aigo::ipc::close(&dirs).expect("close");
    let status = tokio::time::timeout(std::time::Duration::from_secs(60), runner.wait())
        .await
        .expect("the runner ends after _close")
        .expect("wait");
    assert!(status.success(), "{status:?}");
    cancel.cancel();
    let _ = routing.await;
}
