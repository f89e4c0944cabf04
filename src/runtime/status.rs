//! The runtime status document shared by `aigo runtime --json` and the API.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    AppleContainer,
    Docker,
    Podman,
}

impl Backend {
    /// The network containers join when none is named.
    pub fn default_network(self) -> &'static str {
        match self {
            Self::AppleContainer => "default",
            Self::Docker => "bridge",
            Self::Podman => "podman",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AppleContainer => "apple_container",
            Self::Docker => "docker",
            Self::Podman => "podman",
        }
    }
    pub fn display_name(self) -> &'static str {
        match self {
            Self::AppleContainer => "Apple Container",
            Self::Docker => "Docker",
            Self::Podman => "Podman",
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Networking {
    /// The address containers reach the host on (the bridge gateway).
    pub host_gateway: Option<String>,
    /// Arguments a `run` needs so `host-gateway` resolves inside the container.
    pub extra_run_args: Vec<String>,
    /// `[network] egress` in config.toml: `proxy-only`, `allowlist` or `open`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress: Option<crate::network::Egress>,
}

/// `{available, backend, version, networking{hostGateway, extraRunArgs}, message}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeStatus {
    pub available: bool,
    pub backend: Option<Backend>,
    pub version: Option<String>,
    pub networking: Networking,
    pub message: String,
}

impl RuntimeStatus {
    pub fn unavailable(message: String) -> Self {
        Self {
            available: false,
            backend: None,
            version: None,
            networking: Networking::default(),
            message,
        }
    }
}
