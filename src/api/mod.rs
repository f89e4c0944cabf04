//! The HTTP management API (axum): routes call the same library functions as the
//! CLI and return the same serde types. One file per group, like `cli/`.

mod audit;
mod channels;
mod error;
mod groups;
mod guard;
mod health;
mod image;
mod ipc;
mod mount;
mod network;
mod openapi;
mod proxy;
mod runs;
mod runtime;
mod schedule;
mod serve;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, patch, post};

pub use error::{ApiError, ApiJson, ApiQuery};
pub use guard::Guard;
pub use openapi::{ROUTES, openapi_document};
pub use serve::{BodyTimeout, ServeLimits, serve};

use crate::ctx::Ctx;

/// Request bodies above this are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The full router, guarded. `ctx` is shared with the daemon's components.
pub fn router(ctx: Arc<Ctx>, guard: Guard) -> Router {
    Router::new()
        .route("/api/v1/health", get(health::health))
        .route("/api/v1/openapi.json", get(openapi::serve))
        .route("/api/v1/container/runtime", get(runtime::status))
        .route(
            "/api/v1/container/mount/allowlist",
            get(mount::get_allowlist).put(mount::set_allowlist),
        )
        .route("/api/v1/container/mount/validate", post(mount::validate))
        .route("/api/v1/container/image/build", post(image::build))
        .route("/api/v1/container/image/status", get(image::status))
        .route("/api/v1/container/ipc/directories", post(ipc::directories))
        .route("/api/v1/container/audit-log", get(audit::query))
        .route(
            "/api/v1/container/runs",
            get(runs::history).post(runs::start),
        )
        .route("/api/v1/container/runs/{id}/stop", post(runs::stop))
        .route("/api/v1/container/ps", get(runs::ps))
        .route("/api/v1/container/ipc/send", post(runs::send))
        .route("/api/v1/container/ipc/close", post(runs::close))
        .route("/api/v1/groups", get(groups::list).post(groups::add))
        .route(
            "/api/v1/groups/{name}",
            patch(groups::update).delete(groups::remove),
        )
        .route(
            "/api/v1/container/namespaces",
            get(groups::namespaces).post(groups::add_namespace),
        )
        .route(
            "/api/v1/container/credential-proxy/status",
            get(proxy::status),
        )
        .route(
            "/api/v1/container/schedules",
            get(schedule::list).post(schedule::create),
        )
        .route("/api/v1/container/schedules/check", post(schedule::check))
        .route(
            "/api/v1/container/schedules/{id}",
            get(schedule::get)
                .patch(schedule::update)
                .delete(schedule::delete),
        )
        .route("/api/v1/container/schedules/{id}/logs", get(schedule::logs))
        .route("/api/v1/network", get(network::view))
        .route("/api/v1/network/allow", post(network::allow))
        .route("/api/v1/network/deny", post(network::deny))
        .route("/api/v1/channels", get(channels::list))
        .route("/api/v1/channels/{name}", get(channels::get))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(guard),
            guard::check,
        ))
        .with_state(ctx)
}

/// The WhatsApp webhook path, served by its own listener only.
pub const WHATSAPP_WEBHOOK_PATH: &str = "/api/v1/channels/whatsapp/webhook";

/// The router of `[channels.whatsapp] webhook_bind`: the webhook path and
/// nothing else, so exposing it to Meta never exposes the management API. No
/// Host check (a reverse proxy forwards Meta's calls under any name) and no
/// bearer token (Meta cannot hold one): the verify token and the
/// `X-Hub-Signature-256` HMAC authenticate instead.
pub fn webhook_router(ctx: Arc<Ctx>) -> Router {
    Router::new()
        .route(
            WHATSAPP_WEBHOOK_PATH,
            get(channels::verify).post(channels::receive),
        )
        .fallback(not_found_webhook)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(ctx)
}

async fn not_found_webhook() -> ApiError {
    ApiError::not_found(format!("this listener serves only {WHATSAPP_WEBHOOK_PATH}"))
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!(
        "no route for {}; see /api/v1/openapi.json",
        uri.path()
    ))
}

async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "{method} is not allowed on {}; see /api/v1/openapi.json",
            uri.path()
        ),
    )
}
