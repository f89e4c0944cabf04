//! The agents' network: where agent containers live and what they may reach.
//!
//! Owns `[network]` in `config.toml` (the egress mode), `network.toml` (the
//! egress allowlist edited by `aigo network allow|deny`), the host fence (an
//! nftables table that leaves only the credential proxy and the egress gateway
//! reachable from the agents' bridge), the settings a run's container gets
//! (network, `host-gateway`, proxy environment) and the egress gateway itself
//! (an HTTP CONNECT + plain HTTP forward proxy that admits only allowlisted
//! names). The engine calls that create the network live in
//! `runtime/network.rs`.

mod allow;
mod fence;
mod gateway;
mod policy;
mod settings;
mod tunnel;

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use allow::{AllowEntry, NetworkFile, NetworkView, allow, deny, list};
pub use fence::{FenceStatus, apply_fence, fence_table, remove_fence, ruleset as fence_rules};
pub use gateway::{Gateway, GatewayOptions, serve};
pub use policy::{Policy, Refusal};
pub use settings::{ContainerNetwork, Prepared, container_settings, prepare};

/// The agents' network name when `config.toml` does not name another.
pub const DEFAULT_NETWORK: &str = "aigo-agents";
/// The egress gateway's port on the agents' network (the usual forward-proxy port).
pub const DEFAULT_GATEWAY_PORT: u16 = 3128;

/// What an agent container may reach besides the credential proxy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Egress {
    /// Nothing: the agents' internal network, the proxy its only way out.
    #[default]
    ProxyOnly,
    /// Also the names in `network.toml`, through the egress gateway.
    Allowlist,
    /// The engine's default bridge: the internet, the LAN and host services.
    Open,
}

impl Egress {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProxyOnly => "proxy-only",
            Self::Allowlist => "allowlist",
            Self::Open => "open",
        }
    }

    /// One sentence for `aigo runtime` and run start.
    pub fn describe(self) -> &'static str {
        match self {
            Self::ProxyOnly => {
                "egress proxy-only: agents reach the credential proxy and nothing else"
            }
            Self::Allowlist => {
                "egress allowlist: agents reach the credential proxy and the names in network.toml (through the egress gateway)"
            }
            Self::Open => {
                "egress OPEN: agents reach the internet, the LAN, other containers and host services (set [network] egress = \"proxy-only\" in config.toml to fence them)"
            }
        }
    }
}

/// `[network]` in `config.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkConfig {
    pub egress: Egress,
    /// The internal network aigo creates and owns for agent containers.
    pub name: String,
    /// The egress gateway's port on that network (`egress = "allowlist"`).
    pub gateway_port: u16,
    /// Install the nftables fence for the agents' bridge (needs root and `nft`).
    pub fence: bool,
    /// Names the egress gateway resolves to fixed addresses instead of asking
    /// DNS (like /etc/hosts: internal services, tests). A name must still be on
    /// the allowlist; its pinned address is trusted even in a private range.
    pub hosts: BTreeMap<String, IpAddr>,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        Self {
            egress: Egress::default(),
            name: DEFAULT_NETWORK.into(),
            gateway_port: DEFAULT_GATEWAY_PORT,
            fence: true,
            hosts: BTreeMap::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error(transparent)]
    State(#[from] crate::state::StateError),
    #[error(
        "invalid egress allowlist entry {entry:?}: {reason} (use a host name, *.domain, an IP address or a CIDR range)"
    )]
    BadEntry { entry: String, reason: String },
    #[error("{0:?} is not on the egress allowlist (see `aigo network list`)")]
    NotListed(String),
    #[error("container engine: {action} network {network:?}: {message}")]
    Engine {
        action: &'static str,
        network: String,
        message: String,
    },
    #[error(
        "network {0:?} exists but is not internal (it has a route off the host); remove it with `docker network rm {0}` so aigo can recreate it"
    )]
    NotInternal(String),
    #[error("network {network:?} has no IPv4 gateway address; remove it so aigo can recreate it")]
    NoGateway { network: String },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot {action} {path}: {source}")]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
}
