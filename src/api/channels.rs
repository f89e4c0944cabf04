//! `GET /api/v1/channels`, `GET /api/v1/channels/{name}` and the WhatsApp
//! webhook (`GET|POST /api/v1/channels/whatsapp/webhook`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::ApiError;
use crate::channels::{
    ChannelError, ChannelKind, ChannelStatus, ChannelsFile, StatusCell, WebhookError,
};
use crate::ctx::Ctx;

fn status_of(ctx: &Ctx, kind: ChannelKind) -> Result<ChannelStatus, ApiError> {
    if let Some(s) = ctx.channels().and_then(|h| h.status(kind)) {
        return Ok(s);
    }
    let configured = ChannelsFile::load(&ctx.state)?.get(kind).is_some();
    Ok(StatusCell::idle(kind, configured))
}

/// Every configured channel's status.
#[utoipa::path(
    get,
    path = "/api/v1/channels",
    tag = "channels",
    summary = "Status of every configured chat channel",
    responses((status = 200, body = Vec<ChannelStatus>))
)]
pub async fn list(State(ctx): State<Arc<Ctx>>) -> Result<Json<Vec<ChannelStatus>>, ApiError> {
    let file = ChannelsFile::load(&ctx.state)?;
    let mut out = Vec::new();
    for c in &file.channels {
        out.push(status_of(&ctx, c.kind)?);
    }
    Ok(Json(out))
}

/// One channel: connected, bot identity, last error, message counts.
#[utoipa::path(
    get,
    path = "/api/v1/channels/{name}",
    tag = "channels",
    summary = "One channel (telegram, slack, discord, whatsapp): configured, running, connected, bot, last error, counts",
    params(("name" = String, Path)),
    responses((status = 200, body = ChannelStatus))
)]
pub async fn get(
    State(ctx): State<Arc<Ctx>>,
    Path(name): Path<String>,
) -> Result<Json<ChannelStatus>, ApiError> {
    let kind: ChannelKind = name.parse()?;
    Ok(Json(status_of(&ctx, kind)?))
}

/// Meta's verification query (documented; read as a map so other keys are ignored).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct WebhookVerifyQuery {
    #[param(rename = "hub.mode")]
    mode: Option<String>,
    #[param(rename = "hub.verify_token")]
    verify_token: Option<String>,
    #[param(rename = "hub.challenge")]
    challenge: Option<String>,
}

const NOT_CONFIGURED: &str = "the WhatsApp channel is not configured in this daemon";

/// Meta's subscription handshake: echoes `hub.challenge` when the verify token matches.
#[utoipa::path(
    get,
    path = "/api/v1/channels/whatsapp/webhook",
    tag = "channels",
    summary = "WhatsApp webhook verification: returns hub.challenge when hub.verify_token matches, else 403",
    params(WebhookVerifyQuery),
    responses((status = 200, description = "hub.challenge as text/plain", content_type = "text/plain", body = String))
)]
pub async fn verify(
    State(ctx): State<Arc<Ctx>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let hub = ctx
        .channels()
        .ok_or_else(|| ApiError::forbidden(NOT_CONFIGURED))?;
    let res = hub
        .whatsapp_verify(
            q.get("hub.mode").map(String::as_str),
            q.get("hub.verify_token").map(String::as_str),
            q.get("hub.challenge").map(String::as_str),
        )
        .ok_or_else(|| ApiError::forbidden(NOT_CONFIGURED))?;
    match res {
        Ok(challenge) => Ok((
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8",
            )],
            challenge.to_string(),
        )
            .into_response()),
        Err(e) => {
            tracing::warn!("WhatsApp webhook verification refused");
            Err(ApiError::forbidden(e.to_string()))
        }
    }
}

/// A notification from Meta, signed with the app secret.
#[utoipa::path(
    post,
    path = "/api/v1/channels/whatsapp/webhook",
    tag = "channels",
    summary = "WhatsApp webhook notifications, checked against X-Hub-Signature-256",
    request_body = serde_json::Value,
    responses((status = 200, body = serde_json::Value))
)]
pub async fn receive(
    State(ctx): State<Arc<Ctx>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let hub = ctx
        .channels()
        .ok_or_else(|| ApiError::forbidden(NOT_CONFIGURED))?;
    let sig = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    match hub.whatsapp_webhook(sig, &body).await {
        None => Err(ApiError::forbidden(NOT_CONFIGURED)),
        Some(Ok(n)) => Ok(Json(serde_json::json!({"received": n}))),
        Some(Err(e @ WebhookError::BadSignature)) => {
            tracing::warn!(
                bytes = body.len(),
                "WhatsApp webhook with a bad signature refused"
            );
            Err(ApiError::forbidden(e.to_string()))
        }
        Some(Err(e)) => Err(ApiError::bad_request(e.to_string())),
    }
}

impl From<ChannelError> for ApiError {
    fn from(e: ChannelError) -> Self {
        match e {
            ChannelError::State(s) => s.into(),
            ChannelError::NotConfigured(_) => ApiError::not_found(e.to_string()),
            ChannelError::Exists(_) => ApiError::conflict(e.to_string()),
            ChannelError::Keystore(_) => ApiError::internal(e.to_string()),
            ChannelError::Service { .. } => {
                ApiError::new(StatusCode::BAD_GATEWAY, "bad_gateway", e.to_string())
            }
            _ => ApiError::bad_request(e.to_string()),
        }
    }
}
