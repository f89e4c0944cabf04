//! The command line: clap definitions, dispatch, rendering. One file per group.
//!
//! Exit codes: 0 success, 1 a negative answer (mount rejected, runtime not
//! available), 2 an error (bad input, unreadable state, usage).

mod audit;
mod channels;
mod daemon;
mod docs;
mod group;
mod image;
mod ipc;
mod logs;
mod man_extra;
mod mount;
mod network;
mod output;
mod proxy;
mod run;
mod runtime;
mod schedule;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::state::StateDir;

pub use docs::{command, write_completions, write_man_pages};

#[derive(Debug, Parser)]
#[command(name = "aigo", version, about = "Run AI agents inside containers safely", long_about = None)]
pub struct Cli {
    /// State directory (default: $AIGO_HOME, else the platform data directory)
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "AIGO_HOME",
        hide_env_values = true
    )]
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
    /// Run the daemon: management API, proxy, scheduler, IPC router
    Daemon(daemon::DaemonArgs),
    /// Manage groups (who agents work for, which chats they may reach)
    #[command(subcommand)]
    Group(group::GroupCmd),
    /// Session IPC directories
    #[command(subcommand)]
    Ipc(ipc::IpcCmd),
    /// Send a follow-up message to a group's running session
    Send(ipc::SendArgs),
    /// Ask a group's running session to finish
    Close(ipc::CloseArgs),
    /// Scheduled agent runs: check expressions, add, list, enable, logs
    #[command(subcommand)]
    Schedule(schedule::ScheduleCmd),
    /// Credential proxy: mappings, keystore, foreground proxy
    #[command(subcommand)]
    Proxy(proxy::ProxyCmd),
    /// Chat channels (Telegram, Slack, Discord, WhatsApp): add, validate, status
    #[command(subcommand)]
    Channels(channels::ChannelsCmd),
    /// The agents' network: egress allowlist and host fence
    #[command(subcommand)]
    Network(network::NetworkCmd),
    /// Run an agent in a container for a group
    Run(run::RunArgs),
    /// List running agent containers
    Ps {
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
        /// Print only run ids, one per line
        #[arg(short, long, conflicts_with = "json")]
        quiet: bool,
    },
    /// Stop a run (the agent gets `_close`, then SIGTERM, then SIGKILL)
    Stop {
        /// Run id (see `aigo ps`)
        id: String,
    },
    /// Run history: id, group, session, image, start, end, exit code, reason
    Runs {
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
        /// Print only run ids, one per line
        #[arg(short, long, conflicts_with = "json")]
        quiet: bool,
    },
    /// Show the daemon's log file
    Logs(logs::LogsArgs),
    /// Show, verify and export the security audit log
    Audit(audit::AuditArgs),
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
    let _log_guard = init_logging(&cli);
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
    let outcome = rt.block_on(run(cli));
    // Work that ignored its cancellation (a blocking call) must not keep the
    // process alive: the daemon has already waited its bounded drain time.
    rt.shutdown_timeout(std::time::Duration::from_millis(500));
    match outcome {
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
        Command::Daemon(a) => daemon::run(&state()?, a).await,
        Command::Group(c) => group::run(&state()?, c),
        Command::Ipc(c) => ipc::run(&state()?, c),
        Command::Send(a) => ipc::send(&state()?, a).await,
        Command::Close(a) => ipc::close(&state()?, a).await,
        Command::Schedule(c) => schedule::run(&state()?, c).await,
        Command::Proxy(c) => proxy::run(&state()?, c).await,
        Command::Channels(c) => channels::run(&state()?, c).await,
        Command::Network(c) => network::run(&state()?, c).await,
        Command::Run(a) => run::run(&state()?, a).await,
        Command::Ps { json, quiet } => run::ps(&state()?, json, quiet).await,
        Command::Stop { id } => run::stop(&state()?, &id).await,
        Command::Runs { json, quiet } => run::history(&state()?, json, quiet).await,
        Command::Logs(a) => logs::run(&state()?, a).await,
        Command::Audit(a) => audit::run(&state()?, a),
        Command::Completions(a) => docs::completions(a),
        Command::Man(a) => docs::man(a),
    }
}

/// The daemon logs at the configured level to stderr and its rotating file; every
/// other command logs warnings only, unless `-v` or `AIGO_LOG` asks for more.
fn init_logging(cli: &Cli) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use crate::logging;
    let runs_daemon = matches!(&cli.command, Command::Daemon(d) if d.runs());
    if runs_daemon && let Ok(state) = StateDir::resolve(cli.home.as_deref()) {
        let level = crate::config::Config::load(&state)
            .map(|c| c.log_level)
            .unwrap_or_else(|_| "info".into());
        match logging::init_daemon(logging::filter(cli.verbose, &level), &state.log_file()) {
            Ok(g) => return Some(g),
            Err(e) => eprintln!(
                "warning: cannot open {}: {e}; logging to stderr only",
                state.log_file().display()
            ),
        }
    }
    logging::init_stderr(logging::filter(cli.verbose, "warn"));
    None
}
