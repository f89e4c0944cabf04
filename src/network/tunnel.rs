//! One request to the egress gateway: `CONNECT host:port` becomes a byte
//! tunnel, `GET http://host/…` is forwarded; anything the policy refuses gets
//! 403 and an audit entry. Connections go to the addresses the policy checked.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use http_body_util::{Either, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::Gateway;

type Body = Either<Full<Bytes>, Incoming>;

fn text(status: StatusCode, msg: String) -> Response<Body> {
    let mut r = Response::new(Either::Left(Full::new(Bytes::from(msg + "\n"))));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

pub(super) async fn handle(
    gw: Arc<Gateway>,
    peer: SocketAddr,
    req: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let is_connect = req.method() == Method::CONNECT;
    let (host, port) = match (req.uri().host(), req.uri().scheme_str(), is_connect) {
        (Some(h), _, true) => (h.to_string(), req.uri().port_u16().unwrap_or(443)),
        (Some(h), Some("http"), false) => (h.to_string(), req.uri().port_u16().unwrap_or(80)),
        (Some(_), _, false) => {
            return Ok(text(
                StatusCode::BAD_REQUEST,
                "aigo egress gateway: use CONNECT for https".into(),
            ));
        }
        (None, _, _) => {
            return Ok(text(
                StatusCode::BAD_REQUEST,
                "aigo egress gateway: this is a forward proxy; send CONNECT host:port or an absolute http:// URL".into(),
            ));
        }
    };
    let addrs = match gw.policy().admit(&host, port).await {
        Ok(a) => a,
        Err(r) => {
            gw.refused(peer, &r).await;
            return Ok(text(
                StatusCode::FORBIDDEN,
                format!(
                    "aigo egress gateway: refused {}: {}",
                    r.destination, r.reason
                ),
            ));
        }
    };
    let upstream = match connect(&addrs, gw.opts.connect_timeout).await {
        Ok(s) => s,
        Err(e) => {
            tracing::info!(%peer, destination = %format!("{host}:{port}"), error = %e, "egress upstream unreachable");
            return Ok(text(
                StatusCode::BAD_GATEWAY,
                format!("aigo egress gateway: cannot reach {host}:{port}: {e}"),
            ));
        }
    };
    tracing::debug!(%peer, destination = %format!("{host}:{port}"), connect = is_connect, "egress admitted");
    if is_connect {
        tunnel(&gw, req, upstream);
        return Ok(Response::new(Either::Left(Full::new(Bytes::new()))));
    }
    Ok(forward(req, upstream, &host, port).await)
}

async fn connect(addrs: &[SocketAddr], timeout: std::time::Duration) -> std::io::Result<TcpStream> {
    let mut last = std::io::Error::other("no address");
    for a in addrs {
        match tokio::time::timeout(timeout, TcpStream::connect(a)).await {
            Ok(Ok(s)) => {
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Ok(Err(e)) => last = e,
            Err(_) => last = std::io::Error::new(std::io::ErrorKind::TimedOut, "connect timed out"),
        }
    }
    Err(last)
}

/// After the 200 goes out, hyper hands over the client's connection: copy both ways.
fn tunnel(gw: &Arc<Gateway>, req: Request<Incoming>, mut upstream: TcpStream) {
    let cancel = gw.cancel.clone();
    gw.tunnels.spawn(async move {
        let upgraded = match hyper::upgrade::on(req).await {
            Ok(u) => u,
            Err(e) => {
                tracing::debug!(error = %e, "CONNECT upgrade failed");
                return;
            }
        };
        let mut client = TokioIo::new(upgraded);
        tokio::select! {
            r = tokio::io::copy_bidirectional(&mut client, &mut upstream) => {
                if let Err(e) = r {
                    tracing::debug!(error = %e, "egress tunnel ended with an error");
                }
            }
            () = cancel.cancelled() => {}
        }
    });
}

/// Headers that describe one hop, never forwarded.
const HOP: [&str; 6] = [
    "connection",
    "proxy-connection",
    "proxy-authorization",
    "keep-alive",
    "te",
    "upgrade",
];

async fn forward(
    req: Request<Incoming>,
    upstream: TcpStream,
    host: &str,
    port: u16,
) -> Response<Body> {
    let (mut parts, body) = req.into_parts();
    let authority = parts.uri.authority().map(|a| a.to_string());
    parts.uri = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/")
        .parse()
        .unwrap_or_else(|_| http::Uri::from_static("/"));
    for h in HOP {
        parts.headers.remove(h);
    }
    if let Some(a) = authority.and_then(|a| HeaderValue::from_str(&a).ok()) {
        parts.headers.insert(header::HOST, a);
    }
    let bad_gateway = |e: hyper::Error| {
        text(
            StatusCode::BAD_GATEWAY,
            format!("aigo egress gateway: {host}:{port}: {e}"),
        )
    };
    let (mut sender, conn) =
        match hyper::client::conn::http1::handshake(TokioIo::new(upstream)).await {
            Ok(x) => x,
            Err(e) => return bad_gateway(e),
        };
    tokio::spawn(async move {
        if let Err(e) = conn.await {
            tracing::debug!(error = %e, "egress upstream connection ended with an error");
        }
    });
    match sender.send_request(Request::from_parts(parts, body)).await {
        Ok(resp) => {
            let (mut parts, body) = resp.into_parts();
            for h in HOP {
                parts.headers.remove(h);
            }
            Response::from_parts(parts, Either::Right(body))
        }
        Err(e) => bad_gateway(e),
    }
}
