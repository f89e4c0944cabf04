//! A foreground run in the terminal: the agent's replies as they arrive (or
//! the runner's events as JSON lines), each stdin line a follow-up with `-i`
//! (Ctrl-D closes the session), and SIGINT, SIGTERM or SIGHUP stop the container.

use std::io::BufRead;

use tokio_util::sync::CancellationToken;

use crate::cli::output;
use crate::ipc::{RunnerEvent, SessionDirs, TurnStatus};
use crate::runs::{RunHandle, RunRecord, Runner};

pub async fn follow(
    runner: &Runner,
    handle: RunHandle,
    cancel: CancellationToken,
    interactive: bool,
    json: bool,
) -> anyhow::Result<RunRecord> {
    let rec = &handle.record;
    if !json {
        let how = if interactive {
            "type follow-ups, Ctrl-D ends the chat, Ctrl-C stops it"
        } else {
            "Ctrl-C stops it"
        };
        eprintln!("run {} started in {} ({how})", rec.id, rec.container);
    }
    if interactive {
        read_stdin(handle.spec.ipc.clone());
    }
    let log = runner.state().runs_dir().join(format!("{}.log", rec.id));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let printer = async move {
        while let Some(ev) = rx.recv().await {
            show(&ev, json);
        }
    };
    let (rec, ()) = tokio::join!(runner.execute(handle, cancel, Some(tx)), printer);
    if json {
        output::print_json_line(&serde_json::json!({"type": "finished", "run": rec}))?;
    } else {
        match rec.failure() {
            None => eprintln!(
                "run {} {} ({} turn{})",
                rec.id,
                rec.state,
                rec.turns,
                if rec.turns == 1 { "" } else { "s" }
            ),
            Some(why) => eprintln!("run {} {}: {why}", rec.id, rec.state),
        }
        eprintln!("log: {}", log.display());
    }
    Ok(rec)
}

fn show(ev: &RunnerEvent, json: bool) {
    if json {
        let _ = output::print_json_line(ev);
        return;
    }
    match ev {
        RunnerEvent::Started { .. } => {}
        RunnerEvent::Turn {
            status: TurnStatus::Success,
            result,
            ..
        } => println!("{}", result.as_deref().unwrap_or("")),
        RunnerEvent::Turn { error, result, .. } => eprintln!(
            "the agent's turn failed: {}",
            error
                .as_deref()
                .or(result.as_deref())
                .unwrap_or("no reason given")
        ),
        RunnerEvent::Error { message, .. } => eprintln!("the agent runner failed: {message}"),
    }
}

/// Each line is a follow-up; end of input closes the session. A plain thread:
/// a blocking stdin read must not hold up the runtime's shutdown.
fn read_stdin(ipc: SessionDirs) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if line.trim().is_empty() {
                continue;
            }
            if let Err(e) = crate::ipc::send(&ipc, &line, "terminal") {
                eprintln!("error: cannot send: {e}");
            }
        }
        if let Err(e) = crate::ipc::close(&ipc) {
            eprintln!("error: cannot close the session: {e}");
        }
    });
}

/// A token cancelled by SIGINT, SIGTERM or SIGHUP (the terminal closing, or
/// `timeout` killing `aigo run`): the run then stops its container. The
/// handlers are in place when this returns, before any container exists.
pub fn stop_on_signal() -> CancellationToken {
    let cancel = CancellationToken::new();
    let c = cancel.clone();
    let signals = Signals::install();
    tokio::spawn(async move {
        signals.recv().await;
        eprintln!("stopping the run…");
        c.cancel();
    });
    cancel
}

#[cfg(unix)]
struct Signals(
    Option<(
        tokio::signal::unix::Signal,
        tokio::signal::unix::Signal,
        tokio::signal::unix::Signal,
    )>,
);

#[cfg(unix)]
impl Signals {
    fn install() -> Self {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) {
            (Ok(i), Ok(t), Ok(h)) => Self(Some((i, t, h))),
            _ => Self(None),
        }
    }

    async fn recv(self) {
        let Some((mut int, mut term, mut hup)) = self.0 else {
            let _ = tokio::signal::ctrl_c().await;
            return;
        };
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
            _ = hup.recv() => {}
        }
    }
}

#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn install() -> Self {
        Self
    }

    async fn recv(self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}
