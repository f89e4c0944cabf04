//! Where a session's IPC directories are, and creating them.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::groups::{GroupError, check_name};
use crate::state::{StateDir, StateError};

#[derive(Debug, thiserror::Error)]
pub enum IpcError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Group(#[from] GroupError),
    #[error("invalid session id {0:?}: use 1-64 of A-Z, a-z, 0-9, '-' or '_'")]
    BadSession(String),
    #[error("group {0:?} has no session yet; start a run first (`aigo run --group {0}`)")]
    NoSession(String),
    #[error("cannot encode the message: {0}")]
    Encode(String),
}

/// The five directories of one session, plus their parent.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionDirs {
    pub group: String,
    pub session: String,
    #[schema(value_type = String)]
    pub root: PathBuf,
    #[schema(value_type = String)]
    pub input: PathBuf,
    #[schema(value_type = String)]
    pub messages: PathBuf,
    #[schema(value_type = String)]
    pub tasks: PathBuf,
    #[schema(value_type = String)]
    pub errors: PathBuf,
    /// Runner → host lifecycle events (`started`, `turn`, `error`).
    #[schema(value_type = String)]
    pub events: PathBuf,
}

pub fn check_session_id(s: &str) -> Result<(), IpcError> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(IpcError::BadSession(s.to_string()))
    }
}

/// The paths (not created) for `group`/`session`; both names are checked so
/// neither can climb out of `sessions/`.
pub fn session_dirs(state: &StateDir, group: &str, session: &str) -> Result<SessionDirs, IpcError> {
    check_name(group)?;
    check_session_id(session)?;
    let root = state.sessions_dir().join(group).join(session).join("ipc");
    Ok(SessionDirs {
        group: group.into(),
        session: session.into(),
        input: root.join("input"),
        messages: root.join("messages"),
        tasks: root.join("tasks"),
        errors: root.join("errors"),
        events: root.join("events"),
        root,
    })
}

/// Creates the session's IPC directories (idempotent), owner-only.
pub fn init(state: &StateDir, group: &str, session: &str) -> Result<SessionDirs, IpcError> {
    let d = session_dirs(state, group, session)?;
    for p in [&d.input, &d.messages, &d.tasks, &d.errors, &d.events] {
        mkdir(p)?;
    }
    Ok(d)
}

fn mkdir(p: &Path) -> Result<(), StateError> {
    std::fs::create_dir_all(p).map_err(|e| StateError::io(p, "create directory", e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| StateError::io(p, "set permissions of", e))?;
    }
    Ok(())
}

/// The group's most recently active session (newest `input/` change).
pub fn latest_session(state: &StateDir, group: &str) -> Result<SessionDirs, IpcError> {
    check_name(group)?;
    let dir = state.sessions_dir().join(group);
    let newest = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let m = std::fs::metadata(e.path().join("ipc/input"))
                .and_then(|m| m.modified())
                .ok()?;
            Some((m, name))
        })
        .max();
    match newest {
        Some((_, s)) => session_dirs(state, group, &s),
        None => Err(IpcError::NoSession(group.to_string())),
    }
}
