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
    /// Schedules a non-main group may hold (`None`: unlimited).
    per_group_limit: Option<usize>,
    /// Schedules in all past which any group's creation is refused.
    total_limit: Option<usize>,
}

impl ScheduleTasks {
    pub fn new(state: StateDir) -> Self {
        Self {
            state,
            per_group_limit: None,
            total_limit: None,
        }
    }

    /// Limits how many schedules a non-main group may hold through `tasks/`.
    pub fn with_group_limit(mut self, limit: usize) -> Self {
        self.per_group_limit = Some(limit);
        self
    }

    /// Limits how many schedules there may be in all when a group (the main
    /// group included) creates one through `tasks/`.
    pub fn with_total_limit(mut self, limit: usize) -> Self {
        self.total_limit = Some(limit);
        self
    }

    fn is_main(&self, group: &str) -> Result<bool, TaskRefusal> {
        Ok(Groups::load(&self.state)
            .map_err(|e| TaskRefusal::Invalid(e.to_string()))?
            .is_main(Some(group)))
    }

    /// A `schedule_task` body as a [`NewSchedule`] of `group` (a non-main group
    /// may only schedule for itself).
    fn new_schedule(group: &str, main: bool, body: Value) -> Result<NewSchedule, TaskRefusal> {
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
        serde_json::from_value(body)
            .map_err(|e| TaskRefusal::Invalid(format!("invalid schedule_task: {e}")))
    }

    /// Creates a run of consecutive `schedule_task` requests with one write.
    fn create_batch(
        &self,
        group: &str,
        main: bool,
        bodies: Vec<Value>,
    ) -> Vec<Result<String, TaskRefusal>> {
        let now = jiff::Timestamp::now();
        let mut out: Vec<Option<Result<String, TaskRefusal>>> = Vec::new();
        let mut valid = Vec::new();
        for body in bodies {
            match Self::new_schedule(group, main, body) {
                Ok(n) => {
                    valid.push(n);
                    out.push(None);
                }
                Err(e) => out.push(Some(Err(e))),
            }
        }
        let limits = super::Limits {
            per_group: self.per_group_limit.filter(|_| !main),
            total: self.total_limit,
        };
        let mut created = super::create_many(&self.state, valid, now, limits).into_iter();
        out.into_iter()
            .map(|slot| {
                slot.unwrap_or_else(|| match created.next() {
                    Some(Ok(v)) => Ok(format!("scheduled {} ({})", v.id, v.name)),
                    Some(Err(e)) => Err(invalid(e)),
                    None => Err(TaskRefusal::Invalid("not applied".into())),
                })
            })
            .collect()
    }

    fn apply_all(&self, group: &str, reqs: Vec<TaskRequest>) -> Vec<Result<String, TaskRefusal>> {
        let main = match self.is_main(group) {
            Ok(m) => m,
            Err(e) => return reqs.iter().map(|_| Err(e.clone())).collect(),
        };
        let mut out = Vec::with_capacity(reqs.len());
        let mut creates = Vec::new();
        for req in reqs {
            match req {
                TaskRequest::ScheduleTask(body) => creates.push(body),
                other => {
                    // Keep the order: pending creations go first.
                    out.extend(self.create_batch(group, main, std::mem::take(&mut creates)));
                    out.push(self.apply_now(group, other));
                }
            }
        }
        out.extend(self.create_batch(group, main, creates));
        out
    }

    fn apply_now(&self, group: &str, req: TaskRequest) -> Result<String, TaskRefusal> {
        let now = jiff::Timestamp::now();
        let main = self.is_main(group)?;
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
            TaskRequest::ScheduleTask(body) => self
                .create_batch(group, main, vec![body])
                .pop()
                .unwrap_or_else(|| Err(TaskRefusal::Invalid("not applied".into()))),
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

    fn apply_batch<'a>(
        &'a self,
        group: &'a str,
        reqs: Vec<TaskRequest>,
    ) -> BoxFut<'a, Vec<Result<String, TaskRefusal>>> {
        Box::pin(async move { self.apply_all(group, reqs) })
    }

    fn snapshot(&self, group: &str) -> Option<Value> {
        let main = self.is_main(group).ok()?;
        match super::tasks_snapshot(&self.state, group, main).map(serde_json::to_value) {
            Ok(Ok(v)) => Some(v),
            Ok(Err(e)) => {
                tracing::warn!(group, error = %e, "cannot encode the task snapshot");
                None
            }
            Err(e) => {
                tracing::warn!(group, error = %e, "cannot list the schedules for the task snapshot");
                None
            }
        }
    }
}
