//! `GET /api/v1/container/runtime`: served from the cached detection.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;

use crate::ctx::Ctx;
use crate::runtime::RuntimeStatus;

#[utoipa::path(
    get,
    path = "/api/v1/container/runtime",
    tag = "runtime",
    summary = "Detected container runtime: {available, backend, version, networking, message}",
    responses((status = 200, body = RuntimeStatus))
)]
pub async fn status(State(ctx): State<Arc<Ctx>>) -> Json<RuntimeStatus> {
    Json(ctx.runtime().await.status.clone())
}
