//! The same behaviour on every engine this machine has (Docker, Podman, and Apple Container
//! through a stand-in `container` program that accepts only Apple's documented syntax):
//! an agent container with aigo's hardening talks the IPC protocol and ends on `_close`;
//! logs, stop with grace and orphan clean-up; an image build with its label; the `aigo`
//! binary's detection and build through each.

#![allow(clippy::unwrap_used)]

#[path = "common/mod.rs"]
mod common;
#[path = "support/fake_upstream.rs"]
mod fake_upstream;
#[path = "support/harness.rs"]
mod harness;
mod support_engines;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use aigo::image::{BuildRequest, BuildState, ImageBuilds, ImageState, LABEL_CONTEXT_HASH};
use aigo::runtime::{BindSpec, ContainerSpec, Engine};
use aigo::state::StateDir;
use futures_util::StreamExt;
use support_engines::{TestEngine, busybox_image, engines, wait_for};

const AGENT: &str = "aigo-test-engines-agent:1";
const PLAIN: &str = "aigo-test-engines-plain:1";
/// An agent that exits as soon as it starts.
const QUICK: &str = "aigo-test-engines-quick:1";

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn uid_gid(p: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(p).unwrap();
    format!("{}:{}", m.uid(), m.gid())
}

/// A spec with everything aigo asks of an agent container.
fn agent_spec(
    te: &TestEngine,
    name: &str,
    ipc: &Path,
    group: &Path,
    test_label: &str,
) -> ContainerSpec {
    ContainerSpec {
        name: format!("aigo-t-{}-{name}-{}", te.name, std::process::id()),
        image: AGENT.into(),
        env: vec![
            "AIGO_CHAT_JID=tg:1".into(),
            "ANTHROPIC_API_KEY=CREDENTIAL_PROXY_PLACEHOLDER".into(),
        ],
        binds: vec![
            BindSpec {
                host: ipc.to_path_buf(),
                container: "/workspace/ipc".into(),
                read_only: false,
            },
            BindSpec {
                host: group.to_path_buf(),
                container: "/workspace/group".into(),
                read_only: true,
            },
        ],
        labels: BTreeMap::from([
            ("aigo.managed".into(), "true".into()),
            ("aigo.test".into(), test_label.into()),
        ]),
        working_dir: Some("/workspace/group".into()),
        memory_bytes: Some(256 << 20),
        nano_cpus: Some(1_000_000_000),
        pids_limit: Some(64),
        user: Some(uid_gid(ipc)),
        read_only_rootfs: true,
        tmpfs: BTreeMap::from([("/tmp".into(), "size=16m".into())]),
        cap_drop: vec!["ALL".into()],
        security_opt: vec!["no-new-privileges".into()],
        extra_hosts: vec!["host-gateway:host-gateway".into()],
        init: true,
        ..Default::default()
    }
}

fn ipc_dir(root: &Path) -> std::path::PathBuf {
    let ipc = root.join("ipc");
    for d in ["input", "messages", "errors", "events"] {
        std::fs::create_dir_all(ipc.join(d)).unwrap();
    }
    ipc
}

fn send(ipc: &Path, name: &str, text: &str) {
    let tmp = ipc.join("input").join(format!("{name}.tmp"));
    std::fs::write(
        &tmp,
        format!(r#"{{"type":"message","text":"{text}","sender":"test","ts":"now"}}"#),
    )
    .unwrap();
    std::fs::rename(&tmp, ipc.join("input").join(name)).unwrap();
}

async fn logs(engine: &Engine, id: &str) -> String {
    let mut s = engine.logs(id, false);
    let mut out = Vec::new();
    while let Some(chunk) = s.next().await {
        out.extend_from_slice(&chunk.unwrap());
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn an_agent_talks_ipc_and_ends_on_close_on_every_engine() {
    let rt = rt();
    for te in engines("an_agent_talks_ipc_and_ends_on_close_on_every_engine") {
        let e = &te.engine;
        rt.block_on(busybox_image(
            &te,
            AGENT,
            &[("agent.sh", common::ECHO_AGENT)],
            "ENTRYPOINT [\"/bin/sh\", \"/agent.sh\"]\n",
        ));
        let dir = tempfile::tempdir().unwrap();
        let ipc = ipc_dir(dir.path());
        let group = dir.path().join("group");
        std::fs::create_dir_all(&group).unwrap();
        send(&ipc, "1.json", "hello");
        let spec = agent_spec(&te, "ipc", &ipc, &group, "ipc");
        let id = rt
            .block_on(e.create_and_start(&spec))
            .unwrap_or_else(|err| panic!("{}: {err}", te.name));

        let reply = ipc.join("messages/r1.json");
        wait_for(&format!("{}: the agent's reply", te.name), 120, || {
            reply.exists()
        });
        let text = std::fs::read_to_string(&reply).unwrap();
        assert!(text.contains("echo: hello"), "{}: {text}", te.name);

        let info = rt.block_on(e.inspect(&id)).unwrap();
        assert!(info.running, "{}: {info:?}", te.name);
        assert_eq!(
            info.labels.get("aigo.test").map(String::as_str),
            Some("ipc")
        );
        let group_bind = info
            .binds
            .iter()
            .find(|b| b.container == "/workspace/group")
            .unwrap_or_else(|| panic!("{}: no group bind in {:?}", te.name, info.binds));
        assert!(group_bind.read_only, "{}: {group_bind:?}", te.name);
        assert!(
            info.env.iter().any(|v| v == "AIGO_CHAT_JID=tg:1"),
            "{}: {:?}",
            te.name,
            info.env
        );

        std::fs::write(ipc.join("input/_close"), "").unwrap();
        let exit = rt.block_on(e.wait(&id)).unwrap();
        assert_eq!(exit.code, Some(0), "{}", te.name);
        let out = rt.block_on(logs(e, &id));
        assert!(
            out.contains("answered: hello") && out.contains("closing"),
            "{}: {out}",
            te.name
        );
        rt.block_on(e.remove(&id)).unwrap();
        let gone = rt.block_on(e.inspect(&id)).unwrap_err();
        assert!(gone.is_not_found(), "{}: {gone}", te.name);
    }
}

#[test]
fn stop_with_grace_and_orphan_clean_up_on_every_engine() {
    let rt = rt();
    for te in engines("stop_with_grace_and_orphan_clean_up_on_every_engine") {
        let e = &te.engine;
        rt.block_on(busybox_image(&te, PLAIN, &[], ""));
        let label = format!("orphans-{}-{}", te.name, std::process::id());
        let mut ids = Vec::new();
        for n in 0..2 {
            let spec = ContainerSpec {
                name: format!("aigo-t-{}-sleep{n}-{}", te.name, std::process::id()),
                image: PLAIN.into(),
                cmd: vec!["sleep".into(), "300".into()],
                labels: BTreeMap::from([("aigo.test".into(), label.clone())]),
                init: true,
                ..Default::default()
            };
            ids.push(rt.block_on(e.create_and_start(&spec)).unwrap());
        }
        let sel = format!("aigo.test={label}");
        let listed = rt.block_on(e.list(&sel, false)).unwrap();
        assert_eq!(listed.len(), 2, "{}: {listed:?}", te.name);

        // SIGTERM ends `sleep` under the init process well within the grace period.
        rt.block_on(e.stop(&ids[0], Duration::from_secs(5)))
            .unwrap();
        rt.block_on(e.wait(&ids[0])).unwrap();
        assert!(
            !rt.block_on(e.inspect(&ids[0])).unwrap().running,
            "{}",
            te.name
        );
        // Stopping again, or something gone, is not an error.
        rt.block_on(e.stop(&ids[0], Duration::from_secs(1)))
            .unwrap();
        let running = rt.block_on(e.list(&sel, false)).unwrap();
        assert_eq!(running.len(), 1, "{}: {running:?}", te.name);

        // Orphan clean-up: everything with the label, running or not, is removed.
        for c in rt.block_on(e.list(&sel, true)).unwrap() {
            rt.block_on(e.remove(&c.id)).unwrap();
        }
        assert!(
            rt.block_on(e.list(&sel, true)).unwrap().is_empty(),
            "{}",
            te.name
        );
        rt.block_on(e.remove("aigo-no-such-container")).unwrap();
    }
}

#[test]
fn an_image_build_carries_its_label_on_every_engine() {
    let rt = rt();
    for te in engines("an_image_build_carries_its_label_on_every_engine") {
        let dir = tempfile::tempdir().unwrap();
        let ctx = dir.path().join("ctx");
        std::fs::create_dir_all(&ctx).unwrap();
        std::fs::copy(support_engines::BUSYBOX, ctx.join("busybox")).unwrap();
        std::fs::write(
            ctx.join("Dockerfile"),
            "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"true\"]\n",
        )
        .unwrap();
        let tag = format!("aigo-test-engines-build-{}:{}", te.name, std::process::id());
        let state = StateDir::at(dir.path().join("state"));
        let builds = ImageBuilds::new(state.clone());
        let req = BuildRequest {
            image_tag: tag.clone(),
            context: Some(ctx),
            no_cache: true,
            ..Default::default()
        };
        let rec = rt.block_on(async {
            let id = builds.start_build(&te.engine, req).unwrap();
            builds.wait(&id).await.unwrap().unwrap()
        });
        assert_eq!(
            rec.status,
            BuildState::Succeeded,
            "{}: {:?}",
            te.name,
            rec.error
        );
        if te.name == "docker" {
            // BuildKit: the label is in the image config, not a step of its own. (Podman's
            // Docker API and the stand-in's `docker build` use the classic builder, which
            // turns labels into a LABEL step.)
            let log = aigo::image::log_tail(&state, &rec.id, 200);
            assert!(!log.contains("LABEL"), "{log}");
            assert_eq!(rec.progress.total_steps, 2, "COPY and RUN only: {log}");
        }
        let st = rt.block_on(builds.status(Some(&te.engine), &tag)).unwrap();
        assert_eq!(st.status, ImageState::Ready, "{}: {st:?}", te.name);
        assert_eq!(
            st.image_context_hash.as_deref(),
            Some(rec.context_hash.as_str()),
            "{}: the image carries the {LABEL_CONTEXT_HASH} label",
            te.name
        );
        rt.block_on(te.engine.remove_image(&tag)).unwrap();
        let gone = rt.block_on(te.engine.inspect_image(&tag)).unwrap_err();
        assert!(gone.is_not_found(), "{}: {gone}", te.name);
    }
}

#[test]
fn the_aigo_binary_detects_and_builds_through_every_engine() {
    for te in engines("the_aigo_binary_detects_and_builds_through_every_engine") {
        let home = tempfile::tempdir().unwrap();
        std::fs::write(
            home.path().join("config.toml"),
            format!("runtime = \"{}\"\n", te.runtime),
        )
        .unwrap();
        let standin_log = home.path().join("standin.log");
        let mut c = common::aigo(home.path());
        c.envs(te.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("AIGO_STANDIN_LOG", &standin_log);
        let out = c.args(["runtime", "--json"]).assert().success();
        let v = common::json(&out.get_output().stdout);
        assert_eq!(v["available"], true, "{}: {v}", te.name);
        assert_eq!(v["backend"], te.runtime, "{}: {v}", te.name);

        let ctx = home.path().join("ctx");
        std::fs::create_dir_all(&ctx).unwrap();
        std::fs::copy(support_engines::BUSYBOX, ctx.join("busybox")).unwrap();
        std::fs::write(
            ctx.join("Dockerfile"),
            "FROM scratch\nCOPY busybox /bin/busybox\n",
        )
        .unwrap();
        let tag = format!("aigo-test-engines-cli-{}:{}", te.name, std::process::id());
        let mut c = common::aigo(home.path());
        c.envs(te.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("AIGO_STANDIN_LOG", &standin_log);
        c.args(["image", "build", "-q", "--tag", &tag, "--context"])
            .arg(&ctx)
            .assert()
            .success();
        let mut c = common::aigo(home.path());
        c.envs(te.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let out = c
            .args(["image", "status", "--json", "--tag", &tag])
            .assert()
            .success();
        let v = common::json(&out.get_output().stdout);
        assert_eq!(v["status"], "ready", "{}: {v}", te.name);
        if te.name == "apple" {
            // Every call went through the stand-in, in the reference's syntax.
            let calls = std::fs::read_to_string(&standin_log).unwrap();
            assert!(calls.contains("\"system\", \"status\""), "{calls}");
            assert!(calls.contains("\"build\""), "{calls}");
        }
        support_engines::remove_image(&te, &tag);
    }
}

#[test]
fn the_stand_in_refuses_what_apples_reference_does_not_document() {
    let bin = support_engines::standin_dir().join("container");
    for args in [
        vec!["run", "--privileged", "img"],
        vec!["create", "--cap-drop", "ALL", "img"],
        vec!["create", "--add-host", "a:1.2.3.4", "img"],
        vec!["ps"],
        vec!["--version"],
        vec!["build", "--pull", "."],
    ] {
        let out = std::process::Command::new(&bin)
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(64), "{args:?} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("command reference"), "{args:?}: {err}");
    }
}

/// The run service itself on each engine: a conversation with the contract runner (the
/// `events/` protocol), its reply delivered through the router, `_close`, the record.
#[test]
fn a_conversation_through_the_run_service_on_every_engine() {
    use aigo::audit::AuditLog;
    use aigo::config::Config;
    use aigo::daemon::DaemonOptions;
    use aigo::groups::{self, Group};
    use aigo::mounts::MountAllowlist;
    use aigo::runs::{ProxyCheck, RunMode, RunRequest, RunState, Runner};
    use std::sync::Arc;

    const RUNNER_IMAGE: &str = "aigo-test-engines-contract:1";
    let rt = rt();
    for te in engines("a_conversation_through_the_run_service_on_every_engine") {
        rt.block_on(busybox_image(
            &te,
            RUNNER_IMAGE,
            &[("runner.sh", common::CONTRACT_RUNNER)],
            "ENTRYPOINT [\"/bin/sh\", \"/runner.sh\"]\n",
        ));
        let home = tempfile::tempdir().unwrap();
        let state = StateDir::at(home.path());
        // Docker and Podman: the agents' network (one of this test's, removed at the end).
        // Apple Container cannot make an internal network: runs there need egress open.
        let network = (te.name != "apple").then(|| {
            let host = te.env.iter().find(|(k, _)| k == "DOCKER_HOST");
            common::TestNetwork::on(te.name, host.map(|(_, v)| v.clone()))
        });
        let net_config = match &network {
            Some(n) => n.config(),
            None => "[network]\negress = \"open\"\n".to_string(),
        };
        std::fs::write(
            state.config(),
            format!("image_tag = \"{RUNNER_IMAGE}\"\n{net_config}"),
        )
        .unwrap();
        groups::add(
            &state,
            Group {
                name: "main".into(),
                main: true,
                jids: vec!["tg:100".into()],
                ..Default::default()
            },
        )
        .unwrap();
        let d = common::TestDaemon::start_in(home, DaemonOptions::default());
        let r = Runner::new(
            d.state.clone(),
            Arc::new(Config::load(&d.state).unwrap()),
            Arc::new(MountAllowlist::default()),
            AuditLog::open(&d.state),
            te.engine.clone(),
            ProxyCheck::Daemon,
        );
        let req = RunRequest {
            chat_jid: Some("tg:100".into()),
            mode: RunMode::Conversation,
            ..RunRequest::new("main", "hello", format!("cli:{}", std::process::id()))
        };
        let handle = rt
            .block_on(r.start(&req))
            .unwrap_or_else(|e| panic!("{}: {e}", te.name));
        let session = handle.record.session.clone();
        let runner = r.clone();
        let done = rt.spawn(async move {
            runner
                .execute(handle, tokio_util::sync::CancellationToken::new(), None)
                .await
        });
        let deliveries = d.state.logs_dir().join("deliveries.jsonl");
        wait_for(&format!("{}: the reply", te.name), 120, || {
            std::fs::read_to_string(&deliveries).is_ok_and(|s| s.contains("echo: hello"))
        });
        aigo::ipc::close(&aigo::ipc::session_dirs(&d.state, "main", &session).unwrap()).unwrap();
        let rec = rt.block_on(done).unwrap();
        assert_eq!(rec.state, RunState::Exited, "{}: {rec:?}", te.name);
        assert_eq!(rec.exit_code, Some(0), "{}: {rec:?}", te.name);
        assert_eq!(rec.result.as_deref(), Some("echo: hello"), "{}", te.name);
        let log =
            std::fs::read_to_string(d.state.runs_dir().join(format!("{}.log", rec.id))).unwrap();
        assert!(log.contains("answered: hello"), "{}: {log}", te.name);
        // How the proxy knows the run, recorded with it: Apple Container's
        // containers share one address, so a token there; Docker's have their own.
        let by = serde_json::to_value(&rec.caller).unwrap()["by"].clone();
        match te.name {
            "apple" => assert_eq!(by, "token", "{rec:?}"),
            "docker" => assert_eq!(by, "address", "{rec:?}"),
            _ => assert!(by == "token" || by == "address", "{rec:?}"),
        }
        // With egress open, runs sit on the engine's default bridge: Docker's
        // (docker0) is on this host, so addresses tell them apart; Apple's is not.
        let local = rt.block_on(aigo::runtime::default_bridge_is_local(&te.engine));
        match te.name {
            "apple" => assert!(!local, "Apple Container has no local bridge"),
            "docker" => assert!(local, "docker0 is an interface of this host"),
            _ => {}
        }
    }
}

/// An agent that waits for its first input, then calls the credential proxy
/// the way an Anthropic client does (`$ANTHROPIC_BASE_URL/v1/messages` with
/// the placeholder key), then with a made-up run token, and exits.
const TOKEN_AGENT: &str = r#"#!/bin/sh
until ls /workspace/ipc/input/*.json >/dev/null 2>&1; do sleep 0.05; done
u=${ANTHROPIC_BASE_URL#http://}
hp=${u%%/*}
path=${u#"$hp"}
ask() { printf 'GET %s/v1/messages HTTP/1.1\r\nHost: %s\r\nx-api-key: %s\r\nConnection: close\r\n\r\n' "$1" "$hp" "$ANTHROPIC_API_KEY" | nc "${hp%:*}" "${hp#*:}" | head -n 1; }
echo "token-path=$(echo "$path" | cut -c1-10)"
echo "own $(ask "$path")"
echo "forged $(ask /aigo-run/0123456789abcdef0123456789abcdef0123456789abcdef)"
"#;

/// Apple Container (the stand-in): every container reaches the host from one
/// address, so the run service issues each run a token in its
/// `ANTHROPIC_BASE_URL`. The proxy serves the run by that token alone, both
/// when this process admitted it and when the run was started elsewhere (found
/// on the engine by the token's fingerprint label); a made-up token gets 403
/// and the upstream never sees it; the admission ends with the run.
#[test]
fn on_apple_container_the_proxy_knows_a_run_by_its_token() {
    use aigo::audit::AuditLog;
    use aigo::config::Config;
    use aigo::groups::{self, Group};
    use aigo::mounts::MountAllowlist;
    use aigo::proxy::{Caller, Callers, Query};
    use aigo::runs::{ProxyCheck, RunRequest, RunState, Runner};
    use std::sync::Arc;

    const IMAGE: &str = "aigo-test-engines-token:1";
    const REAL: &str = "sk-ant-token-test-real-key-77";
    let Some(te) = engines("on_apple_container_the_proxy_knows_a_run_by_its_token")
        .into_iter()
        .find(|te| te.name == "apple")
    else {
        return;
    };
    let rt = rt();
    rt.block_on(busybox_image(
        &te,
        IMAGE,
        &[("agent.sh", TOKEN_AGENT)],
        "ENTRYPOINT [\"/bin/sh\", \"/agent.sh\"]\n",
    ));
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    let label_home = state.root().display().to_string();
    let _guard = rt.enter();
    let up = rt.block_on(fake_upstream::FakeUpstream::start());
    // The proxy listens where the stand-in's containers reach the host; an
    // unknown token is looked up on the engine, as the daemon does.
    let Engine::Apple(apple) = &te.engine else {
        unreachable!()
    };
    let gateway: std::net::IpAddr = rt.block_on(apple.gateway()).parse().unwrap();
    let engine = te.engine.clone();
    let callers = Arc::new(Callers::with_resolver(Arc::new(move |q| {
        let (engine, home) = (engine.clone(), label_home.clone());
        Box::pin(async move {
            let Query::Token(fp) = q else { return None };
            let run = aigo::runtime::callers::agent_run_with_token(&engine, &fp, &home).await;
            run.unwrap().map(|r| Caller::new(&r, None))
        })
    })));
    let opts = aigo::proxy::ProxyOptions {
        audit: Some(AuditLog::open(&state)),
        ..harness::options()
    };
    let (h, _) = rt.block_on(harness::start_with_callers(
        gateway,
        &[harness::api_key("anthropic", up.url(), REAL)],
        opts,
        callers.clone(),
    ));
    h.proxy.callers().remove(harness::LOOPBACK_RUN);
    std::fs::write(
        state.config(),
        format!(
            "image_tag = \"{IMAGE}\"\n[proxy]\nport = {}\n[network]\negress = \"open\"\n",
            h.addr.port()
        ),
    )
    .unwrap();
    groups::add(
        &state,
        Group {
            name: "main".into(),
            main: true,
            ..Default::default()
        },
    )
    .unwrap();
    let runner = |admit: bool| {
        Runner::new(
            state.clone(),
            Arc::new(Config::load(&state).unwrap()),
            Arc::new(MountAllowlist::default()),
            AuditLog::open(&state),
            te.engine.clone(),
            ProxyCheck::Known(true),
        )
        .with_callers(admit.then(|| callers.clone()))
    };
    for admit in [true, false] {
        let r = runner(admit);
        let req = RunRequest {
            timeout: Some(Duration::from_secs(60)),
            ..RunRequest::new("main", "go", format!("cli:{}", std::process::id()))
        };
        let handle = rt.block_on(r.start(&req)).unwrap();
        assert_eq!(callers.len(), usize::from(admit), "admitted while it runs");
        let rec = rt.block_on(r.execute(handle, tokio_util::sync::CancellationToken::new(), None));
        let log =
            std::fs::read_to_string(state.runs_dir().join(format!("{}.log", rec.id))).unwrap();
        assert_eq!(rec.state, RunState::Exited, "{rec:?}\n{log}");
        assert!(log.contains("token-path=/aigo-run/"), "{log}");
        assert!(log.contains("own HTTP/1.1 200"), "admit={admit}: {log}");
        assert!(log.contains("forged HTTP/1.1 403"), "admit={admit}: {log}");
        assert_eq!(
            serde_json::to_value(&rec.caller).unwrap(),
            serde_json::json!({"by": "token"})
        );
        assert!(callers.is_empty(), "the admission ended with the run");
        // The mapping it used is recorded with the run where this process's
        // proxy served it (found on the engine instead: the proxy's audit has it).
        let used: &[&str] = if admit { &["anthropic"] } else { &[] };
        assert_eq!(rec.mappings, used, "admit={admit}");
        // The token is in no record, log or audit entry.
        let token = log.lines().find(|l| l.starts_with("token-path="));
        assert!(token.is_some());
        let record =
            std::fs::read_to_string(state.runs_dir().join(format!("{}.json", rec.id))).unwrap();
        assert!(!record.contains("/aigo-run/"), "{record}");
    }
    let seen = up.requests();
    assert_eq!(
        seen.len(),
        2,
        "the upstream saw the two runs' own requests only"
    );
    // Each run's first use of the mapping is in the audit log, by run.
    wait_for("the mapping's uses in the audit log", 20, || {
        let log = std::fs::read_to_string(state.audit()).unwrap_or_default();
        log.matches("used credential mapping \\\"anthropic\\\"")
            .count()
            == 2
    });
    for s in seen {
        assert_eq!(s.headers["x-api-key"], REAL);
        assert_eq!(s.path_and_query, "/v1/messages");
    }
    h.shutdown.cancel();
}

/// Two aigo processes creating the agents' network at the same moment can
/// leave two networks of that name (engines before Docker API 1.44 allow it):
/// every process settles on the earliest, and one that created a later one
/// removes its own, so runs never meet an ambiguous name.
#[test]
fn racing_creates_of_the_agents_network_settle_on_one() {
    let rt = rt();
    for te in engines("racing_creates_of_the_agents_network_settle_on_one") {
        if te.name == "apple" {
            continue; // one network per name there
        }
        let host = te.env.iter().find(|(k, _)| k == "DOCKER_HOST");
        let net = common::TestNetwork::on(te.name, host.map(|(_, v)| v.clone()));
        let spec = aigo::runtime::NetworkSpec {
            name: net.name.clone(),
            internal: true,
            labels: Default::default(),
            subnet: None,
            isolated: true,
        };
        let first = rt.block_on(te.engine.create_network(&spec)).unwrap();
        let Ok(second) = rt.block_on(te.engine.create_network(&spec)) else {
            eprintln!(
                "{}: the engine refuses a second network of one name",
                te.name
            );
            continue;
        };
        // A name that is now ambiguous still gives every process the first.
        let got = rt
            .block_on(aigo::runtime::ensure_network(&te.engine, &net.name))
            .unwrap_or_else(|e| panic!("{}: {e}", te.name));
        assert_eq!(got.id, first, "{}", te.name);
        // The process that created the second one gives it up.
        let settled = rt
            .block_on(aigo::runtime::settle(&te.engine, &net.name, Some(&second)))
            .unwrap()
            .unwrap();
        assert_eq!(settled.id, first, "{}", te.name);
        let left = rt.block_on(te.engine.networks_named(&net.name)).unwrap();
        assert_eq!(left.len(), 1, "{}: {left:?}", te.name);
    }
}

/// The `aigo daemon` binary on each bridge engine, on a fresh agents' network
/// of its own: its credential proxy listens on that network's gateway before
/// any container has joined it (Podman brings the bridge, and so the address,
/// up only with the network's first container), and a container on the
/// network reaches it (a stranger, so 403).
#[test]
fn the_daemon_serves_the_proxy_on_a_fresh_agents_network() {
    for te in engines("the_daemon_serves_the_proxy_on_a_fresh_agents_network") {
        if te.name == "apple" {
            continue;
        }
        rt().block_on(busybox_image(&te, PLAIN, &[], ""));
        let host = te.env.iter().find(|(k, _)| k == "DOCKER_HOST");
        let net = common::TestNetwork::on(te.name, host.map(|(_, v)| v.clone()));
        let home = tempfile::tempdir().unwrap();
        std::fs::write(
            home.path().join("config.toml"),
            format!("runtime = \"{}\"\n{}", te.runtime, net.config()),
        )
        .unwrap();
        let mut add = common::aigo(home.path());
        add.env("KEY", "sk-engines-0123456789")
            .args(["proxy", "add", "--name", "api", "--type", "api-key"])
            .args([
                "--credential-env",
                "KEY",
                "--upstream",
                "http://127.0.0.1:9",
            ])
            .assert()
            .success();
        common::aigo(home.path())
            .args(["group", "add", "main", "--main"])
            .assert()
            .success();
        let daemon = Stopped(
            std::process::Command::new(env!("CARGO_BIN_EXE_aigo"))
                .env("AIGO_HOME", home.path())
                .envs(te.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .args(["daemon", "--bind", "127.0.0.1:0"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap(),
        );
        let info = home.path().join("daemon.json");
        let mut status = serde_json::Value::Null;
        wait_for(&format!("{}: the daemon's proxy", te.name), 30, || {
            let Ok(text) = std::fs::read_to_string(&info) else {
                return false;
            };
            let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            let Some(api) = v["apiAddress"].as_str().and_then(|a| a.parse().ok()) else {
                return false;
            };
            status = common::http(
                api,
                "GET",
                "/api/v1/container/credential-proxy/status",
                None,
                &[],
            )
            .json();
            status["running"] == true
        });
        let gateway = status["bindAddress"].as_str().unwrap().to_string();
        let port = status["port"].as_u64().unwrap();
        let probe = format!(
            "printf 'GET /v1/models HTTP/1.1\\r\\nHost: x\\r\\nx-api-key: CREDENTIAL_PROXY_PLACEHOLDER\\r\\nConnection: close\\r\\n\\r\\n' | nc -w 5 {gateway} {port} | head -1"
        );
        let mut docker = std::process::Command::new("docker");
        docker.envs(te.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let out = docker
            .args([
                "run",
                "--rm",
                "--network",
                &net.name,
                "--entrypoint",
                "/bin/busybox",
                PLAIN,
            ])
            .args(["sh", "-c", &probe])
            .output()
            .unwrap();
        // An agent that is gone at once: aigo inspects it while Podman still
        // calls it `stopped` (exited, clean-up under way), a state the Docker
        // API does not have. Usually gone before its mounts are checked: a
        // failed start that says so (not a mount violation); if still running
        // then, it gets its prompt and the run ends as it did.
        rt().block_on(busybox_image(
            &te,
            QUICK,
            &[],
            "ENTRYPOINT [\"/bin/busybox\", \"true\"]\n",
        ));
        let mut run = common::aigo(home.path());
        run.envs(te.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .args(["run", "--group", "main", "--prompt", "hi", "--image", QUICK]);
        let ran = run.output().unwrap();
        drop(daemon);
        let err = String::from_utf8_lossy(&ran.stderr);
        assert!(
            ran.status.success()
                || (ran.status.code() == Some(2)
                    && err.contains("exited with code 0 before it was given its prompt")),
            "{}: aigo run of an agent that exits at once: {err}",
            te.name,
        );
        let answer = String::from_utf8_lossy(&out.stdout);
        assert!(
            answer.starts_with("HTTP/1.1 403"),
            "{}: {status} answered {answer:?} ({})",
            te.name,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A spawned `aigo daemon`, stopped with SIGTERM (and waited for) when
/// dropped, also when the test fails.
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}
