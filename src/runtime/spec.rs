//! The plain data aigo exchanges with an engine: what a container gets
//! ([`ContainerSpec`]), what the engine reports about containers, images and networks,
//! what a build asks for and what it reports, and [`EngineError`].
//!
//! Nothing here names an engine's client library: the rest of aigo speaks only these types.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::PathBuf;

use bytes::Bytes;
use futures_util::stream::BoxStream;
use serde::Serialize;

use super::Backend;

/// A host path bound into a container.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BindSpec {
    pub host: PathBuf,
    pub container: String,
    pub read_only: bool,
}

/// Everything a container is created with. Engines that cannot honour a field say so:
/// Apple Container runs each container in its own VM, so capabilities, seccomp options,
/// a read-only root filesystem and a pids limit are the VM's business there (see
/// `apple.rs`); a field an engine cannot express and that is not covered that way is an
/// error, never silently dropped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContainerSpec {
    pub name: String,
    pub image: String,
    /// Arguments after the image (the image's default command when empty).
    pub cmd: Vec<String>,
    /// `KEY=VALUE`.
    pub env: Vec<String>,
    pub binds: Vec<BindSpec>,
    pub labels: BTreeMap<String, String>,
    pub working_dir: Option<String>,
    pub memory_bytes: Option<i64>,
    /// Billionths of a CPU (Docker's `NanoCpus`).
    pub nano_cpus: Option<i64>,
    pub pids_limit: Option<i64>,
    /// `uid:gid` or a name.
    pub user: Option<String>,
    pub read_only_rootfs: bool,
    /// Container paths that get an empty tmpfs, with engine options (`size=64m,mode=1777`).
    pub tmpfs: BTreeMap<String, String>,
    /// Capabilities dropped (`ALL`).
    pub cap_drop: Vec<String>,
    /// E.g. `no-new-privileges`.
    pub security_opt: Vec<String>,
    /// `NAME:ADDRESS`; the address `host-gateway` means the engine's way to the host.
    pub extra_hosts: Vec<String>,
    pub dns: Vec<String>,
    /// A network to attach to instead of the engine's default.
    pub network: Option<String>,
    /// Run an init process as PID 1 (reaps zombies, forwards signals).
    pub init: bool,
}

/// One of aigo's containers as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerSummary {
    pub id: String,
    pub name: String,
    pub image: String,
    pub labels: BTreeMap<String, String>,
    /// `running`, `exited`, `created`, `stopped`, … as the engine says.
    pub state: String,
    /// Free text for people (`Up 3 minutes`).
    pub status: String,
    /// The container's addresses on its networks (IPv4 and global IPv6), what the credential
    /// proxy matches a caller against. Empty on Apple Container: its `list` output carries no
    /// addresses, and every container reaches the host from one address there anyway (runs
    /// are told apart by a token in their base URL instead).
    pub addresses: Vec<IpAddr>,
}

/// What an engine says about one container.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerInfo {
    pub id: String,
    pub name: String,
    pub image: String,
    pub running: bool,
    pub exit_code: Option<i64>,
    /// The main process's pid on the host (`None` where the engine runs a VM).
    pub pid: Option<i64>,
    pub env: Vec<String>,
    pub labels: BTreeMap<String, String>,
    /// Bind mounts, as the engine set them up.
    pub binds: Vec<BindSpec>,
    pub privileged: bool,
    pub cap_add: Vec<String>,
    pub user: Option<String>,
    pub read_only_rootfs: bool,
}

/// How a container ended, from [`super::Engine::wait`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExitStatus {
    /// `None` when the engine could not tell (e.g. it lost the container).
    pub code: Option<i64>,
}

/// A build, as asked of the engine. Labels travel as the build API's parameter (no
/// Dockerfile step of their own on engines that support it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildOptions {
    pub tag: String,
    /// Path of the Dockerfile inside the context.
    pub dockerfile: String,
    pub no_cache: bool,
    pub build_args: BTreeMap<String, String>,
    pub labels: BTreeMap<String, String>,
}

/// The build context as a tar stream (read while sent).
pub type ContextStream = BoxStream<'static, std::io::Result<Bytes>>;

/// What a running build reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildMessage {
    /// Builder output; may hold several lines or a partial one.
    Output(String),
    /// A status line (`ID: Downloading`).
    Status(String),
    /// The id of the image built.
    ImageId(String),
}

/// What an engine says about an image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageInfo {
    pub id: String,
    pub size: Option<i64>,
    /// RFC 3339.
    pub created: Option<String>,
    pub labels: BTreeMap<String, String>,
}

/// A network to create (the agents' internal network lives in `network.rs`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkSpec {
    pub name: String,
    /// No route out: containers reach only each other and the gateway address.
    pub internal: bool,
    pub labels: BTreeMap<String, String>,
    /// `10.89.0.0/24`; the engine picks when `None`.
    pub subnet: Option<String>,
    /// No traffic between containers on the network (Docker's `enable_icc=false`).
    pub isolated: bool,
}

/// What an engine says about a network.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkInfo {
    pub id: String,
    pub name: String,
    pub internal: bool,
    pub subnet: Option<String>,
    /// The host's address on the network.
    pub gateway: Option<String>,
    pub labels: BTreeMap<String, String>,
    /// The host's bridge interface for it, as the engine names it (it may live in
    /// another network namespace: check before relying on it).
    pub bridge: Option<String>,
}

/// One network of a given name (engines before Docker API 1.44 allow several).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkEntry {
    pub id: String,
    pub created: Option<jiff::Timestamp>,
}

/// An engine call that failed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The engine answered: the thing asked about does not exist.
    #[error("{backend}: cannot {action} {what}: not found", backend = .backend.display_name())]
    NotFound {
        backend: Backend,
        action: &'static str,
        what: String,
    },
    /// The engine refused or failed; `message` is the engine's own words.
    #[error("{backend}: cannot {action}: {message}", backend = .backend.display_name())]
    Failed {
        backend: Backend,
        action: &'static str,
        message: String,
    },
    /// The request asks for something this engine cannot express.
    #[error("{backend} cannot {action}: {why}", backend = .backend.display_name())]
    Unsupported {
        backend: Backend,
        action: &'static str,
        why: String,
    },
    #[error("cannot {action} {path}: {source}")]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
}

impl EngineError {
    /// The engine's message without the backend and action (for build logs).
    pub fn message(&self) -> String {
        match self {
            Self::Failed { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound { .. })
    }
}
