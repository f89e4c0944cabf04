//! The proxy component: its state ([`Proxy`]), its status document and the
//! accept loop ([`serve`]) the daemon and `aigo proxy start` run.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::callers::Callers;
use super::refusal::Limiter;
use super::route::Table;
use super::upstream::Connector;
use super::workers::Workers;
use super::{Keystore, ProxyError, ProxyFile};
use crate::state::StateDir;

/// Who may use the proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CallerPolicy {
    /// Only callers in [`Proxy::callers`]: running agent containers, by
    /// address or run token. Everyone else gets 403.
    #[default]
    Registered,
    /// Anyone who can connect and knows a placeholder (the behaviour before
    /// callers were identified; `aigo proxy start --any-caller`).
    Anyone,
}

/// Timeouts; the defaults suit LLM APIs, whose answers can take minutes.
#[derive(Debug, Clone)]
pub struct ProxyOptions {
    /// TCP (and TLS) connect to the upstream.
    pub connect_timeout: Duration,
    /// From sending the request to the upstream's response head.
    pub response_timeout: Duration,
    /// Longest silence inside a streamed body, either direction.
    pub idle_timeout: Duration,
    /// For a client to send its request head (slow-loris guard).
    pub header_read_timeout: Duration,
    /// How long open connections get to finish after shutdown is asked for.
    pub shutdown_grace: Duration,
    /// Accept `Transfer-Encoding: chunked` request bodies (off: 411, which
    /// rules out Content-Length/Transfer-Encoding request smuggling).
    pub allow_chunked_requests: bool,
    /// Where refused requests (401, 403) are recorded, when set.
    pub audit: Option<crate::audit::AuditLog>,
    /// Whether callers must be registered running agents.
    pub callers: CallerPolicy,
}

impl Default for ProxyOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            response_timeout: Duration::from_secs(600),
            idle_timeout: Duration::from_secs(300),
            header_read_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(5),
            allow_chunked_requests: false,
            audit: None,
            callers: CallerPolicy::Registered,
        }
    }
}

/// `GET /api/v1/container/credential-proxy/status`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProxyStatus {
    pub running: bool,
    pub port: u16,
    pub bind_address: String,
    pub mapping_count: usize,
    pub requests_served: u64,
}

/// The running proxy's shared state. Cheap to share behind an `Arc`.
pub struct Proxy {
    source: Option<(StateDir, Keystore)>,
    table: RwLock<Arc<Table>>,
    /// Bumped on every reload, so connections re-read the table.
    table_generation: AtomicU64,
    callers: Arc<Callers>,
    pub(crate) connector: Connector,
    pub(crate) refusals: Limiter,
    pub(crate) opts: ProxyOptions,
    pub(crate) served: AtomicU64,
    running: AtomicBool,
    addr: Mutex<Option<SocketAddr>>,
    /// The runtime that called [`serve`]: work that must outlive a
    /// connection's worker thread runs there.
    home: OnceLock<tokio::runtime::Handle>,
}

impl Proxy {
    /// Loads mappings from `proxy.toml` and credentials from the keystore.
    /// Mappings without a usable credential are skipped with a warning.
    pub fn load(
        state: &StateDir,
        keystore: Keystore,
        opts: ProxyOptions,
    ) -> Result<Self, ProxyError> {
        let table = load_table(state, &keystore)?;
        let mut p = Self::with_table(table, opts);
        p.source = Some((state.clone(), keystore));
        Ok(p)
    }

    fn with_table(table: Table, opts: ProxyOptions) -> Self {
        Self {
            source: None,
            table: RwLock::new(Arc::new(table)),
            table_generation: AtomicU64::new(0),
            callers: Arc::new(Callers::new()),
            connector: Connector::new(opts.connect_timeout),
            refusals: Limiter::default(),
            opts,
            served: AtomicU64::new(0),
            running: AtomicBool::new(false),
            addr: Mutex::new(None),
            home: OnceLock::new(),
        }
    }

    /// Re-reads mappings and credentials (after `aigo proxy add/remove/rotate`);
    /// requests in flight finish with the table they started with. Returns the
    /// number of usable mappings. On error the old table stays in force.
    pub fn reload(&self) -> Result<usize, ProxyError> {
        let Some((state, keystore)) = &self.source else {
            return Ok(self.mapping_count());
        };
        let table = Arc::new(load_table(state, keystore)?);
        let n = table.len();
        *self.table.write().unwrap_or_else(|p| p.into_inner()) = table;
        self.table_generation.fetch_add(1, Ordering::AcqRel);
        tracing::info!(mappings = n, "credential proxy reloaded");
        Ok(n)
    }

    /// The registry of running agents the proxy serves: the run service
    /// admits a container when it starts and removes it when it stops.
    pub fn callers(&self) -> &Arc<Callers> {
        &self.callers
    }

    /// Uses `callers` (shared with whoever registers runs) instead of the
    /// proxy's own registry. Call before serving.
    pub fn with_callers(mut self, callers: Arc<Callers>) -> Self {
        self.callers = callers;
        self
    }

    /// Changes whenever the routing table or the callers do.
    pub(crate) fn generation(&self) -> (u64, u64) {
        (
            self.table_generation.load(Ordering::Acquire),
            self.callers.generation(),
        )
    }

    pub(crate) fn table(&self) -> Arc<Table> {
        self.table.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Runs `fut` on the runtime that serves the proxy (not a connection's
    /// worker thread, whose runtime ends with its last connection).
    pub(crate) fn spawn_home<F>(&self, fut: F) -> tokio::task::JoinHandle<F::Output>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match self.home.get() {
            Some(h) => h.spawn(fut),
            None => tokio::spawn(fut),
        }
    }

    /// Writes `ev` to the audit log (when the proxy has one) on the serving
    /// runtime, never holding up the connection; `what` names it in the error
    /// should the write fail.
    pub(crate) fn audit(&self, ev: crate::audit::NewEvent, what: &'static str) {
        let Some(audit) = self.opts.audit.clone() else {
            return;
        };
        self.spawn_home(async move {
            if let Err(e) = audit.record_async(ev).await {
                tracing::error!(error = %e, "cannot record {what} in the audit log");
            }
        });
    }

    pub fn mapping_count(&self) -> usize {
        self.table().len()
    }

    pub fn status(&self) -> ProxyStatus {
        let addr = *self.addr.lock().unwrap_or_else(|p| p.into_inner());
        ProxyStatus {
            running: self.running.load(Ordering::Relaxed),
            port: addr.map(|a| a.port()).unwrap_or(0),
            bind_address: addr.map(|a| a.ip().to_string()).unwrap_or_default(),
            mapping_count: self.mapping_count(),
            requests_served: self.served.load(Ordering::Relaxed),
        }
    }
}

fn load_table(state: &StateDir, keystore: &Keystore) -> Result<Table, ProxyError> {
    let file = ProxyFile::load(state)?;
    // No mappings: nothing to decrypt, and no identity or passphrase needed.
    let secrets = if file.mappings.is_empty() {
        Default::default()
    } else {
        keystore.load()?
    };
    let (table, warnings) = Table::build(&file, &secrets);
    for w in warnings {
        tracing::warn!("{w}");
    }
    Ok(table)
}

/// Binds the proxy's listener, with an error that names the address.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, ProxyError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| ProxyError::Bind { addr, source })
}

/// Binds a container bridge's gateway address, which may not be up yet (see
/// [`crate::accept::bind_gateway`]); a configured address goes through [`bind`],
/// so a mistyped one fails at start instead of listening for nothing.
pub async fn bind_gateway(addr: SocketAddr) -> Result<TcpListener, ProxyError> {
    crate::accept::bind_gateway(addr)
        .await
        .map_err(|source| ProxyError::Bind { addr, source })
}

/// Serves the proxy on `listener` until `shutdown` is cancelled, then gives
/// open connections [`ProxyOptions::shutdown_grace`] to finish.
pub async fn serve(
    listener: TcpListener,
    proxy: Arc<Proxy>,
    shutdown: CancellationToken,
) -> Result<(), ProxyError> {
    let local = listener.local_addr().map_err(ProxyError::Listener)?;
    *proxy.addr.lock().unwrap_or_else(|p| p.into_inner()) = Some(local);
    proxy.running.store(true, Ordering::Relaxed);
    tracing::info!(addr = %local, mappings = proxy.mapping_count(), "credential proxy listening");
    let _ = proxy.home.set(tokio::runtime::Handle::current());
    let mut http = hyper::server::conn::http1::Builder::new();
    // half_close: a client that shuts its sending side after the request
    // (`nc`, some scripts) still gets its answer instead of a dropped request.
    // writev(false): an answer is a head and a small body; one flat buffer
    // per write measured 1-3 % less CPU per request than two iovecs.
    // The head's deadline is the connection's own (see `watch`), not hyper's.
    http.writev(false)
        .half_close(true)
        .header_read_timeout(None);
    let mut workers = Workers::start(&proxy, &http, &shutdown)?;
    while let Some((stream, peer)) = crate::accept::next(&listener, &shutdown, "proxy").await {
        workers.hand_over(stream, peer);
    }
    drop(listener);
    workers.finish().await;
    proxy.running.store(false, Ordering::Relaxed);
    tracing::info!(addr = %local, "credential proxy stopped");
    Ok(())
}
