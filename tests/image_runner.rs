//! The in-container agent runner (`container/agent-runner.sh`) against a fake agent CLI:
//! on the host under `/bin/sh`, and inside a busybox container built in the test.

mod support_image;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use aigo::image::{BuildRequest, BuildState, DEFAULT_CONTEXT_FILES, begin};
use aigo::state::StateDir;
use serde_json::{Value, json};
use support_image::{busybox_context, docker_or_skip, remove_image, unique_tag, wait_for};

/// Replies "reply to: <prompt>" and lists the arguments before the prompt; fails on "fail".
const FAKE_AGENT: &str = r#"#!/bin/sh
for prompt; do :; done
if [ "$prompt" = fail ]; then echo "boom on stderr" >&2; exit 7; fi
printf 'reply to: %s\n' "$prompt"
n=$(($# - 1)); printf 'args:'
while [ "$n" -gt 0 ]; do printf ' [%s]' "$1"; shift; n=$((n - 1)); done
printf '\n\n'
"#;

fn runner_source() -> &'static str {
    DEFAULT_CONTEXT_FILES
        .iter()
        .find(|f| f.path == "agent-runner.sh")
        .map(|f| f.contents)
        .expect("embedded runner")
}

fn ipc_dirs(root: &Path) -> PathBuf {
    let ipc = root.join("ipc");
    for d in ["input", "messages", "errors"] {
        std::fs::create_dir_all(ipc.join(d)).expect("mkdir ipc");
    }
    ipc
}

/// Writes an input file the way the host does: `NAME.tmp`, then rename.
fn send(ipc: &Path, name: &str, body: &Value) {
    let tmp = ipc.join("input").join(format!("{name}.tmp"));
    std::fs::write(&tmp, body.to_string()).expect("write input");
    std::fs::rename(&tmp, ipc.join("input").join(name)).expect("rename input");
}

fn close(ipc: &Path) {
    std::fs::write(ipc.join("input/_close"), "").expect("write _close");
}

/// Waits until `messages/` holds `n` replies and returns them in order.
fn replies(ipc: &Path, n: usize) -> Vec<Value> {
    wait_for(&format!("{n} replies in messages/"), || {
        let mut names: Vec<PathBuf> = std::fs::read_dir(ipc.join("messages"))
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            // A reply being written is `NAME.tmp` until renamed; readers skip those.
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        names.sort();
        (names.len() >= n).then(|| {
            names
                .iter()
                .map(|p| {
                    serde_json::from_slice(&std::fs::read(p).expect("read")).expect("reply is JSON")
                })
                .collect()
        })
    })
}

fn message(text: &str) -> Value {
    json!({"type": "message", "text": text, "sender": "alice", "ts": "2026-01-01T00:00:00Z"})
}

/// Talks the whole protocol through `ipc`; the runner must end (exit 0) after `_close`.
fn converse(ipc: &Path, jid: &str, mut exited: impl FnMut() -> Option<i32>) {
    let tricky = "hello \"world\"\\ \ttab\nline 2 ✓ 😀";
    send(ipc, "0001.json", &message(tricky));
    let r = replies(ipc, 1);
    assert_eq!(
        r[0],
        json!({"type": "message", "chatJid": jid, "text": format!("reply to: {tricky}\nargs:")})
    );
    assert!(!ipc.join("input/0001.json").exists(), "input consumed");

    // A follow-up continues the conversation.
    send(ipc, "0002.json", &message("again"));
    assert_eq!(
        replies(ipc, 2)[1]["text"],
        "reply to: again\nargs: [--continue]"
    );

    // Not a message: moved to errors/ with a reason, no reply.
    send(
        ipc,
        "0003.json",
        &json!({"type": "schedule_task", "text": 1}),
    );
    wait_for("errors/0003.json.reason", || {
        ipc.join("errors/0003.json.reason").exists().then_some(())
    });
    std::fs::write(ipc.join("input/0004.json"), "{not json").expect("write");
    wait_for("errors/0004.json.reason", || {
        ipc.join("errors/0004.json.reason").exists().then_some(())
    });

    // A failing agent still answers, with its status and error output.
    send(ipc, "0005.json", &message("fail"));
    let text = replies(ipc, 3)[2]["text"]
        .as_str()
        .expect("text")
        .to_string();
    assert!(
        text.contains("exit status 7") && text.contains("boom on stderr"),
        "{text}"
    );

    // _close ends the session once pending input is answered.
    send(ipc, "0006.json", &message("last one"));
    close(ipc);
    let code = wait_for("the runner to exit", &mut exited);
    assert_eq!(code, 0);
    assert_eq!(
        replies(ipc, 4)[3]["text"],
        "reply to: last one\nargs: [--continue]"
    );
    assert!(!ipc.join("input/_close").exists());
}

/// Kills the runner when a test fails half-way, so no process outlives the test.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn runner_protocol_on_the_host() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ipc = ipc_dirs(dir.path());
    let runner = dir.path().join("agent-runner.sh");
    std::fs::write(&runner, runner_source()).expect("write runner");
    let agent = dir.path().join("fake-agent");
    std::fs::write(&agent, FAKE_AGENT).expect("write agent");
    let mut child = KillOnDrop(
        Command::new("sh")
            .arg(&runner)
            .env("AIGO_IPC_DIR", &ipc)
            .env("AIGO_AGENT_CMD", format!("sh {}", agent.display()))
            .env("AIGO_CHAT_JID", "tg:42")
            .env("AIGO_POLL_INTERVAL", "0.05")
            .stdin(std::process::Stdio::null())
            .spawn()
            .expect("spawn sh"),
    );
    converse(&ipc, "tg:42", || {
        child
            .0
            .try_wait()
            .expect("try_wait")
            .map(|s| s.code().unwrap_or(-1))
    });
}

#[test]
fn runner_replies_null_chat_jid_and_idles_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ipc = ipc_dirs(dir.path());
    let runner = dir.path().join("agent-runner.sh");
    std::fs::write(&runner, runner_source()).expect("write runner");
    let mut child = KillOnDrop(
        Command::new("sh")
            .arg(&runner)
            .env("AIGO_IPC_DIR", &ipc)
            .env("AIGO_AGENT_CMD", "echo")
            .env_remove("AIGO_CHAT_JID")
            .env("AIGO_POLL_INTERVAL", "0.05")
            .env("AIGO_IDLE_TIMEOUT", "1")
            .stdin(std::process::Stdio::null())
            .spawn()
            .expect("spawn sh"),
    );
    send(&ipc, "a.json", &message("hi"));
    assert_eq!(
        replies(&ipc, 1)[0],
        json!({"type": "message", "chatJid": null, "text": "hi"})
    );
    let code = wait_for("the idle runner to exit", || {
        child.0.try_wait().expect("try_wait")
    });
    assert!(code.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runner_protocol_inside_a_busybox_container() {
    let Some(docker) = docker_or_skip("runner_protocol_inside_a_busybox_container").await else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let ctx = busybox_context(
        &dir.path().join("ctx"),
        "RUN mkdir -p /tmp /workspace/ipc\n\
         COPY agent-runner.sh /usr/local/bin/aigo-agent-runner\n\
         COPY fake-agent /usr/local/bin/fake-agent\n\
         ENV AIGO_AGENT_CMD=/usr/local/bin/fake-agent\n\
         ENTRYPOINT [\"/usr/local/bin/aigo-agent-runner\"]\n",
    );
    for (name, text) in [
        ("agent-runner.sh", runner_source()),
        ("fake-agent", FAKE_AGENT),
    ] {
        std::fs::write(ctx.join(name), text).expect("write");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(ctx.join(name), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
    }
    let tag = unique_tag("runner");
    let state = StateDir::at(dir.path().join("state"));
    let req = BuildRequest {
        image_tag: tag.clone(),
        context: Some(ctx),
        ..Default::default()
    };
    let rec = begin(&state, req)
        .expect("begin")
        .run(&docker, |_| {})
        .await;
    assert_eq!(rec.status, BuildState::Succeeded, "{:?}", rec.error);

    let ipc = ipc_dirs(dir.path());
    let spec = aigo::runtime::ContainerSpec {
        name: format!("aigo-test-runner-{}", std::process::id()),
        image: tag.clone(),
        env: vec!["AIGO_CHAT_JID=dc:7".into(), "AIGO_POLL_INTERVAL=0.1".into()],
        binds: vec![aigo::runtime::BindSpec {
            host: ipc.clone(),
            container: "/workspace/ipc".into(),
            read_only: false,
        }],
        ..Default::default()
    };
    let id = docker.create_and_start(&spec).await.expect("create");

    let (d, cid) = (docker.clone(), id.clone());
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        converse(&ipc, "dc:7", || {
            let info = handle.block_on(d.inspect(&cid)).expect("inspect");
            (!info.running).then(|| info.exit_code.unwrap_or(-1) as i32)
        })
    })
    .await
    .expect("conversation");

    let _ = docker.remove(&id).await;
    remove_image(&docker, &tag).await;
}
