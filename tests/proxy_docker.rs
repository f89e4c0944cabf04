//! End to end on the local Docker Engine: a busybox container calls
//! `http://host-gateway:PORT` with only a placeholder; the proxy (bound on the
//! bridge gateway) swaps in the real key for a fake upstream on 127.0.0.1.
//! Skipped when no engine answers, unless `AIGO_REQUIRE_DOCKER=1`.

#[path = "support/fake_upstream.rs"]
mod fake_upstream;
#[path = "support/harness.rs"]
mod harness;

use std::time::Duration;

use aigo::config::Config;
use aigo::proxy::DEFAULT_PLACEHOLDER;
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

async fn docker() -> Option<(Docker, aigo::runtime::RuntimeStatus)> {
    let det = aigo::runtime::detect(&Config::default()).await;
    // Detection finds the engine; this test also exports a container's filesystem, which
    // aigo never needs, so it keeps a client of its own for that.
    let client = Docker::connect_with_local_defaults()
        .expect("docker client")
        .negotiate_version()
        .await;
    match (det.runtime, client) {
        (Some(Engine::Docker(_)), Ok(client)) => Some((client, det.status)),
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

/// Runs `sh -c script` in a fresh container; returns (exit code, output, env, filesystem tar).
async fn run(
    docker: &Docker,
    env: Vec<String>,
    script: &str,
) -> (i64, String, Vec<String>, Vec<u8>) {
    let body = ContainerCreateBody {
        image: Some(IMAGE.into()),
        entrypoint: Some(vec!["/bin/busybox".into()]),
        cmd: Some(vec!["sh".into(), "-c".into(), script.into()]),
        env: Some(env),
        host_config: Some(HostConfig {
            extra_hosts: Some(vec!["host-gateway:host-gateway".into()]),
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
    let Some((docker, status)) = docker().await else {
        return;
    };
    aigo::logging::init_stderr("warn".into());
    let bind = aigo::proxy::default_bind_address(&status);
    eprintln!(
        "proxy binds {bind} (runtime gateway {:?})",
        status.networking.host_gateway
    );
    let up = FakeUpstream::start().await;
    let (h, views) = harness::start(bind, &[api_key("anthropic", up.url(), REAL)]).await;
    build_busybox(&docker).await;

    let port = h.addr.port();
    let script = r#"wget -q -O - --header "x-api-key: $ANTHROPIC_API_KEY" --header "content-type: application/json" "$ANTHROPIC_BASE_URL/v1/messages"; rc=$?; echo; exit $rc"#;
    for placeholder in [DEFAULT_PLACEHOLDER, views[0].placeholder.as_str()] {
        let env = vec![
            format!("ANTHROPIC_BASE_URL=http://host-gateway:{port}"),
            format!("ANTHROPIC_API_KEY={placeholder}"),
        ];
        let (code, out, env, fs) = run(&docker, env, script).await;
        eprintln!("container said: {out}");
        assert_eq!(code, 0, "{out}");
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
    let seen = up.requests();
    assert_eq!(seen.len(), 2);
    for s in seen {
        assert_eq!(
            s.headers["x-api-key"], REAL,
            "the upstream saw the real key"
        );
        assert_eq!(s.path_and_query, "/v1/messages");
    }
    assert_eq!(h.proxy.status().requests_served, 2);
    h.shutdown.cancel();
}
