//! Docker and Podman through bollard (the Docker Engine API over a unix socket or `tcp://`).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bollard::Docker;

use super::{Backend, ContainerRuntime, Networking, Probe};

const PROBE_TIMEOUT: Duration = Duration::from_secs(5);
const DOCKER_SOCKET: &str = "/var/run/docker.sock";

/// A Docker-API engine (Docker or Podman) at one endpoint.
#[derive(Debug, Clone)]
pub struct DockerRuntime {
    raw: Docker,
    endpoint: String,
    hint: Backend,
    /// Set by a successful probe: the client speaking the engine's API version.
    negotiated: Arc<OnceLock<(Docker, Backend)>>,
}

impl DockerRuntime {
    /// Connects to an explicit endpoint (`unix:///…`, `tcp://host:port`).
    pub fn connect(endpoint: &str) -> Result<Self, String> {
        let raw =
            Docker::connect_with_host(endpoint).map_err(|e| describe(endpoint, &e.to_string()))?;
        Ok(Self::new(raw, endpoint, Backend::Docker))
    }

    fn new(raw: Docker, endpoint: &str, hint: Backend) -> Self {
        Self {
            raw,
            endpoint: endpoint.to_string(),
            hint,
            negotiated: Arc::new(OnceLock::new()),
        }
    }

    /// The bollard client, version-negotiated once probed.
    pub fn client(&self) -> &Docker {
        self.negotiated.get().map(|(d, _)| d).unwrap_or(&self.raw)
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Only the version negotiation of a probe (one `/version` round trip).
    pub(super) async fn negotiated_client(&self) -> Result<Docker, String> {
        match tokio::time::timeout(PROBE_TIMEOUT, self.raw.clone().negotiate_version()).await {
            Ok(r) => r.map_err(|e| describe(&self.endpoint, &e.to_string())),
            Err(_) => Err(format!(
                "{}: no answer within {}s",
                self.endpoint,
                PROBE_TIMEOUT.as_secs()
            )),
        }
    }

    async fn probe_inner(&self) -> Result<Probe, String> {
        let client = self
            .raw
            .clone()
            .negotiate_version()
            .await
            .map_err(|e| describe(&self.endpoint, &e.to_string()))?;
        let v = client
            .version()
            .await
            .map_err(|e| describe(&self.endpoint, &e.to_string()))?;
        let is_podman = v
            .components
            .iter()
            .flatten()
            .any(|c| c.name.to_ascii_lowercase().contains("podman"));
        let backend = if is_podman {
            Backend::Podman
        } else {
            Backend::Docker
        };
        let network = if is_podman { "podman" } else { "bridge" };
        let gateway = client
            .inspect_network(network, None)
            .await
            .ok()
            .and_then(|n| n.ipam)
            .and_then(|i| i.config)
            .and_then(|cfgs| {
                cfgs.into_iter().find_map(|c| {
                    c.gateway
                        .filter(|g| !g.contains(':'))
                        .or_else(|| c.subnet.as_deref().and_then(first_host))
                })
            });
        let _ = self.negotiated.set((client, backend));
        Ok(Probe {
            version: v.version.unwrap_or_else(|| "unknown".into()),
            networking: Networking {
                host_gateway: gateway.or_else(|| Some("host-gateway".into())),
                extra_run_args: vec!["--add-host=host-gateway:host-gateway".into()],
                ..Default::default()
            },
        })
    }
}

impl ContainerRuntime for DockerRuntime {
    fn backend(&self) -> Backend {
        self.negotiated.get().map(|(_, b)| *b).unwrap_or(self.hint)
    }

    async fn probe(&self) -> Result<Probe, String> {
        match tokio::time::timeout(PROBE_TIMEOUT, self.probe_inner()).await {
            Ok(r) => r,
            Err(_) => Err(format!(
                "{}: no answer within {}s",
                self.endpoint,
                PROBE_TIMEOUT.as_secs()
            )),
        }
    }
}

/// The endpoints worth trying, in order. `DOCKER_HOST`, when set, is the only one:
/// a user who points it somewhere does not want aigo to quietly use another engine.
pub(super) fn candidates(forced: Option<Backend>, tried: &mut Vec<String>) -> Vec<DockerRuntime> {
    if let Some(host) = std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty()) {
        return match DockerRuntime::connect(&host) {
            Ok(rt) => vec![rt],
            Err(e) => {
                tried.push(format!("{e} (from DOCKER_HOST)"));
                vec![]
            }
        };
    }
    let mut sockets: Vec<(String, Backend)> = Vec::new();
    if forced != Some(Backend::Podman) {
        sockets.push((DOCKER_SOCKET.into(), Backend::Docker));
    }
    if forced != Some(Backend::Docker) {
        for p in podman_sockets() {
            sockets.push((p, Backend::Podman));
        }
    }
    let mut out = Vec::new();
    for (path, hint) in sockets {
        let endpoint = format!("unix://{path}");
        if !std::path::Path::new(&path).exists() {
            tried.push(format!("{} at {endpoint}: no socket", hint.display_name()));
            continue;
        }
        match Docker::connect_with_host(&endpoint) {
            Ok(d) => out.push(DockerRuntime::new(d, &endpoint, hint)),
            Err(e) => tried.push(describe(&endpoint, &e.to_string())),
        }
    }
    out
}

fn podman_sockets() -> Vec<String> {
    let mut v = Vec::new();
    if let Some(x) = std::env::var_os("XDG_RUNTIME_DIR") {
        v.push(format!("{}/podman/podman.sock", x.to_string_lossy()));
    }
    v.push("/run/podman/podman.sock".into());
    if let Some(home) = std::env::var_os("HOME") {
        v.push(format!(
            "{}/.local/share/containers/podman/machine/podman.sock",
            home.to_string_lossy()
        ));
    }
    v
}

fn describe(endpoint: &str, err: &str) -> String {
    let hint = if err.contains("ermission denied") {
        " (add your user to the docker group: `sudo usermod -aG docker $USER`, then log in again)"
    } else {
        ""
    };
    format!("Docker API at {endpoint}: {err}{hint}")
}

/// Docker gives a bridge's gateway the first address of its subnet but older
/// engines leave `Gateway` out of the IPAM config: `172.17.0.0/16` → `172.17.0.1`.
fn first_host(subnet: &str) -> Option<String> {
    let (net, _) = subnet.split_once('/')?;
    let ip: std::net::Ipv4Addr = net.parse().ok()?;
    Some(std::net::Ipv4Addr::from(u32::from(ip).checked_add(1)?).to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn gateway_from_subnet() {
        assert_eq!(
            super::first_host("172.17.0.0/16").as_deref(),
            Some("172.17.0.1")
        );
        assert_eq!(super::first_host("fd00::/64"), None);
    }
}
