//! The daemon: a library function that takes its listeners and a shutdown future,
//! so tests run it in-process on port 0.
//!
//! Owns start-up (the single-instance lock, `daemon.json` discovery file), the
//! supervisor that starts and stops components, and shutdown (drain, clean up).

mod channels;
mod components;
mod discovery;
mod network;
mod proxy;
mod runs;
mod runtime_refresh;
mod supervisor;
mod units;
mod watch;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

pub use discovery::DaemonInfo;
pub use proxy::ProxyListener;
pub use supervisor::Supervisor;
pub use units::{UnitKind, render_unit, unit_warnings};

use crate::api::Guard;
use crate::ctx::Ctx;
use crate::state::{FileLock, StateDir, StateError};

/// How long the components and in-flight work together get to finish after a
/// shutdown request: one deadline, so the process is gone well within the
/// 10 s a service manager typically allows before SIGKILL.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(8);

#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error(
        "another aigo daemon already runs on {state}{detail}; stop it first (or use another --home)"
    )]
    AlreadyRunning { state: String, detail: String },
    #[error(
        "cannot bind the API to {addr}: {source}; is another process using the port? (set [api] bind in config.toml)"
    )]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "refusing to serve the API on {addr} without a token: anyone who reaches that address could drive it. \
         Set AIGO_API_TOKEN or --token-file, or bind to loopback (127.0.0.1)"
    )]
    NoToken { addr: SocketAddr },
    #[error(
        "cannot bind the WhatsApp webhook listener to {addr}: {source} (set [channels.whatsapp] webhook_bind in config.toml)"
    )]
    WebhookBind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

/// Refuses a non-loopback API address without a token ([`DaemonError::NoToken`]).
pub fn check_exposure(addr: SocketAddr, token: Option<&str>) -> Result<(), DaemonError> {
    if addr.ip().is_loopback() || token.is_some_and(|t| !t.is_empty()) {
        Ok(())
    } else {
        Err(DaemonError::NoToken { addr })
    }
}

/// Options that do not live in `config.toml`.
#[derive(Debug, Clone, Default)]
pub struct DaemonOptions {
    /// Bearer token the API requires (`--token` / `AIGO_API_TOKEN`).
    pub token: Option<String>,
}

/// The sockets the daemon serves on; bound by the caller so tests can use port 0.
pub struct Listeners {
    pub api: tokio::net::TcpListener,
    pub proxy: ProxyListener,
}

impl Listeners {
    /// Binds the API address from `config.toml` (or `addr` when given).
    pub async fn bind(state: &StateDir, addr: Option<SocketAddr>) -> Result<Self, DaemonError> {
        let addr = match addr {
            Some(a) => a,
            None => crate::config::Config::load(state)?.api.bind,
        };
        let api = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| DaemonError::Bind { addr, source })?;
        Ok(Self {
            api,
            proxy: ProxyListener::Config,
        })
    }
}

/// Fails with [`DaemonError::AlreadyRunning`] when a daemon holds the state
/// directory. Only advisory (the daemon re-checks under its lock); it lets the CLI
/// say "already running" before it tries to bind a port the other daemon holds.
pub fn ensure_not_running(state: &StateDir) -> Result<(), DaemonError> {
    match FileLock::try_acquire(&state.daemon_lock_target())? {
        Some(_) => Ok(()),
        None => Err(already_running(state)),
    }
}

fn already_running(state: &StateDir) -> DaemonError {
    let detail = DaemonInfo::read(state)
        .map(|i| format!(" (pid {}, API on {})", i.pid, i.api_address))
        .unwrap_or_default();
    DaemonError::AlreadyRunning {
        state: state.root().display().to_string(),
        detail,
    }
}

/// Runs the daemon until `shutdown` resolves, then drains and returns.
pub async fn run(
    state: StateDir,
    listeners: Listeners,
    options: DaemonOptions,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), DaemonError> {
    std::fs::create_dir_all(state.root())
        .map_err(|e| StateError::io(state.root(), "create directory", e))?;
    let Some(lock) = FileLock::try_acquire(&state.daemon_lock_target())? else {
        return Err(already_running(&state));
    };
    let ctx = Ctx::load(state.clone())?;
    let api_addr = listeners
        .api
        .local_addr()
        .map_err(|e| StateError::io(state.root(), "read API address of", e))?;
    check_exposure(api_addr, options.token.as_deref())?;
    let config = ctx.config();
    let webhook = match config.channels.whatsapp.webhook_bind {
        Some(addr) => Some(
            tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|source| DaemonError::WebhookBind { addr, source })?,
        ),
        None => None,
    };
    let mut info = DaemonInfo::new(api_addr);
    info.webhook_address = webhook.as_ref().and_then(|l| l.local_addr().ok());
    info.write(&state)?;
    tracing::info!(api = %api_addr, state = %state.root().display(), pid = info.pid, "aigo daemon started");

    let sup = Supervisor::with_token(ctx.shutdown.clone());
    sup.spawn("runtime", runtime_refresh::run(ctx.clone(), sup.token()));
    sup.spawn("watch", watch::run(ctx.clone(), sup.token()));
    components::spawn(&sup, &ctx, listeners.proxy);
    let mut allowed_hosts = config.api.allowed_hosts.clone();
    allowed_hosts.push(api_addr.ip().to_string());
    let guard = Guard {
        allowed_hosts,
        token: options.token.clone(),
    };
    let limits = crate::api::ServeLimits::from_config(&config.api);
    let app = crate::api::router(ctx.clone(), guard);
    sup.spawn(
        "api",
        crate::api::serve(listeners.api, app, limits, sup.token()),
    );
    if let Some(listener) = webhook {
        tracing::info!(addr = ?info.webhook_address, "WhatsApp webhook listening");
        let app = crate::api::webhook_router(ctx.clone());
        sup.spawn(
            "whatsapp-webhook",
            crate::api::serve(listener, app, limits, sup.token()),
        );
    }

    let stop = sup.token();
    tokio::select! {
        () = shutdown => tracing::info!("shutdown requested; draining"),
        () = stop.cancelled() => {}
    }
    let deadline = tokio::time::Instant::now() + DRAIN_TIMEOUT;
    let mut stopped = sup.shutdown(DRAIN_TIMEOUT).await;
    ctx.tasks.close();
    if tokio::time::timeout_at(deadline, ctx.tasks.wait())
        .await
        .is_err()
    {
        tracing::warn!("runs started through the API did not finish in time");
        stopped = false;
    }
    DaemonInfo::remove(&state);
    if stopped {
        drop(lock);
        tracing::info!("aigo daemon stopped");
    } else {
        // Something still runs on this state directory: keep the instance
        // lock until the process exits, so no second daemon can start and
        // handle the same files meanwhile.
        std::mem::forget(lock);
        tracing::warn!(
            "aigo daemon stopped with work still running; the instance lock is held until the process exits"
        );
    }
    Ok(())
}

/// Resolves on SIGINT or SIGTERM: what systemd and launchd send to stop a service.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
