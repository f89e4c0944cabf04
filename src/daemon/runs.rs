//! Agent runs inside the daemon: the scheduler's launcher, orphan clean-up at
//! start, and the periodic security audit of running containers.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::audit::NewEvent;
use crate::ctx::Ctx;
use crate::ipc::BoxFut;
use crate::mounts::MountAllowlist;
use crate::runs::{self, RunRequest, RunState};
use crate::schedule::{Claim, ContextMode, Launcher, RunOutcome, RunStatus};

/// Runs a claimed schedule as an agent run owned by the daemon.
pub struct DaemonLauncher {
    pub ctx: Arc<Ctx>,
    pub cancel: CancellationToken,
}

impl Launcher for DaemonLauncher {
    fn launch<'a>(&'a self, claim: &'a Claim) -> BoxFut<'a, RunOutcome> {
        Box::pin(async move {
            let s = &claim.schedule;
            let req = RunRequest {
                group: s.group.clone(),
                // Group context: the group's standing session; isolated: a fresh one.
                session: (s.context_mode == ContextMode::Group).then(|| "scheduled".to_string()),
                prompt: s.prompt.clone(),
                mounts: Vec::new(),
                timeout: s.timeout_secs.map(Duration::from_secs),
                idle_timeout: None,
                image: None,
                chat_jid: None,
                owner: "daemon".into(),
            };
            let fail = |e: String| RunOutcome {
                status: RunStatus::Error,
                result: None,
                error: Some(e),
            };
            let det = self.ctx.runtime().await;
            let docker = match runs::docker_of(det.runtime.as_ref(), &det.status.message) {
                Ok(d) => d,
                Err(e) => return fail(e.to_string()),
            };
            let allowlist: Arc<MountAllowlist> = self.ctx.mounts();
            let config = self.ctx.config();
            let handle = match runs::start(
                &self.ctx.state,
                &config,
                &allowlist,
                &self.ctx.audit,
                &docker,
                &req,
            )
            .await
            {
                Ok(h) => h,
                Err(e) => return fail(e.to_string()),
            };
            let rec = runs::execute(
                &self.ctx.state,
                &self.ctx.audit,
                handle,
                self.cancel.child_token(),
            )
            .await;
            let summary = format!(
                "run {} {:?}, exit code {:?}",
                rec.id, rec.state, rec.exit_code
            );
            match rec.state {
                RunState::Exited if rec.exit_code == Some(0) => RunOutcome {
                    status: RunStatus::Success,
                    result: Some(summary),
                    error: None,
                },
                RunState::Timeout | RunState::IdleTimeout => RunOutcome {
                    status: RunStatus::Timeout,
                    result: None,
                    error: rec.reason,
                },
                RunState::Stopped => RunOutcome {
                    status: RunStatus::Interrupted,
                    result: None,
                    error: rec.reason,
                },
                _ => RunOutcome {
                    status: RunStatus::Error,
                    result: Some(summary),
                    error: rec.reason,
                },
            }
        })
    }
}

/// Component: removes orphaned containers once the runtime is known, then audits
/// running containers every `[runs] compliance_interval_secs`.
pub async fn housekeeping(ctx: Arc<Ctx>, cancel: CancellationToken) -> Result<(), runs::RunError> {
    let det = ctx.runtime().await;
    let (Some(engine), Ok(docker)) = (
        det.runtime.clone(),
        runs::docker_of(det.runtime.as_ref(), &det.status.message),
    ) else {
        tracing::info!(
            "no Docker-compatible runtime: orphan clean-up and compliance checks are off"
        );
        return Ok(());
    };
    let removed = runs::remove_orphans(&docker, &ctx.state.root().display().to_string()).await?;
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
