//! `proxy.toml`: credential mappings (name, upstream, credential type, placeholder).
//!
//! A mapping's real credential lives in the keystore under `proxy/<id>`; this
//! file only says where it goes and which placeholder stands for it.

use serde::{Deserialize, Serialize};

use super::ProxyError;
use crate::state::{StateDir, load_toml};

/// The fixed placeholder the reference tells containers to use; it stands for
/// the default mapping.
pub const DEFAULT_PLACEHOLDER: &str = "CREDENTIAL_PROXY_PLACEHOLDER";

/// Which header carries the credential upstream.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CredentialType {
    /// `x-api-key: <key>` (Anthropic API keys).
    ApiKey,
    /// `Authorization: Bearer <token>` (OAuth access tokens).
    OauthBearer,
}

impl CredentialType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ApiKey => "api_key",
            Self::OauthBearer => "oauth_bearer",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ProxyFile {
    pub schema_version: u32,
    /// Id of the mapping that also answers to [`DEFAULT_PLACEHOLDER`].
    pub default_mapping: Option<String>,
    pub mappings: Vec<Mapping>,
}

crate::versioned!(ProxyFile, 1);

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub id: String,
    pub name: String,
    /// Scheme, host, optional port and optional path prefix; no trailing slash.
    pub upstream_url: String,
    pub credential_type: CredentialType,
    /// Random, unique, not secret: containers see it.
    pub placeholder: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<jiff::Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotated_at: Option<jiff::Timestamp>,
}

impl Mapping {
    /// The keystore entry holding this mapping's real credential.
    pub fn secret_name(&self) -> String {
        secret_name(&self.id)
    }
}

pub(crate) fn secret_name(id: &str) -> String {
    format!("proxy/{id}")
}

/// A mapping as `aigo proxy list --json` and the API show it: never a secret.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MappingView {
    pub id: String,
    pub name: String,
    pub upstream_url: String,
    pub credential_type: CredentialType,
    pub placeholder: String,
    /// Whether `CREDENTIAL_PROXY_PLACEHOLDER` also selects this mapping.
    pub is_default: bool,
    pub created_at: Option<jiff::Timestamp>,
    pub rotated_at: Option<jiff::Timestamp>,
}

impl MappingView {
    pub fn new(m: &Mapping, file: &ProxyFile) -> Self {
        Self {
            id: m.id.clone(),
            name: m.name.clone(),
            upstream_url: m.upstream_url.clone(),
            credential_type: m.credential_type,
            placeholder: m.placeholder.clone(),
            is_default: file.default_mapping.as_deref() == Some(m.id.as_str()),
            created_at: m.created_at,
            rotated_at: m.rotated_at,
        }
    }
}

impl ProxyFile {
    pub fn load(state: &StateDir) -> Result<Self, ProxyError> {
        Ok(load_toml(&state.proxy())?)
    }

    /// Finds a mapping by name (case-insensitive) or id.
    pub fn find(&self, name_or_id: &str) -> Option<usize> {
        self.mappings
            .iter()
            .position(|m| m.id == name_or_id || m.name.eq_ignore_ascii_case(name_or_id))
    }

    pub fn views(&self) -> Vec<MappingView> {
        self.mappings
            .iter()
            .map(|m| MappingView::new(m, self))
            .collect()
    }
}

/// A mapping name: a short human label, no control characters.
pub fn check_name(name: &str) -> Result<String, ProxyError> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 64 || n.chars().any(char::is_control) {
        return Err(ProxyError::InvalidName(name.to_string()));
    }
    Ok(n.to_string())
}

/// Normalises an upstream URL: `http(s)://host[:port][/prefix]`, no user info,
/// query or fragment, trailing slash dropped.
pub fn check_upstream(url: &str) -> Result<String, ProxyError> {
    let bad = |reason: &str| ProxyError::InvalidUpstream {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    let uri: http::Uri = url.trim().parse().map_err(|_| bad("not a URL"))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        _ => return Err(bad("the scheme must be http or https")),
    }
    let authority = uri.authority().ok_or_else(|| bad("no host"))?;
    if authority.as_str().contains('@') {
        return Err(bad(
            "credentials in the URL are not allowed; store them with the mapping",
        ));
    }
    if authority.host().is_empty() {
        return Err(bad("no host"));
    }
    if uri.query().is_some() || url.contains('#') {
        return Err(bad("a query or fragment is not allowed"));
    }
    let scheme = uri.scheme_str().unwrap_or_default();
    let path = uri.path().trim_end_matches('/');
    Ok(format!("{scheme}://{authority}{path}"))
}

/// `len` random bytes as lowercase hex.
pub(crate) fn random_hex(len: usize) -> Result<String, ProxyError> {
    let mut buf = vec![0u8; len];
    getrandom::fill(&mut buf).map_err(|e| ProxyError::Random(e.to_string()))?;
    Ok(hex::encode(buf))
}

/// A fresh placeholder: recognisable in logs, 128 random bits, unguessable.
pub(crate) fn new_placeholder() -> Result<String, ProxyError> {
    Ok(format!("aigo-ph-{}", random_hex(16)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstreams_are_normalised() {
        assert_eq!(
            check_upstream("https://api.anthropic.com/").ok().as_deref(),
            Some("https://api.anthropic.com")
        );
        assert_eq!(
            check_upstream("http://127.0.0.1:8080/gw/v2/")
                .ok()
                .as_deref(),
            Some("http://127.0.0.1:8080/gw/v2")
        );
        for bad in [
            "ftp://x",
            "api.anthropic.com",
            "https://user:pw@host",
            "https://host/?a=b",
            "https://host/#x",
        ] {
            assert!(check_upstream(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_are_checked() {
        assert_eq!(
            check_name(" Anthropic API ").ok().as_deref(),
            Some("Anthropic API")
        );
        assert!(check_name("").is_err());
        assert!(check_name("a\nb").is_err());
    }

    #[test]
    fn placeholders_differ() {
        let a = new_placeholder().expect("random");
        let b = new_placeholder().expect("random");
        assert_ne!(a, b);
        assert_eq!(a.len(), "aigo-ph-".len() + 32);
    }
}
