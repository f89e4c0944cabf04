//! Keeps a run's task snapshot (`current_tasks.json` in its IPC directory,
//! what the agent's `list_tasks` tool reads) current: written before the
//! container starts, rewritten whenever `schedules.toml` changes during the run.

use super::{RunError, RunSpec};
use crate::state::StateDir;

/// Writes the snapshot of the schedules the run's group may see. Schedules
/// that do not load are logged and leave the previous snapshot (a broken
/// `schedules.toml` must not stop agents); an IPC directory that is not what
/// it should be is an error (the session is quarantined).
pub(super) fn write_tasks(state: &StateDir, spec: &RunSpec) -> Result<(), RunError> {
    match crate::schedule::tasks_snapshot(state, &spec.group, spec.is_main) {
        Ok(snap) => {
            crate::ipc::write_tasks_snapshot(&spec.ipc, &snap)?;
            tracing::debug!(run = %spec.id, tasks = snap.tasks.len(), "task snapshot written");
        }
        Err(e) => {
            tracing::warn!(run = %spec.id, error = %e, "schedules do not load; the task snapshot is not refreshed");
        }
    }
    Ok(())
}

/// Whether a notify event is about `schedules.toml` (written by rename, so
/// the directory is watched, not the file).
pub(super) fn is_schedules_change(ev: &notify::Event, schedules: &std::path::Path) -> bool {
    !ev.kind.is_access() && ev.paths.iter().any(|p| p == schedules)
}
