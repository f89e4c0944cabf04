//! Run history: `runs/<id>.json` (atomic) beside `runs/<id>.log`.

use serde::{Deserialize, Serialize};

use super::{Bind, RunError};
use crate::state::{StateDir, StateError, write_atomic};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    Running,
    /// The agent exited by itself (see `exitCode`).
    Exited,
    Timeout,
    IdleTimeout,
    Stopped,
    Failed,
    /// The process watching it went away; the container was cleaned up.
    Interrupted,
    /// Refused before anything started (unknown group, image missing, no proxy,
    /// a mount the allowlist rejects).
    Refused,
}

impl std::fmt::Display for RunState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RunState::Running => "running",
            RunState::Exited => "finished",
            RunState::Timeout => "timed out",
            RunState::IdleTimeout => "closed when idle",
            RunState::Stopped => "stopped",
            RunState::Failed => "failed to start",
            RunState::Interrupted => "interrupted",
            RunState::Refused => "refused",
        })
    }
}

/// How the host ends a run (see the IPC contract's `events/`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunMode {
    /// Closed (`_close`) after the agent's first finished turn.
    #[default]
    OneShot,
    /// Closed `idle_timeout` after the last finished turn or host message.
    Conversation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RunRecord {
    pub schema_version: u32,
    pub id: String,
    pub group: String,
    pub session: String,
    pub image: String,
    pub container: String,
    pub container_id: Option<String>,
    pub owner: String,
    pub started_at: jiff::Timestamp,
    pub ended_at: Option<jiff::Timestamp>,
    pub exit_code: Option<i64>,
    pub state: RunState,
    pub reason: Option<String>,
    /// The mounts as validated at start; the compliance check compares against them.
    pub binds: Vec<Bind>,
    #[serde(default)]
    pub mode: RunMode,
    /// Where the agent's chat replies go; `None`: the terminal / run log.
    #[serde(default)]
    pub chat_jid: Option<String>,
    /// Turns the agent finished.
    #[serde(default)]
    pub turns: u32,
    /// The agent's last reply (the `result` of its last finished turn).
    #[serde(default)]
    pub result: Option<String>,
    /// What went wrong on the agent's side: a failed turn or a runner error.
    #[serde(default)]
    pub error: Option<String>,
    /// The agent's own session id (Claude Code's), from its last turn.
    #[serde(default)]
    pub agent_session: Option<String>,
    /// How the credential proxy knows this run (its address, or a token; never
    /// the token itself) and the credential mapping it may use (none: any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller: Option<crate::proxy::CallerIdentity>,
    /// The credential mappings the run used, in order of first use, as the
    /// daemon's proxy saw them (a run whose proxy was another process's
    /// leaves this empty; the audit log has each first use either way).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mappings: Vec<String>,
}

impl RunRecord {
    pub fn save(&self, state: &StateDir) -> Result<(), StateError> {
        let path = state.runs_dir().join(format!("{}.json", self.id));
        let bytes = serde_json::to_vec_pretty(self).map_err(|e| StateError::Serialize {
            path: path.clone(),
            message: e.to_string(),
        })?;
        write_atomic(&path, &bytes)
    }
}

pub fn load_record(state: &StateDir, id: &str) -> Result<RunRecord, RunError> {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(RunError::NotFound(id.to_string()));
    }
    let path = state.runs_dir().join(format!("{id}.json"));
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(RunError::NotFound(id.to_string()));
        }
        Err(e) => {
            return Err(RunError::Io {
                path,
                action: "read",
                source: e,
            });
        }
    };
    serde_json::from_slice(&bytes).map_err(|e| RunError::Io {
        path,
        action: "parse",
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
    })
}

/// Every recorded run, oldest first. Unreadable records are skipped with a warning.
pub fn history(state: &StateDir) -> Result<Vec<RunRecord>, RunError> {
    let dir = state.runs_dir();
    let rd = match std::fs::read_dir(&dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(RunError::Io {
                path: dir,
                action: "list",
                source: e,
            });
        }
    };
    let mut out = Vec::new();
    for e in rd.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(id) = name.strip_suffix(".json") else {
            continue;
        };
        match load_record(state, id) {
            Ok(r) => out.push(r),
            Err(err) => {
                tracing::warn!(file = %name, error = %err, "skipping an unreadable run record")
            }
        }
    }
    out.sort_by_key(|r| r.started_at);
    Ok(out)
}
