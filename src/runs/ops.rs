//! Run operations shared by the CLI and the API: connect to the engine, list,
//! stop, find a running session, and reconcile records whose watcher went away.

use super::{RunError, RunRecord, RunState, engine, history, load_record};
use crate::config::Config;
use crate::ipc::SessionDirs;
use crate::runtime::{Detection, Engine};
use crate::state::StateDir;

/// The configured or detected engine (Docker, Podman or Apple Container): one version
/// negotiation; full detection only to explain why none answers.
pub async fn connect_engine(config: &Config) -> Result<Engine, RunError> {
    crate::runtime::connect(config)
        .await
        .map_err(RunError::NoRuntime)
}

/// The engine of a detection, or why there is none.
pub fn engine_of(det: &Detection) -> Result<Engine, RunError> {
    det.engine().map_err(RunError::NoRuntime)
}

/// History with `running` records checked against the engine: a run whose
/// container is gone or exited while nobody watched is closed with what is known.
pub async fn reconciled_history(
    state: &StateDir,
    engine: Option<&Engine>,
) -> Result<Vec<RunRecord>, RunError> {
    let mut runs = history(state)?;
    let Some(engine) = engine else {
        return Ok(runs);
    };
    for r in runs.iter_mut().filter(|r| r.state == RunState::Running) {
        let Some(cid) = r.container_id.clone() else {
            continue;
        };
        // A live watcher records the end itself (it may be between removing the
        // container and saving the record): never race it.
        let watched = match r.owner.as_str() {
            "daemon" => daemon_since(state).is_some_and(|since| since <= r.started_at),
            o => o.strip_prefix("cli:").is_some_and(super::engine::pid_alive),
        };
        if watched {
            continue;
        }
        let st = engine::container_state(engine, &cid).await;
        if st.is_some_and(|(running, _)| running) {
            // Nobody watches it, but it runs: orphan clean-up or `aigo stop` ends it.
            continue;
        }
        r.exit_code = st.and_then(|(_, code)| code);
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
            let _ = engine::remove(engine, &cid).await;
        }
    }
    Ok(runs)
}

/// When the daemon running on `state` started (`None`: none runs). Its runs
/// from before that start lost their watcher with the previous daemon.
fn daemon_since(state: &StateDir) -> Option<jiff::Timestamp> {
    let held = crate::state::FileLock::try_acquire(&state.daemon_lock_target())
        .map(|l| l.is_none())
        .unwrap_or(false);
    held.then(|| crate::daemon::DaemonInfo::read(state))
        .flatten()
        .map(|i| i.started_at)
}

/// Stops a run: `_close` for the agent, `grace` to finish, then SIGTERM and
/// SIGKILL. The watcher of the run records it as `stopped`.
pub async fn stop_run(
    state: &StateDir,
    engine: &Engine,
    id: &str,
    grace: std::time::Duration,
) -> Result<RunRecord, RunError> {
    let rec = load_record(state, id)?;
    if rec.state != RunState::Running {
        return Ok(rec);
    }
    let marker = super::lifecycle::stop_marker(state, id);
    crate::state::write_atomic(&marker, b"")?;
    if let Ok(d) = crate::ipc::session_dirs(state, &rec.group, &rec.session) {
        let _ = crate::ipc::close(&d);
    }
    if let Some(cid) = &rec.container_id {
        let exited = tokio::time::timeout(grace, engine::wait_exit(engine, cid)).await;
        if exited.is_err() {
            engine::stop_container(engine, cid, super::lifecycle::STOP_GRACE_SECS).await?;
        }
    }
    Ok(rec)
}

/// The session of `group`'s newest running run (of `session`, when given),
/// checked against the engine: `send` and `close` only talk to a live agent.
pub async fn live_session(
    state: &StateDir,
    engine: &Engine,
    group: &str,
    session: Option<&str>,
) -> Result<(SessionDirs, RunRecord), RunError> {
    crate::groups::check_name(group)?;
    if let Some(s) = session {
        crate::ipc::check_session_id(s)?;
        // A quarantined session is refused for that reason, running or not.
        let dirs = crate::ipc::session_dirs(state, group, s)?;
        if let Some(v) = crate::ipc::is_quarantined(&dirs) {
            return Err(crate::ipc::IpcError::Quarantined {
                group: v.group,
                session: v.session,
                reason: v.found,
                marker: dirs.home().join(crate::ipc::QUARANTINE_MARKER),
            }
            .into());
        }
    }
    let mut runs: Vec<RunRecord> = history(state)?
        .into_iter()
        .filter(|r| r.state == RunState::Running && r.group == group)
        .filter(|r| session.is_none_or(|s| r.session == s))
        .collect();
    runs.sort_by_key(|r| std::cmp::Reverse(r.started_at));
    for r in runs {
        let Some(cid) = &r.container_id else { continue };
        if let Some((true, _)) = engine::container_state(engine, cid).await {
            let dirs = crate::ipc::session_dirs(state, &r.group, &r.session)?;
            return Ok((dirs, r));
        }
    }
    Err(RunError::NotRunning {
        group: group.to_string(),
        session: session
            .map(|s| format!(", session {s:?}"))
            .unwrap_or_default(),
    })
}
