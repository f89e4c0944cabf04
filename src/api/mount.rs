//! `GET|PUT /api/v1/container/mount/allowlist`, `POST /api/v1/container/mount/validate`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;

use super::openapi::Unprocessable;
use super::{ApiError, ApiJson};
use crate::ctx::Ctx;
use crate::mounts::{self, AllowlistBody, AllowlistView, MountRequest, MountValidation};

#[utoipa::path(
    get,
    path = "/api/v1/container/mount/allowlist",
    tag = "mounts",
    summary = "The mount allowlist (roots, blocked patterns in force)",
    responses((status = 200, body = AllowlistView))
)]
pub async fn get_allowlist(State(ctx): State<Arc<Ctx>>) -> Json<AllowlistView> {
    Json(AllowlistView::from(&*ctx.mounts()))
}

#[utoipa::path(
    put,
    path = "/api/v1/container/mount/allowlist",
    tag = "mounts",
    summary = "Merge roots (by path) and patterns into the allowlist; `replace: true` also removes what the body leaves out. Returns the allowlist and `changes`",
    request_body = AllowlistBody,
    responses((status = 200, body = AllowlistView), Unprocessable)
)]
pub async fn set_allowlist(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(body): ApiJson<AllowlistBody>,
) -> Result<Json<AllowlistView>, ApiError> {
    let state = ctx.state.clone();
    let view = super::error::blocking(move || mounts::set_allowlist(&state, body)).await?;
    // Apply at once rather than waiting for the file watcher.
    ctx.reload(&crate::ctx::StateChange::Mounts);
    Ok(Json(view))
}

/// Validation is a read: it answers 200 with `allowed: false` and the reason when
/// the mount is refused; only a malformed request is an error.
#[utoipa::path(
    post,
    path = "/api/v1/container/mount/validate",
    tag = "mounts",
    summary = "Validate a mount: {hostPath, containerPath, readOnly}",
    request_body = MountRequest,
    responses((status = 200, body = MountValidation))
)]
pub async fn validate(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(req): ApiJson<MountRequest>,
) -> Result<Json<MountValidation>, ApiError> {
    let is_main = match req.group.as_deref() {
        None => true,
        Some(g) => crate::groups::Groups::load(&ctx.state)?.is_main(Some(g)),
    };
    // Inline, not spawn_blocking: canonicalize calls and a scan bounded by
    // SCAN_MAX_ENTRIES; a typical project directory costs well under a millisecond.
    let v = mounts::validate(
        &ctx.mounts(),
        &mounts::Protected::for_state(&ctx.state),
        &req,
        is_main,
    );
    if !v.allowed {
        audit_rejection(&ctx, &req, &v).await;
    }
    Ok(Json(v))
}

/// A refused mount is a security event whoever asked. The audit write must not
/// turn a validation answer into an error, so a failure is only logged.
async fn audit_rejection(ctx: &Ctx, req: &MountRequest, v: &MountValidation) {
    let ev =
        crate::audit::NewEvent::mount_rejected(req.group.as_deref(), &req.host_path, &v.reason);
    if let Err(e) = ctx.audit.record_async(ev).await {
        tracing::error!(error = %e, "cannot record a mount rejection in the audit log");
    }
}
