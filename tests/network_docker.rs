//! The agents' network on this machine's Docker Engine, from inside a real
//! busybox container attached the way runs attach agents
//! (`network::container_settings`): the host's other addresses and ports, other
//! containers and non-allowlisted names through the egress gateway all fail,
//! the credential proxy answers, and `aigo network allow NAME` (a local test
//! server the gateway reaches through `[network] hosts`) makes NAME reachable.
//! Every refusal is audited with the run, group and destination. No traffic
//! leaves the machine. Skipped without an engine unless `AIGO_REQUIRE_DOCKER=1`.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::time::Duration;

use aigo::network::Egress;
use bollard::Docker;
use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::{CreateContainerOptions, LogsOptions, RemoveContainerOptions};
use futures_util::StreamExt;

const IMAGE: &str = "aigo-test-net-busybox:latest";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A plain TCP server that answers every connection with `reply` and closes.
fn serve_forever(addr: &str, reply: &'static [u8]) -> u16 {
    let l = std::net::TcpListener::bind(addr).unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten() {
            let mut buf = [0u8; 1024];
            s.set_read_timeout(Some(Duration::from_millis(500))).ok();
            let _ = s.read(&mut buf);
            let _ = s.write_all(reply);
        }
    });
    port
}

async fn create(
    docker: &Docker,
    name: &str,
    script: &str,
    network: Option<String>,
    env: Vec<String>,
    extra_hosts: Vec<String>,
    labels: HashMap<String, String>,
) -> String {
    let body = ContainerCreateBody {
        image: Some(IMAGE.into()),
        cmd: Some(vec!["sh".into(), "-c".into(), script.into()]),
        env: Some(env),
        labels: Some(labels),
        host_config: Some(HostConfig {
            network_mode: network,
            extra_hosts: Some(extra_hosts),
            cap_drop: Some(vec!["ALL".into()]),
            ..Default::default()
        }),
        ..Default::default()
    };
    let opts = CreateContainerOptions {
        name: Some(name.into()),
        ..Default::default()
    };
    let id = docker.create_container(Some(opts), body).await.unwrap().id;
    docker.start_container(&id, None).await.unwrap();
    id
}

async fn ip_of(docker: &Docker, id: &str) -> String {
    let info = docker.inspect_container(id, None).await.unwrap();
    info.network_settings
        .and_then(|n| n.networks)
        .and_then(|n| {
            n.into_values()
                .find_map(|e| e.ip_address.filter(|a| !a.is_empty()))
        })
        .expect("the container has an address")
}

async fn wait_and_log(docker: &Docker, id: &str) -> String {
    let mut wait = docker.wait_container(id, None);
    tokio::time::timeout(Duration::from_secs(120), wait.next())
        .await
        .expect("the probe container finished");
    let opts = LogsOptions {
        stdout: true,
        stderr: true,
        ..Default::default()
    };
    let mut out = String::new();
    let mut logs = docker.logs(id, Some(opts));
    while let Some(l) = logs.next().await {
        out.push_str(&l.unwrap().to_string());
    }
    out
}

async fn remove(docker: &Docker, id: &str) {
    let opts = RemoveContainerOptions {
        force: true,
        ..Default::default()
    };
    let _ = docker.remove_container(id, Some(opts)).await;
}

/// The agent's probes; each prints one line `NAME OPEN|CLOSED|<answer>`.
const PROBES: &str = r#"
probe() { if nc -w 3 "$1" "$2" </dev/null >/dev/null 2>&1; then echo "$3 OPEN"; else echo "$3 CLOSED"; fi; }
probe 172.17.0.1 "$HOST_PORT" docker0-listener
probe "$GATEWAY_IP" "$HOST_PORT" gateway-other-port
probe 127.0.0.1 "$HOST_PORT" own-loopback
probe "$PEER_IP" 8080 agent-peer
probe "$BRIDGE_PEER_IP" 8080 bridge-peer
# stdin stays open a moment: busybox nc half-closes on EOF, which HTTP servers may take as an abort.
ask() { a=$( (printf "$2"; sleep 2) | nc -w 5 host-gateway "$1" 2>/dev/null); echo "$3 $(echo "$a" | head -n 1)"; case "$a" in *"$4"*) echo "$3 BODY-MATCH";; esac; }
ask "$PROXY_PORT" 'GET /v1/models HTTP/1.1\r\nHost: host-gateway\r\nConnection: close\r\n\r\n' proxy 'zzz'
ask "$GW_PORT" 'CONNECT evil.test:443 HTTP/1.1\r\nHost: evil.test:443\r\n\r\n' connect-evil 'zzz'
ask "$GW_PORT" 'CONNECT 1.1.1.1:443 HTTP/1.1\r\nHost: 1.1.1.1:443\r\n\r\n' connect-ip 'zzz'
ask "$GW_PORT" "GET http://upstream.test:$UP_PORT/hello HTTP/1.1\r\nHost: upstream.test:$UP_PORT\r\nConnection: close\r\n\r\n" upstream 'hello from upstream'
"#;

fn line<'a>(out: &'a str, name: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(&format!("{name} ")))
        .unwrap_or_else(|| panic!("no {name} line in:\n{out}"))
}

/// Removes what the test created on the engine and the host, even when it fails.
struct Cleanup {
    containers: Vec<String>,
    network: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let docker = |args: &[&str]| {
            let _ = std::process::Command::new("docker").args(args).output();
        };
        for c in &self.containers {
            docker(&["rm", "-f", c]);
        }
        docker(&["network", "rm", &self.network]);
        let table = aigo::network::fence_table(&self.network);
        let _ = std::process::Command::new("nft")
            .args(["delete", "table", "inet", &table])
            .output();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_reach_the_proxy_and_allowlisted_names_only() {
    if !common::docker_or_skip("agents_reach_the_proxy_and_allowlisted_names_only") {
        return;
    }
    let docker = Docker::connect_with_local_defaults()
        .unwrap()
        .negotiate_version()
        .await
        .unwrap();
    common::busybox_image(IMAGE, &[], "");
    let home = tempfile::tempdir().unwrap();
    let state = aigo::state::StateDir::at(home.path());
    let net_name = format!("aigo-test-net-{}", std::process::id());
    let pid = std::process::id();
    let _cleanup = Cleanup {
        containers: ["peer", "bpeer", "agent-run-before", "agent-run-after"]
            .iter()
            .map(|c| format!("aigo-test-{c}-{pid}"))
            .collect(),
        network: net_name.clone(),
    };
    let (proxy_port, gw_port) = (free_port(), free_port());
    let up_port = serve_forever(
        "127.0.0.1:0",
        b"HTTP/1.1 200 OK\r\nContent-Length: 19\r\nConnection: close\r\n\r\nhello from upstream",
    );
    let host_port = serve_forever("0.0.0.0:0", b"host service\n");
    std::fs::write(
        state.config(),
        format!(
            "[proxy]\nport = {proxy_port}\n[network]\negress = \"allowlist\"\nname = \"{net_name}\"\ngateway_port = {gw_port}\n\
             [network.hosts]\n\"upstream.test\" = \"127.0.0.1\"\n\"evil.test\" = \"127.0.0.1\"\n"
        ),
    )
    .unwrap();
    let config = aigo::config::Config::load(&state).unwrap();
    assert_eq!(config.network.egress, Egress::Allowlist);
    let engine = aigo::runtime::connect(&config).await.unwrap();
    // What a run does before it creates its container.
    let prepared = aigo::network::prepare(&engine, &config)
        .await
        .unwrap()
        .unwrap();
    let fenced = prepared.fence.is_installed();
    if !fenced {
        eprintln!(
            "NOTE: host fence not installed ({:?}); host-address probes are not asserted",
            prepared.fence
        );
    }
    let settings = aigo::network::container_settings(&config, Some(&prepared.network));

    // The daemon: proxy on the agents' network, egress gateway in allowlist mode.
    let api = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let stop = tokio_util::sync::CancellationToken::new();
    let stop2 = stop.clone();
    let daemon = tokio::spawn(aigo::daemon::run(
        state.clone(),
        aigo::daemon::Listeners {
            api,
            proxy: aigo::daemon::ProxyListener::Config,
        },
        aigo::daemon::DaemonOptions::default(),
        async move { stop2.cancelled().await },
    ));
    let gw = std::net::SocketAddr::new(prepared.network.gateway, gw_port);
    let proxy = std::net::SocketAddr::new(prepared.network.gateway, proxy_port);
    tokio::task::spawn_blocking(move || {
        common::wait_for("the proxy and gateway to listen", 60, || {
            std::net::TcpStream::connect(gw).is_ok() && std::net::TcpStream::connect(proxy).is_ok()
        })
    })
    .await
    .unwrap();

    // Peers that do listen: one on the agents' network, one on the default bridge.
    let serve8080 = "while true; do echo peer | nc -l -p 8080; done";
    let labels = |run: &str| {
        HashMap::from([
            ("aigo.managed".to_string(), "true".to_string()),
            ("aigo.run".to_string(), run.to_string()),
            ("aigo.group".to_string(), "netgroup".to_string()),
            (
                aigo::runs::LABEL_HOME.to_string(),
                state.root().display().to_string(),
            ),
        ])
    };
    let peer = create(
        &docker,
        &format!("aigo-test-peer-{pid}"),
        serve8080,
        Some(net_name.clone()),
        vec![],
        vec![],
        labels("peer"),
    )
    .await;
    let bridge_peer = create(
        &docker,
        &format!("aigo-test-bpeer-{pid}"),
        serve8080,
        None,
        vec![],
        vec![],
        HashMap::new(),
    )
    .await;
    let (peer_ip, bridge_peer_ip) = (
        ip_of(&docker, &peer).await,
        ip_of(&docker, &bridge_peer).await,
    );
    let peer_addr: std::net::SocketAddr = format!("{peer_ip}:8080").parse().unwrap();
    tokio::task::spawn_blocking(move || {
        common::wait_for("the peer to listen (seen from the host)", 60, || {
            let Ok(mut s) = std::net::TcpStream::connect(peer_addr) else {
                return false;
            };
            let mut b = String::new();
            let _ = s.read_to_string(&mut b);
            b.contains("peer")
        })
    })
    .await
    .unwrap();

    let run_probe = |run: &'static str| {
        let mut env: Vec<String> = settings
            .env
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        env.extend([
            format!("HOST_PORT={host_port}"),
            format!("GATEWAY_IP={}", prepared.network.gateway),
            format!("PEER_IP={peer_ip}"),
            format!("BRIDGE_PEER_IP={bridge_peer_ip}"),
            format!("PROXY_PORT={proxy_port}"),
            format!("GW_PORT={gw_port}"),
            format!("UP_PORT={up_port}"),
        ]);
        let docker = docker.clone();
        let settings = settings.clone();
        let labels = labels(run);
        async move {
            let id = create(
                &docker,
                &format!("aigo-test-agent-{run}-{pid}"),
                PROBES,
                settings.network.clone(),
                env,
                settings.extra_hosts.clone(),
                labels,
            )
            .await;
            let out = wait_and_log(&docker, &id).await;
            remove(&docker, &id).await;
            eprintln!("--- probe {run}:\n{out}");
            out
        }
    };

    let out = run_probe("run-before").await;
    if fenced {
        for p in ["docker0-listener", "gateway-other-port"] {
            assert_eq!(line(&out, p), format!("{p} CLOSED"), "{out}");
        }
    }
    for p in ["own-loopback", "agent-peer", "bridge-peer"] {
        assert_eq!(line(&out, p), format!("{p} CLOSED"), "{out}");
    }
    // The proxy knows the agent (its address on the agents' network) and
    // answers; with no placeholder in the request it has nothing to swap: 401.
    assert!(
        line(&out, "proxy").starts_with("proxy HTTP/1.1 401"),
        "the credential proxy answers: {out}"
    );
    assert!(line(&out, "connect-evil").contains(" 403 "), "{out}");
    assert!(line(&out, "connect-ip").contains(" 403 "), "{out}");
    assert!(
        line(&out, "upstream").contains(" 403 "),
        "not allowed yet: {out}"
    );
    assert!(!out.contains("upstream BODY-MATCH"), "{out}");

    // Allow the name; the daemon picks up network.toml.
    common::aigo(home.path())
        .args(["network", "allow", "upstream.test"])
        .assert()
        .success();
    let list = common::aigo(home.path())
        .args(["network", "list", "--json"])
        .output()
        .unwrap();
    let list = common::json(&list.stdout);
    assert_eq!(list["allow"], serde_json::json!(["upstream.test"]));
    assert_eq!(list["egress"], "allowlist");
    let state2 = state.clone();
    tokio::task::spawn_blocking(move || {
        common::wait_for("the daemon to reload network.toml", 60, || {
            std::fs::read_to_string(state2.log_file())
                .is_ok_and(|l| l.contains("egress allowlist reloaded"))
                || reloaded_probe(gw, up_port)
        })
    })
    .await
    .unwrap();
    let out = run_probe("run-after").await;
    assert!(line(&out, "upstream").contains(" 200 "), "{out}");
    assert!(out.contains("upstream BODY-MATCH"), "{out}");
    assert!(
        line(&out, "connect-evil").contains(" 403 "),
        "still refused: {out}"
    );

    // Every refusal from inside the containers is in the audit log with run, group, destination.
    let audit: Vec<serde_json::Value> = std::fs::read_to_string(state.audit())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let refused = |run: &str, dest: &str| {
        audit.iter().any(|e| {
            e["category"] == "network"
                && e["severity"] == "warning"
                && e["group"] == "netgroup"
                && e["details"]["run"] == run
                && e["details"]["destination"] == dest
        })
    };
    for (run, dest) in [
        ("run-before", "evil.test:443"),
        ("run-before", "1.1.1.1:443"),
        (("run-before"), &*format!("upstream.test:{up_port}")),
        ("run-after", "evil.test:443"),
        ("run-after", "1.1.1.1:443"),
    ] {
        assert!(
            refused(run, dest),
            "no audit entry for {run} -> {dest}: {audit:#?}"
        );
    }
    assert!(!refused("run-after", &format!("upstream.test:{up_port}")));

    stop.cancel();
    let _ = daemon.await;
    remove(&docker, &peer).await;
    remove(&docker, &bridge_peer).await;
    aigo::runtime::remove_network(&engine, &net_name)
        .await
        .unwrap();
    aigo::network::remove_fence(&net_name).await.ok();
}

/// The host asks the gateway directly (the fence only covers the agents' bridge).
fn reloaded_probe(gw: std::net::SocketAddr, up_port: u16) -> bool {
    let Ok(mut s) = std::net::TcpStream::connect(gw) else {
        return false;
    };
    let _ = write!(
        s,
        "GET http://upstream.test:{up_port}/ HTTP/1.1\r\nHost: upstream.test:{up_port}\r\nConnection: close\r\n\r\n"
    );
    let mut b = String::new();
    let _ = s.read_to_string(&mut b);
    b.starts_with("HTTP/1.1 200")
}
