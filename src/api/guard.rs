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
    let host = single(headers, header::HOST)?.ok_or_else(|| {
        ApiError::bad_request("the request has no Host header; HTTP/1.1 requires one")
    })?;
    // An absolute-form target (`GET http://other/…`) names the server itself;
    // one that disagrees with Host is a confused or smuggled request.
    if let Some(authority) = req.uri().authority()
        && !authority.as_str().eq_ignore_ascii_case(host)
    {
        return Err(ApiError::bad_request(format!(
            "the request target names {:?} but the Host header says {host:?}",
            authority.as_str()
        )));
    }
    if !guard.host_allowed(host) {
        tracing::warn!(host, "refused request with a foreign Host header");
        return Err(ApiError::forbidden(format!(
            "Host {host:?} is not a loopback name; requests must address the API as localhost or 127.0.0.1 \
             (add other names to [api] allowed_hosts in config.toml)"
        )));
    }
    let origin = single(headers, header::ORIGIN)?;
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD);
    if writes {
        // Same origin only: the page must have been served by this API (same
        // host and port), not by any other localhost port or site.
        if let Some(origin) = origin
            && !same_origin(origin, host)
        {
            tracing::warn!(origin, host, "refused a cross-origin write");
            return Err(ApiError::forbidden(format!(
                "cross-origin request from {origin:?} refused; only pages of this API's own origin may write"
            )));
        }
        if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
            && !matches!(site, "same-origin" | "none")
        {
            return Err(ApiError::forbidden(format!("{site} request refused")));
        }
    }
    if let Some(token) = &guard.token
        && req.uri().path() != "/api/v1/health"
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
                "this API needs `Authorization: Bearer <token>` (the daemon's --token-file / AIGO_API_TOKEN)",
            ));
        }
    }
    Ok(())
}

/// The one value of a header that must not repeat; two of them is a 400
/// (proxies and the guard could otherwise read different ones).
fn single(
    headers: &axum::http::HeaderMap,
    name: header::HeaderName,
) -> Result<Option<&str>, ApiError> {
    let mut all = headers.get_all(&name).iter();
    let first = all.next();
    if all.next().is_some() {
        return Err(ApiError::bad_request(format!(
            "the request has more than one {name} header"
        )));
    }
    match first {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .map(Some)
            .map_err(|_| ApiError::bad_request(format!("the {name} header is not ASCII"))),
    }
}

/// Whether `origin` (`scheme://host[:port]`) is the origin `host` (the Host
/// header) names, default ports made explicit.
fn same_origin(origin: &str, host: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false; // includes "null"
    };
    let default = match scheme.to_ascii_lowercase().as_str() {
        "http" => "80",
        "https" => "443",
        _ => return false,
    };
    let with_port = |a: &str| -> String {
        let a = a.to_ascii_lowercase();
        if strip_port(&a).len() == a.len() {
            format!("{a}:{default}")
        } else {
            a
        }
    };
    with_port(rest) == with_port(host)
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

    #[test]
    fn same_origin_means_same_host_and_port() {
        assert!(same_origin("http://localhost:55765", "localhost:55765"));
        assert!(same_origin("http://LOCALHOST:55765", "localhost:55765"));
        assert!(same_origin("https://aigo.example", "aigo.example:443"));
        assert!(same_origin("http://aigo.example", "aigo.example"));
        assert!(!same_origin("http://localhost:3000", "localhost:55765"));
        assert!(!same_origin("http://127.0.0.1:55765", "localhost:55765"));
        assert!(!same_origin("null", "localhost:55765"));
        assert!(!same_origin("file://", "localhost"));
    }
}
