//! Atomic writes into a session's `input/`: follow-up messages and `_close`.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{InputMessage, IpcError, SessionDirs};
use crate::state::StateError;

/// The file whose appearance in `input/` ends the session.
pub const CLOSE_FILE: &str = "_close";

/// Writes `value` as `<dir>/<unique>.json` via a `.tmp` file and a rename, so the
/// reader never sees half a message. Names sort by time.
pub fn write_json<T: Serialize>(dir: &Path, value: &T) -> Result<PathBuf, IpcError> {
    let bytes = serde_json::to_vec(value).map_err(|e| IpcError::Encode(e.to_string()))?;
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!(
        "{}-{}-{seq}.json",
        jiff::Timestamp::now().as_nanosecond(),
        std::process::id()
    );
    let tmp = dir.join(format!("{name}.tmp"));
    let path = dir.join(&name);
    std::fs::write(&tmp, &bytes).map_err(|e| StateError::io(&tmp, "write", e))?;
    std::fs::rename(&tmp, &path).map_err(|e| StateError::io(&path, "rename into place", e))?;
    Ok(path)
}

/// Unique within the process; with the pid and the clock, unique across writers.
static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Sends a follow-up message to a running session.
pub fn send(dirs: &SessionDirs, text: &str, sender: &str) -> Result<PathBuf, IpcError> {
    let msg = InputMessage {
        text: text.to_string(),
        sender: sender.to_string(),
        ts: jiff::Timestamp::now(),
    };
    write_json(&dirs.input, &msg)
}

/// Asks the agent to finish: it sees `_close` in `input/` and exits.
pub fn close(dirs: &SessionDirs) -> Result<PathBuf, IpcError> {
    let path = dirs.input.join(CLOSE_FILE);
    crate::state::write_atomic(&path, b"")?;
    Ok(path)
}
