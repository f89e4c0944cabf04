//! The command line: clap definitions, dispatch, rendering. One file per group.
//!
//! Exit codes: 0 success, 1 a negative answer (mount rejected, runtime not
//! available), 2 an error (bad input, unreadable state, usage).

mod docs;
mod image;
mod logs;
mod mount;
mod output;
mod runtime;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::state::StateDir;

pub use docs::{command, write_completions, write_man_pages};

#[derive(Debug, Parser)]
#[command(name = "aigo", version, about = "Run AI agents inside containers safely", long_about = None)]
pub struct Cli {
    /// State directory (default: $AIGO_HOME, else the platform data directory)
    #[arg(long, global = true, value_name = "DIR", env = "AIGO_HOME")]
    pub home: Option<PathBuf>,
    /// More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Detect the container runtime (Docker, Podman, Apple Container)
    Runtime(runtime::RuntimeArgs),
    /// Build the agent runner image and report its status
    #[command(subcommand)]
    Image(image::ImageCmd),
    /// Manage the mount allowlist and validate mounts
    #[command(subcommand)]
    Mount(mount::MountCmd),
    /// Show the daemon's log file
    Logs(logs::LogsArgs),
    /// Print a shell completion script
    Completions(docs::CompletionsArgs),
    /// Write man pages
    Man(docs::ManArgs),
}

/// What a command reports besides its output.
pub enum Outcome {
    Success,
    /// A well-formed "no" (exit 1).
    Negative,
}

/// Runs a parsed command line to completion and returns the process exit code.
pub fn main(cli: Cli) -> ExitCode {
    crate::logging::init_stderr(crate::logging::filter(cli.verbose, "warn"));
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match rt.block_on(run(cli)) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Negative) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let home = cli.home.clone();
    let state = || StateDir::resolve(home.as_deref());
    match cli.command {
        Command::Runtime(a) => runtime::run(&state()?, a).await,
        Command::Image(c) => image::run(&state()?, c).await,
        Command::Mount(c) => mount::run(&state()?, c),
        Command::Logs(a) => logs::run(&state()?, a).await,
        Command::Completions(a) => docs::completions(a),
        Command::Man(a) => docs::man(a),
    }
}
