//! `aigo image build|status|history|context`: the agent runner image.

mod build;

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;

use super::{Outcome, output};
use crate::config::Config;
use crate::image::{self, BuildRecord, BuildState, DEFAULT_CONTEXT_FILES, ImageState};
use crate::runtime::Engine;
use crate::state::StateDir;

#[derive(Debug, Subcommand)]
pub enum ImageCmd {
    /// Build the agent image: the embedded default, or --context DIR
    Build(build::BuildArgs),
    /// Is the image ready, building, failed, missing or outdated? Exits 1 unless ready
    Status {
        /// Image tag (default: `image_tag` in config.toml)
        #[arg(long, short)]
        tag: Option<String>,
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
    },
    /// Recent builds, newest first
    History {
        /// Only builds of this tag
        #[arg(long, short)]
        tag: Option<String>,
        /// How many builds to show
        #[arg(long, short = 'n', default_value_t = 10)]
        limit: usize,
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
    },
    /// Write the embedded default build context to DIR, to start a custom image from
    Context {
        /// Directory to write the context into (created if missing)
        dir: PathBuf,
        /// Overwrite files that exist
        #[arg(long)]
        force: bool,
    },
}

pub async fn run(state: &StateDir, cmd: ImageCmd) -> anyhow::Result<Outcome> {
    let config = Config::load(state)?;
    match cmd {
        ImageCmd::Build(a) => build::run(state, &config, a).await,
        ImageCmd::Status { tag, json } => {
            let tag = tag.unwrap_or_else(|| config.image_tag.clone());
            let engine = engine(&config).await.ok();
            let st = image::status(state, engine.as_ref(), &tag).await?;
            if json {
                output::print_json(&st)?;
            } else {
                print_status(&st);
            }
            Ok(if st.status == ImageState::Ready {
                Outcome::Success
            } else {
                Outcome::Negative
            })
        }
        ImageCmd::History { tag, limit, json } => {
            let builds: Vec<BuildRecord> = image::history(state, tag.as_deref(), limit)?;
            if json {
                output::print_json(&builds)?;
            } else if builds.is_empty() {
                println!("No builds yet. Build the agent image with `aigo image build`.");
            } else {
                let mut t = output::table(&["BUILD", "TAG", "STATUS", "STARTED", "TIME", "RESULT"]);
                for b in &builds {
                    let secs = b.finished_at.map(|f| (f - b.started_at).get_seconds());
                    let result = match b.status {
                        BuildState::Succeeded => short_id(b.image_id.as_deref().unwrap_or("")),
                        BuildState::Failed => b.error.clone().unwrap_or_default(),
                        BuildState::Building => format!(
                            "step {}/{}",
                            b.progress.current_step, b.progress.total_steps
                        ),
                    };
                    t.add_row(vec![
                        b.id.to_string(),
                        b.image_tag.clone(),
                        format!("{:?}", b.status).to_lowercase(),
                        b.started_at.strftime("%Y-%m-%d %H:%M:%S").to_string(),
                        secs.map(|s| format!("{s}s")).unwrap_or_default(),
                        result,
                    ]);
                }
                println!("{t}");
            }
            Ok(Outcome::Success)
        }
        ImageCmd::Context { dir, force } => {
            for f in DEFAULT_CONTEXT_FILES {
                let path = dir.join(f.path);
                if path.exists() && !force {
                    anyhow::bail!("{} exists; pass --force to overwrite", path.display());
                }
            }
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            for f in DEFAULT_CONTEXT_FILES {
                let path = dir.join(f.path);
                std::fs::write(&path, f.contents)
                    .with_context(|| format!("writing {}", path.display()))?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(f.mode))?;
                }
            }
            println!(
                "Wrote the default build context to {}; build it with `aigo image build --context {} --tag NAME`",
                dir.display(),
                dir.display()
            );
            Ok(Outcome::Success)
        }
    }
}

/// The engine that answers (Docker, Podman or Apple Container), or why none does.
pub(super) async fn engine(config: &Config) -> anyhow::Result<Engine> {
    crate::runtime::connect(config)
        .await
        .map_err(|why| anyhow::anyhow!("{why}"))
}

fn print_status(st: &image::ImageStatus) {
    println!(
        "{}: {}",
        st.image_tag,
        format!("{:?}", st.status).to_lowercase()
    );
    if let Some(id) = &st.image_id {
        let size = st.size.map(human_size).unwrap_or_default();
        let created = st.created.as_deref().unwrap_or("?");
        println!("  image    {} ({size}, created {created})", short_id(id));
    }
    if let Some(b) = &st.build_id {
        println!("  build    {b}");
    }
    println!("  {}", st.message);
    let show_output = matches!(st.status, ImageState::Failed | ImageState::Building);
    if show_output && !st.output.is_empty() {
        println!("  output:");
        for l in st.output.lines() {
            println!("    {l}");
        }
    }
}

pub(super) fn short_id(id: &str) -> String {
    let hex = id.strip_prefix("sha256:").unwrap_or(id);
    hex.chars().take(12).collect()
}

fn human_size(bytes: i64) -> String {
    let b = bytes as f64;
    match bytes {
        n if n >= 1 << 30 => format!("{:.1} GB", b / f64::from(1u32 << 30)),
        n if n >= 1 << 20 => format!("{:.1} MB", b / f64::from(1u32 << 20)),
        n if n >= 1 << 10 => format!("{:.1} kB", b / 1024.0),
        n => format!("{n} B"),
    }
}
