//! `POST /api/v1/container/ipc/directories`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use super::openapi::Conflict;
use super::{ApiError, ApiJson};
use crate::ctx::Ctx;
use crate::ipc::{self, IpcError, SessionDirs};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DirsRequest {
    #[serde(alias = "groupFolder")]
    group: String,
    #[serde(alias = "sessionId")]
    session: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/container/ipc/directories",
    tag = "ipc",
    summary = "Create a session's IPC directories",
    request_body = DirsRequest,
    responses((status = 200, body = SessionDirs), Conflict)
)]
pub async fn directories(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(req): ApiJson<DirsRequest>,
) -> Result<Json<SessionDirs>, ApiError> {
    ipc::init(&ctx.state, &req.group, &req.session)
        .map(Json)
        .map_err(Into::into)
}

impl From<IpcError> for ApiError {
    fn from(e: IpcError) -> Self {
        match e {
            IpcError::State(s) => s.into(),
            IpcError::NoSession(_) | IpcError::NotInitialised { .. } => {
                ApiError::not_found(e.to_string())
            }
            IpcError::Unsafe { .. } | IpcError::Quarantined { .. } => {
                ApiError::conflict(e.to_string())
            }
            _ => ApiError::bad_request(e.to_string()),
        }
    }
}
