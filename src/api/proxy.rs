//! `GET /api/v1/container/credential-proxy/status` and the mappings:
//! `GET|POST …/credential-proxy/mappings`, `DELETE …/mappings/{name}`,
//! `POST …/mappings/{name}/rotate`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use super::openapi::{Conflict, NotFound};
use super::{ApiError, ApiJson};
use crate::ctx::Ctx;
use crate::proxy::{
    self, CredentialType, Keystore, MappingView, NewMapping, ProxyError, ProxyStatus, Secret,
};

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
    let count = proxy::list_mappings(&ctx.state)?.len();
    Ok(Json(ProxyStatus {
        running: false,
        port: ctx.config().proxy.port,
        bind_address: String::new(),
        mapping_count: count,
        requests_served: 0,
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/container/credential-proxy/mappings",
    tag = "proxy",
    summary = "Credential mappings: name, upstream, type, placeholder (never a secret)",
    responses((status = 200, body = Vec<MappingView>))
)]
pub async fn list_mappings(
    State(ctx): State<Arc<Ctx>>,
) -> Result<Json<Vec<MappingView>>, ApiError> {
    Ok(Json(proxy::list_mappings(&ctx.state)?))
}

/// `POST …/credential-proxy/mappings`: the credential travels in the body only and
/// is never echoed, logged or audited.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewMappingBody {
    name: String,
    upstream_url: String,
    credential_type: CredentialType,
    /// The real key or token (stored encrypted; the answer never contains it).
    #[schema(format = Password)]
    credential: String,
    #[serde(default)]
    make_default: bool,
}

#[utoipa::path(
    post,
    path = "/api/v1/container/credential-proxy/mappings",
    tag = "proxy",
    summary = "Add a mapping; the credential goes to the encrypted keystore",
    request_body = NewMappingBody,
    responses((status = 201, body = MappingView), Conflict)
)]
pub async fn add_mapping(
    State(ctx): State<Arc<Ctx>>,
    ApiJson(mut b): ApiJson<NewMappingBody>,
) -> Result<(StatusCode, Json<MappingView>), ApiError> {
    let credential = Secret::from(std::mem::take(&mut b.credential));
    let new = NewMapping {
        name: b.name,
        upstream_url: b.upstream_url,
        credential_type: b.credential_type,
        make_default: b.make_default,
    };
    let state = ctx.state.clone();
    let view = super::error::blocking(move || {
        proxy::add_mapping(&state, &Keystore::open(&state), new, credential)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(
    delete,
    path = "/api/v1/container/credential-proxy/mappings/{name}",
    tag = "proxy",
    summary = "Remove a mapping (by name or id) and its credential",
    params(("name" = String, Path)),
    responses((status = 200, body = MappingView), NotFound)
)]
pub async fn remove_mapping(
    State(ctx): State<Arc<Ctx>>,
    Path(name): Path<String>,
) -> Result<Json<MappingView>, ApiError> {
    let state = ctx.state.clone();
    let view = super::error::blocking(move || {
        proxy::remove_mapping(&state, &Keystore::open(&state), &name)
    })
    .await?;
    Ok(Json(view))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RotateBody {
    /// A new real credential (omit to keep the stored one).
    #[schema(format = Password)]
    credential: Option<String>,
    /// Issue a new placeholder; the old one stops working.
    #[serde(default)]
    new_placeholder: bool,
}

#[utoipa::path(
    post,
    path = "/api/v1/container/credential-proxy/mappings/{name}/rotate",
    tag = "proxy",
    summary = "Replace a mapping's credential and/or issue a new placeholder",
    params(("name" = String, Path)),
    request_body = RotateBody,
    responses((status = 200, body = MappingView), NotFound)
)]
pub async fn rotate_mapping(
    State(ctx): State<Arc<Ctx>>,
    Path(name): Path<String>,
    ApiJson(b): ApiJson<RotateBody>,
) -> Result<Json<MappingView>, ApiError> {
    if b.credential.is_none() && !b.new_placeholder {
        return Err(ApiError::bad_request(
            "nothing to rotate: give credential and/or newPlaceholder: true",
        ));
    }
    let credential = b.credential.map(Secret::from);
    let state = ctx.state.clone();
    let view = super::error::blocking(move || {
        proxy::rotate_mapping(
            &state,
            &Keystore::open(&state),
            &name,
            credential,
            b.new_placeholder,
        )
    })
    .await?;
    Ok(Json(view))
}

impl From<ProxyError> for ApiError {
    fn from(e: ProxyError) -> Self {
        match e {
            ProxyError::NotFound(_) => ApiError::not_found(e.to_string()),
            ProxyError::DuplicateName(_) => ApiError::conflict(e.to_string()),
            ProxyError::InvalidName(_)
            | ProxyError::InvalidUpstream { .. }
            | ProxyError::EmptyCredential
            | ProxyError::InvalidCredential => ApiError::bad_request(e.to_string()),
            _ => ApiError::internal(e.to_string()),
        }
    }
}
