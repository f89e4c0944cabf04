//! Groups over the API: `GET|POST /api/v1/groups`, `PATCH|DELETE
//! /api/v1/groups/{name}`, and the reference's view of them,
//! `GET|POST /api/v1/container/namespaces`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::openapi::{Conflict, NotFound};
use super::{ApiError, ApiJson};
use crate::ctx::Ctx;
use crate::groups::{self, Group, GroupError, GroupUpdate, Namespace, NewNamespace};
use crate::runs::memory::{self, GroupMemory};

#[utoipa::path(
    get,
    path = "/api/v1/groups",
    tag = "groups",
    summary = "Groups: who agents work for, which chats they may reach",
    responses((status = 200, body = Vec<Group>))
)]
pub async fn list(State(ctx): State<Arc<Ctx>>) -> Result<Json<Vec<Group>>, ApiError> {
    Ok(Json(groups::list(&ctx.state)?))
}

#[utoipa::path(
    post,
    path = "/api/v1/groups",
    tag = "groups",
    summary = "Add a group",
    request_body = Group,
    responses((status = 201, body = Group), Conflict)
)]
pub async fn add(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(g): ApiJson<Group>,
) -> Result<(StatusCode, Json<Group>), ApiError> {
    Ok((StatusCode::CREATED, Json(groups::add(&ctx.state, g)?)))
}

#[utoipa::path(
    patch,
    path = "/api/v1/groups/{name}",
    tag = "groups",
    summary = "Change a group: chats, senders, description",
    request_body = GroupUpdate,
    params(("name" = String, Path)),
    responses((status = 200, body = Group), NotFound, Conflict)
)]
pub async fn update(
    State(ctx): State<Arc<Ctx>>,
    Path(name): Path<String>,
    ApiJson(change): ApiJson<GroupUpdate>,
) -> Result<Json<Group>, ApiError> {
    Ok(Json(groups::update(&ctx.state, &name, &change)?))
}

#[utoipa::path(
    get,
    path = "/api/v1/groups/{name}",
    tag = "groups",
    summary = "A group with its agent state directory and the agent sessions its runs resume",
    params(("name" = String, Path)),
    responses((status = 200, body = GroupMemory), NotFound)
)]
pub async fn show(
    State(ctx): State<Arc<Ctx>>,
    Path(name): Path<String>,
) -> Result<Json<GroupMemory>, ApiError> {
    let state = ctx.state.clone();
    super::error::blocking(move || memory::show(&state, &name))
        .await
        .map(Json)
}

/// The body of `POST …/groups/{name}/forget`.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ForgetBody {
    /// Only this chat's session (default: every session of the group)
    chat: Option<String>,
}

/// What `forget` did.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Forgotten {
    group: String,
    /// How many agent sessions were forgotten; the next run starts fresh.
    forgotten: usize,
}

#[utoipa::path(
    post,
    path = "/api/v1/groups/{name}/forget",
    tag = "groups",
    summary = "Forget the group's agent sessions (or one chat's): its next run starts fresh",
    params(("name" = String, Path)),
    request_body = ForgetBody,
    responses((status = 200, body = Forgotten), NotFound)
)]
pub async fn forget(
    State(ctx): State<Arc<Ctx>>,
    Path(name): Path<String>,
    ApiJson(b): ApiJson<ForgetBody>,
) -> Result<Json<Forgotten>, ApiError> {
    let state = ctx.state.clone();
    let group = name.clone();
    let forgotten =
        super::error::blocking(move || memory::forget_group(&state, &name, b.chat.as_deref()))
            .await?;
    Ok(Json(Forgotten { group, forgotten }))
}

#[utoipa::path(
    delete,
    path = "/api/v1/groups/{name}",
    tag = "groups",
    summary = "Remove a group (its sessions stay on disk)",
    params(("name" = String, Path)),
    responses((status = 204), NotFound)
)]
pub async fn remove(
    State(ctx): State<Arc<Ctx>>,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    groups::remove(&ctx.state, &name)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/api/v1/container/namespaces",
    tag = "groups",
    summary = "Groups as the reference calls them: {id, name, description, createdAt, updatedAt}",
    responses((status = 200, body = Vec<Namespace>))
)]
pub async fn namespaces(State(ctx): State<Arc<Ctx>>) -> Result<Json<Vec<Namespace>>, ApiError> {
    Ok(Json(groups::namespaces(&ctx.state)?))
}

#[utoipa::path(
    post,
    path = "/api/v1/container/namespaces",
    tag = "groups",
    summary = "Create a group from {name, description}",
    request_body = NewNamespace,
    responses((status = 201, body = Namespace), Conflict)
)]
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
