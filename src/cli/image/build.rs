//! `aigo image build`: a foreground build with a progress bar, `--quiet` or `--json` lines.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::super::Outcome;
use super::{engine, short_id};
use crate::config::Config;
use crate::image::{self, BuildEvent, BuildRecord, BuildRequest, BuildState};
use crate::state::StateDir;

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Image tag (default: `image_tag` in config.toml, `aigo-agent-runner:latest`)
    #[arg(long, short)]
    tag: Option<String>,
    /// Build context directory (default: the image embedded in aigo)
    #[arg(long, value_name = "DIR")]
    context: Option<PathBuf>,
    /// Dockerfile path inside the context
    #[arg(long, short = 'f', value_name = "FILE")]
    dockerfile: Option<String>,
    /// Do not use the engine's build cache
    #[arg(long)]
    no_cache: bool,
    /// A build argument (repeatable)
    #[arg(long = "build-arg", value_name = "K=V", value_parser = parse_kv)]
    build_args: Vec<(String, String)>,
    /// Print only the image id
    #[arg(long, short, conflicts_with = "json")]
    quiet: bool,
    /// One JSON object per line: `step` and `log` events, then `finished` with the build record
    #[arg(long)]
    json: bool,
}

fn parse_kv(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        // Like `docker build --build-arg K`: the value comes from the environment.
        None if !s.is_empty() => std::env::var(s)
            .map(|v| (s.to_string(), v))
            .map_err(|_| format!("{s} is not set in the environment; use K=V")),
        _ => Err("expected K=V".into()),
    }
}

pub async fn run(state: &StateDir, config: &Config, a: BuildArgs) -> anyhow::Result<Outcome> {
    let req = BuildRequest {
        image_tag: a.tag.unwrap_or_else(|| config.image_tag.clone()),
        context: a.context,
        dockerfile: a.dockerfile,
        no_cache: a.no_cache,
        build_args: a.build_args.into_iter().collect::<BTreeMap<_, _>>(),
    };
    // Reading and hashing the context overlaps with runtime detection.
    let st = state.clone();
    let prepare = tokio::task::spawn_blocking(move || image::begin(&st, req));
    let (engine, active) = tokio::join!(engine(config), prepare);
    let active = active.context("preparing the build")??;
    let engine = match engine {
        Ok(e) => e,
        Err(e) => {
            active.abandon(&format!("{e:#}"));
            return Err(e);
        }
    };
    let started = std::time::Instant::now();
    let record = if a.json {
        let mut out = std::io::stdout();
        active
            .run(&engine, |ev| {
                if let Ok(line) = serde_json::to_string(ev) {
                    let _ = writeln!(out, "{line}");
                }
            })
            .await
    } else if a.quiet {
        active.run(&engine, |_| {}).await
    } else {
        let record = active.record().clone();
        let pb = progress_bar(&record);
        let tty = std::io::stderr().is_terminal();
        let rec = active
            .run(&engine, |ev| match ev {
                BuildEvent::Step {
                    current_step,
                    total_steps,
                    step,
                } => {
                    pb.set_length(u64::from(*total_steps));
                    pb.set_position(u64::from(*current_step));
                    pb.set_message(step.clone());
                }
                // Above the bar on a terminal; plain lines otherwise (the bar is hidden then).
                BuildEvent::Log { line } if tty => pb.println(line),
                BuildEvent::Log { line } => println!("{line}"),
            })
            .await;
        pb.finish_and_clear();
        rec
    };
    if a.json {
        let line = serde_json::json!({"event": "finished", "build": &record});
        println!("{line}");
    }
    match record.status {
        BuildState::Succeeded => {
            let id = record.image_id.as_deref().unwrap_or("");
            if a.quiet {
                println!("{id}");
            } else if !a.json {
                println!(
                    "Built {} ({}) in {:.1}s (build {})",
                    record.image_tag,
                    short_id(id),
                    started.elapsed().as_secs_f64(),
                    record.id
                );
            }
            Ok(Outcome::Success)
        }
        _ => anyhow::bail!(
            "build {} of {} failed: {}",
            record.id,
            record.image_tag,
            record.error.as_deref().unwrap_or("unknown error")
        ),
    }
}

fn progress_bar(record: &BuildRecord) -> ProgressBar {
    let pb = ProgressBar::new(0);
    let style = ProgressStyle::with_template("{spinner} [{elapsed}] step {pos}/{len} {wide_msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    pb.set_style(style);
    pb.set_message(format!(
        "building {}: sending the context",
        record.image_tag
    ));
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}
