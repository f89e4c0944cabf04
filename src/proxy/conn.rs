//! One client connection: who is calling (cached until the registry or the
//! mappings change), its upstream [`Lane`], and the task that serves both.

use std::future::Future;
use std::net::IpAddr;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::Instant;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

use super::callers::Caller;
use super::route::Table;
use super::server::Proxy;
use super::upstream::Lane;
use super::watch::Watch;

/// The state one client connection's requests share.
pub(crate) struct Conn {
    pub proxy: Arc<Proxy>,
    pub peer: IpAddr,
    pub lane: Lane,
    pub watch: Watch,
    /// When the connection was accepted: a resolver look-up that started
    /// later saw the container that opened it.
    pub accepted: Instant,
    /// The resolver's verdict on this peer, once asked (see `callers`).
    pub resolved: Mutex<Option<Option<Caller>>>,
    /// The resolver's verdict on the token this connection last sent, once asked.
    pub resolved_token: Mutex<Option<(Vec<u8>, Option<Caller>)>>,
    /// The run and mapping of this connection's last request, so a run's use
    /// of a mapping is noted once per change, not per request.
    pub last_use: Mutex<Option<(Arc<str>, Arc<str>)>>,
    view: Mutex<View>,
}

struct View {
    generation: (u64, u64),
    table: Arc<Table>,
    caller: Option<Caller>,
}

impl Conn {
    pub fn new(proxy: Arc<Proxy>, peer: IpAddr) -> Self {
        let view = View {
            generation: proxy.generation(),
            table: proxy.table(),
            caller: proxy.callers().by_address(peer),
        };
        Self {
            peer,
            lane: Lane::default(),
            watch: Watch::new(proxy.opts.header_read_timeout, proxy.opts.response_timeout),
            accepted: Instant::now(),
            resolved: Mutex::new(None),
            resolved_token: Mutex::new(None),
            last_use: Mutex::new(None),
            view: Mutex::new(view),
            proxy,
        }
    }

    /// The routing table and the caller at this connection's address, as of
    /// now: re-read only when mappings were reloaded or a run came or went.
    pub fn view(&self) -> (Arc<Table>, Option<Caller>) {
        let now = self.proxy.generation();
        let mut v = self.view.lock().unwrap_or_else(|p| p.into_inner());
        if v.generation != now {
            v.table = self.proxy.table();
            v.caller = self.proxy.callers().by_address(self.peer);
            v.generation = now;
        }
        (v.table.clone(), v.caller.clone())
    }
}

/// Held by an answer's body: when it is dropped (sent whole, or given up
/// on), the connection is idle again.
pub(crate) struct Answered(pub Arc<Conn>);

impl Drop for Answered {
    fn drop(&mut self) {
        self.0.watch.answered();
    }
}

/// Serves one client connection until it ends, an idle one's next request
/// head is overdue, or `shutdown` (then gives it the proxy's shutdown grace).
/// Its upstream connection is written and read on this same task.
pub(crate) async fn serve(
    conn: Arc<Conn>,
    stream: TcpStream,
    http: http1::Builder,
    shutdown: CancellationToken,
) -> Result<(), hyper::Error> {
    let c = conn.clone();
    let svc = service_fn(move |req| super::forward::handle(c.clone(), req));
    let mut client = pin!(http.serve_connection(TokioIo::new(stream), svc));
    // Polled once, it keeps this task's waker for the cancellation; after
    // that a flag read per wake-up does (the task's waker does not change).
    let mut cancelled = pin!(shutdown.cancelled());
    let mut listening = false;
    let ended = std::future::poll_fn(|cx| {
        if let Poll::Ready(r) = client.as_mut().poll(cx) {
            return Poll::Ready(Some(r));
        }
        // As hyper's own header timer did: it ran from the end of the last
        // answer's body (its last bytes may still be leaving).
        if conn.watch.poll_head(cx).is_ready() {
            tracing::debug!(peer = %conn.peer, "proxy connection idle or slow past the header timeout");
            return Poll::Ready(Some(Ok(())));
        }
        if !listening {
            listening = true;
            if cancelled.as_mut().poll(cx).is_ready() {
                return Poll::Ready(None);
            }
        } else if shutdown.is_cancelled() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await;
    if let Some(r) = ended {
        return r;
    }
    client.as_mut().graceful_shutdown();
    let grace = conn.proxy.opts.shutdown_grace;
    tokio::time::timeout(grace, client).await.unwrap_or(Ok(()))
}
