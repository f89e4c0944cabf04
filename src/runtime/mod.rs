//! Container runtime detection and the [`ContainerRuntime`] abstraction.
//!
//! Owns the choice of backend (a `config.toml` override, else detection: Apple
//! Container on Apple Silicon macOS, then Docker via `DOCKER_HOST` or its default
//! socket, then Podman's Docker-compatible socket) and the status JSON the CLI
//! and API print. Everything that talks to an engine goes through a handle
//! returned from here.

mod apple;
mod docker;
mod network;
mod status;

use std::future::Future;

pub use apple::AppleRuntime;
pub use docker::DockerRuntime;
pub use network::{AgentNetwork, NetworkPeer, ensure_network, peer_at, remove_network};
pub use status::{Backend, Networking, RuntimeStatus};

use crate::config::Config;

/// What a backend reports when it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub version: String,
    pub networking: Networking,
}

/// One container engine aigo can drive.
pub trait ContainerRuntime: Send + Sync {
    fn backend(&self) -> Backend;
    /// Asks the engine whether it is up; the error says what was tried and how to fix it.
    fn probe(&self) -> impl Future<Output = Result<Probe, String>> + Send;
}

/// A connected, answering runtime.
#[derive(Debug, Clone)]
pub enum Runtime {
    Docker(DockerRuntime),
    Apple(AppleRuntime),
}

/// The outcome of detection: the status users see and, when available, the handle.
#[derive(Debug, Clone)]
pub struct Detection {
    pub status: RuntimeStatus,
    pub runtime: Option<Runtime>,
}

/// A version-negotiated client for the first Docker-API engine (Docker or Podman) that
/// answers, without the rest of [`detect`]'s probe (engine version, networking): each
/// `/version` makes Docker run `runc --version`, a noticeable share of a cached image build.
/// `None` when none answers or `config.toml` forces Apple Container; [`detect`] then says why.
pub async fn docker_client(config: &Config) -> Option<bollard::Docker> {
    if config.runtime == Some(Backend::AppleContainer) {
        return None;
    }
    let mut tried = Vec::new();
    for rt in docker::candidates(config.runtime, &mut tried) {
        match rt.negotiated_client().await {
            Ok(d) => return Some(d),
            Err(e) => tried.push(e),
        }
    }
    tracing::debug!(tried = ?tried, "no Docker-API engine answered");
    None
}

/// Detects the runtime to use. Never fails: an unavailable runtime is a status
/// whose message lists every attempt and what to do about it.
pub async fn detect(config: &Config) -> Detection {
    let mut det = detect_engine(config).await;
    det.status.networking.egress = Some(config.network.egress);
    det
}

async fn detect_engine(config: &Config) -> Detection {
    let mut tried: Vec<String> = Vec::new();
    let candidates = match config.runtime {
        Some(Backend::AppleContainer) => vec![Backend::AppleContainer],
        Some(b @ (Backend::Docker | Backend::Podman)) => vec![b],
        None if apple::platform_supported() => vec![Backend::AppleContainer, Backend::Docker],
        None => vec![Backend::Docker],
    };
    for backend in candidates {
        match backend {
            Backend::AppleContainer => {
                let rt = AppleRuntime::from_env();
                match rt.probe().await {
                    Ok(p) => {
                        return found(
                            Runtime::Apple(rt),
                            Backend::AppleContainer,
                            p,
                            "Apple Container runtime detected",
                        );
                    }
                    Err(e) => tried.push(e),
                }
            }
            Backend::Docker | Backend::Podman => {
                for rt in docker::candidates(config.runtime, &mut tried) {
                    match rt.probe().await {
                        Ok(p) => {
                            let b = rt.backend();
                            let msg = format!(
                                "{} runtime detected at {}",
                                b.display_name(),
                                rt.endpoint()
                            );
                            return found(Runtime::Docker(rt), b, p, &msg);
                        }
                        Err(e) => tried.push(e),
                    }
                }
            }
        }
    }
    let how = match config.runtime {
        Some(b) => format!(
            "config.toml forces runtime = {:?}; start that runtime or remove the override",
            b.as_str()
        ),
        None => "start Docker (`sudo systemctl start docker`) or Podman (`systemctl --user start podman.socket`), \
                 or point DOCKER_HOST at a running engine; on Apple Silicon macOS run `container system start`"
            .to_string(),
    };
    Detection {
        status: RuntimeStatus::unavailable(format!(
            "No container runtime available. Tried: {}. Fix: {how}.",
            tried.join("; ")
        )),
        runtime: None,
    }
}

fn found(runtime: Runtime, backend: Backend, p: Probe, message: &str) -> Detection {
    tracing::debug!(backend = backend.as_str(), version = %p.version, "runtime detected");
    Detection {
        status: RuntimeStatus {
            available: true,
            backend: Some(backend),
            version: Some(p.version),
            networking: p.networking,
            message: message.to_string(),
        },
        runtime: Some(runtime),
    }
}
