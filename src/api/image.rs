//! `POST /api/v1/container/image/build` (background, 202) and
//! `GET /api/v1/container/image/status?imageTag=`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::{ApiError, ApiJson, ApiQuery};
use crate::ctx::Ctx;
use crate::image::{BuildRequest, ImageBuilds, ImageError, ImageStatus};

/// The build manager, created on first use once the runtime is known.
async fn builds(ctx: &Arc<Ctx>) -> Arc<ImageBuilds> {
    ctx.images
        .get_or_init(|| async {
            let det = ctx.runtime().await;
            let docker = crate::runs::docker_of(det.runtime.as_ref(), &det.status.message).ok();
            ImageBuilds::supervised(
                ctx.state.clone(),
                docker,
                ctx.tasks.clone(),
                ctx.shutdown.clone(),
            )
        })
        .await
        .clone()
}

#[utoipa::path(
    post,
    path = "/api/v1/container/image/build",
    tag = "image",
    summary = "Start a background build of the agent image (202; 409 with buildId while one runs)",
    request_body = BuildRequest,
    responses((status = 202, body = BuildStarted))
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
    let id = builds(&ctx).await.start_build(req)?;
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
    responses((status = 200, body = ImageStatus))
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
    Ok(Json(builds(&ctx).await.status(&tag).await?))
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
