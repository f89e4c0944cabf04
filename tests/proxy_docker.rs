//! End to end on the local Docker Engine: a busybox container on an agents'
//! network calls `http://host-gateway:PORT` with only a placeholder; the proxy
//! (bound on that network's gateway, as the daemon binds it) swaps in the real
//! key for a fake upstream on 127.0.0.1 — once the container's address is
//! admitted as a run, or the engine says it is a running aigo agent there (by
//! its address on the agents' network, or by its run token's fingerprint). A
//! container nobody admitted (not started by aigo), and one labelled as an
//! agent but outside the agents' network, get 403 with the very same
//! placeholder. Skipped when no engine answers, unless `AIGO_REQUIRE_DOCKER=1`.

mod common;
#[path = "support/fake_upstream.rs"]
mod fake_upstream;
#[path = "support/harness.rs"]
mod harness;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use aigo::config::Config;
use aigo::proxy::{DEFAULT_PLACEHOLDER, Query};
use aigo::runtime::Engine;
use bollard::Docker;
use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::{
    BuildImageOptions, CreateContainerOptions, LogsOptions, RemoveContainerOptions,
};
use fake_upstream::FakeUpstream;
use futures_util::StreamExt;
use harness::{api_key, contains};

const REAL: &str = "sk-ant-e2e-real-key-5550123";
const IMAGE: &str = "aigo-test-proxy-busybox:latest";

async fn docker() -> Option<(Docker, Engine, aigo::runtime::RuntimeStatus)> {
    let det = aigo::runtime::detect(&Config::default()).await;
    // Detection finds the engine; this test also exports a container's filesystem, which
    // aigo never needs, so it keeps a client of its own for that.
    let client = Docker::connect_with_local_defaults()
        .expect("docker client")
        .negotiate_version()
        .await;
    match (det.runtime, client) {
        (Some(engine @ Engine::Docker(_)), Ok(client)) => Some((client, engine, det.status)),
        _ => {
            if std::env::var("AIGO_REQUIRE_DOCKER").as_deref() == Ok("1") {
                panic!(
                    "AIGO_REQUIRE_DOCKER=1 but no Docker engine: {}",
                    det.status.message
                );
            }
            eprintln!("SKIPPED: no Docker engine answers ({})", det.status.message);
            None
        }
    }
}

/// `FROM scratch` + the host's static busybox: no registry needed.
async fn build_busybox(docker: &Docker) {
    let busybox =
        std::fs::read("/bin/busybox").expect("/bin/busybox (apt-get install -y busybox-static)");
    let mut tar = tar::Builder::new(Vec::new());
    let dockerfile = b"FROM scratch\nCOPY busybox /bin/busybox\nENTRYPOINT [\"/bin/busybox\"]\n";
    for (name, data, mode) in [
        ("Dockerfile", &dockerfile[..], 0o644),
        ("busybox", &busybox[..], 0o755),
    ] {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(mode);
        h.set_cksum();
        tar.append_data(&mut h, name, data).expect("tar");
    }
    let body = tar.into_inner().expect("tar");
    let opts = BuildImageOptions {
        t: Some(IMAGE.into()),
        rm: true,
        ..Default::default()
    };
    let mut s = docker.build_image(opts, None, Some(bollard::body_full(body.into())));
    while let Some(msg) = s.next().await {
        let msg = msg.expect("image build");
        if let Some(e) = msg.error_detail {
            panic!("image build failed: {e:?}");
        }
    }
}

/// Where a test container sits: a network (`None`: the default bridge) and
/// the address `host-gateway` names in it.
#[derive(Clone)]
struct Place {
    network: Option<String>,
    host_gateway: String,
}

/// Runs `sh -c script` in a fresh container at `place`, once `/w/go` exists:
/// the host creates it after admitting the container's address as run `admit`
/// (when given), as the run service does. Returns (exit code, output, env,
/// filesystem tar).
async fn run(
    docker: &Docker,
    place: &Place,
    env: Vec<String>,
    script: &str,
    admit: Option<(&aigo::proxy::Callers, &str)>,
    labels: Option<HashMap<String, String>>,
) -> (i64, String, Vec<String>, Vec<u8>) {
    let gate = tempfile::tempdir().expect("gate dir");
    let script = format!("while [ ! -e /w/go ]; do /bin/busybox sleep 0.05; done; {script}");
    let body = ContainerCreateBody {
        image: Some(IMAGE.into()),
        entrypoint: Some(vec!["/bin/busybox".into()]),
        cmd: Some(vec!["sh".into(), "-c".into(), script]),
        env: Some(env),
        labels,
        host_config: Some(HostConfig {
            network_mode: place.network.clone(),
            extra_hosts: Some(vec![format!("host-gateway:{}", place.host_gateway)]),
            binds: Some(vec![format!("{}:/w", gate.path().display())]),
            ..Default::default()
        }),
        ..Default::default()
    };
    let id = docker
        .create_container(None::<CreateContainerOptions>, body)
        .await
        .expect("create container")
        .id;
    let res = async {
        docker.start_container(&id, None).await.expect("start");
        if let Some((callers, run_id)) = admit {
            let info = docker.inspect_container(&id, None).await.expect("inspect");
            let ip = info
                .network_settings
                .and_then(|n| n.networks)
                .and_then(|n| n.into_values().find_map(|e| e.ip_address))
                .filter(|ip| !ip.is_empty())
                .expect("the container has an address");
            callers.admit(ip.parse().expect("ip"), run_id, None);
        }
        std::fs::write(gate.path().join("go"), b"").expect("open the gate");
        let mut wait = docker.wait_container(&id, None);
        let code = tokio::time::timeout(Duration::from_secs(60), wait.next())
            .await
            .expect("container finished within 60s")
            .map(|r| match r {
                Ok(w) => w.status_code,
                Err(bollard::errors::Error::DockerContainerWaitError { code, .. }) => code,
                Err(e) => panic!("wait: {e}"),
            })
            .unwrap_or(-1);
        let mut out = String::new();
        let opts = LogsOptions {
            stdout: true,
            stderr: true,
            ..Default::default()
        };
        let mut logs = docker.logs(&id, Some(opts));
        while let Some(l) = logs.next().await {
            out.push_str(&l.expect("logs").to_string());
        }
        let info = docker.inspect_container(&id, None).await.expect("inspect");
        let env = info.config.and_then(|c| c.env).unwrap_or_default();
        let mut fs = Vec::new();
        let mut export = docker.export_container(&id);
        while let Some(chunk) = export.next().await {
            fs.extend_from_slice(&chunk.expect("export"));
        }
        (code, out, env, fs)
    }
    .await;
    let rm = RemoveContainerOptions {
        force: true,
        ..Default::default()
    };
    let _ = docker.remove_container(&id, Some(rm)).await;
    res
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn container_uses_the_placeholder_and_upstream_sees_the_real_key() {
    let Some((docker, engine, status)) = docker().await else {
        return;
    };
    aigo::logging::init_stderr("warn".into());
    // The agents' network of this test (removed at the end, also on panic).
    let net = common::TestNetwork::new("proxy");
    let agents = aigo::runtime::ensure_network(&engine, &net.name)
        .await
        .expect("the agents' network");
    let bind = agents.gateway;
    eprintln!(
        "proxy binds {bind} on {} (runtime gateway {:?})",
        net.name, status.networking.host_gateway
    );
    let on_agents = Place {
        network: Some(net.name.clone()),
        host_gateway: bind.to_string(),
    };
    let up = FakeUpstream::start().await;
    // Like the daemon's: unknown callers are looked up on the engine, by
    // their address on the agents' network or their token's fingerprint.
    let home = "/tmp/aigo-proxy-docker-test-home";
    let net_name = net.name.clone();
    let callers = Arc::new(aigo::proxy::Callers::with_resolver(Arc::new(move |q| {
        let (engine, net_name) = (engine.clone(), net_name.clone());
        Box::pin(async move {
            let run = match q {
                Query::Address(ip) => {
                    aigo::runtime::callers::agent_run_at(&engine, ip, home, Some(&net_name)).await
                }
                Query::Token(fp) => {
                    aigo::runtime::callers::agent_run_with_token(&engine, &fp, home).await
                }
            };
            run.expect("engine lookup")
                .map(|r| aigo::proxy::Caller::new(&r, None))
        })
    })));
    let (h, views) = harness::start_with_callers(
        bind,
        &[api_key("anthropic", up.url(), REAL)],
        harness::options(),
        callers,
    )
    .await;
    build_busybox(&docker).await;

    h.proxy.callers().remove(harness::LOOPBACK_RUN);

    let port = h.addr.port();
    // busybox's resolver crashes in a scratch image: read the address from
    // /etc/hosts and talk HTTP with nc.
    let script = r#"ip=$(/bin/busybox awk '/host-gateway/ {print $1; exit}' /etc/hosts); printf 'GET %s/v1/messages HTTP/1.1\r\nHost: host-gateway\r\nx-api-key: %s\r\ncontent-type: application/json\r\nConnection: close\r\n\r\n' "$TOKEN_PATH" "$ANTHROPIC_API_KEY" | /bin/busybox nc "$ip" "$PORT"; echo"#;
    let env = |placeholder: &str| {
        vec![
            format!("ANTHROPIC_BASE_URL=http://host-gateway:{port}"),
            format!("ANTHROPIC_API_KEY={placeholder}"),
            format!("PORT={port}"),
        ]
    };

    // Not started by aigo: nobody admitted its address.
    let (code, out, _, _) = run(
        &docker,
        &on_agents,
        env(DEFAULT_PLACEHOLDER),
        script,
        None,
        None,
    )
    .await;
    eprintln!("unadmitted container said: {out}");
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("HTTP/1.1 403"), "{out}");
    assert!(
        out.contains("unknown_caller") && !out.contains(REAL),
        "{out}"
    );
    assert!(up.requests().is_empty());

    let callers = h.proxy.callers().clone();
    for placeholder in [DEFAULT_PLACEHOLDER, views[0].placeholder.as_str()] {
        let (code, out, env, fs) = run(
            &docker,
            &on_agents,
            env(placeholder),
            script,
            Some((&callers, "run-e2e")),
            None,
        )
        .await;
        callers.remove("run-e2e");
        eprintln!("container said: {out}");
        assert_eq!(code, 0, "{out}");
        assert!(out.starts_with("HTTP/1.1 200"), "{out}");
        assert!(
            out.contains(r#""ok":true"#) && out.contains("/v1/messages"),
            "{out}"
        );
        assert!(!out.contains(REAL));
        assert!(env.iter().all(|e| !e.contains(REAL)), "{env:?}");
        assert!(
            env.iter()
                .any(|e| e == &format!("ANTHROPIC_API_KEY={placeholder}"))
        );
        assert!(fs.len() > 1_000_000, "exported the container filesystem");
        assert!(
            !contains(&fs, REAL),
            "the container's files hold the real key"
        );
    }

    // Started by another aigo process (labelled as runs::Runner labels an agent of this
    // home) on the agents' network: found on the engine, served without being admitted here.
    let labels = |run: &str| {
        HashMap::from([
            (aigo::runs::LABEL_MANAGED.to_string(), "true".to_string()),
            (aigo::runs::LABEL_HOME.to_string(), home.to_string()),
            (aigo::runs::LABEL_RUN.to_string(), run.to_string()),
        ])
    };
    let (code, out, _, _) = run(
        &docker,
        &on_agents,
        env(DEFAULT_PLACEHOLDER),
        script,
        None,
        Some(labels("run-other-process")),
    )
    .await;
    eprintln!("labelled container said: {out}");
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");

    // The same labels on the default bridge: not where aigo runs agents (the
    // label is anyone's to set; the agents' network is aigo's), so not served.
    let on_bridge = Place {
        network: None,
        host_gateway: bind.to_string(),
    };
    let (code, out, _, _) = run(
        &docker,
        &on_bridge,
        env(DEFAULT_PLACEHOLDER),
        script,
        None,
        Some(labels("run-off-network")),
    )
    .await;
    eprintln!("labelled container off the agents' network said: {out}");
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("HTTP/1.1 403"), "{out}");

    // A run with a token (where addresses say nothing): its fingerprint label
    // finds it; the token in the base URL's path is stripped before forwarding.
    let token = aigo::proxy::RunToken::generate().expect("token");
    let token_path = token.base_url("");
    let mut with_token = labels("run-with-token");
    with_token.insert(aigo::runs::LABEL_TOKEN.to_string(), token.fingerprint());
    let mut env_token = env(DEFAULT_PLACEHOLDER);
    env_token.push(format!("TOKEN_PATH={token_path}"));
    let (code, out, _, _) = run(
        &docker,
        &on_bridge,
        env_token.clone(),
        script,
        None,
        Some(with_token),
    )
    .await;
    eprintln!("container with a token said: {out}");
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    // That run's container is gone: its token is refused from then on.
    let (code, out, _, _) = run(
        &docker,
        &on_agents,
        env_token,
        script,
        None,
        Some(labels("run-token-reused")),
    )
    .await;
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("HTTP/1.1 403"), "{out}");

    let seen = up.requests();
    assert_eq!(seen.len(), 4);
    for s in seen {
        assert_eq!(
            s.headers["x-api-key"], REAL,
            "the upstream saw the real key"
        );
        assert_eq!(s.path_and_query, "/v1/messages");
    }
    assert_eq!(h.proxy.status().requests_served, 4);
    h.shutdown.cancel();
    let _ = docker
        .remove_image(
            IMAGE,
            None::<bollard::query_parameters::RemoveImageOptions>,
            None,
        )
        .await;
}
