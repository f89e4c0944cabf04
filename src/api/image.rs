//! `POST /api/v1/container/image/build` (background, 202) and
//! `GET /api/v1/container/image/status?imageTag=`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::openapi::{BadGateway, Conflict, Unavailable};
use super::{ApiError, ApiJson, ApiQuery};
use crate::ctx::Ctx;
use crate::image::{BuildRecord, BuildRequest, ImageBuilds, ImageError, ImageStatus};
use crate::runtime::Engine;

/// The build manager, created on first use.
async fn builds(ctx: &Arc<Ctx>) -> Arc<ImageBuilds> {
    ctx.images
        .get_or_init(|| async {
            ImageBuilds::supervised(ctx.state.clone(), ctx.tasks.clone(), ctx.shutdown.clone())
        })
        .await
        .clone()
}

/// The engine that answers now, not the one of an earlier detection: a build asked for
/// after the engine came up works without a daemon restart. When the cached detection
/// still says "none", it is refreshed for the rest of the daemon too.
async fn current_engine(ctx: &Arc<Ctx>) -> Result<Engine, String> {
    let found = crate::runtime::connect(&ctx.config()).await;
    if found.is_ok() && ctx.runtime().await.runtime.is_none() {
        ctx.refresh_runtime();
    }
    found
}

#[utoipa::path(
    post,
    path = "/api/v1/container/image/build",
    tag = "image",
    summary = "Start a background build of the agent image (202; 409 with buildId while one runs)",
    request_body = BuildRequest,
    responses((status = 202, body = BuildStarted), Conflict, Unavailable)
)]
pub async fn build(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(mut req): ApiJson<BuildRequest>,
) -> Result<(StatusCode, Json<BuildStarted>), ApiError> {
    // A loopback caller must not make the daemon read and ship any directory it
    // can see: the context is the embedded one or `image_context` in config.toml.
    if req.context.is_some() {
        return Err(ApiError::bad_request(
            "the API builds the embedded context or config.toml's image_context; \
             for another directory use the CLI (`aigo image build --context DIR`)",
        ));
    }
    let config = ctx.config();
    req.context = config.image_context.clone();
    if req.image_tag.is_empty() {
        req.image_tag = config.image_tag.clone();
    }
    let tag = req.image_tag.clone();
    let engine = current_engine(&ctx).await.map_err(|why| {
        tracing::debug!(reason = %why, "image build refused: no engine");
        ImageError::NoRuntime
    })?;
    let id = builds(&ctx).await.start_build(&engine, req)?;
    Ok((
        StatusCode::ACCEPTED,
        Json(BuildStarted {
            build_id: id.0,
            image_tag: tag,
            status: "building",
        }),
    ))
}

/// The answer to a build request: follow it with `GET …/image/status`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BuildStarted {
    build_id: String,
    image_tag: String,
    /// Always `building`.
    status: &'static str,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatusQuery {
    image_tag: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/container/image/status",
    tag = "image",
    summary = "Image status: ready|building|failed|missing|outdated, id, size, created, progress, output",
    params(StatusQuery),
    responses((status = 200, body = ImageStatus), BadGateway)
)]
pub async fn status(
    State(ctx): State<Arc<Ctx>>,
    ApiQuery(q): ApiQuery<StatusQuery>,
) -> Result<Json<ImageStatus>, ApiError> {
    // `?imageTag=` (empty) means the configured tag, like leaving it out.
    let tag = q
        .image_tag
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| ctx.config().image_tag.clone());
    // Status is polled: the cached detection's engine when there is one (no version
    // round trip per poll), else a fresh look, as for builds.
    let engine = match ctx.runtime().await.runtime.clone() {
        Some(e) => Some(e),
        None => current_engine(&ctx).await.ok(),
    };
    Ok(Json(
        builds(&ctx).await.status(engine.as_ref(), &tag).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HistoryQuery {
    /// Only builds of this tag
    image_tag: Option<String>,
    /// How many builds (default 10)
    limit: Option<usize>,
}

#[utoipa::path(
    get,
    path = "/api/v1/container/image/history",
    tag = "image",
    summary = "Recent builds, newest first: id, tag, status, context, timings, error",
    params(HistoryQuery),
    responses((status = 200, body = Vec<BuildRecord>))
)]
pub async fn history(
    State(ctx): State<Arc<Ctx>>,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> Result<Json<Vec<BuildRecord>>, ApiError> {
    let state = ctx.state.clone();
    let tag = q.image_tag.filter(|t| !t.is_empty());
    super::error::blocking(move || {
        crate::image::history(&state, tag.as_deref(), q.limit.unwrap_or(10))
    })
    .await
    .map(Json)
}

impl From<ImageError> for ApiError {
    fn from(e: ImageError) -> Self {
        let status =
            StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let err = ApiError::new(status, e.code(), e.to_string());
        match &e {
            ImageError::AlreadyBuilding { id } => err.with("buildId", id.0.clone()),
            _ => err,
        }
    }
}
