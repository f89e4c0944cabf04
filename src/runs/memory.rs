//! An agent's memory across runs, per group: `agents/<group>/claude/` is the
//! agent's own state (Claude Code's `CLAUDE_CONFIG_DIR`, mounted into that
//! group's containers only), and `agents/<group>/sessions.json` (host-only,
//! out of the agent's reach) maps each chat to the agent session id the
//! runner last reported, so the next run for that chat resumes it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::RunError;
use crate::state::{FileLock, StateDir, StateError, write_atomic};

/// Where a run's agent state comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Memory {
    /// Resume the chat's last agent session, and remember this run's.
    #[default]
    Resume,
    /// Start a fresh agent session (`aigo run --new`), then remember it.
    Fresh,
    /// Neither resume nor remember (`--context isolated` schedules).
    Isolated,
}

/// One remembered agent session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentSession {
    /// The chat it belongs to; `None`: terminal and API runs without a chat.
    pub chat_jid: Option<String>,
    pub session_id: String,
    /// The run that last reported it.
    pub run: String,
    pub updated_at: jiff::Timestamp,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionsFile {
    schema_version: u32,
    #[serde(default)]
    sessions: Vec<AgentSession>,
}

fn group_dir(state: &StateDir, group: &str) -> Result<PathBuf, RunError> {
    crate::groups::check_name(group)?;
    Ok(state.root().join("agents").join(group))
}

/// The group's agent-state directory, created owner-only.
pub fn agent_state_dir(state: &StateDir, group: &str) -> Result<PathBuf, RunError> {
    let dir = group_dir(state, group)?.join("claude");
    std::fs::create_dir_all(&dir).map_err(|e| RunError::Io {
        path: dir.clone(),
        action: "create",
        source: e,
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
    }
    Ok(dir)
}

fn load(path: &std::path::Path) -> Result<SessionsFile, RunError> {
    match std::fs::read(path) {
        Ok(b) => serde_json::from_slice(&b).map_err(|e| RunError::Io {
            path: path.to_path_buf(),
            action: "parse (fix or delete it)",
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SessionsFile {
            schema_version: 1,
            sessions: Vec::new(),
        }),
        Err(e) => Err(RunError::Io {
            path: path.to_path_buf(),
            action: "read",
            source: e,
        }),
    }
}

/// The group's remembered sessions, one per chat.
pub fn sessions(state: &StateDir, group: &str) -> Result<Vec<AgentSession>, RunError> {
    Ok(load(&group_dir(state, group)?.join("sessions.json"))?.sessions)
}

/// The session id to resume for `chat` in `group`, if one is remembered.
pub fn resume_id(
    state: &StateDir,
    group: &str,
    chat: Option<&str>,
) -> Result<Option<String>, RunError> {
    Ok(sessions(state, group)?
        .into_iter()
        .find(|s| s.chat_jid.as_deref() == chat)
        .map(|s| s.session_id))
}

/// Changes the group's sessions file under its lock (read, `f`, atomic write).
fn update(
    state: &StateDir,
    group: &str,
    f: impl FnOnce(&mut Vec<AgentSession>) -> usize,
) -> Result<usize, RunError> {
    let dir = group_dir(state, group)?;
    std::fs::create_dir_all(&dir).map_err(|e| RunError::Io {
        path: dir.clone(),
        action: "create",
        source: e,
    })?;
    let path = dir.join("sessions.json");
    let _lock = FileLock::acquire(&path)?;
    let mut file = load(&path)?;
    let n = f(&mut file.sessions);
    file.schema_version = 1;
    let bytes = serde_json::to_vec_pretty(&file).map_err(|e| StateError::Serialize {
        path: path.clone(),
        message: e.to_string(),
    })?;
    write_atomic(&path, &bytes)?;
    Ok(n)
}

/// Remembers `session_id` as the agent session of `chat` in `group`.
pub fn remember(
    state: &StateDir,
    group: &str,
    chat: Option<&str>,
    session_id: &str,
    run: &str,
) -> Result<(), RunError> {
    update(state, group, |list| {
        list.retain(|s| s.chat_jid.as_deref() != chat);
        list.push(AgentSession {
            chat_jid: chat.map(str::to_string),
            session_id: session_id.to_string(),
            run: run.to_string(),
            updated_at: jiff::Timestamp::now(),
        });
        1
    })
    .map(|_| ())
}

/// A group with what its agent remembers: `aigo group show`, `GET /api/v1/groups/{name}`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupMemory {
    pub group: crate::groups::Group,
    /// Mounted at `/workspace/agent-state` (`CLAUDE_CONFIG_DIR`).
    #[schema(value_type = String)]
    pub agent_state_dir: PathBuf,
    /// The sessions its next runs resume, one per chat (and one for the terminal).
    pub sessions: Vec<AgentSession>,
}

/// Group `name` and its remembered sessions.
pub fn show(state: &StateDir, name: &str) -> Result<GroupMemory, RunError> {
    let group = known_group(state, name)?;
    Ok(GroupMemory {
        sessions: sessions(state, name)?,
        agent_state_dir: group_dir(state, name)?.join("claude"),
        group,
    })
}

fn known_group(state: &StateDir, name: &str) -> Result<crate::groups::Group, RunError> {
    crate::groups::Groups::load(state)?
        .get(name)
        .cloned()
        .ok_or_else(|| crate::groups::GroupError::NotFound(name.to_string()).into())
}

/// [`forget`] for a group that must exist (`aigo group forget`, `POST …/groups/{name}/forget`).
pub fn forget_group(state: &StateDir, name: &str, chat: Option<&str>) -> Result<usize, RunError> {
    known_group(state, name)?;
    forget(state, name, chat)
}

/// Forgets the group's sessions (only `chat`'s when given); returns how many.
/// The next run starts a fresh agent session.
pub fn forget(state: &StateDir, group: &str, chat: Option<&str>) -> Result<usize, RunError> {
    update(state, group, |list| {
        let before = list.len();
        list.retain(|s| chat.is_some_and(|c| s.chat_jid.as_deref() != Some(c)));
        before - list.len()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_kept_per_chat_and_forgotten() {
        let home = tempfile::tempdir().expect("tempdir");
        let state = StateDir::at(home.path());
        remember(&state, "main", None, "s-term", "r1").expect("remember");
        remember(&state, "main", Some("tg:1"), "s-chat", "r2").expect("remember");
        remember(&state, "main", Some("tg:1"), "s-chat2", "r3").expect("remember");
        assert_eq!(
            resume_id(&state, "main", None).expect("id").as_deref(),
            Some("s-term")
        );
        assert_eq!(
            resume_id(&state, "main", Some("tg:1"))
                .expect("id")
                .as_deref(),
            Some("s-chat2")
        );
        assert_eq!(resume_id(&state, "family", Some("tg:1")).expect("id"), None);
        assert_eq!(forget(&state, "main", Some("tg:1")).expect("forget"), 1);
        assert_eq!(sessions(&state, "main").expect("list").len(), 1);
        assert_eq!(forget(&state, "main", None).expect("forget"), 1);
        assert!(sessions(&state, "main").expect("list").is_empty());
        assert!(group_dir(&state, "../x").is_err());
    }
}
