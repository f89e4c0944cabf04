//! Docker and Podman through bollard (the Docker Engine API over a unix socket or `tcp://`):
//! endpoints, connection, the probe. Containers, images and networks are in the submodules;
//! this directory is the only place in aigo that names bollard.

mod buildkit;
mod containers;
mod images;
mod networks;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use bollard::Docker;

use super::{Backend, EngineError, Networking, Probe};

const PROBE_TIMEOUT: Duration = Duration::from_secs(5);
const DOCKER_SOCKET: &str = "/var/run/docker.sock";

/// A Docker-API engine (Docker or Podman) at one endpoint.
#[derive(Debug, Clone)]
pub struct DockerEngine {
    raw: Docker,
    endpoint: String,
    hint: Backend,
    /// Set by a successful connect or probe: the client speaking the engine's API version,
    /// and the backend (a probe's answer replaces a connect's guess).
    negotiated: Arc<RwLock<Option<(Docker, Backend)>>>,
    /// Whether the backend is the engine's own answer, not the endpoint's guess.
    confirmed: Arc<std::sync::atomic::AtomicBool>,
}

impl DockerEngine {
    /// Connects to an explicit endpoint (`unix:///…`, `tcp://host:port`).
    pub fn connect(endpoint: &str) -> Result<Self, String> {
        let raw =
            Docker::connect_with_host(endpoint).map_err(|e| describe(endpoint, &e.to_string()))?;
        // Until a probe asks the engine itself, a podman socket path is the best guess.
        let hint = if endpoint.contains("podman") {
            Backend::Podman
        } else {
            Backend::Docker
        };
        Ok(Self::new(raw, endpoint, hint))
    }

    fn new(raw: Docker, endpoint: &str, hint: Backend) -> Self {
        Self {
            raw,
            endpoint: endpoint.to_string(),
            hint,
            negotiated: Arc::new(RwLock::new(None)),
            confirmed: Arc::default(),
        }
    }

    /// The bollard client, version-negotiated once probed or connected.
    pub(in crate::runtime) fn client(&self) -> Docker {
        self.negotiated()
            .map(|(d, _)| d)
            .unwrap_or_else(|| self.raw.clone())
    }

    pub(super) fn is_negotiated(&self) -> bool {
        self.negotiated().is_some()
    }

    fn negotiated(&self) -> Option<(Docker, Backend)> {
        self.negotiated
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn set_negotiated(&self, client: Docker, backend: Backend) {
        *self.negotiated.write().unwrap_or_else(|p| p.into_inner()) = Some((client, backend));
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Only the version negotiation of a probe (one `/version` round trip); the backend
    /// stays the endpoint's guess until a full probe.
    pub(super) async fn connect_fast(&self) -> Result<(), String> {
        match tokio::time::timeout(PROBE_TIMEOUT, self.raw.clone().negotiate_version()).await {
            Ok(r) => {
                let client = r.map_err(|e| describe(&self.endpoint, &e.to_string()))?;
                if self.negotiated().is_none() {
                    self.set_negotiated(client, self.hint);
                }
                Ok(())
            }
            Err(_) => Err(format!(
                "{}: no answer within {}s",
                self.endpoint,
                PROBE_TIMEOUT.as_secs()
            )),
        }
    }

    /// Docker or Podman, asked of the engine once (a fast connect only guessed).
    pub(super) async fn confirmed_backend(&self) -> Backend {
        if !self.confirmed.load(std::sync::atomic::Ordering::Relaxed) {
            if !self.is_negotiated() {
                let _ = self.connect_fast().await;
            }
            if let Ok(v) = self.client().version().await {
                let backend = if is_podman(&v) {
                    Backend::Podman
                } else {
                    Backend::Docker
                };
                self.set_negotiated(self.client(), backend);
                self.confirmed
                    .store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
        self.backend()
    }

    /// `f` within [`PROBE_TIMEOUT`]: each call of a probe gets the whole bound (Podman's
    /// `/version` runs conmon and runc, seconds on a loaded machine).
    async fn timed<T>(
        &self,
        f: impl std::future::Future<Output = Result<T, bollard::errors::Error>>,
    ) -> Result<T, String> {
        match tokio::time::timeout(PROBE_TIMEOUT, f).await {
            Ok(r) => r.map_err(|e| describe(&self.endpoint, &e.to_string())),
            Err(_) => Err(format!(
                "{}: no answer within {}s",
                self.endpoint,
                PROBE_TIMEOUT.as_secs()
            )),
        }
    }

    /// Asks the engine whether it is up; the error says what was tried and how to fix it.
    pub async fn probe(&self) -> Result<Probe, String> {
        let client = self.timed(self.raw.clone().negotiate_version()).await?;
        let v = self.timed(client.version()).await?;
        let is_podman = is_podman(&v);
        let backend = if is_podman {
            Backend::Podman
        } else {
            Backend::Docker
        };
        let network = backend.default_network();
        let gateway = self
            .timed(client.inspect_network(network, None))
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
        self.set_negotiated(client, backend);
        self.confirmed
            .store(true, std::sync::atomic::Ordering::Relaxed);
        Ok(Probe {
            version: v.version.unwrap_or_else(|| "unknown".into()),
            networking: Networking {
                host_gateway: gateway.or_else(|| Some("host-gateway".into())),
                extra_run_args: vec!["--add-host=host-gateway:host-gateway".into()],
                // Filled in by `detect` from config.toml.
                egress: None,
            },
        })
    }
}

impl DockerEngine {
    pub fn backend(&self) -> Backend {
        self.negotiated().map(|(_, b)| b).unwrap_or(self.hint)
    }
}

fn is_podman(v: &bollard::models::SystemVersion) -> bool {
    v.components
        .iter()
        .flatten()
        .any(|c| c.name.to_ascii_lowercase().contains("podman"))
}

/// The endpoints worth trying, in order. `DOCKER_HOST`, when set, is the only one:
/// a user who points it somewhere does not want aigo to quietly use another engine.
pub(super) fn candidates(forced: Option<Backend>, tried: &mut Vec<String>) -> Vec<DockerEngine> {
    if let Some(host) = std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty()) {
        return match DockerEngine::connect(&host) {
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
            Ok(d) => out.push(DockerEngine::new(d, &endpoint, hint)),
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

/// A bollard error as an [`EngineError`]: 404 is [`EngineError::NotFound`] of `what`, and
/// the engine's own words are kept.
pub(super) fn fail(
    backend: Backend,
    action: &'static str,
    what: &str,
    e: bollard::errors::Error,
) -> EngineError {
    use bollard::errors::Error as E;
    match e {
        E::DockerResponseServerError {
            status_code: 404, ..
        } => EngineError::NotFound {
            backend,
            action,
            what: what.to_string(),
        },
        E::DockerStreamError { error } => EngineError::Failed {
            backend,
            action,
            message: error,
        },
        E::DockerResponseServerError { message, .. } => EngineError::Failed {
            backend,
            action,
            message,
        },
        other => EngineError::Failed {
            backend,
            action,
            message: other.to_string(),
        },
    }
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
