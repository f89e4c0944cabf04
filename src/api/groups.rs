//! Groups over the API: `GET|POST /api/v1/groups`, `PATCH|DELETE
//! /api/v1/groups/{name}`, and the reference's view of them,
//! `GET|POST /api/v1/container/namespaces`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::{ApiError, ApiJson};
use crate::ctx::Ctx;
use crate::groups::{self, Group, GroupError, GroupUpdate, Namespace, NewNamespace};

pub async fn list(State(ctx): State<Arc<Ctx>>) -> Result<Json<Vec<Group>>, ApiError> {
    Ok(Json(groups::list(&ctx.state)?))
}

pub async fn add(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(g): ApiJson<Group>,
) -> Result<(StatusCode, Json<Group>), ApiError> {
    Ok((StatusCode::CREATED, Json(groups::add(&ctx.state, g)?)))
}

pub async fn update(
    State(ctx): State<Arc<Ctx>>,
    Path(name): Path<String>,
    ApiJson(change): ApiJson<GroupUpdate>,
) -> Result<Json<Group>, ApiError> {
    Ok(Json(groups::update(&ctx.state, &name, &change)?))
}

pub async fn remove(
    State(ctx): State<Arc<Ctx>>,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    groups::remove(&ctx.state, &name)?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn namespaces(State(ctx): State<Arc<Ctx>>) -> Result<Json<Vec<Namespace>>, ApiError> {
    Ok(Json(groups::namespaces(&ctx.state)?))
}

pub async fn add_namespace(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(n): ApiJson<NewNamespace>,
) -> Result<(StatusCode, Json<Namespace>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(groups::add_namespace(&ctx.state, n)?),
    ))
}

impl From<GroupError> for ApiError {
    fn from(e: GroupError) -> Self {
        match e {
            GroupError::State(s) => s.into(),
            GroupError::NotFound(_) => ApiError::not_found(e.to_string()),
            GroupError::Exists(_) | GroupError::MainExists { .. } | GroupError::JidTaken { .. } => {
                ApiError::conflict(e.to_string())
            }
            _ => ApiError::bad_request(e.to_string()),
        }
    }
}
