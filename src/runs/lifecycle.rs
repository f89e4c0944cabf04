//! A started run's life, decided by the host from the runner's `events/`:
//! a one-shot run is closed (`_close`) after its first finished turn; a
//! conversation `idle_timeout` after its last finished turn or host message
//! (a new file in `input/`; the runner's own file activity never counts).
//! Woken by notify on `events/` and `input/`; the wall-clock timeout, a
//! cancellation and the container's exit end it too. A change of
//! `schedules.toml` rewrites the run's task snapshot (`current_tasks.json`). Then: the container is
//! removed and the record and audit log say how it ended.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::Watcher;
use notify::event::{EventKind, ModifyKind, RenameMode};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::{RunHandle, RunMode, RunRecord, RunState, Runner, engine};
use crate::audit::NewEvent;
use crate::ipc::{RunnerEvent, SessionDirs, TurnStatus};

/// How long an agent gets between SIGTERM and SIGKILL.
pub const STOP_GRACE_SECS: i32 = 10;
/// How long an agent asked to close (`_close`) gets to finish and exit.
pub const CLOSE_GRACE: Duration = Duration::from_secs(30);

/// Why the loop stopped waiting.
enum End {
    Exited(Option<i64>),
    Timeout,
    Cancelled,
    /// Asked to close, it did not exit within [`CLOSE_GRACE`].
    CloseIgnored,
    /// The agent tampered with its IPC folders; the session is quarantined.
    Quarantined(String),
    Lost(String),
}

/// What woke the loop.
enum Wake {
    Events,
    HostMessage,
    /// `schedules.toml` changed: the task snapshot is rewritten.
    Schedules,
}

/// Writers replace `schedules.toml` in a burst of events; one snapshot per burst.
const SNAPSHOT_DEBOUNCE: Duration = Duration::from_millis(50);

/// The marker `aigo stop` leaves so the watcher records `stopped`, not `finished`.
pub(super) fn stop_marker(state: &crate::state::StateDir, id: &str) -> PathBuf {
    state.runs_dir().join(format!("{id}.stop"))
}

pub(super) async fn execute(
    runner: &Runner,
    handle: RunHandle,
    cancel: CancellationToken,
    out: Option<UnboundedSender<RunnerEvent>>,
) -> RunRecord {
    // The proxy admission lasts as long as this function: to the run's end.
    let RunHandle {
        spec,
        mut record,
        admission,
    } = handle;
    let engine = runner.engine.clone();
    let cid = record.container_id.clone().unwrap_or_default();
    let log_path = runner.state.runs_dir().join(format!("{}.log", spec.id));
    let logs = tokio::spawn(engine::copy_logs(engine.clone(), cid.clone(), log_path));

    let (wake_tx, mut wake) = unbounded_channel();
    let watcher = watch(&spec.ipc, &runner.state.schedules(), wake_tx);
    // Without notify (e.g. an exhausted inotify limit) events are still read, slower.
    let mut fallback = watcher
        .is_err()
        .then(|| tokio::time::interval(Duration::from_millis(500)));
    if let Err(e) = &watcher {
        tracing::warn!(run = %spec.id, error = %e, "cannot watch the IPC directory; reading events every 0.5 s");
    }

    // Subscribed before the first read so a violation found from now on is seen.
    let mut violations = crate::ipc::subscribe_violations();
    let mut already = crate::ipc::is_quarantined(&spec.ipc).map(|v| v.found);
    let deadline = Instant::now() + spec.timeout;
    let mut idle_deadline = spec.idle_timeout.map(|d| Instant::now() + d);
    let mut close_deadline: Option<Instant> = None;
    let mut snapshot_due: Option<Instant> = None;
    let mut idle_closed = false;
    let exit = engine::wait_exit(&engine, &cid);
    tokio::pin!(exit);
    let on_events = |record: &mut RunRecord, close_deadline: &mut Option<Instant>| -> bool {
        let turned = take(&spec.ipc, record, out.as_ref());
        if turned && spec.mode == RunMode::OneShot && close_deadline.is_none() {
            close(&spec.ipc, &spec.id, "its turn is done");
            *close_deadline = Some(Instant::now() + CLOSE_GRACE);
        }
        turned
    };
    on_events(&mut record, &mut close_deadline);
    let end = loop {
        if let Some(found) = already.take() {
            break End::Quarantined(found);
        }
        tokio::select! {
            r = &mut exit => break match r {
                Ok(code) => End::Exited(code),
                Err(e) => End::Lost(e),
            },
            () = tokio::time::sleep_until(deadline) => break End::Timeout,
            () = sleep_opt(close_deadline) => break End::CloseIgnored,
            () = sleep_opt(idle_deadline), if close_deadline.is_none() => {
                idle_closed = true;
                close(&spec.ipc, &spec.id, "it was idle");
                close_deadline = Some(Instant::now() + CLOSE_GRACE);
            }
            () = sleep_opt(snapshot_due) => {
                snapshot_due = None;
                if let Err(e) = super::snapshot::write_tasks(&runner.state, &spec) {
                    // An unsafe IPC folder was quarantined; the violation ends the run.
                    tracing::warn!(run = %spec.id, error = %e, "cannot refresh the task snapshot");
                }
            }
            () = cancel.cancelled() => break End::Cancelled,
            Ok(v) = violations.recv() => {
                if v.group == spec.group && v.session == spec.session {
                    break End::Quarantined(v.found);
                }
            }
            Some(w) = wake.recv() => {
                let activity = match w {
                    Wake::Events => on_events(&mut record, &mut close_deadline),
                    Wake::HostMessage => true,
                    Wake::Schedules => {
                        snapshot_due.get_or_insert(Instant::now() + SNAPSHOT_DEBOUNCE);
                        false
                    }
                };
                if activity {
                    idle_deadline = spec.idle_timeout.map(|d| Instant::now() + d);
                }
            }
            _ = tick(&mut fallback) => {
                if on_events(&mut record, &mut close_deadline) {
                    idle_deadline = spec.idle_timeout.map(|d| Instant::now() + d);
                }
            }
        }
    };
    drop(watcher);
    let stop_requested = std::fs::remove_file(stop_marker(&runner.state, &spec.id)).is_ok();
    let (state_now, reason) = match &end {
        _ if stop_requested => (
            RunState::Stopped,
            Some("stopped with `aigo stop`".to_string()),
        ),
        End::Exited(_) if idle_closed => (
            RunState::IdleTimeout,
            Some(format!(
                "closed after {}s without a turn or message",
                spec.idle_timeout.unwrap_or_default().as_secs()
            )),
        ),
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
        End::CloseIgnored if idle_closed => (
            RunState::IdleTimeout,
            Some(format!(
                "idle for {}s, then stopped: it did not exit within {}s of being closed",
                spec.idle_timeout.unwrap_or_default().as_secs(),
                CLOSE_GRACE.as_secs()
            )),
        ),
        End::CloseIgnored => (
            RunState::Exited,
            Some(format!(
                "stopped: it did not exit within {}s of being closed",
                CLOSE_GRACE.as_secs()
            )),
        ),
        End::Cancelled => (RunState::Stopped, Some("stopped on request".to_string())),
        End::Quarantined(found) => (
            RunState::Stopped,
            Some(format!("stopped: {found}; the session is quarantined")),
        ),
        End::Lost(e) => (
            RunState::Failed,
            Some(format!("lost track of the container: {e}")),
        ),
    };
    if !matches!(end, End::Exited(_)) {
        // Ask nicely first: the runner ends on `_close`; then SIGTERM, then SIGKILL.
        let _ = crate::ipc::close(&spec.ipc);
        if let Err(e) = engine::stop_container(&engine, &cid, STOP_GRACE_SECS).await {
            tracing::warn!(run = %spec.id, error = %e, "cannot stop the container");
        }
    }
    // A turn written just before the exit.
    take(&spec.ipc, &mut record, out.as_ref());
    let exit_code = match end {
        End::Exited(c) => c,
        _ => engine::container_state(&engine, &cid)
            .await
            .and_then(|(_, code)| code),
    };
    let _ = logs.await;
    if let Err(e) = engine::remove(&engine, &cid).await {
        tracing::warn!(run = %spec.id, error = %e, "cannot remove the container");
    }
    if spec.memory != super::Memory::Isolated
        && let Some(id) = &record.agent_session
        && let Err(e) = super::memory::remember(
            &runner.state,
            &spec.group,
            spec.chat_jid.as_deref(),
            id,
            &spec.id,
        )
    {
        tracing::warn!(run = %spec.id, error = %e, "cannot remember the agent's session");
    }
    record.ended_at = Some(jiff::Timestamp::now());
    record.exit_code = exit_code;
    record.state = state_now;
    record.reason = reason;
    if let Some(a) = &admission {
        record.mappings = a.used();
    }
    // Ends the run's admission to the proxy (it cannot call any more).
    drop(admission);
    if let Err(e) = record.save(&runner.state) {
        tracing::error!(run = %spec.id, error = %e, "cannot save the run record");
    }
    let _ = runner
        .audit
        .record_async(NewEvent::container_stopped(
            &spec.group,
            &spec.container_name,
            exit_code,
        ))
        .await;
    tracing::info!(run = %spec.id, state = %record.state, exit_code = ?exit_code, turns = record.turns, "run ended");
    record
}

/// Consumes `events/` into the record; true when a turn finished.
fn take(
    ipc: &SessionDirs,
    record: &mut RunRecord,
    out: Option<&UnboundedSender<RunnerEvent>>,
) -> bool {
    let mut turned = false;
    // An unsafe IPC folder quarantines the session inside `read_events`; the
    // violation broadcast then ends the run.
    let events = match crate::ipc::read_events(ipc) {
        Ok(evs) => evs,
        Err(e) => {
            tracing::warn!(run = %record.id, error = %e, "cannot read the runner's events");
            Vec::new()
        }
    };
    for (_, ev) in events {
        match &ev {
            RunnerEvent::Started { .. } => {}
            RunnerEvent::Turn {
                status,
                session_id,
                result,
                error,
                ..
            } => {
                turned = true;
                record.turns += 1;
                record.result = result.clone();
                if session_id.is_some() {
                    record.agent_session = session_id.clone();
                }
                record.error = match status {
                    TurnStatus::Success => None,
                    TurnStatus::Error => Some(
                        error
                            .clone()
                            .unwrap_or_else(|| "the agent's turn failed".to_string()),
                    ),
                };
            }
            RunnerEvent::Error { message, .. } => record.error = Some(message.clone()),
        }
        if let Some(tx) = out {
            let _ = tx.send(ev);
        }
    }
    turned
}

fn close(ipc: &SessionDirs, run: &str, why: &str) {
    match crate::ipc::close(ipc) {
        Ok(_) => tracing::info!(run, why, "closing the session"),
        Err(e) => tracing::warn!(run, error = %e, "cannot write _close"),
    }
}

async fn sleep_opt(at: Option<Instant>) {
    match at {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}

async fn tick(i: &mut Option<tokio::time::Interval>) {
    match i {
        Some(i) => {
            i.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// Watches `events/` (anything), `input/` (a new message from the host) and
/// the state directory for `schedules.toml` being replaced.
fn watch(
    ipc: &SessionDirs,
    schedules: &Path,
    tx: UnboundedSender<Wake>,
) -> Result<notify::RecommendedWatcher, notify::Error> {
    let (events, input) = (ipc.events.clone(), ipc.input.clone());
    let schedules_file = schedules.to_path_buf();
    // Links in the agent's IPC folders are never followed, not even to watch.
    let mut w = notify::RecommendedWatcher::new(
        move |r: notify::Result<notify::Event>| {
            let Ok(ev) = r else { return };
            if ev
                .paths
                .iter()
                .any(|p| p.parent() == Some(events.as_path()))
            {
                let _ = tx.send(Wake::Events);
            } else if host_message(&ev, &input) {
                let _ = tx.send(Wake::HostMessage);
            } else if super::snapshot::is_schedules_change(&ev, &schedules_file) {
                let _ = tx.send(Wake::Schedules);
            }
        },
        notify::Config::default().with_follow_symlinks(false),
    )?;
    w.watch(&ipc.events, notify::RecursiveMode::NonRecursive)?;
    w.watch(&ipc.input, notify::RecursiveMode::NonRecursive)?;
    if let Some(dir) = schedules.parent() {
        w.watch(dir, notify::RecursiveMode::NonRecursive)?;
    }
    Ok(w)
}

/// A message file appearing in `input/` (created or renamed into place); the
/// runner consuming (deleting) one is not.
fn host_message(ev: &notify::Event, input: &Path) -> bool {
    let paths: Vec<&PathBuf> = match ev.kind {
        EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(RenameMode::To)) => {
            ev.paths.iter().collect()
        }
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => ev.paths.iter().skip(1).collect(),
        _ => Vec::new(),
    };
    paths.into_iter().any(|p| {
        p.parent() == Some(input)
            && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                !n.starts_with('.') && !n.ends_with(".tmp") && n != crate::ipc::CLOSE_FILE
            })
    })
}
