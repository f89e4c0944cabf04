//! Run operations shared by the CLI and the API: connect to the engine, list,
//! stop, and reconcile records whose watcher went away.

use bollard::Docker;

use super::{RunError, RunRecord, RunState, engine, history, load_record};
use crate::config::Config;
use crate::runtime::Engine;
use crate::state::StateDir;

/// The Docker API client of the configured or detected engine: one version
/// negotiation; full detection only to explain why none answers.
pub async fn docker(config: &Config) -> Result<Docker, RunError> {
    let engine = crate::runtime::connect(config)
        .await
        .map_err(RunError::NoRuntime)?;
    docker_of(Some(&engine), "")
}

pub fn docker_of(rt: Option<&Engine>, message: &str) -> Result<Docker, RunError> {
    match rt {
        Some(e) => e.docker_api().ok_or(RunError::Unsupported),
        None => Err(RunError::NoRuntime(message.to_string())),
    }
}

/// History with `running` records checked against the engine: a run whose
/// container is gone or exited while nobody watched is closed with what is known.
pub async fn reconciled_history(
    state: &StateDir,
    docker: Option<&Docker>,
) -> Result<Vec<RunRecord>, RunError> {
    let mut runs = history(state)?;
    let Some(docker) = docker else {
        return Ok(runs);
    };
    for r in runs.iter_mut().filter(|r| r.state == RunState::Running) {
        let Some(cid) = r.container_id.clone() else {
            continue;
        };
        let st = docker
            .inspect_container(&cid, None)
            .await
            .ok()
            .and_then(|i| i.state);
        let running = st.as_ref().and_then(|s| s.running).unwrap_or(false);
        let watched = r
            .owner
            .strip_prefix("cli:")
            .is_some_and(super::engine::pid_alive)
            || r.owner == "daemon";
        if running || (watched && st.is_some()) {
            continue;
        }
        r.exit_code = st.as_ref().and_then(|s| s.exit_code);
        r.state = if st.is_some() {
            RunState::Exited
        } else {
            RunState::Interrupted
        };
        r.ended_at = Some(jiff::Timestamp::now());
        r.reason
            .get_or_insert_with(|| "ended while nobody was watching".into());
        r.save(state)?;
        if st.is_some() {
            let _ = engine::remove(docker, &cid).await;
        }
    }
    Ok(runs)
}

/// Stops a run: `_close` for the agent, then SIGTERM and SIGKILL after `grace`.
pub async fn stop_run(
    state: &StateDir,
    docker: &Docker,
    id: &str,
    grace_secs: i32,
) -> Result<RunRecord, RunError> {
    let rec = load_record(state, id)?;
    if let Ok(d) = crate::ipc::session_dirs(state, &rec.group, &rec.session) {
        let _ = crate::ipc::close(&d);
    }
    if let Some(cid) = &rec.container_id {
        engine::stop_container(docker, cid, grace_secs).await?;
    }
    Ok(rec)
}
