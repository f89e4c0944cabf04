//! The WhatsApp webhook's own listener (`[channels.whatsapp] webhook_bind`):
//! one path, nothing of the management API.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;

use super::{ApiError, MAX_BODY_BYTES, channels, method_not_allowed};
use crate::ctx::Ctx;

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
            axum::routing::get(channels::verify).post(channels::receive),
        )
        .fallback(not_found_webhook)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(ctx)
}

async fn not_found_webhook() -> ApiError {
    ApiError::not_found(format!("this listener serves only {WHATSAPP_WEBHOOK_PATH}"))
}
