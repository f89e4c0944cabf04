//! `aigo completions SHELL` and `aigo man`: generated from the clap definitions.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, Outcome};

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write one page per command into DIR (default: print `aigo.1` to stdout)
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// The full clap command tree.
pub fn command() -> clap::Command {
    Cli::command()
}

pub fn completions(a: CompletionsArgs) -> anyhow::Result<Outcome> {
    clap_complete::generate(a.shell, &mut command(), "aigo", &mut std::io::stdout());
    Ok(Outcome::Success)
}

pub fn man(a: ManArgs) -> anyhow::Result<Outcome> {
    match a.out_dir {
        Some(dir) => write_man_pages(&dir)?,
        None => clap_mangen::Man::new(command()).render(&mut std::io::stdout())?,
    }
    Ok(Outcome::Success)
}

/// Writes `aigo.1`, `aigo-mount.1`, `aigo-mount-add.1`, … into `dir`.
pub fn write_man_pages(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    clap_mangen::generate_to(command(), dir)
        .with_context(|| format!("writing man pages to {}", dir.display()))?;
    Ok(())
}

/// Writes the completion script for every supported shell into `dir`.
pub fn write_completions(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        clap_complete::generate_to(shell, &mut command(), "aigo", dir)
            .with_context(|| format!("writing {shell} completions to {}", dir.display()))?;
    }
    Ok(())
}
