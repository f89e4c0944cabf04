//! Websocket connections for the event streams (Slack Socket Mode, Discord
//! gateway): TCP, rustls (ring, webpki roots) for `wss://`, tungstenite's
//! handshake. Only JSON text frames matter to the adapters.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

/// Any byte stream: plain TCP (tests, `ws://`) or TLS (`wss://`).
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

pub struct Ws {
    inner: WebSocketStream<Box<dyn Io>>,
}

/// What reading yields.
pub enum Frame {
    Json(serde_json::Value),
    /// The answer to our [`Ws::ping`]: the peer is alive.
    Pong,
    /// The peer closed (with its close code, when it sent one) or the stream ended.
    Closed {
        code: Option<u16>,
        why: String,
    },
}

/// How often the kernel probes an idle connection (a peer that vanished
/// without a FIN, say after a NAT change, is then noticed even when idle).
const KEEPALIVE: Duration = Duration::from_secs(30);

impl Ws {
    /// Connects to `url` (`ws://` or `wss://`) within `deadline`. Errors name
    /// the host, never the query (Slack's ticket is a credential).
    pub async fn connect(url: &str, deadline: Duration) -> Result<Self, String> {
        tokio::time::timeout(deadline, Self::connect_inner(url))
            .await
            .map_err(|_| format!("websocket: no connection within {}s", deadline.as_secs()))?
    }

    async fn connect_inner(url: &str) -> Result<Self, String> {
        let uri: http::Uri = url
            .parse()
            .map_err(|_| "websocket: invalid URL".to_string())?;
        let host = uri
            .host()
            .ok_or("websocket: URL without a host")?
            .to_string();
        let tls = match uri.scheme_str() {
            Some("wss") => true,
            Some("ws") => false,
            _ => return Err("websocket: the URL must start with ws:// or wss://".into()),
        };
        let port = uri.port_u16().unwrap_or(if tls { 443 } else { 80 });
        let tcp = tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|e| format!("websocket: cannot connect to {host}:{port}: {e}"))?;
        let _ = tcp.set_nodelay(true);
        let ka = socket2::TcpKeepalive::new()
            .with_time(KEEPALIVE)
            .with_interval(Duration::from_secs(10));
        if let Err(e) = socket2::SockRef::from(&tcp).set_tcp_keepalive(&ka) {
            tracing::debug!(error = %e, "cannot enable TCP keepalive");
        }
        let stream: Box<dyn Io> = if tls {
            crate::tls::install_default_provider();
            let roots =
                rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            let config = rustls::ClientConfig::builder()
                .with_root_certificates(roots)
                .with_no_client_auth();
            let name = rustls::pki_types::ServerName::try_from(host.clone())
                .map_err(|_| format!("websocket: {host} is not a valid TLS name"))?;
            let s = tokio_rustls::TlsConnector::from(Arc::new(config))
                .connect(name, tcp)
                .await
                .map_err(|e| format!("websocket: TLS with {host} failed: {e}"))?;
            Box::new(s)
        } else {
            Box::new(tcp)
        };
        let (inner, _) = tokio_tungstenite::client_async(url, stream)
            .await
            .map_err(|e| format!("websocket: handshake with {host} failed: {e}"))?;
        Ok(Self { inner })
    }

    pub async fn send_json(&mut self, v: &serde_json::Value) -> Result<(), String> {
        self.inner
            .send(Message::text(v.to_string()))
            .await
            .map_err(|e| format!("websocket: send failed: {e}"))
    }

    /// Sends a websocket ping; the peer's pong comes back as [`Frame::Pong`].
    pub async fn ping(&mut self) -> Result<(), String> {
        self.inner
            .send(Message::Ping(Vec::new().into()))
            .await
            .map_err(|e| format!("websocket: ping failed: {e}"))
    }

    /// Closes with a normal close frame (best effort).
    pub async fn close(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(2), self.inner.close(None)).await;
    }

    /// The next JSON text frame or pong; pings are answered by tungstenite on
    /// the next read or write, other frames skipped.
    pub async fn next_json(&mut self) -> Result<Frame, String> {
        loop {
            let Some(msg) = self.inner.next().await else {
                return Ok(Frame::Closed {
                    code: None,
                    why: "the server closed the connection".into(),
                });
            };
            match msg.map_err(|e| format!("websocket: {e}"))? {
                Message::Text(t) => match serde_json::from_str(t.as_str()) {
                    Ok(v) => return Ok(Frame::Json(v)),
                    Err(e) => tracing::debug!(error = %e, "ignoring a non-JSON websocket frame"),
                },
                Message::Pong(_) => return Ok(Frame::Pong),
                Message::Close(f) => {
                    let code = f.as_ref().map(|f| u16::from(f.code));
                    let why = f
                        .map(|f| format!("{} {}", u16::from(f.code), f.reason))
                        .unwrap_or_default();
                    return Ok(Frame::Closed {
                        code,
                        why: format!("the server closed the connection {why}")
                            .trim_end()
                            .to_string(),
                    });
                }
                _ => {}
            }
        }
    }
}
