//! `aigo run`, `aigo ps`, `aigo stop ID`, `aigo runs`, `aigo schedule run ID`:
//! thin calls of the one run service, [`crate::runs::Runner`].

mod detach;
mod follow;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;

use super::{Outcome, output};
use crate::audit::AuditLog;
use crate::runs::{self, ExtraMount, RunError, RunMode, RunRequest, Runner};
use crate::state::StateDir;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Group the agent works for (see `aigo group list`)
    #[arg(long)]
    pub group: String,
    /// The first message the agent gets (optional with -i: then the first line you type)
    #[arg(long, conflicts_with = "prompt_file")]
    pub prompt: Option<String>,
    /// Read the prompt from FILE (- for stdin)
    #[arg(long)]
    pub prompt_file: Option<PathBuf>,
    /// Extra mount HOST_PATH:NAME[:rw], validated against the allowlist (repeatable)
    #[arg(long = "mount", value_name = "HOST:NAME[:rw]")]
    pub mounts: Vec<String>,
    /// Wall-clock limit, e.g. 30m (default: [runs] timeout_secs)
    #[arg(long)]
    pub timeout: Option<String>,
    /// Close the session this long after the agent's last answer or your last
    /// message, e.g. 5m (default: [runs] idle_timeout_secs; 0 = never)
    #[arg(long)]
    pub idle_timeout: Option<String>,
    /// Image to run (default: config.toml image_tag)
    #[arg(long)]
    pub image: Option<String>,
    /// Join this session instead of starting a fresh one
    #[arg(long)]
    pub session: Option<String>,
    /// Chat the agent's replies go to (default: none, they come to this terminal)
    #[arg(long)]
    pub jid: Option<String>,
    /// Start a fresh agent session instead of resuming this chat's last one
    #[arg(long)]
    pub new: bool,
    /// A conversation: each line you type is a follow-up; Ctrl-D ends it
    #[arg(short = 'i', long, conflicts_with = "detach")]
    pub interactive: bool,
    /// Hand the run to the daemon and print its id; `aigo ps`, `aigo stop` and
    /// `aigo runs` follow it
    #[arg(long)]
    pub detach: bool,
    /// Print the runner's events as JSON lines, then the run's record
    #[arg(long)]
    pub json: bool,
}

fn duration(s: &Option<String>, what: &'static str) -> anyhow::Result<Option<Duration>> {
    s.as_deref()
        .map(|t| crate::schedule::parse_duration_ms(t, what).map(Duration::from_millis))
        .transpose()
        .map_err(|e| anyhow::anyhow!("--{what}: {e}"))
}

fn request(a: &RunArgs) -> anyhow::Result<RunRequest> {
    let prompt = match (&a.prompt, &a.prompt_file) {
        (Some(p), _) => p.clone(),
        (None, Some(f)) if f.as_os_str() == "-" => {
            anyhow::ensure!(
                !a.interactive,
                "--prompt-file - reads stdin, which -i uses for your follow-ups; give --prompt instead"
            );
            std::io::read_to_string(std::io::stdin()).context("reading the prompt from stdin")?
        }
        (None, Some(f)) => {
            std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?
        }
        (None, None) if a.interactive => String::new(),
        (None, None) => {
            anyhow::bail!(
                "give the agent something to do: --prompt TEXT or --prompt-file FILE (or -i to chat)"
            )
        }
    };
    let mounts = a
        .mounts
        .iter()
        .map(|m| m.parse::<ExtraMount>())
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RunRequest {
        session: a.session.clone(),
        mounts,
        timeout: duration(&a.timeout, "timeout")?,
        idle_timeout: duration(&a.idle_timeout, "idle-timeout")?.filter(|d| !d.is_zero()),
        image: a.image.clone(),
        chat_jid: a.jid.clone(),
        memory: if a.new {
            runs::Memory::Fresh
        } else {
            runs::Memory::Resume
        },
        mode: if a.interactive {
            RunMode::Conversation
        } else {
            RunMode::OneShot
        },
        ..RunRequest::new(
            a.group.clone(),
            prompt,
            format!("cli:{}", std::process::id()),
        )
    })
}

/// The run service of this state directory; no engine is a refused run
/// (recorded and audited like every other).
async fn connect(state: &StateDir, req: &RunRequest) -> anyhow::Result<Runner> {
    match Runner::connect(state).await {
        Ok(r) => Ok(r),
        Err(e @ (RunError::NoRuntime(_) | RunError::Engine { .. })) => {
            runs::refuse(state, &AuditLog::open(state), req, &e).await;
            Err(e.into())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn run(state: &StateDir, a: RunArgs) -> anyhow::Result<Outcome> {
    let req = request(&a)?;
    if a.detach {
        return detach::run(state, req, a.json).await;
    }
    let cancel = follow::stop_on_signal();
    let runner = connect(state, &req).await?;
    let handle = runner.start(&req).await?;
    let rec = follow::follow(&runner, handle, cancel, a.interactive, a.json).await?;
    Ok(if rec.succeeded() {
        Outcome::Success
    } else {
        Outcome::Negative
    })
}

pub async fn ps(state: &StateDir, json: bool, quiet: bool) -> anyhow::Result<Outcome> {
    let list = Runner::connect(state).await?.ps().await?;
    if quiet {
        output::print_ids(list.iter().map(|c| &c.run));
    } else if json {
        output::print_json(&list)?;
    } else if list.is_empty() {
        println!("No aigo containers are running.");
    } else {
        let mut t = output::table(&["Run", "Group", "Container", "Image", "Status"]);
        for c in list {
            t.add_row(vec![c.run, c.group, c.name, c.image, c.status]);
        }
        println!("{t}");
    }
    Ok(Outcome::Success)
}

pub async fn stop(state: &StateDir, id: &str) -> anyhow::Result<Outcome> {
    let grace = Duration::from_secs(runs::STOP_GRACE_SECS as u64);
    let rec = Runner::connect(state).await?.stop(id, grace).await?;
    if rec.state == runs::RunState::Running {
        println!("stopped run {} ({})", rec.id, rec.container);
    } else {
        println!("run {} had already ended ({})", rec.id, rec.state);
    }
    Ok(Outcome::Success)
}

pub async fn history(state: &StateDir, json: bool, quiet: bool) -> anyhow::Result<Outcome> {
    let list = match Runner::connect(state).await {
        Ok(r) => r.history().await?,
        Err(_) => runs::reconciled_history(state, None).await?,
    };
    if quiet {
        output::print_ids(list.iter().map(|r| &r.id));
    } else if json {
        output::print_json(&list)?;
    } else if list.is_empty() {
        println!("No runs yet. Start one with `aigo run --group main --prompt \"…\"`.");
    } else {
        let mut t = output::table(&[
            "Run", "Group", "Session", "Image", "Started", "Ended", "Exit", "State", "Reason",
        ]);
        for r in list {
            t.add_row(vec![
                r.id,
                r.group,
                r.session,
                r.image,
                r.started_at.strftime("%F %T").to_string(),
                r.ended_at
                    .map(|t| t.strftime("%F %T").to_string())
                    .unwrap_or_default(),
                r.exit_code.map(|c| c.to_string()).unwrap_or_default(),
                r.state.to_string(),
                r.error.or(r.reason).unwrap_or_default(),
            ]);
        }
        println!("{t}");
    }
    Ok(Outcome::Success)
}

/// `aigo schedule run ID`: the schedule's prompt as a foreground one-shot run
/// owned by this process; the outcome (a refusal too) is appended to the
/// schedule's run log. The slot grid is not touched, so the next scheduled run
/// stays where it was.
pub async fn schedule_now(state: &StateDir, id: &str) -> anyhow::Result<Outcome> {
    let cancel = follow::stop_on_signal();
    let runner = Runner::connect(state).await;
    let owner = format!("cli:{}", std::process::id());
    let audit = AuditLog::open(state);
    let started = runs::run_schedule(state, runner, &audit, id, &owner).await?;
    eprintln!(
        "schedule {} running (run {})",
        started.schedule_id, started.handle.record.id
    );
    let (rec, entry) = started.finish(cancel, None).await?;
    if let Some(r) = &entry.result {
        println!("{r}");
    }
    match &entry.error {
        Some(e) => eprintln!("run {} {}: {e}", rec.id, rec.state),
        None => eprintln!("run {} {}", rec.id, rec.state),
    }
    Ok(if rec.succeeded() {
        Outcome::Success
    } else {
        Outcome::Negative
    })
}
