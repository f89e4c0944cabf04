//! [`Engine`]: the one interface for what aigo asks of a container engine. An enum over the
//! backends (no boxed trait objects, no async-trait): Docker and Podman through their
//! Docker-compatible API, Apple Container through its `container` CLI. A Kubernetes backend
//! would be one more variant (see docs/scaling.md).

use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::BoxStream;

use super::{
    AppleEngine, Backend, BuildMessage, BuildOptions, ContainerInfo, ContainerSpec,
    ContainerSummary, ContextStream, DockerEngine, EngineError, ExitStatus, ImageInfo,
    NetworkEntry, NetworkInfo, NetworkSpec, Probe,
};

/// A connected engine. Cheap to clone (handles are shared).
#[derive(Debug, Clone)]
pub enum Engine {
    /// Docker or Podman (Podman's Docker-compatible socket).
    Docker(DockerEngine),
    Apple(AppleEngine),
}

macro_rules! each {
    ($self:ident, $e:ident => $body:expr) => {
        match $self {
            Engine::Docker($e) => $body,
            Engine::Apple($e) => $body,
        }
    };
}

impl Engine {
    pub fn backend(&self) -> Backend {
        match self {
            Self::Docker(d) => d.backend(),
            Self::Apple(_) => Backend::AppleContainer,
        }
    }

    /// Where it was reached: a socket URL or the CLI's path.
    pub fn endpoint(&self) -> String {
        match self {
            Self::Docker(d) => d.endpoint().to_string(),
            Self::Apple(a) => a.bin().display().to_string(),
        }
    }

    /// Asks the engine whether it is up: its version and how containers reach the host.
    pub async fn probe(&self) -> Result<Probe, String> {
        each!(self, e => e.probe().await)
    }

    /// How a container names the host in URLs: `host-gateway` where the engine maps it
    /// (`extra_hosts` entry `host-gateway:host-gateway`), else the bridge's gateway address.
    pub async fn host_gateway(&self) -> String {
        match self {
            Self::Docker(_) => "host-gateway".into(),
            Self::Apple(a) => a.gateway().await,
        }
    }

    /// Creates the container and starts it; returns its id. One that fails to start is removed.
    pub async fn create_and_start(&self, spec: &ContainerSpec) -> Result<String, EngineError> {
        each!(self, e => e.create_and_start(spec).await)
    }

    /// Waits for the container to end.
    pub async fn wait(&self, id: &str) -> Result<ExitStatus, EngineError> {
        each!(self, e => e.wait(id).await)
    }

    /// SIGTERM, then SIGKILL after `grace`. A container already stopped or gone is fine.
    pub async fn stop(&self, id: &str, grace: Duration) -> Result<(), EngineError> {
        each!(self, e => e.stop(id, grace).await)
    }

    /// Removes the container, running or not. One already gone is fine.
    pub async fn remove(&self, id: &str) -> Result<(), EngineError> {
        each!(self, e => e.remove(id).await)
    }

    /// Containers carrying `label` (`KEY=VALUE`); `all` includes stopped ones.
    pub async fn list(&self, label: &str, all: bool) -> Result<Vec<ContainerSummary>, EngineError> {
        each!(self, e => e.list(label, all).await)
    }

    /// State, pid, environment, labels and binds of one container.
    pub async fn inspect(&self, id: &str) -> Result<ContainerInfo, EngineError> {
        each!(self, e => e.inspect(id).await)
    }

    /// stdout and stderr; `follow` keeps the stream open until the container ends.
    pub fn logs(&self, id: &str, follow: bool) -> BoxStream<'static, Result<Bytes, EngineError>> {
        each!(self, e => e.logs(id, follow))
    }

    /// Builds an image from a tar context, reporting progress on the stream.
    pub fn build_image(
        &self,
        opts: BuildOptions,
        context: ContextStream,
    ) -> BoxStream<'static, Result<BuildMessage, EngineError>> {
        each!(self, e => e.build_image(opts, context))
    }

    pub async fn inspect_image(&self, tag: &str) -> Result<ImageInfo, EngineError> {
        each!(self, e => e.inspect_image(tag).await)
    }

    /// Removes an image (forced: tags and untagged parents); one already gone is fine.
    pub async fn remove_image(&self, tag: &str) -> Result<(), EngineError> {
        each!(self, e => e.remove_image(tag).await)
    }

    /// Creates a network (see `network.rs` for the agents' own); returns its id.
    pub async fn create_network(&self, spec: &NetworkSpec) -> Result<String, EngineError> {
        each!(self, e => e.create_network(spec).await)
    }

    pub async fn inspect_network(&self, name: &str) -> Result<NetworkInfo, EngineError> {
        each!(self, e => e.inspect_network(name).await)
    }

    /// Every network named exactly `name`, with when it was created.
    pub async fn networks_named(&self, name: &str) -> Result<Vec<NetworkEntry>, EngineError> {
        each!(self, e => e.networks_named(name).await)
    }

    /// Removes a network; one already gone is fine.
    pub async fn remove_network(&self, name: &str) -> Result<(), EngineError> {
        each!(self, e => e.remove_network(name).await)
    }

    /// The container labelled `label=true` that holds address `ip` on `network`.
    pub async fn container_at(
        &self,
        network: &str,
        ip: std::net::IpAddr,
        label: &str,
    ) -> Result<Option<ContainerSummary>, EngineError> {
        each!(self, e => e.container_at(network, ip, label).await)
    }
}
