//! `GET /api/v1/network` (egress mode, network, allowlist) and
//! `POST /api/v1/network/allow|deny` (`{"hosts": [...]}`), as `aigo network`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use super::{ApiError, ApiJson};
use crate::ctx::Ctx;
use crate::network::{self, NetworkError, NetworkView};

/// `{"hosts": [...]}`: entries to add or remove.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HostsBody {
    /// Host names, `*.domain` wildcards, IP addresses or CIDR ranges.
    hosts: Vec<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/network",
    tag = "network",
    summary = "The agents' network: egress mode (proxy-only, allowlist, open), network name, allowlist",
    responses((status = 200, body = NetworkView))
)]
pub async fn view(State(ctx): State<Arc<Ctx>>) -> Result<Json<NetworkView>, ApiError> {
    Ok(Json(NetworkView::load(&ctx.state, &ctx.config())?))
}

#[utoipa::path(
    post,
    path = "/api/v1/network/allow",
    tag = "network",
    summary = "Add egress allowlist entries; returns the network view",
    request_body = HostsBody,
    responses((status = 200, body = NetworkView))
)]
pub async fn allow(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(body): ApiJson<HostsBody>,
) -> Result<Json<NetworkView>, ApiError> {
    network::allow(&ctx.state, &body.hosts)?;
    view(State(ctx)).await
}

#[utoipa::path(
    post,
    path = "/api/v1/network/deny",
    tag = "network",
    summary = "Remove egress allowlist entries (404 when one is not listed); returns the network view",
    request_body = HostsBody,
    responses((status = 200, body = NetworkView))
)]
pub async fn deny(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(body): ApiJson<HostsBody>,
) -> Result<Json<NetworkView>, ApiError> {
    network::deny(&ctx.state, &body.hosts)?;
    view(State(ctx)).await
}

impl From<NetworkError> for ApiError {
    fn from(e: NetworkError) -> Self {
        match e {
            NetworkError::State(s) => s.into(),
            NetworkError::BadEntry { .. } => ApiError::bad_request(e.to_string()),
            NetworkError::NotListed(_) => ApiError::not_found(e.to_string()),
            _ => ApiError::internal(e.to_string()),
        }
    }
}
