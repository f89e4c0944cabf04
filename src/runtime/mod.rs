//! Container engines: detection and [`Engine`], the one interface for what aigo asks of
//! an engine (containers, logs, builds, images, networks).
//!
//! Owns the choice of backend (a `config.toml` override, else detection: Apple
//! Container on Apple Silicon macOS, then Docker via `DOCKER_HOST` or its default
//! socket, then Podman's Docker-compatible socket) and the status JSON the CLI
//! and API print. This module is the only place that talks to an engine: everything
//! else holds an [`Engine`] from [`connect`] or [`detect`] and speaks the plain data of
//! `spec.rs`.

mod apple;
pub mod callers;
mod docker;
mod engine;
mod network;
mod spec;
mod status;

pub use apple::AppleEngine;
pub use docker::DockerEngine;
pub use engine::Engine;
pub use network::{
    AgentNetwork, NetworkPeer, default_bridge_is_local, ensure_network, peer_at, remove_network,
    settle,
};
pub use spec::{
    BindSpec, BuildMessage, BuildOptions, ContainerInfo, ContainerSpec, ContainerSummary,
    ContextStream, EngineError, ExitStatus, ImageInfo, NetworkEntry, NetworkInfo, NetworkSpec,
};
pub use status::{Backend, Networking, RuntimeStatus};

use crate::config::Config;

/// What a backend reports when it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub version: String,
    pub networking: Networking,
}

/// The outcome of detection: the status users see and, when available, the engine.
#[derive(Debug, Clone)]
pub struct Detection {
    pub status: RuntimeStatus,
    pub runtime: Option<Engine>,
}

impl Detection {
    /// The engine, or the status message saying why there is none.
    pub fn engine(&self) -> Result<Engine, String> {
        self.runtime
            .clone()
            .ok_or_else(|| self.status.message.clone())
    }
}

/// The first engine that answers, found the cheap way: for Docker-API engines one version
/// negotiation, without the rest of [`detect`]'s probe (engine version, networking): each
/// `/version` makes Docker run `runc --version`, a noticeable share of a cached image build.
/// The error is [`detect`]'s message: every attempt and what to do about it.
pub async fn connect(config: &Config) -> Result<Engine, String> {
    let apple_first = match config.runtime {
        Some(Backend::AppleContainer) => true,
        Some(_) => false,
        None => apple::platform_supported(),
    };
    if apple_first {
        let a = AppleEngine::from_env();
        if a.probe().await.is_ok() {
            return Ok(Engine::Apple(a));
        }
    }
    if config.runtime != Some(Backend::AppleContainer) {
        let mut tried = Vec::new();
        for rt in docker::candidates(config.runtime, &mut tried) {
            match rt.connect_fast().await {
                Ok(()) => return Ok(Engine::Docker(rt)),
                Err(e) => tried.push(e),
            }
        }
        tracing::debug!(tried = ?tried, "no Docker-API engine answered");
    }
    detect(config).await.engine()
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
                let rt = AppleEngine::from_env();
                match rt.probe().await {
                    Ok(p) => {
                        return found(
                            Engine::Apple(rt),
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
                            return found(Engine::Docker(rt), b, p, &msg);
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

fn found(runtime: Engine, backend: Backend, p: Probe, message: &str) -> Detection {
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
