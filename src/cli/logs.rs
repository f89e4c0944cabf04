//! `aigo logs [--last N] [--follow]`: the daemon's log file.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use anyhow::Context;
use clap::Args;
use notify::Watcher;

use super::Outcome;
use crate::state::StateDir;

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// How many of the last lines to show
    #[arg(long, short = 'n', default_value_t = 100)]
    pub last: usize,
    /// Keep printing lines as the daemon writes them (Ctrl-C to stop)
    #[arg(long, short)]
    pub follow: bool,
}

pub async fn run(state: &StateDir, a: LogsArgs) -> anyhow::Result<Outcome> {
    let path = state.log_file();
    let text = match std::fs::read(&path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && a.follow => String::new(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A well-formed "no": there is nothing to show yet.
            eprintln!(
                "no log file at {}: the daemon has not run with this state directory yet (start it with `aigo daemon`)",
                path.display()
            );
            return Ok(Outcome::Negative);
        }
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut out = std::io::stdout().lock();
    for l in &lines[lines.len().saturating_sub(a.last)..] {
        writeln!(out, "{l}")?;
    }
    out.flush()?;
    drop(out);
    if a.follow {
        follow(&path, text.len() as u64).await?;
    }
    Ok(Outcome::Success)
}

/// Prints what is appended to `path`, woken by filesystem events (no polling);
/// starts over when the file is rotated or truncated.
async fn follow(path: &Path, mut pos: u64) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .context("log file has no directory")?
        .to_path_buf();
    std::fs::create_dir_all(&dir)?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut watcher = notify::recommended_watcher(move |ev| {
        let _ = tx.send(ev);
    })?;
    watcher.watch(&dir, notify::RecursiveMode::NonRecursive)?;
    loop {
        pos = print_from(path, pos)?;
        tokio::select! {
            ev = rx.recv() => if ev.is_none() { return Ok(()) },
            _ = tokio::signal::ctrl_c() => return Ok(()),
        }
    }
}

fn print_from(path: &Path, pos: u64) -> anyhow::Result<u64> {
    let Ok(mut f) = std::fs::File::open(path) else {
        return Ok(0);
    };
    let len = f.metadata()?.len();
    let start = if len < pos { 0 } else { pos };
    f.seek(SeekFrom::Start(start))?;
    let mut buf = Vec::new();
    f.read_to_end(&mut buf)?;
    std::io::stdout().write_all(&buf)?;
    std::io::stdout().flush()?;
    Ok(start + buf.len() as u64)
}
