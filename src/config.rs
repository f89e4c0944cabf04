//! `config.toml`: ports, runtime override, image tag, log level.

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

use crate::runtime::Backend;
use crate::state::{StateDir, StateError, load_toml};

pub const DEFAULT_API_ADDR: &str = "127.0.0.1:55765";
pub const DEFAULT_PROXY_PORT: u16 = 3001;
pub const DEFAULT_IMAGE_TAG: &str = "aigo-agent-runner:latest";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub schema_version: u32,
    /// Forces a backend instead of detecting one.
    pub runtime: Option<Backend>,
    pub image_tag: String,
    /// A build context directory for the agent image, used by `POST …/image/build`
    /// (default: the embedded one). Set by whoever owns this file, never by an API caller.
    pub image_context: Option<std::path::PathBuf>,
    /// `tracing` filter used when neither `-v` nor `AIGO_LOG` says otherwise.
    pub log_level: String,
    pub api: ApiConfig,
    pub proxy: ProxyConfig,
    pub runs: RunsConfig,
    pub network: crate::network::NetworkConfig,
    pub channels: ChannelsListenConfig,
    /// Per-group limits of the IPC router.
    pub ipc: crate::ipc::IpcLimits,
}

/// Listeners of chat channels that services call back (`[channels.whatsapp]`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ChannelsListenConfig {
    pub whatsapp: WhatsappListenConfig,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct WhatsappListenConfig {
    /// Where the WhatsApp webhook (and nothing else) is served; unset: not served.
    /// Put this address, never the management API's, behind the reverse proxy.
    pub webhook_bind: Option<SocketAddr>,
}

/// Limits and defaults for agent containers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct RunsConfig {
    /// Memory limit per container in MiB (0: none).
    pub memory_mb: u64,
    /// CPU limit per container (0: none).
    pub cpus: f64,
    /// Process limit per container (0: none).
    pub pids_limit: i64,
    /// Default wall-clock limit of a run.
    pub timeout_secs: u64,
    /// Stop a run whose agent wrote nothing for this long (0: never).
    pub idle_timeout_secs: u64,
    /// How many scheduled runs may run at once; the rest queue.
    pub max_concurrent: usize,
    /// Extra `run` arguments (checked against a denylist: no --privileged, --cap-add, …).
    pub extra_run_args: Vec<String>,
    /// Seconds between security audits of running containers.
    pub compliance_interval_secs: u64,
    /// `UID:GID` agents run as when aigo itself runs as root (a system service);
    /// never 0. Unset: `1000:1000`. When aigo runs as a normal user, agents run
    /// as that user (so the files they write stay theirs) and this is not used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

impl Default for RunsConfig {
    fn default() -> Self {
        Self {
            memory_mb: 2048,
            cpus: 2.0,
            pids_limit: 512,
            timeout_secs: 30 * 60,
            idle_timeout_secs: 0,
            max_concurrent: 2,
            extra_run_args: Vec::new(),
            compliance_interval_secs: 300,
            user: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ApiConfig {
    /// Loopback by default; another address must be set here explicitly.
    pub bind: SocketAddr,
    /// Extra Host header names accepted besides loopback names (e.g. a reverse proxy's).
    pub allowed_hosts: Vec<String>,
    /// A client must send a request's head within this long (slow-loris guard).
    pub header_read_timeout_secs: u64,
    /// A request body must arrive completely within this long.
    pub body_timeout_secs: u64,
    /// A connection with no request in flight is closed after this long.
    pub idle_timeout_secs: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ProxyConfig {
    pub port: u16,
    /// Unset: loopback on macOS, the container bridge gateway on Linux.
    pub bind: Option<std::net::IpAddr>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            schema_version: 1,
            runtime: None,
            image_tag: DEFAULT_IMAGE_TAG.into(),
            image_context: None,
            log_level: "info".into(),
            api: ApiConfig::default(),
            proxy: ProxyConfig::default(),
            runs: RunsConfig::default(),
            network: Default::default(),
            channels: Default::default(),
            ipc: crate::ipc::IpcLimits::default(),
        }
    }
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            bind: DEFAULT_API_ADDR.parse().expect("valid default address"),
            allowed_hosts: Vec::new(),
            header_read_timeout_secs: 10,
            body_timeout_secs: 60,
            idle_timeout_secs: 60,
        }
    }
}

impl Default for ProxyConfig {
    fn default() -> Self {
        Self {
            port: DEFAULT_PROXY_PORT,
            bind: None,
        }
    }
}

crate::versioned!(Config, 1);

impl Config {
    pub fn load(state: &StateDir) -> Result<Self, StateError> {
        load_toml(&state.config())
    }
}
