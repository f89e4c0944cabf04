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
    /// `tracing` filter used when neither `-v` nor `AIGO_LOG` says otherwise.
    pub log_level: String,
    pub api: ApiConfig,
    pub proxy: ProxyConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ApiConfig {
    /// Loopback by default; another address must be set here explicitly.
    pub bind: SocketAddr,
    /// Extra Host header names accepted besides loopback names (e.g. a reverse proxy's).
    pub allowed_hosts: Vec<String>,
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
            log_level: "info".into(),
            api: ApiConfig::default(),
            proxy: ProxyConfig::default(),
        }
    }
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            bind: DEFAULT_API_ADDR.parse().expect("valid default address"),
            allowed_hosts: Vec::new(),
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
