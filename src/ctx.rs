//! The daemon's shared context: the state directory plus in-memory caches that
//! the API handlers and components read, kept fresh by the state watcher.
//!
//! Lives outside `api` and `daemon` so both can use it without importing each other.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, broadcast, watch};

use crate::config::Config;
use crate::mounts::MountAllowlist;
use crate::runtime::Detection;
use crate::state::{StateDir, StateError, load_toml};

/// How old a cached runtime detection may get before a request triggers a refresh.
pub const RUNTIME_MAX_AGE: Duration = Duration::from_secs(10);

/// How long a run waits for a daemon's proxy that is still starting.
const PROXY_START_WAIT: Duration = Duration::from_secs(10);

/// Which state file changed on disk (sent to components that care).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateChange {
    Config,
    Mounts,
    Schedules,
    Groups,
    Other(String),
}

pub struct Ctx {
    pub state: StateDir,
    /// The security audit log; every component records through this one handle.
    pub audit: crate::audit::AuditLog,
    pub started: Instant,
    config: RwLock<Arc<Config>>,
    mounts: RwLock<Arc<MountAllowlist>>,
    runtime: watch::Sender<Option<(Arc<Detection>, Instant)>>,
    runtime_refresh: Notify,
    changes: broadcast::Sender<StateChange>,
    proxy: RwLock<Option<Arc<crate::proxy::Proxy>>>,
    /// Woken whenever the proxy comes up or goes down.
    proxy_changed: Notify,
    channels: RwLock<Option<Arc<crate::channels::ChannelHub>>>,
    /// Cancelled when the daemon shuts down; work started by API requests watches it.
    pub shutdown: tokio_util::sync::CancellationToken,
    /// Tasks started by API requests (runs, builds), so shutdown can wait for them.
    pub tasks: tokio_util::task::TaskTracker,
    /// Image builds, created on first use (it needs the detected runtime).
    pub images: tokio::sync::OnceCell<Arc<crate::image::ImageBuilds>>,
    /// The agents' network as the daemon prepared it at start (`None`: egress
    /// open, no Docker-API engine, or it could not be created).
    pub agent_network: tokio::sync::OnceCell<Option<crate::network::Prepared>>,
}

impl Ctx {
    /// Loads config and allowlist; fails (naming the file) when either is corrupt.
    pub fn load(state: StateDir) -> Result<Arc<Self>, StateError> {
        let config = Config::load(&state)?;
        let mounts: MountAllowlist = load_toml(&state.mounts())?;
        Ok(Arc::new(Self {
            audit: crate::audit::AuditLog::open(&state),
            state,
            started: Instant::now(),
            config: RwLock::new(Arc::new(config)),
            mounts: RwLock::new(Arc::new(mounts)),
            runtime: watch::channel(None).0,
            runtime_refresh: Notify::new(),
            changes: broadcast::channel(64).0,
            proxy: RwLock::new(None),
            proxy_changed: Notify::new(),
            channels: RwLock::new(None),
            shutdown: tokio_util::sync::CancellationToken::new(),
            tasks: tokio_util::task::TaskTracker::new(),
            images: tokio::sync::OnceCell::new(),
            agent_network: tokio::sync::OnceCell::new(),
        }))
    }

    pub fn config(&self) -> Arc<Config> {
        self.config
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn mounts(&self) -> Arc<MountAllowlist> {
        self.mounts
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Re-reads a changed file into its cache. A corrupt file keeps the last good
    /// version in force (and says so in the log) rather than emptying the cache.
    pub fn reload(&self, change: &StateChange) {
        match change {
            StateChange::Config => match Config::load(&self.state) {
                Ok(c) => *self.config.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(c),
                Err(e) => {
                    tracing::error!(error = %e, "config.toml changed but does not load; keeping the previous one")
                }
            },
            StateChange::Mounts => match load_toml::<MountAllowlist>(&self.state.mounts()) {
                Ok(m) => self.set_mounts(m),
                Err(e) => {
                    tracing::error!(error = %e, "mounts.toml changed but does not load; keeping the previous allowlist")
                }
            },
            StateChange::Schedules | StateChange::Groups | StateChange::Other(_) => {}
        }
        let _ = self.changes.send(change.clone());
    }

    pub fn set_mounts(&self, m: MountAllowlist) {
        *self.mounts.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(m);
    }

    /// The running credential proxy, once its component has started it.
    pub fn proxy(&self) -> Option<Arc<crate::proxy::Proxy>> {
        self.proxy.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub(crate) fn set_proxy(&self, p: Option<Arc<crate::proxy::Proxy>>) {
        *self.proxy.write().unwrap_or_else(|p| p.into_inner()) = p;
        self.proxy_changed.notify_waiters();
    }

    /// The running channel hub, when any chat channel is configured.
    pub fn channels(&self) -> Option<Arc<crate::channels::ChannelHub>> {
        self.channels
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn set_channels(&self, hub: Option<Arc<crate::channels::ChannelHub>>) {
        *self.channels.write().unwrap_or_else(|p| p.into_inner()) = hub;
    }

    /// Subscribes to state-file changes.
    pub fn subscribe(&self) -> broadcast::Receiver<StateChange> {
        self.changes.subscribe()
    }

    /// The cached detection; waits for the first one. A stale value is returned
    /// at once and a refresh is requested in the background.
    pub async fn runtime(&self) -> Arc<Detection> {
        let mut rx = self.runtime.subscribe();
        let snapshot = rx
            .wait_for(Option::is_some)
            .await
            .ok()
            .and_then(|g| (*g).clone());
        match snapshot {
            Some((det, at)) => {
                if at.elapsed() > RUNTIME_MAX_AGE {
                    self.runtime_refresh.notify_one();
                }
                det
            }
            // Only when the sender is gone, which `self` prevents; detect directly.
            None => Arc::new(crate::runtime::detect(&self.config()).await),
        }
    }

    /// The run service on the current engine, config and allowlist; runs are
    /// refused while this daemon's credential proxy is down.
    pub async fn runner(&self) -> Result<crate::runs::Runner, crate::runs::RunError> {
        let det = self.runtime().await;
        let engine = crate::runs::engine_of(&det)?;
        Ok(crate::runs::Runner::new(
            self.state.clone(),
            self.config(),
            self.mounts(),
            self.audit.clone(),
            engine,
            crate::runs::ProxyCheck::Known(self.proxy_up().await),
        )
        .with_callers(self.proxy().map(|p| p.callers().clone())))
    }

    /// Whether the credential proxy serves; right after start (an overdue
    /// schedule fires at once) it may still be binding, so wait for it a little.
    async fn proxy_up(&self) -> bool {
        let wait = async {
            loop {
                let changed = self.proxy_changed.notified();
                if self.proxy().is_some() {
                    return;
                }
                changed.await;
            }
        };
        tokio::time::timeout(PROXY_START_WAIT, wait).await.is_ok()
    }

    /// Asks the runtime component to detect again now.
    pub fn refresh_runtime(&self) {
        self.runtime_refresh.notify_one();
    }

    pub(crate) fn set_runtime(&self, d: Detection) {
        self.runtime
            .send_replace(Some((Arc::new(d), Instant::now())));
    }

    pub(crate) async fn runtime_refresh_requested(&self) {
        self.runtime_refresh.notified().await;
    }
}
