//! `/api/v1/container/schedules…`: the same functions as `aigo schedule …`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use super::{ApiError, ApiJson, ApiQuery};
use crate::ctx::{Ctx, StateChange};
use crate::schedule::{
    self, CheckRequest, CheckResult, NewSchedule, RunLogEntry, ScheduleError, SchedulePatch,
    ScheduleView,
};

type Res<T> = Result<Json<T>, ApiError>;

pub async fn list(State(ctx): State<Arc<Ctx>>) -> Res<Vec<ScheduleView>> {
    Ok(Json(schedule::list(&ctx.state)?))
}

pub async fn create(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(body): ApiJson<NewSchedule>,
) -> Result<(StatusCode, Json<ScheduleView>), ApiError> {
    let v = schedule::create(&ctx.state, body, jiff::Timestamp::now())?;
    ctx.reload(&StateChange::Schedules);
    Ok((StatusCode::CREATED, Json(v)))
}

pub async fn get(State(ctx): State<Arc<Ctx>>, Path(id): Path<String>) -> Res<ScheduleView> {
    Ok(Json(schedule::get(&ctx.state, &id)?))
}

pub async fn update(
    State(ctx): State<Arc<Ctx>>,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<SchedulePatch>,
) -> Res<ScheduleView> {
    let v = schedule::update(&ctx.state, &id, patch, jiff::Timestamp::now())?;
    ctx.reload(&StateChange::Schedules);
    Ok(Json(v))
}

pub async fn delete(State(ctx): State<Arc<Ctx>>, Path(id): Path<String>) -> Res<ScheduleView> {
    let v = schedule::delete(&ctx.state, &id)?;
    ctx.reload(&StateChange::Schedules);
    Ok(Json(v))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogsQuery {
    last: Option<usize>,
}

pub async fn logs(
    State(ctx): State<Arc<Ctx>>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<LogsQuery>,
) -> Res<Vec<RunLogEntry>> {
    Ok(Json(schedule::logs(&ctx.state, &id, q.last)?))
}

/// Always 200: an invalid expression is an answer (`valid: false`), not an error.
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
            ScheduleError::AmbiguousName(..) | ScheduleError::GroupLimit { .. } => {
                ApiError::conflict(e.to_string())
            }
            ScheduleError::State(_) | ScheduleError::Log { .. } => {
                ApiError::internal(e.to_string())
            }
        }
    }
}
