//! What happens when an agent replaces one of its IPC directories by a link (or
//! anything that is not a real directory): the session is quarantined (a
//! host-owned marker beside `ipc/`, so every later call refuses it, in any
//! process), a `violation` is audited naming what was found, and the run
//! service is told so it stops the run.
//!
//! The notification is a process-wide broadcast because the entry points that
//! find a violation (`init`, `send`, `close`, the router, event reads) are
//! plain functions called from the CLI, the API and the daemon alike; the
//! marker file carries the same fact across processes.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use super::dirfd::{DirHandle, Unsafe};
use super::{IpcError, SessionDirs};
use crate::audit::{AuditLog, NewEvent};

/// The marker's name in `sessions/<group>/<session>/` (outside `ipc/`).
pub const QUARANTINE_MARKER: &str = "quarantined.json";

/// A session quarantined for tampering with its IPC directories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionViolation {
    pub group: String,
    pub session: String,
    /// What was found, e.g. `…/ipc/messages is a symlink to /home/u/.local/share/aigo, not a real directory`.
    pub found: String,
}

fn channel() -> &'static broadcast::Sender<SessionViolation> {
    static TX: OnceLock<broadcast::Sender<SessionViolation>> = OnceLock::new();
    TX.get_or_init(|| broadcast::channel(256).0)
}

/// Every session quarantined in this process from now on. The run service
/// subscribes and stops the run of the named session; a lagging receiver
/// should re-check [`is_quarantined`] for the sessions it runs.
pub fn subscribe_violations() -> broadcast::Receiver<SessionViolation> {
    channel().subscribe()
}

/// Whether the session was quarantined (by this or any other process), and why.
pub fn is_quarantined(dirs: &SessionDirs) -> Option<SessionViolation> {
    let home = DirHandle::open_path(dirs.home()).ok()?;
    let bytes = home
        .read_file(QUARANTINE_MARKER, super::MAX_FILE_BYTES)
        .ok()?;
    Some(
        serde_json::from_slice(&bytes).unwrap_or_else(|_| SessionViolation {
            group: dirs.group.clone(),
            session: dirs.session.clone(),
            found: "unreadable quarantine marker".into(),
        }),
    )
}

/// Tells the run service again about a session found quarantined (perhaps by
/// another process, e.g. `aigo send`), so a run of it in this process stops.
pub(crate) fn renotify(group: &str, session: &str, found: &str) {
    let _ = channel().send(SessionViolation {
        group: group.to_string(),
        session: session.to_string(),
        found: found.to_string(),
    });
}

pub(crate) fn refuse_if_quarantined(dirs: &SessionDirs) -> Result<(), IpcError> {
    match is_quarantined(dirs) {
        None => Ok(()),
        Some(v) => Err(IpcError::Quarantined {
            group: dirs.group.clone(),
            session: dirs.session.clone(),
            reason: v.found,
            marker: dirs.home().join(QUARANTINE_MARKER),
        }),
    }
}

/// Quarantines the session, audits the violation, tells the run service, and
/// returns the error the caller reports. Nothing here touches the entry found.
pub(crate) fn report(dirs: &SessionDirs, u: &Unsafe) -> IpcError {
    let v = SessionViolation {
        group: dirs.group.clone(),
        session: dirs.session.clone(),
        found: u.to_string(),
    };
    tracing::error!(group = %v.group, session = %v.session, found = %v.found, "IPC directory is not a real directory; session quarantined");
    mark(dirs, &v);
    let event = NewEvent::ipc_violation(
        &dirs.group,
        format!(
            "session {}/{} quarantined: {}",
            dirs.group, dirs.session, v.found
        ),
        serde_json::json!({
            "session": dirs.session,
            "path": u.path,
            "found": u.found,
            "action": "session quarantined, run stopped",
        }),
    );
    if let Err(e) = AuditLog::open(&dirs.state).record(event) {
        tracing::error!(error = %e, "cannot audit the IPC violation");
    }
    let _ = channel().send(v.clone());
    IpcError::Unsafe {
        group: v.group,
        session: v.session,
        found: v.found,
    }
}

/// Writes the marker in the host-owned session directory (opened without
/// following it; if even that is not a real directory there is nowhere safe to
/// write, and the audit entry and the broadcast still stand).
fn mark(dirs: &SessionDirs, v: &SessionViolation) {
    let home = match DirHandle::open_path(dirs.home()) {
        Ok(h) => h,
        Err(_) => {
            tracing::error!(session = %dirs.home().display(), "cannot open the session directory to mark it quarantined");
            return;
        }
    };
    let body = serde_json::json!({
        "group": v.group,
        "session": v.session,
        "found": v.found,
        "ts": jiff::Timestamp::now(),
    });
    if let Err(e) = home.write_atomic(QUARANTINE_MARKER, body.to_string().as_bytes()) {
        tracing::error!(error = %e, "cannot write the quarantine marker");
    }
}
