//! `GET /api/v1/container/audit-log?severity=&limit=&since=…`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;

use super::{ApiError, ApiQuery};
use crate::audit::{self, AuditError, AuditLogResponse, AuditQueryParams};
use crate::ctx::Ctx;

#[utoipa::path(
    get,
    path = "/api/v1/container/audit-log",
    tag = "audit",
    summary = "The security audit log, newest first (?severity=&minSeverity=&category=&group=&since=&limit=)",
    params(AuditQueryParams),
    responses((status = 200, body = AuditLogResponse))
)]
pub async fn query(
    State(ctx): State<Arc<Ctx>>,
    ApiQuery(params): ApiQuery<AuditQueryParams>,
) -> Result<Json<AuditLogResponse>, ApiError> {
    let q = params.resolve(jiff::Timestamp::now())?;
    let state = ctx.state.clone();
    let resp = tokio::task::spawn_blocking(move || audit::query(&state, &q))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))??;
    Ok(Json(resp))
}

impl From<AuditError> for ApiError {
    fn from(e: AuditError) -> Self {
        match e {
            AuditError::BadQuery(_) => ApiError::bad_request(e.to_string()),
            _ => ApiError::internal(e.to_string()),
        }
    }
}
