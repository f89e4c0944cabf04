//! The long-lived components besides the API, started under one supervisor.

use std::sync::Arc;

use super::Supervisor;
use super::channels::RunInbound;
use super::proxy::{self, ProxyListener};
use super::runs::{DaemonLauncher, housekeeping};
use crate::channels::{self, HubOptions};
use crate::ctx::{Ctx, StateChange};
use crate::ipc::{LogChannel, MessageSink, Router};
use crate::schedule::{ScheduleTasks, Scheduler, WallClock};

/// Starts the IPC router, the credential proxy, run housekeeping and the scheduler.
pub fn spawn(sup: &Supervisor, ctx: &Arc<Ctx>, proxy_listener: ProxyListener) {
    let state = ctx.state.clone();
    let deliveries = chat_channels(sup, ctx);
    let router = Router::new(
        state.clone(),
        ctx.audit.clone(),
        deliveries,
        Arc::new(ScheduleTasks::new(state.clone())),
    );
    sup.spawn("router", router.run(sup.token()));
    sup.spawn(
        "proxy",
        proxy::run(ctx.clone(), proxy_listener, sup.token()),
    );
    sup.spawn("housekeeping", housekeeping(ctx.clone(), sup.token()));
    let launcher = DaemonLauncher {
        ctx: ctx.clone(),
        cancel: sup.token(),
    };
    let scheduler = Scheduler::new(
        state,
        Arc::new(WallClock),
        Arc::new(launcher),
        ctx.config().runs.max_concurrent,
    );
    sup.spawn("scheduler", scheduler.clone().run(sup.token()));
    sup.spawn(
        "scheduler-wake",
        wake_scheduler(ctx.clone(), scheduler, sup.token()),
    );
}

/// The channel hub when any chat channel is configured (started, and shared
/// with the API for status and the WhatsApp webhook); until then deliveries are
/// recorded in `logs/deliveries.jsonl`.
fn chat_channels(sup: &Supervisor, ctx: &Arc<Ctx>) -> Arc<dyn MessageSink> {
    let log = || -> Arc<dyn MessageSink> {
        Arc::new(LogChannel::new(
            ctx.state.logs_dir().join("deliveries.jsonl"),
        ))
    };
    let sink = Arc::new(RunInbound {
        ctx: ctx.clone(),
        cancel: sup.token(),
    });
    let keystore = crate::proxy::Keystore::open(&ctx.state);
    match channels::build_all(&ctx.state, &keystore, sink, HubOptions::default()) {
        Ok(hub) if hub.is_empty() => log(),
        Ok(hub) => {
            let hub = Arc::new(hub);
            ctx.set_channels(Some(hub.clone()));
            sup.spawn("channels", hub.clone().run(sup.token()));
            hub
        }
        Err(e) => {
            tracing::error!(error = %e, "channels.toml does not load; chat channels are off");
            log()
        }
    }
}

/// Wakes the scheduler when `schedules.toml` changes, whoever changed it.
async fn wake_scheduler(
    ctx: Arc<Ctx>,
    scheduler: Arc<Scheduler>,
    cancel: tokio_util::sync::CancellationToken,
) -> Result<(), std::convert::Infallible> {
    let mut changes = ctx.subscribe();
    loop {
        tokio::select! {
            () = cancel.cancelled() => return Ok(()),
            ch = changes.recv() => match ch {
                Ok(StateChange::Schedules) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => scheduler.wake.notify_one(),
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return Ok(()),
                Ok(_) => {}
            },
        }
    }
}
