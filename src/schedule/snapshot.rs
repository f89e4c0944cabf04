//! `current_tasks.json` ([`crate::ipc::TASKS_SNAPSHOT`]): the schedules an agent's `list_tasks` tool reads, as
//! the host writes them into a session's IPC directory (the group's own
//! schedules; every schedule for the main group). The shape is the contract
//! in `container/README.md`.

use jiff::Timestamp;
use serde::Serialize;

use super::{ScheduleError, ScheduleView};
use crate::state::StateDir;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TasksSnapshot {
    pub generated_at: Timestamp,
    pub tasks: Vec<ScheduleView>,
}

/// The schedules `group` may see now: its own, or all of them for `main`.
pub fn tasks_snapshot(
    state: &StateDir,
    group: &str,
    main: bool,
) -> Result<TasksSnapshot, ScheduleError> {
    let tasks = super::list(state)?
        .into_iter()
        .filter(|v| main || v.group == group)
        .collect();
    Ok(TasksSnapshot {
        generated_at: Timestamp::now(),
        tasks,
    })
}
