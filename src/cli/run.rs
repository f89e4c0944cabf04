//! `aigo run`, `aigo ps`, `aigo stop ID`, `aigo runs`.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use tokio_util::sync::CancellationToken;

use super::{Outcome, output};
use crate::audit::AuditLog;
use crate::config::Config;
use crate::mounts::MountAllowlist;
use crate::runs::{self, ExtraMount, RunRequest, RunState};
use crate::state::{StateDir, load_toml};

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Group the agent works for (see `aigo group list`)
    #[arg(long)]
    pub group: String,
    /// The first message the agent gets
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
    /// Stop when the agent writes nothing for this long, e.g. 5m
    #[arg(long)]
    pub idle_timeout: Option<String>,
    /// Image to run (default: config.toml image_tag)
    #[arg(long)]
    pub image: Option<String>,
    /// Join this session instead of starting a fresh one
    #[arg(long)]
    pub session: Option<String>,
    /// Start and return; `aigo ps`, `aigo stop` and `aigo runs` follow it
    #[arg(long)]
    pub detach: bool,
    /// Print JSON (the same shape the API returns) instead of text
    #[arg(long)]
    pub json: bool,
}

fn duration(s: &Option<String>, what: &'static str) -> anyhow::Result<Option<Duration>> {
    s.as_deref()
        .map(|t| crate::schedule::parse_duration_ms(t, what).map(Duration::from_millis))
        .transpose()
        .map_err(|e| anyhow::anyhow!("--{what}: {e}"))
}

pub async fn run(state: &StateDir, a: RunArgs) -> anyhow::Result<Outcome> {
    let prompt = match (&a.prompt, &a.prompt_file) {
        (Some(p), _) => p.clone(),
        (None, Some(f)) => {
            std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?
        }
        (None, None) => {
            anyhow::bail!("give the agent something to do: --prompt TEXT or --prompt-file FILE")
        }
    };
    let mounts = a
        .mounts
        .iter()
        .map(|m| m.parse::<ExtraMount>())
        .collect::<Result<Vec<_>, _>>()?;
    let config = Config::load(state)?;
    let allowlist: MountAllowlist = load_toml(&state.mounts())?;
    let docker = runs::docker(&config).await?;
    let req = RunRequest {
        group: a.group.clone(),
        session: a.session.clone(),
        prompt,
        mounts,
        timeout: duration(&a.timeout, "timeout")?,
        idle_timeout: duration(&a.idle_timeout, "idle-timeout")?,
        image: a.image.clone(),
        chat_jid: None,
        owner: if a.detach {
            "detached".into()
        } else {
            format!("cli:{}", std::process::id())
        },
    };
    let audit = AuditLog::open(state);
    let handle = runs::start(state, &config, &allowlist, &audit, &docker, &req).await?;
    if a.detach {
        if a.json {
            output::print_json(&handle.record)?;
        } else {
            println!(
                "started run {} ({}) for group {}",
                handle.record.id, handle.record.container, handle.record.group
            );
        }
        return Ok(Outcome::Success);
    }
    eprintln!(
        "run {} started in {} (Ctrl-C stops it)",
        handle.record.id, handle.record.container
    );
    let cancel = CancellationToken::new();
    let c2 = cancel.clone();
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        c2.cancel();
    });
    let rec = runs::execute(state, &audit, handle, cancel).await;
    if a.json {
        output::print_json(&rec)?;
    } else {
        println!(
            "run {} {:?}{}{}",
            rec.id,
            rec.state,
            rec.exit_code
                .map(|c| format!(", exit code {c}"))
                .unwrap_or_default(),
            rec.reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        );
        println!(
            "log: {}",
            state.runs_dir().join(format!("{}.log", rec.id)).display()
        );
    }
    Ok(
        if rec.state == RunState::Exited && rec.exit_code == Some(0) {
            Outcome::Success
        } else {
            Outcome::Negative
        },
    )
}

pub async fn ps(state: &StateDir, json: bool) -> anyhow::Result<Outcome> {
    let docker = runs::docker(&Config::load(state)?).await?;
    let list = runs::list_running(&docker, false).await?;
    if json {
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
    let docker = runs::docker(&Config::load(state)?).await?;
    let rec = runs::stop_run(state, &docker, id, 10).await?;
    println!("stopped run {} ({})", rec.id, rec.container);
    Ok(Outcome::Success)
}

pub async fn history(state: &StateDir, json: bool) -> anyhow::Result<Outcome> {
    let docker = runs::docker(&Config::load(state)?).await.ok();
    let list = runs::reconciled_history(state, docker.as_ref()).await?;
    if json {
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
                format!("{:?}", r.state).to_lowercase(),
                r.reason.unwrap_or_default(),
            ]);
        }
        println!("{t}");
    }
    Ok(Outcome::Success)
}

/// `aigo schedule run ID`: the schedule's prompt as a foreground run owned by this
/// process; the outcome is appended to the schedule's run log. The slot grid is
/// not touched, so the next scheduled run stays where it was.
pub async fn schedule_now(state: &StateDir, id: &str) -> anyhow::Result<Outcome> {
    use crate::schedule::{self, ContextMode, RunLogEntry, RunStatus};
    let s = schedule::get(state, id)?;
    let config = Config::load(state)?;
    let allowlist: MountAllowlist = load_toml(&state.mounts())?;
    let docker = runs::docker(&config).await?;
    let req = RunRequest {
        group: s.group.clone(),
        session: (s.context_mode == ContextMode::Group).then(|| "scheduled".to_string()),
        prompt: s.prompt.clone(),
        mounts: Vec::new(),
        timeout: s.container_config.timeout_secs.map(Duration::from_secs),
        idle_timeout: None,
        image: None,
        chat_jid: None,
        owner: format!("cli:{}", std::process::id()),
    };
    let audit = AuditLog::open(state);
    let started = jiff::Timestamp::now();
    let outcome = match runs::start(state, &config, &allowlist, &audit, &docker, &req).await {
        Ok(handle) => {
            eprintln!("schedule {} running as run {}", s.id, handle.record.id);
            let rec = runs::execute(state, &audit, handle, CancellationToken::new()).await;
            let summary = format!(
                "run {} {:?}, exit code {:?}",
                rec.id, rec.state, rec.exit_code
            );
            match rec.state {
                RunState::Exited if rec.exit_code == Some(0) => {
                    (RunStatus::Success, Some(summary), None)
                }
                RunState::Timeout | RunState::IdleTimeout => (RunStatus::Timeout, None, rec.reason),
                _ => (RunStatus::Error, Some(summary), rec.reason),
            }
        }
        Err(e) => (RunStatus::Error, None, Some(e.to_string())),
    };
    let entry = RunLogEntry {
        run_at: started,
        duration_ms: u64::try_from(jiff::Timestamp::now().duration_since(started).as_millis())
            .unwrap_or(0),
        status: outcome.0,
        result: outcome.1,
        error: outcome.2,
        scheduled_for: None,
    };
    schedule::append_log(state, &s.id, &entry)?;
    println!(
        "{:?}{}",
        entry.status,
        entry
            .error
            .as_deref()
            .map(|e| format!(": {e}"))
            .unwrap_or_default()
    );
    Ok(if entry.status == RunStatus::Success {
        Outcome::Success
    } else {
        Outcome::Negative
    })
}
