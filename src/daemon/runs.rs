//! Agent runs inside the daemon: the scheduler's launcher, orphan clean-up at
//! start, and the periodic security audit of running containers.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::audit::NewEvent;
use crate::ctx::Ctx;
use crate::ipc::BoxFut;
use crate::runs::{self, RunRequest};
use crate::schedule::{Claim, Launcher, RunOutcome};

/// Runs a claimed schedule as an agent run owned by the daemon.
pub struct DaemonLauncher {
    pub ctx: Arc<Ctx>,
    pub cancel: CancellationToken,
}

impl Launcher for DaemonLauncher {
    fn launch<'a>(&'a self, claim: &'a Claim) -> BoxFut<'a, RunOutcome> {
        Box::pin(async move {
            let req = RunRequest::for_schedule(&self.ctx.state, &claim.schedule, "daemon");
            let rec = match self.ctx.runner().await {
                Ok(runner) => runner.run(&req, self.cancel.child_token()).await,
                Err(e) => runs::refuse(&self.ctx.state, &self.ctx.audit, &req, &e).await,
            };
            rec.outcome()
        })
    }
}

/// Component: removes orphaned containers once the runtime is known, then audits
/// running containers every `[runs] compliance_interval_secs`.
pub async fn housekeeping(ctx: Arc<Ctx>, cancel: CancellationToken) -> Result<(), runs::RunError> {
    let det = ctx.runtime().await;
    let Ok(engine) = runs::engine_of(&det) else {
        tracing::info!("no container engine: orphan clean-up and compliance checks are off");
        return Ok(());
    };
    let removed = runs::remove_orphans(&engine, &ctx.state.root().display().to_string()).await?;
    if !removed.is_empty() {
        tracing::info!(count = removed.len(), "removed orphaned aigo containers");
    }
    loop {
        let every = Duration::from_secs(ctx.config().runs.compliance_interval_secs.max(10));
        tokio::select! {
            () = cancel.cancelled() => return Ok(()),
            () = tokio::time::sleep(every) => {}
        }
        let secrets: Vec<String> = crate::proxy::Keystore::open(&ctx.state)
            .load()
            .map(|s| {
                s.names()
                    .filter_map(|n| s.get(n).map(|v| v.expose().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        match runs::check_running(&ctx.state, &engine, &secrets).await {
            Ok(reports) => {
                let events: Vec<NewEvent> = reports
                    .iter()
                    .map(|r| NewEvent::compliance(&r.group, &r.container, &r.failed, r.checked))
                    .collect();
                if !events.is_empty()
                    && let Err(e) = ctx.audit.record_batch(events)
                {
                    tracing::error!(error = %e, "cannot record compliance results");
                }
            }
            Err(e) => tracing::warn!(error = %e, "compliance check failed"),
        }
    }
}
