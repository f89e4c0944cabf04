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
    /// Require `Authorization: Bearer TOKEN` on the API. Visible to every user in
    /// the process list: prefer AIGO_API_TOKEN or --token-file
    #[arg(long, conflicts_with = "token_file")]
    pub token: Option<String>,
    /// Read the API token from FILE (its first line), e.g. a systemd credential.
    /// Without --token or --token-file, AIGO_API_TOKEN is used when set
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<std::path::PathBuf>,
}

impl RunArgs {
    /// The token from --token-file, --token or AIGO_API_TOKEN, in that order.
    fn token(&self) -> anyhow::Result<Option<String>> {
        if let Some(path) = &self.token_file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading the API token file {}", path.display()))?;
            let token = text.lines().next().unwrap_or("").trim().to_string();
            anyhow::ensure!(
                !token.is_empty(),
                "the API token file {} is empty; put the token on its first line",
                path.display()
            );
            return Ok(Some(token));
        }
        if let Some(t) = &self.token {
            eprintln!(
                "warning: --token is visible to every user of this machine in the process list (ps); \
                 pass it as AIGO_API_TOKEN or --token-file FILE instead"
            );
            return Ok(Some(t.clone()).filter(|t| !t.is_empty()));
        }
        Ok(std::env::var("AIGO_API_TOKEN")
            .ok()
            .filter(|t| !t.is_empty()))
    }
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
    let token = r.token()?;
    let addr = match r.bind {
        Some(a) => a,
        None => crate::config::Config::load(state)?.api.bind,
    };
    // Before binding: an exposed API without a token must never answer, even once.
    daemon::check_exposure(addr, token.as_deref())?;
    daemon::ensure_not_running(state)?;
    let listeners = Listeners::bind(state, Some(addr)).await?;
    let options = DaemonOptions { token };
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
