//! The egress gateway component: an HTTP forward proxy on the agents' network
//! (`HTTPS_PROXY` in the container) that admits only what [`Policy`] allows and
//! audits every refusal with the run, group and destination.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::{NetworkError, Policy, Refusal};
use crate::audit::{AuditLog, Category, NewEvent, Severity};
use crate::runtime::NetworkPeer;

/// Timeouts and where refusals go.
#[derive(Debug, Clone)]
pub struct GatewayOptions {
    pub connect_timeout: Duration,
    /// For a client to send its request head (slow-loris guard).
    pub header_read_timeout: Duration,
    /// How long open tunnels get after shutdown is asked for.
    pub shutdown_grace: Duration,
    pub audit: Option<AuditLog>,
    /// The engine and network name, to say which run a refused caller is.
    pub attribution: Option<(crate::runtime::Engine, String)>,
}

impl Default for GatewayOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            header_read_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(5),
            audit: None,
            attribution: None,
        }
    }
}

/// The gateway's shared state: the policy in force (swapped on `network.toml`
/// changes; requests in flight keep the one they started with) and its tunnels.
pub struct Gateway {
    policy: RwLock<Arc<Policy>>,
    /// Source address → the aigo container holding it, briefly remembered so
    /// an agent hammering refused names does not hammer the engine too.
    peers: Mutex<HashMap<IpAddr, (Instant, Option<NetworkPeer>)>>,
    pub(super) opts: GatewayOptions,
    pub(super) tunnels: TaskTracker,
    pub(super) cancel: CancellationToken,
}

impl Gateway {
    pub fn new(policy: Policy, opts: GatewayOptions) -> Self {
        Self {
            policy: RwLock::new(Arc::new(policy)),
            peers: Mutex::new(HashMap::new()),
            opts,
            tunnels: TaskTracker::new(),
            cancel: CancellationToken::new(),
        }
    }

    pub fn policy(&self) -> Arc<Policy> {
        self.policy
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn set_policy(&self, policy: Policy) {
        *self.policy.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(policy);
    }

    /// Records a refusal: who (run, group, container by source address), where, why.
    pub(super) async fn refused(&self, peer: SocketAddr, r: &Refusal) {
        let peer_info = self.peer(peer.ip()).await;
        let label = |k: &str| peer_info.as_ref().and_then(|p| p.labels.get(k).cloned());
        let run = label(crate::runs::LABEL_RUN);
        let group = label(crate::runs::LABEL_GROUP);
        tracing::warn!(source = %peer, run = ?run, group = ?group, destination = %r.destination, reason = %r.reason, "egress refused");
        let Some(audit) = &self.opts.audit else {
            return;
        };
        let mut ev = NewEvent::new(
            Severity::Warning,
            Category::Network,
            format!("egress refused: {}: {}", r.destination, r.reason),
        )
        .details(serde_json::json!({
            "run": run,
            "group": group,
            "container": peer_info.as_ref().map(|p| p.container.clone()),
            "source": peer.ip().to_string(),
            "destination": r.destination,
            "reason": r.reason,
        }));
        if let Some(g) = group {
            ev = ev.group(g);
        }
        if let Err(e) = audit.record_async(ev).await {
            tracing::error!(error = %e, "cannot audit a refused egress attempt");
        }
    }
}

impl Gateway {
    /// Which aigo container holds `ip` (cached for [`PEER_TTL`]; addresses are
    /// reused only after a container is gone, so the window is kept short).
    async fn peer(&self, ip: IpAddr) -> Option<NetworkPeer> {
        let (engine, net) = self.opts.attribution.as_ref()?;
        let now = Instant::now();
        {
            let mut cache = self.peers.lock().unwrap_or_else(|p| p.into_inner());
            cache.retain(|_, (at, _)| now.duration_since(*at) < PEER_TTL);
            if let Some((_, p)) = cache.get(&ip) {
                return p.clone();
            }
        }
        let found = crate::runtime::peer_at(engine, net, ip).await;
        self.peers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(ip, (now, found.clone()));
        found
    }
}

const PEER_TTL: Duration = Duration::from_secs(2);

/// Serves the gateway on `listener` until `shutdown`, then gives open
/// connections and tunnels [`GatewayOptions::shutdown_grace`] to finish.
pub async fn serve(
    listener: TcpListener,
    gw: Arc<Gateway>,
    shutdown: CancellationToken,
) -> Result<(), NetworkError> {
    let local = listener.local_addr().map_err(|e| NetworkError::Io {
        path: "egress gateway listener".into(),
        action: "read the address of",
        source: e,
    })?;
    tracing::info!(addr = %local, "egress gateway listening");
    let conns = TaskTracker::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(gw.opts.header_read_timeout);
    while let Some((stream, peer)) =
        crate::accept::next(&listener, &shutdown, "egress gateway").await
    {
        let gw2 = gw.clone();
        let http = http.clone();
        let shutdown = shutdown.clone();
        conns.spawn(async move {
            let svc = service_fn(move |req| super::tunnel::handle(gw2.clone(), peer, req));
            let conn = http
                .serve_connection(TokioIo::new(stream), svc)
                .with_upgrades();
            tokio::pin!(conn);
            tokio::select! {
                r = conn.as_mut() => if let Err(e) = r {
                    tracing::debug!(%peer, error = %e, "egress connection ended with an error");
                },
                () = shutdown.cancelled() => conn.as_mut().graceful_shutdown(),
            }
        });
    }
    conns.close();
    gw.tunnels.close();
    let grace = gw.opts.shutdown_grace;
    let done = async {
        conns.wait().await;
        gw.tunnels.wait().await;
    };
    if tokio::time::timeout(grace, done).await.is_err() {
        gw.cancel.cancel();
        gw.tunnels.wait().await;
    }
    tracing::info!(addr = %local, "egress gateway stopped");
    Ok(())
}
