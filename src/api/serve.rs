//! Serving the API (and the webhook listener) over HTTP/1.1 with the limits a
//! long-lived daemon needs: a deadline for the request head (slow loris), for
//! the whole request body, and for idle keep-alive connections, so held-open
//! connections cannot pile up until the file-descriptor limit.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use bytes::Bytes;
use http_body::Frame;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::time::{Instant, Sleep};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::ApiConfig;

/// How long a client may take; all three are `[api]` keys in config.toml.
#[derive(Debug, Clone, Copy)]
pub struct ServeLimits {
    pub header_read: Duration,
    pub body: Duration,
    pub idle: Duration,
}

impl ServeLimits {
    pub fn from_config(c: &ApiConfig) -> Self {
        let secs = |s: u64| Duration::from_secs(s.max(1));
        Self {
            header_read: secs(c.header_read_timeout_secs),
            body: secs(c.body_timeout_secs),
            idle: secs(c.idle_timeout_secs),
        }
    }
}

/// Requests in flight on one connection; the idle clock runs only at zero.
#[derive(Default)]
struct Activity {
    in_flight: AtomicUsize,
    changed: Notify,
}

/// Serves `app` on `listener` until `shutdown`, then lets open exchanges finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ServeLimits,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let conns = TaskTracker::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    while let Some((stream, peer)) = crate::accept::next(&listener, &shutdown, "API").await {
        let http = http.clone();
        let app = TowerToHyperService::new(app.clone());
        let shutdown = shutdown.clone();
        conns.spawn(async move {
            let act = Arc::new(Activity::default());
            let act2 = act.clone();
            let svc = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
                let act = act2.clone();
                act.in_flight.fetch_add(1, Ordering::SeqCst);
                act.changed.notify_one();
                let req = req.map(|b| Body::new(Deadline::new(b, limits.body)));
                let fut = hyper::service::Service::call(&app, req);
                async move {
                    let r = fut.await;
                    act.in_flight.fetch_sub(1, Ordering::SeqCst);
                    act.changed.notify_one();
                    r
                }
            });
            let conn = http.serve_connection(TokioIo::new(stream), svc);
            tokio::pin!(conn);
            let mut idle_at = Instant::now() + limits.idle;
            let mut closing = false;
            let res = loop {
                let idle = async {
                    if closing || act.in_flight.load(Ordering::SeqCst) > 0 {
                        std::future::pending::<()>().await;
                    }
                    tokio::time::sleep_until(idle_at).await;
                };
                tokio::select! {
                    r = conn.as_mut() => break r,
                    () = act.changed.notified() => idle_at = Instant::now() + limits.idle,
                    () = idle, if !closing => {
                        tracing::debug!(%peer, "closing an idle API connection");
                        closing = true;
                        conn.as_mut().graceful_shutdown();
                    }
                    () = shutdown.cancelled(), if !closing => {
                        closing = true;
                        conn.as_mut().graceful_shutdown();
                    }
                }
            };
            if let Err(e) = res {
                tracing::debug!(%peer, error = %e, "API connection ended with an error");
            }
        });
    }
    // Stop accepting at once (new connections are refused, not queued), then
    // let the exchanges in flight finish.
    drop(listener);
    conns.close();
    conns.wait().await;
    Ok(())
}

/// A request body that fails once its deadline passes: a client trickling a
/// body byte by byte cannot hold a handler (and its connection) forever.
struct Deadline {
    inner: Incoming,
    sleep: Pin<Box<Sleep>>,
}

impl Deadline {
    fn new(inner: Incoming, limit: Duration) -> Self {
        Self {
            inner,
            sleep: Box::pin(tokio::time::sleep(limit)),
        }
    }
}

/// Why a body was cut off.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within the body timeout ([api] body_timeout_secs)")]
pub struct BodyTimeout;

impl http_body::Body for Deadline {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Poll::Ready(r) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(r.map(|f| f.map_err(Into::into)));
        }
        match self.sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyTimeout)))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
