//! `aigo ipc init`, `aigo send`, `aigo close`: the host side of file IPC.

use clap::{Args, Subcommand};

use super::{Outcome, output};
use crate::ipc;
use crate::state::StateDir;

#[derive(Debug, Subcommand)]
pub enum IpcCmd {
    /// Create a session's IPC directories (input, messages, tasks, errors, events)
    Init {
        /// Group the session belongs to
        group: String,
        /// Session id (1-64 of a-z, 0-9, - or _)
        session: String,
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// Group whose running session gets the message
    #[arg(long)]
    pub group: String,
    /// Session to write to (default: the group's newest running one)
    #[arg(long)]
    pub session: Option<String>,
    /// Who the message is from, as the agent sees it
    #[arg(long, default_value = "operator")]
    pub sender: String,
    /// The message text
    pub text: String,
}

#[derive(Debug, Args)]
pub struct CloseArgs {
    /// Group whose running session should finish
    #[arg(long)]
    pub group: String,
    /// Session id (default: the group's latest session)
    #[arg(long)]
    pub session: Option<String>,
}

pub fn run(state: &StateDir, cmd: IpcCmd) -> anyhow::Result<Outcome> {
    match cmd {
        IpcCmd::Init {
            group,
            session,
            json,
        } => {
            let d = ipc::init(state, &group, &session)?;
            if json {
                output::print_json(&d)?;
            } else {
                println!("{}", d.root.display());
            }
        }
    }
    Ok(Outcome::Success)
}

/// The session of the group's running container: nothing is written for an
/// agent that is not there to read it.
async fn dirs(
    state: &StateDir,
    group: &str,
    session: Option<&str>,
) -> anyhow::Result<ipc::SessionDirs> {
    let runner = crate::runs::Runner::connect(state).await?;
    Ok(runner.live_session(group, session).await?.0)
}

pub async fn send(state: &StateDir, a: SendArgs) -> anyhow::Result<Outcome> {
    let d = dirs(state, &a.group, a.session.as_deref()).await?;
    let path = ipc::send(&d, &a.text, &a.sender)?;
    println!("sent to {}/{} ({})", d.group, d.session, path.display());
    Ok(Outcome::Success)
}

pub async fn close(state: &StateDir, a: CloseArgs) -> anyhow::Result<Outcome> {
    let d = dirs(state, &a.group, a.session.as_deref()).await?;
    ipc::close(&d)?;
    println!("asked {}/{} to close", d.group, d.session);
    Ok(Outcome::Success)
}
