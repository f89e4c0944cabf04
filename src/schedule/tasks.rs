//! What agents may ask of the scheduler through `tasks/`: the router hands each
//! request here with the group it came from. A group manages its own schedules;
//! only the main group may touch another group's.

use serde_json::Value;

use super::{NewSchedule, ScheduleError, SchedulePatch};
use crate::groups::Groups;
use crate::ipc::{BoxFut, TaskRefusal, TaskRequest, TaskSink};
use crate::state::StateDir;

pub struct ScheduleTasks {
    state: StateDir,
}

impl ScheduleTasks {
    pub fn new(state: StateDir) -> Self {
        Self { state }
    }

    fn apply_now(&self, group: &str, req: TaskRequest) -> Result<String, TaskRefusal> {
        let now = jiff::Timestamp::now();
        let main = Groups::load(&self.state)
            .map_err(|e| TaskRefusal::Invalid(e.to_string()))?
            .is_main(Some(group));
        let owned = |id: &str| -> Result<(), TaskRefusal> {
            let v = super::get(&self.state, id).map_err(invalid)?;
            if main || v.group == group {
                Ok(())
            } else {
                Err(TaskRefusal::Unauthorized(format!(
                    "group {group:?} may not change schedule {} of group {:?}",
                    v.id, v.group
                )))
            }
        };
        match req {
            TaskRequest::ScheduleTask(body) => {
                let mut body = body;
                if let Value::Object(m) = &mut body {
                    match m.get("group").and_then(Value::as_str) {
                        Some(g) if g != group && !main => {
                            return Err(TaskRefusal::Unauthorized(format!(
                                "group {group:?} may not schedule for group {g:?}"
                            )));
                        }
                        Some(_) => {}
                        None => {
                            m.insert("group".into(), Value::String(group.into()));
                        }
                    }
                }
                let new: NewSchedule = serde_json::from_value(body)
                    .map_err(|e| TaskRefusal::Invalid(format!("invalid schedule_task: {e}")))?;
                let v = super::create(&self.state, new, now).map_err(invalid)?;
                Ok(format!("scheduled {} ({})", v.id, v.name))
            }
            TaskRequest::PauseTask { task_id } => {
                owned(&task_id)?;
                super::set_enabled(&self.state, &task_id, false, now).map_err(invalid)?;
                Ok(format!("paused {task_id}"))
            }
            TaskRequest::ResumeTask { task_id } => {
                owned(&task_id)?;
                super::set_enabled(&self.state, &task_id, true, now).map_err(invalid)?;
                Ok(format!("resumed {task_id}"))
            }
            TaskRequest::CancelTask { task_id } => {
                owned(&task_id)?;
                super::delete(&self.state, &task_id).map_err(invalid)?;
                Ok(format!("cancelled {task_id}"))
            }
            TaskRequest::UpdateTask { task_id, changes } => {
                owned(&task_id)?;
                let patch: SchedulePatch = serde_json::from_value(changes)
                    .map_err(|e| TaskRefusal::Invalid(format!("invalid update_task: {e}")))?;
                if let Some(g) = &patch.group
                    && g != group
                    && !main
                {
                    return Err(TaskRefusal::Unauthorized(format!(
                        "group {group:?} may not move a schedule to group {g:?}"
                    )));
                }
                super::update(&self.state, &task_id, patch, now).map_err(invalid)?;
                Ok(format!("updated {task_id}"))
            }
        }
    }
}

fn invalid(e: ScheduleError) -> TaskRefusal {
    TaskRefusal::Invalid(e.to_string())
}

impl TaskSink for ScheduleTasks {
    fn apply<'a>(
        &'a self,
        group: &'a str,
        req: TaskRequest,
    ) -> BoxFut<'a, Result<String, TaskRefusal>> {
        Box::pin(async move { self.apply_now(group, req) })
    }
}
