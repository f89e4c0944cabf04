//! `GET /api/v1/container/credential-proxy/status`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;

use super::ApiError;
use crate::ctx::Ctx;
use crate::proxy::{self, ProxyStatus};

/// The running proxy's status, or `running: false` with the configured port and
/// the stored mapping count when it is not (yet) running.
#[utoipa::path(
    get,
    path = "/api/v1/container/credential-proxy/status",
    tag = "proxy",
    summary = "The credential proxy: running, port, mapping count, requests served",
    responses((status = 200, body = ProxyStatus))
)]
pub async fn status(State(ctx): State<Arc<Ctx>>) -> Result<Json<ProxyStatus>, ApiError> {
    if let Some(p) = ctx.proxy() {
        return Ok(Json(p.status()));
    }
    let count = proxy::list_mappings(&ctx.state)
        .map_err(|e| ApiError::internal(e.to_string()))?
        .len();
    Ok(Json(ProxyStatus {
        running: false,
        port: ctx.config().proxy.port,
        bind_address: String::new(),
        mapping_count: count,
        requests_served: 0,
    }))
}
