//! One request: find the placeholder, swap in the real credential, forward,
//! stream the answer back.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Request, Response, StatusCode, Uri};
use hyper::body::Incoming;

use super::body::{ProxyBody, Streamed, full};
use super::mappings::CredentialType;
use super::route::{Route, Table};
use super::server::Proxy;

const X_API_KEY: HeaderName = HeaderName::from_static("x-api-key");

/// Headers that describe one hop, never forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP: [&str; 9] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

pub(crate) async fn handle(
    proxy: Arc<Proxy>,
    req: Request<Incoming>,
) -> Result<Response<ProxyBody>, Infallible> {
    Ok(forward(&proxy, req).await)
}

async fn forward(proxy: &Proxy, req: Request<Incoming>) -> Response<ProxyBody> {
    let h = req.headers();
    // Containers are untrusted. hyper resolves Content-Length + Transfer-Encoding
    // by RFC 9112 (chunked wins, connection closed), but dropping chunked
    // requests altogether removes the whole class of framing ambiguity; every
    // LLM SDK sends Content-Length. The body is still streamed, never buffered.
    if h.contains_key(header::TRANSFER_ENCODING) && !proxy.opts.allow_chunked_requests {
        let mut r = error(
            StatusCode::LENGTH_REQUIRED,
            "length_required",
            "request bodies must be sent with Content-Length; Transfer-Encoding is refused",
        );
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return r;
    }
    let table = proxy.table();
    let Some((route, carrier)) = find_route(&table, h) else {
        // Never log the presented value: it may be a real key put in a container by mistake.
        tracing::info!(method = %req.method(), path = req.uri().path(), "refused: no known placeholder");
        if let Some(audit) = &proxy.opts.audit {
            let ev = crate::audit::NewEvent::proxy_unauthorized(
                format!(
                    "credential proxy refused {} {}: no known placeholder",
                    req.method(),
                    req.uri().path()
                ),
                serde_json::json!({"method": req.method().as_str(), "path": req.uri().path()}),
            );
            let audit = audit.clone();
            tokio::spawn(async move {
                if let Err(e) = audit.record_async(ev).await {
                    tracing::error!(error = %e, "cannot record a proxy refusal in the audit log");
                }
            });
        }
        return error(
            StatusCode::UNAUTHORIZED,
            "unknown_placeholder",
            "no known credential placeholder in x-api-key or Authorization: Bearer",
        );
    };
    let route = route.clone();
    let (mut parts, body) = req.into_parts();
    let Some(uri) = upstream_uri(&route, &parts.uri) else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_path",
            "the request path cannot be forwarded",
        );
    };
    let headers = &mut parts.headers;
    strip_hop_by_hop(headers);
    headers.remove(carrier);
    headers.remove(header::HOST);
    // Let hyper derive the framing from the body it actually forwards.
    headers.remove(header::CONTENT_LENGTH);
    let out_name = match route.kind {
        CredentialType::ApiKey => X_API_KEY,
        CredentialType::OauthBearer => header::AUTHORIZATION,
    };
    headers.insert(out_name, route.header_value.clone());
    if let Ok(host) = HeaderValue::from_str(route.authority.as_str()) {
        headers.insert(header::HOST, host);
    }
    let started = Instant::now();
    let method = parts.method.clone();
    parts.uri = uri;
    parts.version = http::Version::HTTP_11;
    let upstream_req =
        Request::from_parts(parts, Streamed::new(body, proxy.opts.idle_timeout, None));

    let sent = tokio::time::timeout(
        proxy.opts.response_timeout,
        proxy.client.request(upstream_req),
    );
    let resp = match sent.await {
        Err(_) => {
            tracing::warn!(mapping = %route.name, "upstream response timed out");
            return error(
                StatusCode::GATEWAY_TIMEOUT,
                "upstream_timeout",
                &format!(
                    "upstream of mapping {:?} did not answer in time",
                    route.name
                ),
            );
        }
        Ok(Err(e)) => {
            let why = error_chain(&e);
            tracing::warn!(mapping = %route.name, error = %why, "upstream unreachable");
            return error(
                StatusCode::BAD_GATEWAY,
                "upstream_unreachable",
                &format!(
                    "cannot reach the upstream of mapping {:?}: {why}",
                    route.name
                ),
            );
        }
        Ok(Ok(r)) => r,
    };
    proxy.served.fetch_add(1, Ordering::Relaxed);
    tracing::debug!(
        mapping = %route.name,
        %method,
        status = resp.status().as_u16(),
        micros_to_head = started.elapsed().as_micros() as u64,
        "forwarded"
    );
    let (mut parts, body) = resp.into_parts();
    strip_hop_by_hop(&mut parts.headers);
    mask_headers(&mut parts.headers, route.credential.expose().as_bytes());
    let body = Streamed::new(body, proxy.opts.idle_timeout, Some(route));
    Response::from_parts(parts, http_body_util::combinators::UnsyncBoxBody::new(body))
}

/// The route for the first header holding a known placeholder, and that header.
fn find_route<'t>(table: &'t Table, h: &HeaderMap) -> Option<(&'t Arc<Route>, HeaderName)> {
    if let Some(r) = h.get(&X_API_KEY).and_then(|v| table.lookup(v.as_bytes())) {
        return Some((r, X_API_KEY));
    }
    let auth = h.get(header::AUTHORIZATION)?.as_bytes();
    let token = auth
        .get(..7)
        .filter(|p| p.eq_ignore_ascii_case(b"bearer "))
        .map(|_| auth[7..].trim_ascii())?;
    table.lookup(token).map(|r| (r, header::AUTHORIZATION))
}

/// Upstream scheme and authority; its path prefix, then the request's path and query.
fn upstream_uri(route: &Route, incoming: &Uri) -> Option<Uri> {
    let pq = incoming.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    if !pq.starts_with('/') {
        return None;
    }
    Uri::builder()
        .scheme(route.scheme.clone())
        .authority(route.authority.clone())
        .path_and_query(format!("{}{pq}", route.prefix))
        .build()
        .ok()
}

fn strip_hop_by_hop(h: &mut HeaderMap) {
    let listed: Vec<HeaderName> = h
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|n| HeaderName::from_bytes(n.trim().as_bytes()).ok())
        .collect();
    for n in listed {
        h.remove(n);
    }
    for n in HOP_BY_HOP {
        h.remove(n);
    }
}

/// Replaces any response header value that contains the credential.
fn mask_headers(h: &mut HeaderMap, secret: &[u8]) {
    for v in h.values_mut() {
        if memchr::memmem::find(v.as_bytes(), secret).is_some() {
            *v = HeaderValue::from_static("[redacted]");
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// The proxy's own answers: `{"error": code, "message": text}`, never a secret.
fn error(status: StatusCode, code: &str, message: &str) -> Response<ProxyBody> {
    let body = serde_json::json!({ "error": code, "message": message }).to_string();
    let mut r = Response::new(full(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hop_by_hop_and_connection_listed_headers_go() {
        let mut h = HeaderMap::new();
        h.insert("connection", HeaderValue::from_static("keep-alive, x-hop"));
        h.insert("x-hop", HeaderValue::from_static("1"));
        h.insert("keep-alive", HeaderValue::from_static("timeout=5"));
        h.insert("te", HeaderValue::from_static("trailers"));
        h.insert("x-end", HeaderValue::from_static("2"));
        strip_hop_by_hop(&mut h);
        assert_eq!(h.len(), 1);
        assert!(h.contains_key("x-end"));
    }

    #[test]
    fn echoed_credentials_are_masked_in_headers() {
        let mut h = HeaderMap::new();
        h.insert("x-echo", HeaderValue::from_static("key=sk-real"));
        h.insert("x-ok", HeaderValue::from_static("fine"));
        mask_headers(&mut h, b"sk-real");
        assert_eq!(h["x-echo"], "[redacted]");
        assert_eq!(h["x-ok"], "fine");
    }
}
