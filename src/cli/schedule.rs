//! `aigo schedule check|add|list|show|enable|disable|remove|logs`: everything
//! about schedules that needs no running daemon (the daemon fires them).

use anyhow::Context;
use clap::{Args, Subcommand};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::{Outcome, output};
use crate::schedule::{
    self, CheckRequest, CheckResult, ContainerConfig, ContextMode, CronError, NewSchedule,
    ScheduleSpec,
};
use crate::state::StateDir;
use render::{last, show, warn_all, when, zone_of};

mod render;

#[derive(Debug, Subcommand)]
pub enum ScheduleCmd {
    /// Show when a schedule fires (next runs in the zone and UTC), what it means
    /// in words, and DST or calendar surprises; exits 1 when it is invalid.
    ///
    /// DST: a time in a spring-forward gap fires once, when the gap ends; a time
    /// that repeats when clocks fall back fires once, at its first occurrence.
    /// A naive --at/--from (2026-12-01T09:00) is read in the zone; one with an
    /// offset or Z is taken as given.
    Check(CheckArgs),
    /// Add a schedule that runs PROMPT in GROUP's agent container
    Add(AddArgs),
    /// List schedules with their next run
    List {
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
        /// Print only ids (names), one per line
        #[arg(short, long, conflicts_with = "json")]
        quiet: bool,
    },
    /// Show one schedule (by id or unique name) and its next runs
    Show {
        /// Schedule id or unique name
        id: String,
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
    },
    /// Enable a schedule; missed slots are skipped, not replayed
    Enable {
        /// Schedule id or unique name
        id: String,
    },
    /// Disable (pause) a schedule
    Disable {
        /// Schedule id or unique name
        id: String,
    },
    /// Remove a schedule (its run log is kept)
    Remove {
        /// Schedule id or unique name
        id: String,
    },
    /// Run a schedule's prompt now, in the foreground, outside its slots; the
    /// result goes to the schedule's run log
    Run {
        /// Schedule id or unique name
        id: String,
    },
    /// Show a schedule's run log
    Logs {
        /// Schedule id or unique name
        id: String,
        /// Only the last N runs
        #[arg(long, value_name = "N", default_value_t = 20)]
        last: usize,
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
    },
}

/// Exactly one way of saying when.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct When {
    /// Standard 5-field cron (minute hour day-of-month month day-of-week), or
    /// @hourly @daily @weekly @monthly @yearly
    #[arg(long, value_name = "EXPR", allow_hyphen_values = true)]
    cron: Option<String>,
    /// A fixed interval: 30m, 1h30m, 45s, 1500ms
    #[arg(long, value_name = "DURATION")]
    every: Option<String>,
    /// Once, at a timestamp: 2026-12-01T09:00 (in the zone) or with an offset/Z
    #[arg(long, value_name = "TIMESTAMP")]
    at: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    when: When,
    /// IANA time zone (default: the system's)
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// Pretend it is now TIMESTAMP, for a reproducible answer
    #[arg(long, value_name = "TIMESTAMP")]
    from: Option<String>,
    /// How many next runs to show
    #[arg(long, value_name = "N", default_value_t = schedule::DEFAULT_COUNT)]
    count: usize,
    /// Print JSON (the same shape the API returns) instead of text
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// A name to refer to the schedule by (unique)
    #[arg(long)]
    name: String,
    /// Group whose agent runs the prompt
    #[arg(long, default_value = "main")]
    group: String,
    /// What the agent is asked to do
    #[arg(long)]
    prompt: String,
    #[command(flatten)]
    when: When,
    /// Stop a run after this long (e.g. 300s, 10m)
    #[arg(long, value_name = "DURATION")]
    timeout: Option<String>,
    /// Run in the group's session, or in a fresh one each time
    #[arg(long, value_name = "MODE", value_parser = ["group", "isolated"], default_value = "group")]
    context: String,
    /// IANA time zone for cron fields and a naive --at (default: the system's)
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// Add it paused
    #[arg(long)]
    disabled: bool,
    /// Print JSON (the same shape the API returns) instead of text
    #[arg(long)]
    json: bool,
}

impl When {
    fn spec(self) -> Result<ScheduleSpec, CronError> {
        Ok(match (self.cron, self.every, self.at) {
            (Some(c), _, _) => ScheduleSpec::Cron(c),
            (_, Some(e), _) => ScheduleSpec::Interval(schedule::parse_duration_ms(&e, "every")?),
            (_, _, Some(a)) => ScheduleSpec::Once(a),
            // clap's group makes one of them required.
            _ => return Err(CronError::new(None, "give --cron, --every or --at")),
        })
    }
}

pub async fn run(state: &StateDir, cmd: ScheduleCmd) -> anyhow::Result<Outcome> {
    let now = Timestamp::now();
    match cmd {
        ScheduleCmd::Check(a) => return check(a, now),
        ScheduleCmd::Add(a) => add(state, a, now)?,
        ScheduleCmd::List { json, quiet } => {
            let all = schedule::list(state)?;
            if quiet {
                output::print_ids(all.iter().map(|v| &v.id));
            } else if json {
                output::print_json(&all)?;
            } else if all.is_empty() {
                println!(
                    "No schedules. Add one with `aigo schedule add --name … --prompt … --cron …`."
                );
            } else {
                let mut t = output::table(&[
                    "ID", "Name", "Group", "When", "Next run", "Last run", "Status",
                ]);
                for v in &all {
                    let tz = zone_of(v);
                    t.add_row(vec![
                        v.id.clone(),
                        v.name.clone(),
                        v.group.clone(),
                        v.description.clone(),
                        when(&tz, v.next_run),
                        last(&tz, v),
                        v.status.clone(),
                    ]);
                }
                println!("{t}");
            }
        }
        ScheduleCmd::Show { id, json } => {
            let v = schedule::get(state, &id)?;
            if json {
                output::print_json(&v)?;
            } else {
                show(&v, now);
            }
        }
        ScheduleCmd::Enable { id } => {
            let v = schedule::set_enabled(state, &id, true, now)?;
            warn_all(&v.warnings);
            println!(
                "enabled {} ({}); next run {}",
                v.id,
                v.name,
                when(&zone_of(&v), v.next_run)
            );
        }
        ScheduleCmd::Disable { id } => {
            let v = schedule::set_enabled(state, &id, false, now)?;
            println!("disabled {} ({})", v.id, v.name);
        }
        ScheduleCmd::Remove { id } => {
            let v = schedule::delete(state, &id)?;
            let log = schedule::log_path(state, &v.id);
            if log.exists() {
                println!(
                    "removed {} ({}); its run log stays in {}",
                    v.id,
                    v.name,
                    log.display()
                );
            } else {
                println!("removed {} ({})", v.id, v.name);
            }
        }
        ScheduleCmd::Run { id } => return super::run::schedule_now(state, &id).await,
        ScheduleCmd::Logs { id, last, json } => {
            let entries = schedule::logs(state, &id, Some(last))?;
            if json {
                output::print_json(&entries)?;
            } else if entries.is_empty() {
                println!("No runs recorded for {id} yet.");
            } else {
                let tz = TimeZone::system();
                let mut t = output::table(&["Run at", "Duration", "Status", "Result / error"]);
                for e in entries {
                    let text = e.error.or(e.result).unwrap_or_default();
                    t.add_row(vec![
                        when(&tz, Some(e.run_at)),
                        schedule::format_ms(e.duration_ms),
                        format!("{:?}", e.status).to_lowercase(),
                        text.chars().take(200).collect(),
                    ]);
                }
                println!("{t}");
            }
        }
    }
    Ok(Outcome::Success)
}

fn check(a: CheckArgs, now: Timestamp) -> anyhow::Result<Outcome> {
    let result = match a.when.spec() {
        Ok(spec) => schedule::check(
            &CheckRequest {
                schedule: spec,
                timezone: a.tz,
                from: a.from,
                count: Some(a.count),
            },
            now,
        ),
        Err(e) => CheckResult::invalid(e),
    };
    if a.json {
        output::print_json(&result)?;
    } else if let Some(err) = &result.error {
        println!("invalid: {err}");
    } else {
        let zone = result.timezone.clone().unwrap_or_default();
        println!("{}", result.description.as_deref().unwrap_or_default());
        let tz = schedule::resolve_zone(Some(&zone)).unwrap_or_else(|_| TimeZone::system());
        if result.next_runs.is_empty() {
            println!(
                "It does not fire after {}.",
                result.from.map(|t| t.to_string()).unwrap_or_default()
            );
        } else {
            let mut t = output::table(&[&format!("Next runs ({zone})"), "UTC"]);
            for r in &result.next_runs {
                t.add_row(vec![when(&tz, Some(*r)), r.to_string()]);
            }
            println!("{t}");
        }
        warn_all(&result.warnings);
    }
    Ok(if result.valid {
        Outcome::Success
    } else {
        Outcome::Negative
    })
}

fn add(state: &StateDir, a: AddArgs, now: Timestamp) -> anyhow::Result<()> {
    let timeout_secs = a
        .timeout
        .map(|t| schedule::parse_duration_ms(&t, "timeout").map(|ms| ms.div_ceil(1000)))
        .transpose()?;
    let body = NewSchedule {
        name: a.name,
        group: a.group,
        prompt: a.prompt,
        schedule: a.when.spec()?,
        container_config: ContainerConfig { timeout_secs },
        context_mode: if a.context == "isolated" {
            ContextMode::Isolated
        } else {
            ContextMode::Group
        },
        enabled: !a.disabled,
        timezone: a.tz,
    };
    let v = schedule::create(state, body, now).context("cannot add the schedule")?;
    if a.json {
        output::print_json(&v)?;
        return Ok(());
    }
    warn_all(&v.warnings);
    println!("added schedule {} ({}): {}", v.id, v.name, v.description);
    if v.enabled {
        println!("  next run {}", when(&zone_of(&v), v.next_run));
    } else {
        println!("  disabled; enable it with `aigo schedule enable {}`", v.id);
    }
    Ok(())
}
