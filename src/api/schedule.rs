//! `/api/v1/container/schedules…`: the same functions as `aigo schedule …`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use super::openapi::{Conflict, NotFound, RunRefusals};
use super::{ApiError, ApiJson, ApiQuery};
use crate::ctx::{Ctx, StateChange};
use crate::runs::{self, RunRecord};
use crate::schedule::{
    self, CheckRequest, CheckResult, NewSchedule, RunLogEntry, ScheduleError, SchedulePatch,
    ScheduleView,
};

type Res<T> = Result<Json<T>, ApiError>;

#[utoipa::path(
    get,
    path = "/api/v1/container/schedules",
    tag = "schedules",
    summary = "Schedules with their next run",
    responses((status = 200, body = Vec<ScheduleView>))
)]
pub async fn list(State(ctx): State<Arc<Ctx>>) -> Res<Vec<ScheduleView>> {
    Ok(Json(schedule::list(&ctx.state)?))
}

#[utoipa::path(
    post,
    path = "/api/v1/container/schedules",
    tag = "schedules",
    summary = "Add a schedule",
    request_body = NewSchedule,
    responses((status = 201, body = ScheduleView), Conflict)
)]
pub async fn create(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(body): ApiJson<NewSchedule>,
) -> Result<(StatusCode, Json<ScheduleView>), ApiError> {
    let v = schedule::create(&ctx.state, body, jiff::Timestamp::now())?;
    ctx.reload(&StateChange::Schedules);
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(
    get,
    path = "/api/v1/container/schedules/{id}",
    tag = "schedules",
    summary = "One schedule (by id or unique name)",
    params(("id" = String, Path)),
    responses((status = 200, body = ScheduleView), NotFound, Conflict)
)]
pub async fn get(State(ctx): State<Arc<Ctx>>, Path(id): Path<String>) -> Res<ScheduleView> {
    Ok(Json(schedule::get(&ctx.state, &id)?))
}

#[utoipa::path(
    patch,
    path = "/api/v1/container/schedules/{id}",
    tag = "schedules",
    summary = "Change a schedule",
    request_body = SchedulePatch,
    params(("id" = String, Path)),
    responses((status = 200, body = ScheduleView), NotFound, Conflict)
)]
pub async fn update(
    State(ctx): State<Arc<Ctx>>,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<SchedulePatch>,
) -> Res<ScheduleView> {
    let v = schedule::update(&ctx.state, &id, patch, jiff::Timestamp::now())?;
    ctx.reload(&StateChange::Schedules);
    Ok(Json(v))
}

#[utoipa::path(
    delete,
    path = "/api/v1/container/schedules/{id}",
    tag = "schedules",
    summary = "Remove a schedule (its run log is kept); returns it",
    params(("id" = String, Path)),
    responses((status = 200, body = ScheduleView), NotFound, Conflict)
)]
pub async fn delete(State(ctx): State<Arc<Ctx>>, Path(id): Path<String>) -> Res<ScheduleView> {
    let v = schedule::delete(&ctx.state, &id)?;
    ctx.reload(&StateChange::Schedules);
    Ok(Json(v))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LogsQuery {
    /// Only the last N runs
    last: Option<usize>,
}

#[utoipa::path(
    get,
    path = "/api/v1/container/schedules/{id}/logs",
    tag = "schedules",
    summary = "A schedule's run log: {runAt, durationMs, status, result, error}",
    params(("id" = String, Path), LogsQuery),
    responses((status = 200, body = Vec<RunLogEntry>), NotFound, Conflict)
)]
pub async fn logs(
    State(ctx): State<Arc<Ctx>>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<LogsQuery>,
) -> Res<Vec<RunLogEntry>> {
    Ok(Json(schedule::logs(&ctx.state, &id, q.last)?))
}

/// `aigo schedule run ID` over the API: the run is the daemon's (like
/// `POST …/runs`), its record comes back at once, and its outcome goes to the
/// schedule's run log when it ends. A run that cannot start is logged there too.
#[utoipa::path(
    post,
    path = "/api/v1/container/schedules/{id}/run",
    tag = "schedules",
    summary = "Run a schedule's prompt now, outside its slots; returns the run's record",
    params(("id" = String, Path)),
    responses((status = 201, body = RunRecord), NotFound, RunRefusals)
)]
pub async fn run(
    State(ctx): State<Arc<Ctx>>,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<RunRecord>), ApiError> {
    let runner = ctx.runner().await;
    let started = runs::run_schedule(&ctx.state, runner, &ctx.audit, &id, "daemon").await?;
    let record = started.handle.record.clone();
    let cancel = ctx.shutdown.child_token();
    ctx.tasks.spawn(async move {
        if let Err(e) = started.finish(cancel, None).await {
            tracing::error!(error = %e, "cannot log the schedule's run");
        }
    });
    Ok((StatusCode::CREATED, Json(record)))
}

/// Always 200: an invalid expression is an answer (`valid: false`), not an error.
#[utoipa::path(
    post,
    path = "/api/v1/container/schedules/check",
    tag = "schedules",
    summary = "When a schedule would fire, in words, with DST warnings",
    request_body = CheckRequest,
    responses((status = 200, body = CheckResult))
)]
pub async fn check(ApiJson(req): ApiJson<CheckRequest>) -> Json<CheckResult> {
    Json(schedule::check(&req, jiff::Timestamp::now()))
}

impl From<ScheduleError> for ApiError {
    fn from(e: ScheduleError) -> Self {
        match e {
            ScheduleError::NotFound(_) => ApiError::not_found(e.to_string()),
            ScheduleError::Invalid(_) | ScheduleError::BadRequest(_) => {
                ApiError::bad_request(e.to_string())
            }
            ScheduleError::AmbiguousName(..)
            | ScheduleError::GroupLimit { .. }
            | ScheduleError::TotalLimit { .. } => ApiError::conflict(e.to_string()),
            ScheduleError::State(_) | ScheduleError::Log { .. } => {
                ApiError::internal(e.to_string())
            }
        }
    }
}
