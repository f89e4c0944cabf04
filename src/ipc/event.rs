//! `events/`: what the in-container runner tells the host about its lifecycle
//! (started, each finished turn, its own failure), and consuming those files
//! safely. The run service decides the run's lifecycle from them.

use serde::{Deserialize, Serialize};

use super::layout::{OpenSession, Sub};
use super::limits::MAX_FILE_BYTES;
use super::{IpcError, SessionDirs, dirfd::ReadError, quarantine};
use crate::audit::{AuditLog, NewEvent};

/// One `events/` file (camelCase, tagged by `type`), as the IPC contract has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum RunnerEvent {
    /// The runner is up and claude was spawned.
    Started {
        #[serde(default)]
        ts: Option<jiff::Timestamp>,
    },
    /// A claude `result`: one turn finished.
    #[serde(rename_all = "camelCase")]
    Turn {
        status: TurnStatus,
        session_id: Option<String>,
        duration_ms: Option<u64>,
        cost_usd: Option<f64>,
        result: Option<String>,
        error: Option<String>,
        #[serde(default)]
        ts: Option<jiff::Timestamp>,
    },
    /// The runner itself failed (claude missing or crashed); it exits non-zero.
    Error {
        message: String,
        #[serde(default)]
        ts: Option<jiff::Timestamp>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TurnStatus {
    Success,
    Error,
}

/// Reads and consumes (deletes) the session's pending event files, oldest
/// first. A file that is not a valid event is moved to `errors/` with the
/// reason (and audited), never returned. Any IPC entry that is not a real
/// directory quarantines the session and returns [`IpcError::Unsafe`]: the
/// caller stops the run.
pub fn read_events(dirs: &SessionDirs) -> Result<Vec<(String, RunnerEvent)>, IpcError> {
    let s = OpenSession::open(dirs, false)?;
    s.check_all()?;
    let Some(events) = s.sub(Sub::Events)? else {
        return Ok(Vec::new());
    };
    let mut names: Vec<String> = events
        .list()
        .map_err(|e| crate::state::StateError::io(&dirs.events, "list", e))?
        .into_iter()
        .filter(|n| !n.ends_with(".tmp"))
        .collect();
    names.sort();
    let mut out = Vec::with_capacity(names.len());
    let mut audit = Vec::new();
    for name in names {
        let parsed = match events.read_file(&name, MAX_FILE_BYTES) {
            Err(ReadError::Gone) => continue,
            Err(ReadError::Refused(why)) => Err(why),
            Ok(bytes) => serde_json::from_slice::<RunnerEvent>(&bytes)
                .map_err(|e| format!("not a valid event: {e}")),
        };
        match parsed {
            Ok(ev) => {
                if let Err(e) = events.unlink(&name) {
                    tracing::warn!(file = %name, error = %e, "event read but cannot remove");
                }
                out.push((name, ev));
            }
            Err(reason) => {
                tracing::warn!(group = %dirs.group, file = %name, %reason, "quarantined event file");
                quarantine::to_errors(&s, &events, &name, &reason)?;
                audit.push(NewEvent::quarantined(
                    &dirs.group,
                    &format!("events/{name}"),
                    &reason,
                ));
            }
        }
    }
    if !audit.is_empty()
        && let Err(e) = AuditLog::open(&dirs.state).record_batch(audit)
    {
        tracing::error!(error = %e, "cannot write audit events");
    }
    Ok(out)
}
