//! `GET /api/v1/network` (egress mode, network, allowlist) and
//! `POST /api/v1/network/allow|deny` (`{"hosts": [...]}`), as `aigo network`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use super::{ApiError, ApiJson};
use crate::ctx::Ctx;
use crate::network::{self, NetworkError, NetworkView};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostsBody {
    hosts: Vec<String>,
}

pub async fn view(State(ctx): State<Arc<Ctx>>) -> Result<Json<NetworkView>, ApiError> {
    Ok(Json(NetworkView::load(&ctx.state, &ctx.config())?))
}

pub async fn allow(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(body): ApiJson<HostsBody>,
) -> Result<Json<NetworkView>, ApiError> {
    network::allow(&ctx.state, &body.hosts)?;
    view(State(ctx)).await
}

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
