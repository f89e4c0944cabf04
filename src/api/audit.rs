//! `GET /api/v1/container/audit-log?severity=&limit=&since=…`, `…/audit-log/verify`
//! and `…/audit-log/export`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;

use super::{ApiError, ApiQuery};
use crate::audit::{
    self, AuditError, AuditEvent, AuditLogResponse, AuditQueryParams, VerifyReport,
};
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
    let resp = super::error::blocking(move || audit::query(&state, &q)).await?;
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

#[utoipa::path(
    get,
    path = "/api/v1/container/audit-log/verify",
    tag = "audit",
    summary = "Check the audit log's hash chain; names the first bad line",
    responses((status = 200, body = VerifyReport))
)]
pub async fn verify(State(ctx): State<Arc<Ctx>>) -> Result<Json<VerifyReport>, ApiError> {
    let state = ctx.state.clone();
    let report = super::error::blocking(move || audit::verify(&state)).await?;
    Ok(Json(report))
}

#[utoipa::path(
    get,
    path = "/api/v1/container/audit-log/export",
    tag = "audit",
    summary = "Every audit event, oldest first (for archiving)",
    responses((status = 200, body = Vec<AuditEvent>))
)]
pub async fn export(State(ctx): State<Arc<Ctx>>) -> Result<Json<Vec<AuditEvent>>, ApiError> {
    let state = ctx.state.clone();
    let all = super::error::blocking(move || audit::export(&state)).await?;
    Ok(Json(all))
}
