//! The long-lived components besides the API, started under one supervisor.

use std::sync::Arc;

use super::Supervisor;
use super::channels;
use super::proxy::{self, ProxyListener};
use super::runs::{DaemonLauncher, housekeeping};
use crate::ctx::{Ctx, StateChange};
use crate::ipc::Router;
use crate::schedule::{ScheduleTasks, Scheduler, WallClock};

/// Starts the chat channels, the IPC router, the credential proxy, run housekeeping and the scheduler.
pub fn spawn(sup: &Supervisor, ctx: &Arc<Ctx>, proxy_listener: ProxyListener) {
    let state = ctx.state.clone();
    // Deliveries go to the chat channels, or to logs/deliveries.jsonl while none is configured.
    let deliveries = channels::spawn(sup, ctx);
    let limits = ctx.config().ipc.clone();
    let tasks = ScheduleTasks::new(state.clone())
        .with_group_limit(limits.max_schedules_per_group)
        .with_total_limit(limits.max_schedules_total);
    let router = Router::with_limits(
        state.clone(),
        ctx.audit.clone(),
        deliveries,
        Arc::new(tasks),
        limits,
    );
    sup.spawn("router", router.run(sup.token()));
    sup.spawn(
        "proxy",
        proxy::run(ctx.clone(), proxy_listener, sup.token()),
    );
    sup.spawn(
        "egress-gateway",
        super::network::gateway(ctx.clone(), sup.token()),
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
