//! Atomic writes into a session's `input/`: follow-up messages and `_close`,
//! through directory handles (an `input/` that is not a real directory
//! quarantines the session; nothing is written through it).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::dirfd::{DirHandle, OpenError};
use super::layout::{OpenSession, Sub};
use super::{InputMessage, IpcError, SessionDirs};
use crate::state::StateError;

/// The file whose appearance in `input/` ends the session.
pub const CLOSE_FILE: &str = "_close";

/// The host's snapshot of the schedules the agent may see (its `list_tasks`
/// tool reads it), directly in the session's IPC directory.
pub const TASKS_SNAPSHOT: &str = "current_tasks.json";

/// Unique within the process; with the pid and the clock, unique across writers.
static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A fresh IPC file name, `<13-digit epoch ms>-<pid>-<seq>.json`: names sort in
/// creation order within one writer.
pub(crate) fn unique_name() -> String {
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!(
        "{:013}-{}-{seq:08}.json",
        jiff::Timestamp::now().as_millisecond(),
        std::process::id()
    )
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, IpcError> {
    serde_json::to_vec(value).map_err(|e| IpcError::Encode(e.to_string()))
}

/// Writes `value` as `<dir>/<unique>.json` via a `.tmp` file and a rename, so the
/// reader never sees half a message. `dir` itself is opened without following
/// a link (its parents are the caller's). Names sort by time.
pub fn write_json<T: Serialize>(dir: &Path, value: &T) -> Result<PathBuf, IpcError> {
    let bytes = encode(value)?;
    let handle = DirHandle::open_path(dir).map_err(|e| match e {
        OpenError::Unsafe(u) => StateError::io(dir, "open", std::io::Error::other(u.to_string())),
        OpenError::Missing => StateError::io(dir, "open", std::io::ErrorKind::NotFound.into()),
        OpenError::Io(e) => StateError::io(dir, "open", e),
    })?;
    let name = unique_name();
    handle
        .write_atomic(&name, &bytes)
        .map_err(|e| StateError::io(dir.join(&name), "write", e))?;
    Ok(dir.join(name))
}

fn write_input(dirs: &SessionDirs, name: &str, bytes: &[u8]) -> Result<PathBuf, IpcError> {
    let s = OpenSession::open(dirs, false)?;
    s.check_all()?;
    let input = s.ensure(Sub::Input)?;
    input
        .write_atomic(name, bytes)
        .map_err(|e| StateError::io(dirs.input.join(name), "write", e))?;
    Ok(dirs.input.join(name))
}

/// Sends a follow-up message (or the first prompt) to a session.
pub fn send(dirs: &SessionDirs, text: &str, sender: &str) -> Result<PathBuf, IpcError> {
    let msg = InputMessage {
        text: text.to_string(),
        sender: sender.to_string(),
        ts: jiff::Timestamp::now(),
    };
    write_input(dirs, &unique_name(), &encode(&msg)?)
}

/// Asks the agent to finish: it sees `_close` in `input/` and exits.
pub fn close(dirs: &SessionDirs) -> Result<PathBuf, IpcError> {
    write_input(dirs, CLOSE_FILE, b"")
}

/// Removes a `_close` an earlier run left in `input/` (a run joining the
/// session would otherwise end at once), through the `input/` handle: the link
/// itself if it is one, never through a linked `input/` (that quarantines the
/// session). `true` when there was one.
pub fn clear_close(dirs: &SessionDirs) -> Result<bool, IpcError> {
    let s = OpenSession::open(dirs, false)?;
    s.check_all()?;
    let Some(input) = s.sub(Sub::Input)? else {
        return Ok(false);
    };
    match input.unlink(CLOSE_FILE) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(StateError::io(dirs.input.join(CLOSE_FILE), "remove", e).into()),
    }
}

/// Writes the task snapshot ([`TASKS_SNAPSHOT`]) into the session's IPC
/// directory, atomically and through its handle (an entry the agent put
/// there under that name is replaced, never followed).
pub fn write_tasks_snapshot<T: Serialize>(dirs: &SessionDirs, value: &T) -> Result<(), IpcError> {
    let s = OpenSession::open(dirs, false)?;
    s.check_all()?;
    write_snapshot_in(&s, &encode(value)?)
}

pub(super) fn write_snapshot_in(s: &OpenSession, bytes: &[u8]) -> Result<(), IpcError> {
    s.ipc
        .write_atomic(TASKS_SNAPSHOT, bytes)
        .map_err(|e| StateError::io(s.dirs.root.join(TASKS_SNAPSHOT), "write", e).into())
}
