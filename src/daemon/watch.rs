//! Component: watches the state directory (notify, debounced) and applies what the
//! CLI changed, so `aigo mount add` shows through the API without a restart.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use notify::Watcher;
use tokio_util::sync::CancellationToken;

use crate::ctx::{Ctx, StateChange};

/// Editors and atomic writers produce bursts of events; one reload per burst.
const DEBOUNCE: Duration = Duration::from_millis(50);

pub async fn run(ctx: Arc<Ctx>, cancel: CancellationToken) -> Result<(), notify::Error> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev {
            let _ = tx.send(ev);
        }
    })?;
    watcher.watch(ctx.state.root(), notify::RecursiveMode::NonRecursive)?;
    loop {
        let first = tokio::select! {
            () = cancel.cancelled() => return Ok(()),
            ev = rx.recv() => match ev { Some(ev) => ev, None => return Ok(()) },
        };
        let mut names = BTreeSet::new();
        collect(&first, &mut names);
        let deadline = tokio::time::Instant::now() + DEBOUNCE;
        while let Ok(Some(ev)) = tokio::time::timeout_at(deadline, rx.recv()).await {
            collect(&ev, &mut names);
        }
        for name in names {
            let change = match name.as_str() {
                "config.toml" => StateChange::Config,
                "mounts.toml" => StateChange::Mounts,
                "schedules.toml" => StateChange::Schedules,
                "groups.toml" => StateChange::Groups,
                _ => StateChange::Other(name),
            };
            tracing::debug!(?change, "state file changed");
            ctx.reload(&change);
        }
    }
}

/// Keeps the names of real state files; skips temp files, locks and the daemon's own.
fn collect(ev: &notify::Event, names: &mut BTreeSet<String>) {
    if ev.kind.is_access() {
        return;
    }
    for p in &ev.paths {
        let Some(name) = p.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        if name.starts_with('.')
            || name.ends_with(".lock")
            || name.ends_with(".tmp")
            || name == "daemon.json"
        {
            continue;
        }
        names.insert(name);
    }
}
