//! One request: find the placeholder, swap in the real credential, forward,
//! stream the answer back.

use std::borrow::Cow;
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::Poll;

use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Request, Response, StatusCode, Uri};
use hyper::body::{Body, Incoming};

use super::body::{ProxyBody, Streamed, full};
use super::callers::{self, Caller};
use super::conn::{Answered, Conn};
use super::h1::{self, ReqFraming, WireError};
use super::mappings::CredentialType;
use super::refusal::{self, Reason};
use super::route::{Route, Table};
use super::server::CallerPolicy;
use super::token;
use super::upstream::UpstreamError;

const X_API_KEY: HeaderName = HeaderName::from_static("x-api-key");

const IDENTITY: HeaderValue = HeaderValue::from_static("identity");

pub(crate) async fn handle(
    conn: Arc<Conn>,
    req: Request<Incoming>,
) -> Result<Response<ProxyBody>, Infallible> {
    conn.watch.request();
    let resp = forward(&conn, req).await;
    // The connection is idle again once the answer has gone out whole.
    Ok(resp.map(|b| b.on_end(Answered(conn))))
}

async fn forward(conn: &Conn, req: Request<Incoming>) -> Response<ProxyBody> {
    let proxy = &*conn.proxy;
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
    let (table, by_address) = conn.view();
    let pq = req.uri().path_and_query().map_or("/", |p| p.as_str());
    // Who is calling: a run token in the path wins (it says which run even
    // where addresses are shared); else the source address.
    let (caller, path) = match token::split_token(pq) {
        Some((token, rest)) => match token_caller(conn, token.as_bytes()).await {
            Some(c) => (Some(c), rest),
            None => return refuse(conn, &req, Reason::UnknownToken, None),
        },
        None => match by_address {
            Some(c) => (Some(c), pq),
            // Perhaps a run another process started: ask the engine.
            None if proxy.opts.callers == CallerPolicy::Registered => {
                (address_caller(conn).await, pq)
            }
            None => (None, pq),
        },
    };
    if caller.is_none() && proxy.opts.callers == CallerPolicy::Registered {
        return refuse(conn, &req, Reason::UnknownCaller, None);
    }
    let Some((route, carrier)) = find_route(&table, h) else {
        let run = caller.as_ref().map(|c| &*c.run_id);
        return refuse(conn, &req, Reason::UnknownPlaceholder, run);
    };
    if let Some(Caller {
        mapping: Some(allowed),
        run_id,
        ..
    }) = &caller
        && **allowed != *route.name
    {
        return refuse(conn, &req, Reason::MappingNotAllowed, Some(run_id));
    }
    if let Some(c) = &caller {
        note_use(conn, c, &route.name);
    }
    let route = route.clone();
    let Some(target) = upstream_target(&route, req.uri(), path) else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_path",
            "the request path cannot be forwarded",
        );
    };
    let out_name = match route.kind {
        CredentialType::ApiKey => X_API_KEY,
        CredentialType::OauthBearer => header::AUTHORIZATION,
    };
    // What the proxy sets itself; the agent's values of these names go.
    // Compressed answers could hide the key from the masker: ask for none.
    let set = [
        (&header::HOST, &route.host),
        (&out_name, &route.header_value),
        (&header::ACCEPT_ENCODING, &IDENTITY),
    ];
    // Framing follows the body actually forwarded, not what the agent said.
    let framing = ReqFraming::of(req.method(), req.body().size_hint().exact());
    let mut head = Vec::with_capacity(512);
    h1::encode_head(
        &mut head,
        req.method(),
        &target,
        req.headers(),
        &carrier,
        &set,
        framing,
    );
    let method = req.method().clone();
    let body = Streamed::new(req.into_body(), proxy.opts.idle_timeout, None);
    conn.watch.answer_from_now();
    let sent = {
        let up = conn
            .lane
            .send(&proxy.connector, &route, &method, head, framing, body);
        let mut up = std::pin::pin!(up);
        // `None`: the answer is overdue (the connection's deadline, see `watch`).
        std::future::poll_fn(|cx| match up.as_mut().poll(cx) {
            Poll::Ready(r) => Poll::Ready(Some(r)),
            Poll::Pending => conn.watch.poll_answer(cx).map(|()| None),
        })
        .await
    };
    let resp = match sent {
        None => {
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
        Some(Err(e)) => {
            let why = error_chain(&e);
            tracing::warn!(mapping = %route.name, error = %why, "upstream failed");
            // An answer that never began is an unreachable upstream; a
            // broken one is the upstream's protocol error.
            let broken = matches!(&e, UpstreamError::Wire { source, .. } if !matches!(source, WireError::Closed));
            let (code, what) = if broken {
                (
                    "upstream_protocol",
                    "cannot pass on the answer of the upstream of mapping",
                )
            } else {
                (
                    "upstream_unreachable",
                    "cannot reach the upstream of mapping",
                )
            };
            return error(
                StatusCode::BAD_GATEWAY,
                code,
                &format!("{what} {:?}: {why}", route.name),
            );
        }
        Some(Ok(r)) => r,
    };
    proxy.served.fetch_add(1, Ordering::Relaxed);
    let (mut parts, body) = resp.into_parts();
    if let Some(enc) = parts.headers.get(header::CONTENT_ENCODING)
        && !enc.as_bytes().eq_ignore_ascii_case(b"identity")
    {
        // Asked for identity and got something else: the masker cannot see
        // into it, so it does not go to the container.
        tracing::warn!(mapping = %route.name, "upstream sent a compressed answer although asked not to");
        return error(
            StatusCode::BAD_GATEWAY,
            "upstream_encoding",
            &format!(
                "the upstream of mapping {:?} sent a Content-Encoding it was asked not to; refused, as the credential could not be masked in it",
                route.name
            ),
        );
    }
    mask_headers(&mut parts.headers, &route.finder);
    let body = Streamed::new(body, proxy.opts.idle_timeout, Some(route));
    Response::from_parts(parts, ProxyBody::stream(body))
}

/// The run at this connection's address that nobody admitted here (a run
/// another process started), found on the engine once per connection.
async fn address_caller(conn: &Conn) -> Option<Caller> {
    if let Some(verdict) = conn
        .resolved
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
    {
        return verdict;
    }
    let (callers, peer, accepted) = (conn.proxy.callers().clone(), conn.peer, conn.accepted);
    let verdict = look_up(
        conn,
        false,
        async move { callers.resolve(peer, accepted).await },
    )
    .await;
    *conn.resolved.lock().unwrap_or_else(|p| p.into_inner()) = Some(verdict.clone());
    verdict
}

/// Runs a resolver look-up on the serving runtime (the engine client's
/// connections belong there, not to this connection's worker thread) and
/// audits a run's first identification.
async fn look_up(
    conn: &Conn,
    by_token: bool,
    query: impl std::future::Future<Output = Option<callers::Resolved>> + Send + 'static,
) -> Option<Caller> {
    let found = conn.proxy.spawn_home(query).await.ok().flatten();
    if let Some(r) = found.as_ref().filter(|r| r.first) {
        identified(conn, &r.caller, by_token);
    }
    found.map(|r| r.caller)
}

/// The run holding `token`: admitted in this process, else (a run another
/// process started) found on the engine by the token's fingerprint, once per
/// connection and token.
async fn token_caller(conn: &Conn, token: &[u8]) -> Option<Caller> {
    let proxy = &*conn.proxy;
    if let Some(c) = proxy.callers().by_token(token) {
        return Some(c);
    }
    {
        let known = conn
            .resolved_token
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some((t, verdict)) = known.as_ref()
            && bool::from(subtle::ConstantTimeEq::ct_eq(t.as_slice(), token))
        {
            return verdict.clone();
        }
    }
    let (callers, owned, accepted) = (proxy.callers().clone(), token.to_vec(), conn.accepted);
    let verdict = look_up(conn, true, async move {
        callers.resolve_token(&owned, accepted).await
    })
    .await;
    *conn
        .resolved_token
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = Some((token.to_vec(), verdict.clone()));
    verdict
}

/// Records which mapping a run uses: with the run (through the registry) and,
/// the first time, in the audit log.
fn note_use(conn: &Conn, caller: &Caller, name: &Arc<str>) {
    {
        let mut last = conn.last_use.lock().unwrap_or_else(|p| p.into_inner());
        if last
            .as_ref()
            .is_some_and(|(r, n)| Arc::ptr_eq(r, &caller.run_id) && Arc::ptr_eq(n, name))
        {
            return;
        }
        *last = Some((caller.run_id.clone(), name.clone()));
    }
    if !conn.proxy.callers().note_use(&caller.run_id, name) {
        return;
    }
    let ev = crate::audit::NewEvent::new(
        crate::audit::Severity::Info,
        crate::audit::Category::Proxy,
        format!(
            "run {} used credential mapping {name:?} through the proxy",
            caller.run_id
        ),
    )
    .details(serde_json::json!({"runId": &*caller.run_id, "mapping": &**name}));
    conn.proxy.audit(ev, "a mapping's use");
}

/// Records how the proxy identified a run it was not told about (the run
/// record holds what the run service admitted; this is the rest).
fn identified(conn: &Conn, caller: &Caller, by_token: bool) {
    let ev = crate::audit::NewEvent::new(
        crate::audit::Severity::Info,
        crate::audit::Category::Proxy,
        if by_token {
            format!(
                "credential proxy identified run {} by its token (from {})",
                caller.run_id, conn.peer
            )
        } else {
            format!(
                "credential proxy identified run {} by its address {}",
                caller.run_id, conn.peer
            )
        },
    )
    .details(serde_json::json!({
        "runId": &*caller.run_id,
        "identity": if by_token {
            callers::CallerIdentity::Token { mapping: None }
        } else {
            callers::CallerIdentity::Address { address: conn.peer, mapping: None }
        },
    }));
    conn.proxy.audit(ev, "a proxy caller");
}

/// A 401/403 answer, logged and audited within the rate limit.
fn refuse(
    conn: &Conn,
    req: &Request<Incoming>,
    reason: Reason,
    run_id: Option<&str>,
) -> Response<ProxyBody> {
    let path = req.uri().path();
    // A run token is never written anywhere.
    let path = if path.starts_with(token::TOKEN_PREFIX) {
        "/aigo-run/[redacted]"
    } else {
        path
    };
    refusal::record(
        &conn.proxy,
        refusal::Refusal {
            reason,
            peer: conn.peer,
            method: req.method().as_str(),
            path,
            run_id,
        },
    );
    let status = match reason {
        Reason::UnknownPlaceholder => StatusCode::UNAUTHORIZED,
        _ => StatusCode::FORBIDDEN,
    };
    error(status, reason.code(), reason.message())
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

/// The upstream request target, in origin form (`/path?query`): the route's
/// path prefix, then `path` (the request's, minus any run token). Borrowed
/// when there is nothing to add or take away. It goes into the request line
/// as is, so anything but visible ASCII refuses the request.
fn upstream_target<'a>(route: &Route, incoming: &'a Uri, path: &'a str) -> Option<Cow<'a, str>> {
    let path_only = incoming.scheme().is_none() && incoming.authority().is_none();
    let same = incoming.path_and_query().map_or("/", |p| p.as_str()) == path;
    let target = if route.prefix.is_empty() && same && path_only && path.starts_with('/') {
        Cow::Borrowed(path)
    } else {
        if !path.is_empty() && !path.starts_with(['/', '?']) {
            return None;
        }
        let sep = if path.starts_with('/') { "" } else { "/" };
        Cow::Owned(format!("{}{sep}{path}", route.prefix))
    };
    target
        .bytes()
        .all(|b| b.is_ascii_graphic())
        .then_some(target)
}

/// Replaces any response header value that contains the credential.
fn mask_headers(h: &mut HeaderMap, finder: &memchr::memmem::Finder<'_>) {
    for v in h.values_mut() {
        if finder.find(v.as_bytes()).is_some() {
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
    fn echoed_credentials_are_masked_in_headers() {
        let mut h = HeaderMap::new();
        h.insert("x-echo", HeaderValue::from_static("key=sk-real"));
        h.insert("x-ok", HeaderValue::from_static("fine"));
        mask_headers(&mut h, &memchr::memmem::Finder::new(b"sk-real"));
        assert_eq!(h["x-echo"], "[redacted]");
        assert_eq!(h["x-ok"], "fine");
    }
}
