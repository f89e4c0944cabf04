//! Runs over the API: `GET|POST /api/v1/container/runs`,
//! `POST …/runs/{id}/stop`, `GET …/ps`, `POST …/ipc/send|close`.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::openapi::{Conflict, NotFound, RunRefusals, Unavailable};
use super::{ApiError, ApiJson};
use crate::ctx::Ctx;
use crate::runs::{
    self, ExtraMount, RunError, RunMode, RunRecord, RunRequest, RunningContainer, STOP_GRACE_SECS,
};

#[utoipa::path(
    get,
    path = "/api/v1/container/runs",
    tag = "runs",
    summary = "Run history: id, group, session, image, start, end, exit code, reason",
    responses((status = 200, body = Vec<RunRecord>))
)]
pub async fn history(State(ctx): State<Arc<Ctx>>) -> Result<Json<Vec<RunRecord>>, ApiError> {
    Ok(Json(match ctx.runner().await {
        Ok(r) => r.history().await?,
        Err(_) => runs::reconciled_history(&ctx.state, None).await?,
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/container/ps",
    tag = "runs",
    summary = "Running agent containers",
    responses((status = 200, body = Vec<RunningContainer>), Unavailable)
)]
pub async fn ps(State(ctx): State<Arc<Ctx>>) -> Result<Json<Vec<RunningContainer>>, ApiError> {
    Ok(Json(ctx.runner().await?.ps().await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StartBody {
    group: String,
    prompt: String,
    #[serde(default)]
    mounts: Vec<ExtraMount>,
    timeout_secs: Option<u64>,
    idle_timeout_secs: Option<u64>,
    image: Option<String>,
    session: Option<String>,
    /// Where replies go; none: the run's record (`result`) and log.
    chat_jid: Option<String>,
    /// `one_shot` (the default: closed after the first answer) or `conversation`.
    #[serde(default)]
    mode: RunMode,
    /// `resume` (the default: the chat's last agent session), `fresh` or `isolated`.
    #[serde(default)]
    memory: runs::Memory,
}

/// Starts a run owned by the daemon and returns its record at once (201).
#[utoipa::path(
    post,
    path = "/api/v1/container/runs",
    tag = "runs",
    summary = "Start a run owned by the daemon; returns its record at once",
    request_body = StartBody,
    responses((status = 201, body = RunRecord), RunRefusals)
)]
pub async fn start(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(b): ApiJson<StartBody>,
) -> Result<(StatusCode, Json<RunRecord>), ApiError> {
    let req = RunRequest {
        session: b.session,
        mounts: b.mounts,
        timeout: b.timeout_secs.map(Duration::from_secs),
        idle_timeout: b.idle_timeout_secs.map(Duration::from_secs),
        image: b.image,
        chat_jid: b.chat_jid,
        mode: b.mode,
        memory: b.memory,
        ..RunRequest::new(b.group, b.prompt, "daemon")
    };
    let runner = match ctx.runner().await {
        Ok(r) => r,
        Err(e) => {
            runs::refuse(&ctx.state, &ctx.audit, &req, &e).await;
            return Err(e.into());
        }
    };
    let handle = runner.start(&req).await?;
    let record = handle.record.clone();
    let cancel = ctx.shutdown.child_token();
    ctx.tasks.spawn(async move {
        runner.execute(handle, cancel, None).await;
    });
    Ok((StatusCode::CREATED, Json(record)))
}

#[utoipa::path(
    post,
    path = "/api/v1/container/runs/{id}/stop",
    tag = "runs",
    summary = "Stop a run: _close, then SIGTERM, then SIGKILL",
    params(("id" = String, Path)),
    responses((status = 200, body = RunRecord), NotFound, Unavailable)
)]
pub async fn stop(
    State(ctx): State<Arc<Ctx>>,
    Path(id): Path<String>,
) -> Result<Json<RunRecord>, ApiError> {
    Ok(Json(
        ctx.runner()
            .await?
            .stop(&id, Duration::from_secs(STOP_GRACE_SECS as u64))
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SendBody {
    group: String,
    session: Option<String>,
    #[serde(default)]
    text: String,
    sender: Option<String>,
}

/// The session of the group's running container; refused when none runs.
async fn session(ctx: &Ctx, b: &SendBody) -> Result<crate::ipc::SessionDirs, ApiError> {
    let runner = ctx.runner().await?;
    Ok(runner.live_session(&b.group, b.session.as_deref()).await?.0)
}

#[utoipa::path(
    post,
    path = "/api/v1/container/ipc/send",
    tag = "runs",
    summary = "A follow-up message into a group's running session",
    request_body = SendBody,
    responses((status = 200, body = IpcAck), Conflict, Unavailable)
)]
pub async fn send(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(b): ApiJson<SendBody>,
) -> Result<Json<IpcAck>, ApiError> {
    let d = session(&ctx, &b).await?;
    let path = crate::ipc::send(&d, &b.text, b.sender.as_deref().unwrap_or("operator"))?;
    Ok(Json(IpcAck {
        group: d.group,
        session: d.session,
        file: Some(path.display().to_string()),
        closed: false,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/container/ipc/close",
    tag = "runs",
    summary = "Ask a group's running session to finish",
    request_body = SendBody,
    responses((status = 200, body = IpcAck), Conflict, Unavailable)
)]
pub async fn close(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(b): ApiJson<SendBody>,
) -> Result<Json<IpcAck>, ApiError> {
    let d = session(&ctx, &b).await?;
    crate::ipc::close(&d)?;
    Ok(Json(IpcAck {
        group: d.group,
        session: d.session,
        file: None,
        closed: true,
    }))
}

/// What `send` and `close` did: the file written into `input/`, or that the
/// session was asked to close.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IpcAck {
    group: String,
    session: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    closed: bool,
}

impl From<RunError> for ApiError {
    fn from(e: RunError) -> Self {
        match e {
            RunError::NotFound(_) => ApiError::not_found(e.to_string()),
            RunError::Schedule(e) => e.into(),
            RunError::UnknownGroup { .. } => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_group",
                e.to_string(),
            ),
            RunError::ImageMissing { .. } => {
                ApiError::new(StatusCode::CONFLICT, "image_missing", e.to_string())
            }
            RunError::NotRunning { .. } => {
                ApiError::new(StatusCode::CONFLICT, "not_running", e.to_string())
            }
            RunError::NoProxy { .. } | RunError::ProxyDown => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "no_proxy", e.to_string())
            }
            RunError::MountRejected { .. } | RunError::Refused { .. } => {
                ApiError::forbidden(e.to_string())
            }
            RunError::Group(e) => e.into(),
            RunError::BadMount(_) | RunError::DeniedArg { .. } | RunError::Ipc(_) => {
                ApiError::bad_request(e.to_string())
            }
            RunError::NoRuntime(_) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "no_runtime", e.to_string())
            }
            _ => ApiError::internal(e.to_string()),
        }
    }
}
