//! `run_schedule`: a schedule's prompt now, outside its slots, for `aigo
//! schedule run ID` and `POST /api/v1/container/schedules/{id}/run`. The slot
//! grid is not touched (the next scheduled run stays where it was); the outcome,
//! a refusal included, goes to the schedule's run log like a scheduled run's.

use jiff::Timestamp;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use super::{RunError, RunHandle, RunRecord, RunRequest, Runner, refuse};
use crate::audit::AuditLog;
use crate::ipc::RunnerEvent;
use crate::schedule::{self, RunLogEntry};
use crate::state::StateDir;

/// A schedule's run that has started; [`ScheduleRun::finish`] follows it and logs it.
pub struct ScheduleRun {
    /// The schedule's id (also when it was asked for by name).
    pub schedule_id: String,
    pub handle: RunHandle,
    runner: Runner,
    started: Timestamp,
}

/// Starts schedule `id` (id or unique name) as a one-shot run owned by `owner`.
/// `runner` is the run service, or why there is none (e.g. no engine). A run
/// that does not start is recorded as every refusal is (run history, audit log)
/// and in the schedule's run log, then returned as the error.
pub async fn run_schedule(
    state: &StateDir,
    runner: Result<Runner, RunError>,
    audit: &AuditLog,
    id: &str,
    owner: &str,
) -> Result<ScheduleRun, RunError> {
    let view = schedule::get(state, id)?;
    let file = schedule::load(state)?;
    let Some(s) = file.schedules.iter().find(|s| s.id == view.id) else {
        return Err(schedule::ScheduleError::NotFound(id.to_string()).into());
    };
    let req = RunRequest::for_schedule(state, s, owner);
    let started = Timestamp::now();
    let outcome = match runner {
        Ok(r) => r.start_recorded(&req).await.map(|h| (h, r)),
        Err(e) => {
            let rec = refuse(state, audit, &req, &e).await;
            Err((e, rec))
        }
    };
    match outcome {
        Ok((handle, runner)) => Ok(ScheduleRun {
            schedule_id: s.id.clone(),
            handle,
            runner,
            started,
        }),
        Err((e, rec)) => {
            log(state, &s.id, started, &rec)?;
            Err(e)
        }
    }
}

impl ScheduleRun {
    /// Follows the run to its end and appends its outcome to the schedule's run log.
    pub async fn finish(
        self,
        cancel: CancellationToken,
        events: Option<UnboundedSender<RunnerEvent>>,
    ) -> Result<(RunRecord, RunLogEntry), RunError> {
        let rec = self.runner.execute(self.handle, cancel, events).await;
        let entry = log(&self.runner.state, &self.schedule_id, self.started, &rec)?;
        Ok((rec, entry))
    }
}

fn log(
    state: &StateDir,
    id: &str,
    started: Timestamp,
    rec: &RunRecord,
) -> Result<RunLogEntry, RunError> {
    let o = rec.outcome();
    let entry = RunLogEntry {
        run_at: started,
        duration_ms: u64::try_from(Timestamp::now().duration_since(started).as_millis())
            .unwrap_or(0),
        status: o.status,
        result: o.result,
        error: o.error,
        scheduled_for: None,
    };
    schedule::append_log(state, id, &entry)?;
    Ok(entry)
}
