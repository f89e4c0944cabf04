//! Chat channels inside the daemon: the hub as a component (rebuilt when
//! `channels.toml` changes, so `aigo channels add|remove` apply without a
//! restart), the router's sink that follows the current hub, and the inbound
//! sink that turns an accepted chat message into a follow-up for the group's
//! running session or a new run.

use std::sync::{Arc, RwLock};

use tokio::sync::broadcast::error::RecvError;
use tokio_util::sync::CancellationToken;

use crate::channels::{self, HubOptions, InboundMessage, InboundSink};
use crate::ctx::{Ctx, StateChange};
use crate::groups::Group;
use crate::ipc::{BoxFut, LogChannel, MessageSink, OutboundMessage};
use crate::runs::{self, RunError, RunMode, RunRequest};

/// The router's message sink: the current channel hub, or `logs/deliveries.jsonl`
/// while no channel is configured.
pub struct Deliveries {
    current: RwLock<Arc<dyn MessageSink>>,
    log: Arc<dyn MessageSink>,
}

impl Deliveries {
    pub fn new(ctx: &Ctx) -> Self {
        let log: Arc<dyn MessageSink> = Arc::new(LogChannel::new(
            ctx.state.logs_dir().join("deliveries.jsonl"),
        ));
        Self {
            current: RwLock::new(log.clone()),
            log,
        }
    }

    fn set(&self, sink: Arc<dyn MessageSink>) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = sink;
    }
}

impl MessageSink for Deliveries {
    fn deliver<'a>(
        &'a self,
        group: &'a str,
        msg: &'a OutboundMessage,
    ) -> BoxFut<'a, Result<(), String>> {
        let sink = self
            .current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        Box::pin(async move { sink.deliver(group, msg).await })
    }
}

/// Starts the hub for `channels.toml` now (so the API sees it at once) and the
/// component that rebuilds it when the file changes; returns the router's sink.
pub fn spawn(sup: &super::Supervisor, ctx: &Arc<Ctx>) -> Arc<Deliveries> {
    let deliveries = Arc::new(Deliveries::new(ctx));
    let cancel = sup.token();
    let child = cancel.child_token();
    let first = start(ctx, &deliveries, &child);
    sup.spawn(
        "channels",
        run(ctx.clone(), deliveries.clone(), cancel, child, first),
    );
    deliveries
}

/// Component: keeps the hub in step with `channels.toml`.
async fn run(
    ctx: Arc<Ctx>,
    deliveries: Arc<Deliveries>,
    cancel: CancellationToken,
    mut child: CancellationToken,
    mut task: Option<tokio::task::JoinHandle<()>>,
) -> Result<(), std::convert::Infallible> {
    let mut changes = ctx.subscribe();
    loop {
        let stop = loop {
            tokio::select! {
                () = cancel.cancelled() => break true,
                ch = changes.recv() => match ch {
                    Ok(StateChange::Other(name)) if name == "channels.toml" => break false,
                    Err(RecvError::Lagged(_)) => break false,
                    Err(RecvError::Closed) => break true,
                    Ok(_) => {}
                },
            }
        };
        child.cancel();
        if let Some(t) = task.take() {
            let _ = t.await;
        }
        if stop {
            return Ok(());
        }
        tracing::info!("channels.toml changed; restarting chat channels");
        child = cancel.child_token();
        task = start(&ctx, &deliveries, &child);
    }
}

fn start(
    ctx: &Arc<Ctx>,
    deliveries: &Deliveries,
    cancel: &CancellationToken,
) -> Option<tokio::task::JoinHandle<()>> {
    let sink = Arc::new(RunInbound {
        ctx: ctx.clone(),
        cancel: cancel.clone(),
    });
    let keystore = crate::proxy::Keystore::open(&ctx.state);
    let hub = match channels::build_all(&ctx.state, &keystore, sink, HubOptions::default()) {
        Ok(mut hub) if !hub.is_empty() => {
            hub.set_audit(ctx.audit.clone());
            Arc::new(hub)
        }
        Ok(_) => {
            deliveries.set(deliveries.log.clone());
            ctx.set_channels(None);
            return None;
        }
        Err(e) => {
            tracing::error!(error = %e, "channels.toml does not load; chat channels are off");
            deliveries.set(deliveries.log.clone());
            ctx.set_channels(None);
            return None;
        }
    };
    tracing::info!(channels = ?hub.kinds(), "chat channels starting");
    deliveries.set(hub.clone());
    ctx.set_channels(Some(hub.clone()));
    let token = cancel.clone();
    Some(tokio::spawn(async move {
        let _ = hub.run(token).await;
    }))
}

/// Follow-up into the group's running session (newest first), else a new run
/// with the message as prompt, owned by the daemon.
pub struct RunInbound {
    pub ctx: Arc<Ctx>,
    pub cancel: CancellationToken,
}

impl InboundSink for RunInbound {
    fn deliver<'a>(
        &'a self,
        group: &'a Group,
        msg: &'a InboundMessage,
    ) -> BoxFut<'a, Result<String, String>> {
        Box::pin(async move {
            let req = RunRequest {
                chat_jid: Some(msg.chat_jid.clone()),
                mode: RunMode::Conversation,
                ..RunRequest::new(group.name.clone(), msg.text.clone(), "daemon")
            };
            let runner = match self.ctx.runner().await {
                Ok(r) => r,
                Err(e) => {
                    runs::refuse(&self.ctx.state, &self.ctx.audit, &req, &e).await;
                    return Err(e.to_string());
                }
            };
            match runner.live_session(&group.name, None).await {
                Ok((dirs, r)) => {
                    crate::ipc::send(&dirs, &msg.text, &msg.sender_label())
                        .map_err(|e| e.to_string())?;
                    return Ok(format!("follow-up to run {} (session {})", r.id, r.session));
                }
                Err(RunError::NotRunning { .. }) => {}
                Err(e) => return Err(e.to_string()),
            }
            let handle = runner.start(&req).await.map_err(|e| e.to_string())?;
            let id = handle.record.id.clone();
            let cancel = self.cancel.child_token();
            self.ctx.tasks.spawn(async move {
                runner.execute(handle, cancel, None).await;
            });
            Ok(format!("started run {id}"))
        })
    }
}
