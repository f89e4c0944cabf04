//! The task sink the router hands `tasks/` requests to.

use crate::ipc::{BoxFut, TaskRefusal, TaskRequest, TaskSink};

/// Used until the scheduler is wired in: refuses every request with a reason, so
/// the file is quarantined and accounted for, never silently dropped.
pub struct NoScheduler;

impl TaskSink for NoScheduler {
    fn apply<'a>(
        &'a self,
        _group: &'a str,
        _req: TaskRequest,
    ) -> BoxFut<'a, Result<String, TaskRefusal>> {
        Box::pin(async {
            Err(TaskRefusal::Invalid(
                "the scheduler is not available in this daemon".into(),
            ))
        })
    }
}
