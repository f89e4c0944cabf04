//! The in-container Node runner (`container/runner.js`) and MCP server (`container/mcp-server.js`):
//! their `node --test` suites (tests/node/, against the fake claude on the host), and the real
//! runner inside a container built from the host's `node`, talking to the fake claude
//! (tests/fake-claude/claude.js) over stream-json, with the MCP server started from the
//! `--mcp-config` the runner wrote.

mod support_image;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use support_image::{docker_or_skip, host_node, node_runner_image, wait_for};

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
    let body = bollard::models::ContainerCreateBody {
        image: Some(image),
        env: Some(vec![
            "AIGO_CHAT_JID=dc:7".into(),
            "AIGO_GROUP=family".into(),
            "AIGO_IS_MAIN=0".into(),
            "AIGO_SESSION=s1".into(),
            "AIGO_MCP_ACK_MS=200".into(),
            "TZ=Europe/Berlin".into(),
        ]),
        host_config: Some(bollard::models::HostConfig {
            binds: Some(vec![format!("{}:/workspace/ipc", ipc.display())]),
            ..Default::default()
        }),
        ..Default::default()
    };
    let id = docker
        .create_container(None, body)
        .await
        .expect("create")
        .id;
    let _cleanup = RemoveOnDrop(id.clone());
    docker.start_container(&id, None).await.expect("start");

    let (d, cid) = (docker.clone(), id.clone());
    let handle = tokio::runtime::Handle::current();
    let exit_code = move || {
        let info = handle
            .block_on(d.inspect_container(&cid, None))
            .expect("inspect");
        let st = info.state?;
        (st.running == Some(false)).then(|| st.exit_code.unwrap_or(-1))
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
