//! The upstream side of one client connection, driven on that connection's
//! own task.
//!
//! Each client connection gets a [`Lane`]: at most one upstream HTTP/1.1
//! connection (plain TCP or rustls), opened on first use and kept while both
//! ends keep it alive. The task serving the client connection also polls the
//! upstream connection ([`Lane::poll_drive`]), so a request crosses no thread
//! and no channel between tasks: no futex or eventfd wake-ups per request,
//! which is what a pooled client (one task per upstream connection, fed
//! through a channel) costs. An agent container opens few connections and
//! sends its requests one after another on each, so a lane per connection
//! reuses upstream connections as well as a pool would.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use http::uri::{Authority, Scheme};
use http::{Request, Response};
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, Connection, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_util::either::Either;

use super::body::Streamed;
use super::route::Route;

type Io = TokioIo<Either<TcpStream, TlsStream<TcpStream>>>;

/// Why the upstream could not be asked.
#[derive(Debug, thiserror::Error)]
pub(crate) enum UpstreamError {
    #[error("connecting to {authority} timed out after {timeout:?}")]
    ConnectTimeout {
        authority: Authority,
        timeout: Duration,
    },
    #[error("cannot connect to {authority}: {source}")]
    Connect {
        authority: Authority,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid TLS server name {0:?}")]
    ServerName(String),
    #[error("TLS handshake with {authority} failed: {source}")]
    Tls {
        authority: Authority,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Http(#[from] hyper::Error),
}

/// How to reach upstreams: timeouts and the TLS client configuration.
pub(crate) struct Connector {
    pub connect_timeout: Duration,
    tls: TlsConnector,
}

impl Connector {
    /// rustls with `ring` and the webpki roots, HTTP/1.1 only.
    pub fn new(connect_timeout: Duration) -> Self {
        crate::tls::install_default_provider();
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let mut config = rustls::ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Self {
            connect_timeout,
            tls: TlsConnector::from(Arc::new(config)),
        }
    }

    async fn connect(&self, scheme: &Scheme, authority: &Authority) -> Result<Io, UpstreamError> {
        let tls = *scheme == Scheme::HTTPS;
        let port = authority.port_u16().unwrap_or(if tls { 443 } else { 80 });
        let host = authority.host();
        // `[::1]` in a URL is `::1` to the resolver and to TLS.
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        let connect = TcpStream::connect((host, port));
        let tcp = match tokio::time::timeout(self.connect_timeout, connect).await {
            Err(_) => {
                return Err(UpstreamError::ConnectTimeout {
                    authority: authority.clone(),
                    timeout: self.connect_timeout,
                });
            }
            Ok(Err(source)) => {
                return Err(UpstreamError::Connect {
                    authority: authority.clone(),
                    source,
                });
            }
            Ok(Ok(s)) => s,
        };
        let _ = tcp.set_nodelay(true);
        if !tls {
            return Ok(TokioIo::new(Either::Left(tcp)));
        }
        let name = rustls::pki_types::ServerName::try_from(host.to_string())
            .map_err(|_| UpstreamError::ServerName(host.to_string()))?;
        let handshake = self.tls.connect(name, tcp);
        match tokio::time::timeout(self.connect_timeout, handshake).await {
            Err(_) => Err(UpstreamError::ConnectTimeout {
                authority: authority.clone(),
                timeout: self.connect_timeout,
            }),
            Ok(Err(source)) => Err(UpstreamError::Tls {
                authority: authority.clone(),
                source,
            }),
            Ok(Ok(s)) => Ok(TokioIo::new(Either::Right(s))),
        }
    }
}

/// The upstream connection of one client connection.
#[derive(Default)]
pub(crate) struct Lane {
    slot: Mutex<Slot>,
}

#[derive(Default)]
struct Slot {
    /// The route whose upstream `sender` talks to (the newest one seen, so a
    /// rotated credential's route is not kept alive by an old connection).
    target: Option<Arc<Route>>,
    sender: Option<SendRequest<Streamed>>,
    conn: Option<Pin<Box<Connection<Io, Streamed>>>>,
    /// The connection task's waker, to have a new upstream connection polled.
    waker: Option<Waker>,
}

impl Lane {
    /// Polls the upstream connection, if any. Never ready: the connection
    /// task polls this next to the client connection until that one ends.
    pub fn poll_drive(&self, cx: &mut Context<'_>) -> Poll<std::convert::Infallible> {
        let mut s = self.lock();
        if let Some(conn) = s.conn.as_mut()
            && conn.as_mut().poll(cx).is_ready()
        {
            // Closed by either side, or failed; the next request reconnects.
            s.conn = None;
            s.sender = None;
            s.target = None;
        }
        if !s.waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
            s.waker = Some(cx.waker().clone());
        }
        Poll::Pending
    }

    /// Sends `req` to the route's upstream over this lane's connection,
    /// opening one when there is none (or it points elsewhere). A request the
    /// connection could not take (the upstream had just closed it) is retried
    /// once on a fresh connection.
    pub async fn send(
        &self,
        connector: &Connector,
        route: &Arc<Route>,
        mut req: Request<Streamed>,
    ) -> Result<Response<Incoming>, UpstreamError> {
        let mut fresh = false;
        loop {
            let mut sender = match self.take(route) {
                Some(s) => s,
                None => {
                    fresh = true;
                    self.open(connector, route).await?
                }
            };
            if sender.ready().await.is_err() {
                self.clear();
                if fresh {
                    // A brand-new connection that cannot take a request.
                    return Err(closed_at_once(route));
                }
                fresh = true;
                continue;
            }
            let pending = sender.try_send_request(req);
            self.put(route, sender);
            match pending.await {
                Ok(resp) => return Ok(resp),
                Err(mut e) => match e.take_message() {
                    Some(back) if !fresh => {
                        req = back;
                        fresh = true;
                        self.clear();
                    }
                    _ => return Err(e.into_error().into()),
                },
            }
        }
    }

    fn take(&self, route: &Arc<Route>) -> Option<SendRequest<Streamed>> {
        let mut s = self.lock();
        if !s.same_upstream(route) {
            return None;
        }
        s.sender.take().filter(|x| !x.is_closed())
    }

    fn put(&self, route: &Arc<Route>, sender: SendRequest<Streamed>) {
        let mut s = self.lock();
        if s.same_upstream(route) {
            s.sender = Some(sender);
        }
    }

    fn clear(&self) {
        let mut s = self.lock();
        s.sender = None;
        s.conn = None;
        s.target = None;
    }

    async fn open(
        &self,
        connector: &Connector,
        route: &Arc<Route>,
    ) -> Result<SendRequest<Streamed>, UpstreamError> {
        let io = connector.connect(&route.scheme, &route.authority).await?;
        // One flat buffer per write, as the client side (see `server::serve`).
        let (sender, conn) = http1::Builder::new().writev(false).handshake(io).await?;
        let mut s = self.lock();
        // A connection to another upstream is dropped (closed) here.
        s.conn = Some(Box::pin(conn));
        s.target = Some(route.clone());
        if let Some(w) = &s.waker {
            w.wake_by_ref();
        }
        Ok(sender)
    }

    fn lock(&self) -> MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Slot {
    /// Whether the connection goes where `route` points: the same route
    /// (one pointer comparison, every request between reloads), or one with
    /// the same scheme and authority, which then replaces it.
    fn same_upstream(&mut self, route: &Arc<Route>) -> bool {
        match &self.target {
            Some(t) if Arc::ptr_eq(t, route) => true,
            Some(t) if t.scheme == route.scheme && t.authority == route.authority => {
                self.target = Some(route.clone());
                true
            }
            _ => false,
        }
    }
}

fn closed_at_once(route: &Route) -> UpstreamError {
    UpstreamError::Connect {
        authority: route.authority.clone(),
        source: std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "the upstream closed the connection before taking the request",
        ),
    }
}
