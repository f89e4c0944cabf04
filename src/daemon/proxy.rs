//! Component: the credential proxy inside the daemon. Binds after runtime
//! detection (the default address is the container bridge gateway), serves
//! until shutdown, and reloads mappings when `proxy.toml` or the keystore changes.
//! Callers the daemon's own runs did not admit are looked up on the engine
//! (runs that `aigo run` started in a terminal).

use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::ctx::{Ctx, StateChange};
use crate::network::Egress;
use crate::proxy::{self, Caller, Callers, Keystore, Proxy, ProxyError, ProxyOptions, Query};

/// Where the proxy listens.
pub enum ProxyListener {
    /// `[proxy]` in config.toml: port 3001 on the detected default address.
    Config,
    /// Already bound (tests bind 127.0.0.1:0).
    Bound(TcpListener),
    /// No proxy in this daemon.
    Off,
}

pub async fn run(
    ctx: Arc<Ctx>,
    listener: ProxyListener,
    cancel: CancellationToken,
) -> Result<(), ProxyError> {
    let opts = ProxyOptions {
        audit: Some(ctx.audit.clone()),
        ..Default::default()
    };
    let (p, listener) = match listener {
        ProxyListener::Off => return Ok(()),
        ProxyListener::Bound(l) => (
            Proxy::load(&ctx.state, Keystore::open(&ctx.state), opts)?,
            l,
        ),
        ProxyListener::Config => {
            let config = ctx.config();
            // Not open: the proxy listens on the agents' network only, where
            // the host fence lets agents reach it and nothing else.
            match (config.proxy.bind, super::network::agent_network(&ctx).await) {
                (None, Some(p)) => {
                    let addr = std::net::SocketAddr::new(p.network.gateway, config.proxy.port);
                    proxy::prepare_at_gateway(&ctx.state, addr, opts).await?
                }
                _ => {
                    let det = ctx.runtime().await;
                    proxy::prepare(&ctx.state, &config.proxy, &det.status, opts).await?
                }
            }
        }
    };
    let p = Arc::new(p.with_callers(Arc::new(engine_callers(ctx.clone()))));
    ctx.set_proxy(Some(p.clone()));
    let reloader = tokio::spawn(reload_on_change(ctx.clone(), p.clone(), cancel.clone()));
    let result = proxy::serve(listener, p, cancel).await;
    ctx.set_proxy(None);
    reloader.abort();
    result
}

async fn reload_on_change(ctx: Arc<Ctx>, p: Arc<Proxy>, cancel: CancellationToken) {
    let mut changes = ctx.subscribe();
    loop {
        tokio::select! {
            () = cancel.cancelled() => return,
            ch = changes.recv() => match ch {
                Ok(StateChange::Other(name)) if name == "proxy.toml" || name == "keystore.age" => {
                    match p.reload() {
                        Ok(n) => tracing::info!(mappings = n, "credential proxy reloaded"),
                        Err(e) => tracing::error!(error = %e, "credential proxy reload failed; keeping the previous mappings"),
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                _ => {}
            },
        }
    }
}

/// A caller registry that asks the engine about unknown callers: the running
/// container labelled as an agent of this state directory, with the caller's
/// address on the agents' network (any address when egress is open and agents
/// sit on the engine's default bridge), or with the fingerprint of the token
/// it sent.
fn engine_callers(ctx: Arc<Ctx>) -> Callers {
    Callers::with_resolver(Arc::new(move |query| {
        let ctx = ctx.clone();
        Box::pin(async move {
            let det = ctx.runtime().await;
            let engine = det.runtime.as_ref()?;
            let home = ctx.state.root().display().to_string();
            let config = ctx.config();
            let found = match &query {
                Query::Address(ip) => {
                    let network = (config.network.egress != Egress::Open)
                        .then_some(config.network.name.as_str());
                    crate::runtime::callers::agent_run_at(engine, *ip, &home, network).await
                }
                Query::Token(fp) => {
                    crate::runtime::callers::agent_run_with_token(engine, fp, &home).await
                }
            };
            match found {
                Ok(run) => run.map(|r| Caller::new(&r, None)),
                Err(e) => {
                    tracing::warn!(error = %e, "cannot ask the engine who is calling the proxy");
                    None
                }
            }
        })
    }))
}
