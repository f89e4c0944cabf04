//! Components: the agents' network (prepared once, shared by the proxy, which
//! listens on its gateway address) and the egress gateway in allowlist mode,
//! whose policy follows `network.toml` and `config.toml`.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::audit::{Category, NewEvent, Severity};
use crate::ctx::{Ctx, StateChange};
use crate::network::{
    Egress, Gateway, GatewayOptions, NetworkError, NetworkFile, Policy, Prepared,
};
use crate::runtime::Engine;

async fn engine(ctx: &Ctx) -> Option<Engine> {
    ctx.runtime().await.runtime.clone()
}

/// The agents' network, created and fenced on first use; `None` when egress
/// is open or no engine answers (then there is nothing to fence).
pub async fn agent_network(ctx: &Arc<Ctx>) -> Option<Prepared> {
    ctx.agent_network
        .get_or_init(|| async {
            let config = ctx.config();
            if config.network.egress == Egress::Open {
                tracing::warn!("{}", Egress::Open.describe());
                return None;
            }
            let engine = engine(ctx).await?;
            match crate::network::prepare(&engine, &config).await {
                Ok(p) => {
                    if let Some(p) = &p {
                        tracing::info!(network = %p.network.name, gateway = %p.network.gateway,
                            fenced = p.fence.is_installed(), egress = config.network.egress.as_str(),
                            "agents' network ready");
                        if let Some(w) = p.fence.warning() {
                            let ev = NewEvent::new(Severity::Warning, Category::Network, w)
                                .details(serde_json::json!({"network": p.network.name, "fence": p.fence}));
                            let _ = ctx.audit.record_async(ev).await;
                        }
                    }
                    p
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot prepare the agents' network; runs will fail until it can be created");
                    None
                }
            }
        })
        .await
        .clone()
}

fn policy(ctx: &Ctx) -> Result<Policy, NetworkError> {
    let entries = NetworkFile::load(&ctx.state)?.entries()?;
    Ok(Policy::new(entries, ctx.config().network.hosts.clone()))
}

/// The egress gateway, in allowlist mode only.
pub async fn gateway(ctx: Arc<Ctx>, cancel: CancellationToken) -> Result<(), NetworkError> {
    let config = ctx.config();
    if config.network.egress != Egress::Allowlist {
        return Ok(());
    }
    let Some(prepared) = agent_network(&ctx).await else {
        tracing::warn!("no agents' network: the egress gateway does not start");
        return Ok(());
    };
    let addr = SocketAddr::new(prepared.network.gateway, config.network.gateway_port);
    let listener = crate::accept::bind_gateway(addr)
        .await
        .map_err(|source| NetworkError::Bind { addr, source })?;
    let opts = GatewayOptions {
        audit: Some(ctx.audit.clone()),
        attribution: engine(&ctx)
            .await
            .map(|e| (e, prepared.network.name.clone())),
        ..Default::default()
    };
    let gw = Arc::new(Gateway::new(policy(&ctx)?, opts));
    let reloader = tokio::spawn(reload_on_change(ctx.clone(), gw.clone(), cancel.clone()));
    let result = crate::network::serve(listener, gw, cancel).await;
    reloader.abort();
    result
}

async fn reload_on_change(ctx: Arc<Ctx>, gw: Arc<Gateway>, cancel: CancellationToken) {
    let mut changes = ctx.subscribe();
    loop {
        tokio::select! {
            () = cancel.cancelled() => return,
            ch = changes.recv() => match ch {
                Ok(StateChange::Config) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Ok(StateChange::Other(name)) if name == "network.toml" => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                Ok(_) => continue,
            },
        }
        match policy(&ctx) {
            Ok(p) => {
                gw.set_policy(p);
                tracing::info!("egress allowlist reloaded");
            }
            Err(e) => {
                tracing::error!(error = %e, "network.toml changed but does not load; keeping the previous allowlist")
            }
        }
    }
}
