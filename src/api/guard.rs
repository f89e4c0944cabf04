//! Safety of a localhost API: Host header check (DNS rebinding), cross-origin
//! write refusal, optional bearer token. Runs before every handler.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiError;

/// What the guard accepts.
#[derive(Debug, Clone, Default)]
pub struct Guard {
    /// Extra Host names besides loopback ones (e.g. the configured bind address).
    pub allowed_hosts: Vec<String>,
    /// When set, every route but `/api/v1/health` needs `Authorization: Bearer <token>`.
    pub token: Option<String>,
}

impl Guard {
    fn host_allowed(&self, host_header: &str) -> bool {
        let host = strip_port(host_header);
        if host.eq_ignore_ascii_case("localhost")
            || host.to_ascii_lowercase().ends_with(".localhost")
        {
            return true;
        }
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        if bare
            .parse::<IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
        {
            return true;
        }
        self.allowed_hosts
            .iter()
            .any(|h| h.eq_ignore_ascii_case(host) || h.eq_ignore_ascii_case(bare))
    }
}

/// `host:port` → `host`, `[::1]:80` → `[::1]`.
fn strip_port(h: &str) -> &str {
    if h.starts_with('[') {
        return h.split_inclusive(']').next().unwrap_or(h);
    }
    match h.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => h,
    }
}

pub async fn check(State(guard): State<Arc<Guard>>, req: Request, next: Next) -> Response {
    match verdict(&guard, &req) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

fn verdict(guard: &Guard, req: &Request) -> Result<(), ApiError> {
    let headers = req.headers();
    if let Some(host) = headers.get(header::HOST) {
        let host = host.to_str().unwrap_or("");
        if !guard.host_allowed(host) {
            tracing::warn!(host, "refused request with a foreign Host header");
            return Err(ApiError::forbidden(format!(
                "Host {host:?} is not a loopback name; requests must address the API as localhost or 127.0.0.1 \
                 (add other names to [api] allowed_hosts in config.toml)"
            )));
        }
    }
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD);
    if writes {
        if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
            let origin_host = origin.split("://").nth(1).unwrap_or(origin);
            if origin == "null" || !guard.host_allowed(origin_host) {
                return Err(ApiError::forbidden(format!(
                    "cross-origin request from {origin:?} refused"
                )));
            }
        }
        if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
            return Err(ApiError::forbidden("cross-site request refused"));
        }
    }
    // The WhatsApp webhook is called by Meta, which cannot hold our token; it
    // authenticates by verify token and HMAC signature instead.
    if let Some(token) = &guard.token
        && !matches!(
            req.uri().path(),
            "/api/v1/health" | "/api/v1/channels/whatsapp/webhook"
        )
    {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !crate::util::ct_eq(given.as_bytes(), token.as_bytes()) {
            return Err(ApiError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "unauthorized",
                "this API needs `Authorization: Bearer <token>` (the daemon's --token / AIGO_API_TOKEN)",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_pass_and_others_do_not() {
        let g = Guard {
            allowed_hosts: vec!["aigo.internal".into()],
            token: None,
        };
        for ok in [
            "localhost:55765",
            "127.0.0.1:1",
            "127.8.9.10",
            "[::1]:55765",
            "LOCALHOST",
            "aigo.internal:80",
            "app.localhost",
        ] {
            assert!(g.host_allowed(ok), "{ok}");
        }
        for bad in [
            "evil.com",
            "evil.com:55765",
            "localhost.evil.com",
            "10.0.0.1:55765",
            "[fe80::1]:1",
            "",
        ] {
            assert!(!g.host_allowed(bad), "{bad}");
        }
    }
}
