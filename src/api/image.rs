//! `POST /api/v1/container/image/build` (background, 202) and
//! `GET /api/v1/container/image/status?imageTag=`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

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

pub async fn build(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(mut req): ApiJson<BuildRequest>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
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
        Json(serde_json::json!({"buildId": id.0, "imageTag": tag, "status": "building"})),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatusQuery {
    image_tag: Option<String>,
}

pub async fn status(
    State(ctx): State<Arc<Ctx>>,
    ApiQuery(q): ApiQuery<StatusQuery>,
) -> Result<Json<ImageStatus>, ApiError> {
    let tag = q
        .image_tag
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
