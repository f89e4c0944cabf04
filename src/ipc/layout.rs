//! Where a session's IPC directories are, and creating them through directory
//! handles (the agent owns everything below `ipc/`; nothing there is followed).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::dirfd::{DirHandle, OpenError};
use super::violation;
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
    #[error(
        "session {group}/{session} has no IPC directories; create them with `aigo ipc init {group} {session}`"
    )]
    NotInitialised { group: String, session: String },
    #[error("cannot encode the message: {0}")]
    Encode(String),
    #[error(
        "session {group}/{session} is quarantined: {found}. aigo never follows links in IPC folders; \
         the run was stopped and a violation audited. Inspect it, then use a new session"
    )]
    Unsafe {
        group: String,
        session: String,
        found: String,
    },
    #[error(
        "session {group}/{session} was quarantined ({reason}); nothing is written to it. Use a new session (see {marker})"
    )]
    Quarantined {
        group: String,
        session: String,
        reason: String,
        marker: PathBuf,
    },
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
    #[schema(value_type = String)]
    pub events: PathBuf,
    #[serde(skip)]
    pub(crate) state: StateDir,
}

/// One of a session's IPC directories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sub {
    Input,
    Messages,
    Tasks,
    Errors,
    Events,
}

impl Sub {
    pub const ALL: [Sub; 5] = [
        Sub::Input,
        Sub::Messages,
        Sub::Tasks,
        Sub::Errors,
        Sub::Events,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Sub::Input => "input",
            Sub::Messages => "messages",
            Sub::Tasks => "tasks",
            Sub::Errors => "errors",
            Sub::Events => "events",
        }
    }
}

impl SessionDirs {
    /// The host-owned directory above `ipc/` (`sessions/<group>/<session>`): not
    /// mounted into the container; holds `replies.jsonl` and the quarantine marker.
    pub fn home(&self) -> &Path {
        self.root.parent().unwrap_or(&self.root)
    }
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
        state: state.clone(),
    })
}

/// A session opened through handles: `sessions/` by path (the host's own), then
/// `<group>`, `<session>` and `ipc` each without following a link.
pub(crate) struct OpenSession {
    pub dirs: SessionDirs,
    pub home: DirHandle,
    pub ipc: DirHandle,
}

impl OpenSession {
    /// Opens an existing session; `create` makes any missing directory first.
    pub fn open(dirs: &SessionDirs, create: bool) -> Result<Self, IpcError> {
        violation::refuse_if_quarantined(dirs)?;
        let sessions = dirs.state.sessions_dir();
        if create {
            std::fs::create_dir_all(&sessions)
                .map_err(|e| StateError::io(&sessions, "create directory", e))?;
        }
        let step = |parent: &DirHandle, name: &str| {
            let r = if create {
                parent.ensure_dir(name)
            } else {
                parent.open_dir(name)
            };
            r.map_err(|e| open_failed(dirs, e))
        };
        let top = DirHandle::open_path(&sessions).map_err(|e| open_failed(dirs, e))?;
        let group = step(&top, &dirs.group)?;
        let home = step(&group, &dirs.session)?;
        let ipc = step(&home, "ipc")?;
        Ok(Self {
            dirs: dirs.clone(),
            home,
            ipc,
        })
    }

    /// Opens one IPC directory; `None` when it does not exist. Anything but a
    /// real directory quarantines the session.
    pub fn sub(&self, which: Sub) -> Result<Option<DirHandle>, IpcError> {
        match self.ipc.open_dir(which.name()) {
            Ok(d) => Ok(Some(d)),
            Err(OpenError::Missing) => Ok(None),
            Err(e) => Err(open_failed(&self.dirs, e)),
        }
    }

    /// Like [`Self::sub`], but the directory is created when missing.
    pub fn ensure(&self, which: Sub) -> Result<DirHandle, IpcError> {
        self.ipc
            .ensure_dir(which.name())
            .map_err(|e| open_failed(&self.dirs, e))
    }

    /// Checks every IPC entry without following any; the first that is not a
    /// real directory quarantines the session.
    pub fn check_all(&self) -> Result<(), IpcError> {
        for which in Sub::ALL {
            let is_dir = self
                .ipc
                .kind_of(which.name())
                .map_err(|e| StateError::io(&self.dirs.root, "inspect", e))?
                .is_none_or(|t| t == rustix::fs::FileType::Directory);
            if !is_dir {
                self.sub(which)?;
            }
        }
        Ok(())
    }
}

/// Maps a failed open: an unsafe entry is reported (quarantine, audit, stop),
/// a missing one means the session was never initialised.
fn open_failed(dirs: &SessionDirs, e: OpenError) -> IpcError {
    match e {
        OpenError::Unsafe(u) => violation::report(dirs, &u),
        OpenError::Missing => IpcError::NotInitialised {
            group: dirs.group.clone(),
            session: dirs.session.clone(),
        },
        OpenError::Io(e) => StateError::io(&dirs.root, "open", e).into(),
    }
}

/// Creates the session's IPC directories (idempotent), owner-only. An entry
/// that exists but is not a real directory is never followed or chmod'ed: the
/// session is quarantined instead.
pub fn init(state: &StateDir, group: &str, session: &str) -> Result<SessionDirs, IpcError> {
    let d = session_dirs(state, group, session)?;
    let s = OpenSession::open(&d, true)?;
    for which in Sub::ALL {
        s.ensure(which)?;
    }
    Ok(d)
}

/// The group's most recently active session (newest `input/` change); links
/// are not followed and quarantined sessions are skipped.
pub fn latest_session(state: &StateDir, group: &str) -> Result<SessionDirs, IpcError> {
    check_name(group)?;
    let newest = DirHandle::open_path(&state.sessions_dir().join(group))
        .ok()
        .and_then(|g| {
            let names = g.list().ok()?;
            names
                .into_iter()
                .filter(|s| check_session_id(s).is_ok())
                .filter_map(|s| {
                    let ipc = g.open_dir(&s).ok()?.open_dir("ipc").ok()?;
                    Some((ipc.modified("input")?, s))
                })
                .filter(|(_, s)| {
                    session_dirs(state, group, s)
                        .is_ok_and(|d| violation::refuse_if_quarantined(&d).is_ok())
                })
                .max()
        });
    match newest {
        Some((_, s)) => session_dirs(state, group, &s),
        None => Err(IpcError::NoSession(group.to_string())),
    }
}
