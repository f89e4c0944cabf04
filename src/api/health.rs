//! `GET /api/v1/health`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use crate::ctx::Ctx;

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    status: &'static str,
    version: &'static str,
    pid: u32,
    uptime_secs: u64,
    state_dir: String,
}

#[utoipa::path(
    get,
    path = "/api/v1/health",
    tag = "health",
    summary = "Liveness, version, pid and uptime of the daemon",
    responses((status = 200, body = Health))
)]
pub async fn health(State(ctx): State<Arc<Ctx>>) -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        pid: std::process::id(),
        uptime_secs: ctx.started.elapsed().as_secs(),
        state_dir: ctx.state.root().display().to_string(),
    })
}
