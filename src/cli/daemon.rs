//! `aigo daemon [run] | status | print-unit systemd|launchd`.

use std::net::SocketAddr;

use anyhow::Context;
use clap::{Args, Subcommand};

use super::{Outcome, output};
use crate::daemon::{self, DaemonInfo, DaemonOptions, Listeners, UnitKind};
use crate::state::StateDir;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DaemonArgs {
    #[command(subcommand)]
    pub verb: Option<DaemonVerb>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Args, Clone)]
pub struct RunArgs {
    /// API address (default: [api] bind in config.toml, 127.0.0.1:55765)
    #[arg(long)]
    pub bind: Option<SocketAddr>,
    /// Require `Authorization: Bearer TOKEN` on the API
    #[arg(long, env = "AIGO_API_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum DaemonVerb {
    /// Run in the foreground (the default): logs to stderr and logs/aigo.log
    Run(RunArgs),
    /// Whether a daemon runs on this state directory, and where its API is
    Status {
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
    },
    /// Print a service definition for this machine
    PrintUnit {
        /// Service manager: systemd or launchd
        kind: UnitKind,
    },
}

impl DaemonArgs {
    /// Whether this invocation runs the daemon (rather than a helper verb).
    pub fn runs(&self) -> bool {
        matches!(self.verb, None | Some(DaemonVerb::Run(_)))
    }
}

pub async fn run(state: &StateDir, a: DaemonArgs) -> anyhow::Result<Outcome> {
    match a.verb {
        None => serve(state, a.run).await,
        Some(DaemonVerb::Run(r)) => serve(state, r).await,
        Some(DaemonVerb::Status { json }) => status(state, json),
        Some(DaemonVerb::PrintUnit { kind }) => {
            let exe = std::env::current_exe().context("finding the aigo executable")?;
            for w in daemon::unit_warnings(kind, state.root()) {
                eprintln!("warning: {w}");
            }
            print!("{}", daemon::render_unit(kind, &exe, state.root()));
            Ok(Outcome::Success)
        }
    }
}

async fn serve(state: &StateDir, r: RunArgs) -> anyhow::Result<Outcome> {
    daemon::ensure_not_running(state)?;
    let listeners = Listeners::bind(state, r.bind).await?;
    let options = DaemonOptions {
        token: r.token.filter(|t| !t.is_empty()),
    };
    daemon::run(state.clone(), listeners, options, daemon::shutdown_signal()).await?;
    Ok(Outcome::Success)
}

fn status(state: &StateDir, json: bool) -> anyhow::Result<Outcome> {
    let running = crate::state::FileLock::try_acquire(&state.daemon_lock_target())?.is_none();
    let info = DaemonInfo::read(state).filter(|_| running);
    if json {
        output::print_json(&serde_json::json!({ "running": running, "daemon": info }))?;
    } else if let Some(i) = &info {
        println!(
            "running: pid {}, API http://{}, version {}, since {}",
            i.pid, i.api_address, i.version, i.started_at
        );
    } else {
        println!(
            "not running on {} (start it with `aigo daemon`)",
            state.root().display()
        );
    }
    Ok(if running {
        Outcome::Success
    } else {
        Outcome::Negative
    })
}
