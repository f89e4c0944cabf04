//! `GET /api/v1/channels`, `GET /api/v1/channels/{name}` and the WhatsApp
//! webhook (`GET|POST /api/v1/channels/whatsapp/webhook`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::openapi::{BadGateway, Conflict, NotFound};
use super::{ApiError, ApiJson};
use crate::channels::{
    self, BotIdentity, ChannelConfig, ChannelError, ChannelKind, ChannelSecrets, ChannelStatus,
    ChannelsFile, NewChannel, StatusCell, WebhookError,
};
use crate::ctx::Ctx;
use crate::proxy::{Keystore, Secret};

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
    summary = "One channel (telegram, slack, discord, whatsapp): configured, running, connected, stopped, bot, last error, last failure, counts",
    params(("name" = String, Path)),
    responses((status = 200, body = ChannelStatus), NotFound)
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

/// `POST /api/v1/channels`: the secrets by role (telegram/discord: `token`; slack:
/// `botToken`, `appToken`; whatsapp: `accessToken`, `verifyToken`, `appSecret`) go to
/// the encrypted keystore and are never echoed.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewChannelBody {
    name: ChannelKind,
    secrets: HashMap<String, String>,
    api_base: Option<String>,
    trigger_word: Option<String>,
    phone_number_id: Option<String>,
    /// WhatsApp: the Graph API version (default: the current one)
    graph_version: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/channels",
    tag = "channels",
    summary = "Add a channel: settings to channels.toml, secrets to the keystore",
    request_body = NewChannelBody,
    responses((status = 201, body = ChannelConfig), Conflict)
)]
pub async fn add(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(b): ApiJson<NewChannelBody>,
) -> Result<(StatusCode, Json<ChannelConfig>), ApiError> {
    let secrets = ChannelSecrets(
        b.secrets
            .into_iter()
            .map(|(role, value)| (role, Secret::from(value)))
            .collect(),
    );
    let new = NewChannel {
        kind: b.name,
        api_base: b.api_base,
        trigger_word: b.trigger_word,
        phone_number_id: b.phone_number_id,
        graph_version: b.graph_version,
    };
    let state = ctx.state.clone();
    let config = super::error::blocking(move || {
        channels::add(&state, &Keystore::open(&state), new, secrets)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(config)))
}

#[utoipa::path(
    delete,
    path = "/api/v1/channels/{name}",
    tag = "channels",
    summary = "Remove a channel and its stored secrets",
    params(("name" = String, Path)),
    responses((status = 204), NotFound)
)]
pub async fn remove(
    State(ctx): State<Arc<Ctx>>,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    let kind: ChannelKind = name.parse()?;
    let state = ctx.state.clone();
    super::error::blocking(move || channels::remove(&state, &Keystore::open(&state), kind)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/api/v1/channels/{name}/validate",
    tag = "channels",
    summary = "Ask the service who the stored token belongs to (502 with its reason when it refuses)",
    params(("name" = String, Path)),
    responses((status = 200, body = BotIdentity), NotFound, BadGateway)
)]
pub async fn validate(
    State(ctx): State<Arc<Ctx>>,
    Path(name): Path<String>,
) -> Result<Json<BotIdentity>, ApiError> {
    let kind: ChannelKind = name.parse()?;
    Ok(Json(
        channels::validate(&ctx.state, &Keystore::open(&ctx.state), kind).await?,
    ))
}
