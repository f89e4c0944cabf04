//! The threads that serve proxy connections: one per core, each with a
//! single-threaded runtime of its own, as nginx runs one worker per core.
//!
//! The accept loop hands each new connection to the next worker; from then on
//! the client connection, its requests and its upstream connection live on
//! that one thread. On a shared work-stealing runtime every I/O wake-up could
//! land on another thread (a futex or eventfd call each time, and cache lines
//! moving between cores); here a request costs no cross-thread hand-off at all.
//! Work that is not the connection's (engine look-ups, audit writes) runs on
//! the runtime that called [`super::serve`], so it outlives any one worker.

use std::net::SocketAddr;
use std::sync::Arc;

use hyper::server::conn::http1;
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::ProxyError;
use super::conn::Conn;
use super::server::Proxy;

type NewConn = (std::net::TcpStream, SocketAddr);

pub(crate) struct Workers {
    queues: Vec<mpsc::UnboundedSender<NewConn>>,
    done: Vec<oneshot::Receiver<()>>,
    next: usize,
}

impl Workers {
    /// Starts one worker per available core.
    pub(crate) fn start(
        proxy: &Arc<Proxy>,
        http: &http1::Builder,
        shutdown: &CancellationToken,
    ) -> Result<Self, ProxyError> {
        let n = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut w = Self {
            queues: Vec::with_capacity(n),
            done: Vec::with_capacity(n),
            next: 0,
        };
        for i in 0..n {
            let (tx, rx) = mpsc::unbounded_channel();
            let (done_tx, done_rx) = oneshot::channel();
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(ProxyError::Workers)?;
            let work = worker(rx, proxy.clone(), http.clone(), shutdown.clone());
            std::thread::Builder::new()
                .name(format!("aigo-proxy-{i}"))
                .spawn(move || {
                    rt.block_on(work);
                    let _ = done_tx.send(());
                })
                .map_err(ProxyError::Workers)?;
            w.queues.push(tx);
            w.done.push(done_rx);
        }
        Ok(w)
    }

    /// Hands `stream` to the next worker.
    pub(crate) fn hand_over(&mut self, stream: TcpStream, peer: SocketAddr) {
        let stream = match stream.into_std() {
            Ok(s) => s,
            Err(e) => {
                tracing::debug!(%peer, error = %e, "proxy connection lost before it was served");
                return;
            }
        };
        let i = self.next % self.queues.len();
        self.next = self.next.wrapping_add(1);
        let _ = self.queues[i].send((stream, peer));
    }

    /// Lets the workers finish their connections (each gives them the
    /// shutdown grace once `shutdown` is cancelled) and waits for them.
    pub(crate) async fn finish(self) {
        drop(self.queues);
        for done in self.done {
            let _ = done.await;
        }
    }
}

async fn worker(
    mut rx: mpsc::UnboundedReceiver<NewConn>,
    proxy: Arc<Proxy>,
    http: http1::Builder,
    shutdown: CancellationToken,
) {
    let tracker = TaskTracker::new();
    while let Some((stream, peer)) = rx.recv().await {
        let stream = match TcpStream::from_std(stream) {
            Ok(s) => s,
            Err(e) => {
                tracing::debug!(%peer, error = %e, "proxy connection could not be registered");
                continue;
            }
        };
        let conn = Arc::new(Conn::new(proxy.clone(), peer.ip()));
        let fut = super::conn::serve(conn, stream, http.clone(), shutdown.clone());
        tracker.spawn(async move {
            if let Err(e) = fut.await {
                tracing::debug!(%peer, error = %e, "proxy connection ended with an error");
            }
        });
    }
    tracker.close();
    tracker.wait().await;
}
