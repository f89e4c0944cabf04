//! `daemon.json`: how the CLI finds a running daemon (pid, API address, version).

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

use crate::state::{StateDir, StateError, write_atomic};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DaemonInfo {
    pub schema_version: u32,
    pub pid: u32,
    pub api_address: SocketAddr,
    /// The WhatsApp webhook's own listener, when `[channels.whatsapp] webhook_bind` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_address: Option<SocketAddr>,
    pub version: String,
    pub started_at: jiff::Timestamp,
}

impl DaemonInfo {
    pub fn new(api_address: SocketAddr) -> Self {
        Self {
            schema_version: 1,
            pid: std::process::id(),
            api_address,
            webhook_address: None,
            version: env!("CARGO_PKG_VERSION").into(),
            started_at: jiff::Timestamp::now(),
        }
    }

    pub fn write(&self, state: &StateDir) -> Result<(), StateError> {
        let text = serde_json::to_vec_pretty(self).map_err(|e| StateError::Serialize {
            path: state.daemon_info(),
            message: e.to_string(),
        })?;
        write_atomic(&state.daemon_info(), &text)
    }

    /// The file a daemon left, if any and readable. It may be stale after a crash:
    /// only the daemon lock says whether one really runs.
    pub fn read(state: &StateDir) -> Option<Self> {
        let text = std::fs::read(state.daemon_info()).ok()?;
        serde_json::from_slice(&text).ok()
    }

    pub fn remove(state: &StateDir) {
        let _ = std::fs::remove_file(state.daemon_info());
    }
}
