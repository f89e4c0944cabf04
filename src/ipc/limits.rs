//! Per-group bounds on what the router takes from an agent (`[ipc]` in
//! `config.toml`): how many files a group gets handled per round, how large a
//! message or a prompt may be, how many schedules a non-main group may hold,
//! and how many schedules agents may bring the whole table to.

use serde::{Deserialize, Serialize};

/// Largest IPC file the host reads at all; larger ones are quarantined unread.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct IpcLimits {
    /// Files of one group handled per router round (its sessions share them);
    /// then every other group with pending files gets its turn.
    pub files_per_round: usize,
    /// Largest chat message text, in bytes.
    pub max_message_bytes: usize,
    /// Largest schedule prompt (`schedule_task`, `update_task`), in bytes.
    pub max_prompt_bytes: usize,
    /// Schedules a non-main group may hold (the main group is not limited).
    pub max_schedules_per_group: usize,
    /// Schedules in all (every group's, however created) past which an
    /// agent's `schedule_task` is refused, the main group's included: every
    /// create rewrites `schedules.toml`, so this bounds what a flood costs.
    /// The CLI and the API are not limited.
    pub max_schedules_total: usize,
}

impl Default for IpcLimits {
    fn default() -> Self {
        Self {
            files_per_round: 32,
            max_message_bytes: 64 * 1024,
            max_prompt_bytes: 64 * 1024,
            max_schedules_per_group: 50,
            max_schedules_total: 1000,
        }
    }
}

impl IpcLimits {
    /// The largest file read for a payload limited to `payload` bytes: twice
    /// the payload (JSON escaping) plus 16 KiB for the other fields, never more
    /// than [`MAX_FILE_BYTES`]. Larger files are refused unread, so a flood of
    /// oversized files costs a `stat` and a rename each, not a parse.
    pub fn file_bytes(&self, payload: usize) -> u64 {
        (payload as u64)
            .saturating_mul(2)
            .saturating_add(16 * 1024)
            .min(MAX_FILE_BYTES)
    }
}
