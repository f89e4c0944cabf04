//! A run's life: build the spec, hand the prompt to the agent through `input/`,
//! start the container, then wait for it to exit, time out, go idle or be
//! stopped; record everything in the run history and the audit log.

use bollard::Docker;
use futures_util::StreamExt;
use notify::Watcher;
use tokio::io::AsyncWriteExt;
use tokio_util::sync::CancellationToken;

use super::{RunError, RunRecord, RunRequest, RunSpec, RunState, build_spec, engine};
use crate::audit::{AuditLog, NewEvent};
use crate::config::Config;
use crate::mounts::MountAllowlist;
use crate::state::StateDir;

/// How long an agent gets between `_close`/SIGTERM and SIGKILL.
const STOP_GRACE_SECS: i32 = 10;

/// A started run: its spec, its record, and the engine it runs on.
pub struct RunHandle {
    pub spec: RunSpec,
    pub record: RunRecord,
    docker: Docker,
}

/// Builds the spec and starts the container. A rejected mount is audited and
/// nothing starts.
pub async fn start(
    state: &StateDir,
    config: &Config,
    allowlist: &MountAllowlist,
    audit: &AuditLog,
    docker: &Docker,
    req: &RunRequest,
) -> Result<RunHandle, RunError> {
    let mut spec = match build_spec(state, config, allowlist, req) {
        Err(RunError::MountRejected { host, reason }) => {
            let _ = audit
                .record_async(NewEvent::mount_rejected(Some(&req.group), &host, &reason))
                .await;
            return Err(RunError::MountRejected { host, reason });
        }
        other => other?,
    };
    let egress = config.network.egress;
    let prepared = crate::network::prepare(docker, config).await?;
    spec.apply_network(crate::network::container_settings(
        config,
        prepared.as_ref().map(|p| &p.network),
    ));
    let fenced = prepared.as_ref().is_some_and(|p| p.fence.is_installed());
    if egress == crate::network::Egress::Open {
        tracing::warn!(group = %req.group, "{}", egress.describe());
    }
    crate::ipc::send(&spec.ipc, &spec.prompt, "aigo")?;
    let container_id = engine::create_and_start(docker, &spec).await?;
    let record = RunRecord {
        schema_version: 1,
        id: spec.id.clone(),
        group: spec.group.clone(),
        session: spec.session.clone(),
        image: spec.image.clone(),
        container: spec.container_name.clone(),
        container_id: Some(container_id),
        owner: req.owner.clone(),
        started_at: jiff::Timestamp::now(),
        ended_at: None,
        exit_code: None,
        state: RunState::Running,
        reason: None,
        binds: spec.binds.clone(),
    };
    record.save(state)?;
    let details = serde_json::json!({"run": spec.id, "image": spec.image, "session": spec.session, "mounts": spec.binds,
        "egress": egress.as_str(), "network": spec.network, "hostFenced": fenced});
    let _ = audit
        .record_async(NewEvent::container_started(
            &spec.group,
            &spec.container_name,
            details,
        ))
        .await;
    tracing::info!(run = %spec.id, group = %spec.group, container = %spec.container_name, "run started");
    Ok(RunHandle {
        spec,
        record,
        docker: docker.clone(),
    })
}

enum End {
    Exited(Option<i64>),
    Timeout,
    Idle,
    Cancelled,
    Lost(String),
}

/// Waits for the run to end and records how. Never fails: engine trouble
/// becomes the record's `failed` state and reason.
pub async fn execute(
    state: &StateDir,
    audit: &AuditLog,
    handle: RunHandle,
    cancel: CancellationToken,
) -> RunRecord {
    let RunHandle {
        spec,
        mut record,
        docker,
    } = handle;
    let cid = record.container_id.clone().unwrap_or_default();
    let log_path = state.runs_dir().join(format!("{}.log", spec.id));
    let logs = tokio::spawn(copy_logs(docker.clone(), cid.clone(), log_path));

    let (activity_tx, mut activity) = tokio::sync::mpsc::unbounded_channel();
    let _watcher = notify::recommended_watcher(move |_| {
        let _ = activity_tx.send(());
    })
    .and_then(|mut w| {
        w.watch(&spec.ipc.root, notify::RecursiveMode::Recursive)
            .map(|()| w)
    });

    let deadline = tokio::time::Instant::now() + spec.timeout;
    let mut idle_deadline = spec.idle_timeout.map(|d| tokio::time::Instant::now() + d);
    let mut wait = docker.wait_container(&cid, None);
    let end = loop {
        let idle = async {
            match idle_deadline {
                Some(d) => tokio::time::sleep_until(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            r = wait.next() => break match r {
                Some(Ok(w)) => End::Exited(Some(w.status_code)),
                Some(Err(bollard::errors::Error::DockerContainerWaitError { code, .. })) => End::Exited(Some(code)),
                Some(Err(e)) => End::Lost(e.to_string()),
                None => End::Exited(None),
            },
            () = tokio::time::sleep_until(deadline) => break End::Timeout,
            () = idle => break End::Idle,
            () = cancel.cancelled() => break End::Cancelled,
            Some(()) = activity.recv() => {
                idle_deadline = spec.idle_timeout.map(|d| tokio::time::Instant::now() + d);
            }
        }
    };
    drop(wait);
    let (state_now, reason) = match &end {
        End::Exited(code) => (
            RunState::Exited,
            code.filter(|c| *c != 0)
                .map(|c| format!("the agent exited with code {c}")),
        ),
        End::Timeout => (
            RunState::Timeout,
            Some(format!(
                "stopped after the {}s timeout",
                spec.timeout.as_secs()
            )),
        ),
        End::Idle => (
            RunState::IdleTimeout,
            Some("stopped: the agent was idle too long".to_string()),
        ),
        End::Cancelled => (RunState::Stopped, Some("stopped on request".to_string())),
        End::Lost(e) => (
            RunState::Failed,
            Some(format!("lost track of the container: {e}")),
        ),
    };
    if !matches!(end, End::Exited(_)) {
        // Ask nicely first: the runner ends on `_close`; then SIGTERM, then SIGKILL.
        let _ = crate::ipc::close(&spec.ipc);
        if let Err(e) = engine::stop_container(&docker, &cid, STOP_GRACE_SECS).await {
            tracing::warn!(run = %spec.id, error = %e, "cannot stop the container");
        }
    }
    let exit_code = match end {
        End::Exited(c) => c,
        _ => docker
            .inspect_container(&cid, None)
            .await
            .ok()
            .and_then(|i| i.state)
            .and_then(|s| s.exit_code),
    };
    let _ = logs.await;
    if let Err(e) = engine::remove(&docker, &cid).await {
        tracing::warn!(run = %spec.id, error = %e, "cannot remove the container");
    }
    record.ended_at = Some(jiff::Timestamp::now());
    record.exit_code = exit_code;
    record.state = state_now;
    record.reason = reason;
    if let Err(e) = record.save(state) {
        tracing::error!(run = %spec.id, error = %e, "cannot save the run record");
    }
    let _ = audit
        .record_async(NewEvent::container_stopped(
            &spec.group,
            &spec.container_name,
            exit_code,
        ))
        .await;
    tracing::info!(run = %spec.id, state = ?record.state, exit_code = ?exit_code, "run ended");
    record
}

/// Appends the container's stdout and stderr to the run log until it exits.
async fn copy_logs(docker: Docker, cid: String, path: std::path::PathBuf) {
    let Ok(mut file) = tokio::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .await
    else {
        tracing::warn!(file = %path.display(), "cannot open the run log");
        return;
    };
    let opts = bollard::query_parameters::LogsOptionsBuilder::default()
        .follow(true)
        .stdout(true)
        .stderr(true)
        .build();
    let mut stream = docker.logs(&cid, Some(opts));
    while let Some(Ok(chunk)) = stream.next().await {
        if file.write_all(&chunk.into_bytes()).await.is_err() {
            break;
        }
    }
    let _ = file.flush().await;
}
