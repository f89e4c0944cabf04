//! `aigo completions SHELL` and `aigo man`: generated from the clap definitions.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, Outcome};

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell to generate for: bash, zsh, fish, elvish, powershell
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
        None => {
            let mut cmd = command().disable_help_subcommand(true);
            cmd.build();
            render_page(cmd, &mut std::io::stdout())?;
        }
    }
    Ok(Outcome::Success)
}

/// Writes `aigo.1`, `aigo-mount.1`, `aigo-mount-add.1`, … into `dir`: clap's
/// sections plus EXIT STATUS, ENVIRONMENT, FILES and, where there are some, EXAMPLES.
pub fn write_man_pages(dir: &Path) -> anyhow::Result<()> {
    fn generate(cmd: clap::Command, dir: &Path) -> std::io::Result<()> {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
            generate(sub, dir)?;
        }
        let name = clap_mangen::Man::new(cmd.clone()).get_filename();
        let mut file = std::fs::File::create(dir.join(name))?;
        render_page(cmd, &mut file)
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut cmd = command().disable_help_subcommand(true);
    cmd.build();
    generate(cmd, dir).with_context(|| format!("writing man pages to {}", dir.display()))?;
    Ok(())
}

fn render_page(cmd: clap::Command, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let man = clap_mangen::Man::new(cmd);
    let stem = man.get_filename();
    let stem = stem.trim_end_matches(".1");
    man.render(w)?;
    if let Some(examples) = super::man_extra::examples(stem) {
        w.write_all(b".SH EXAMPLES\n")?;
        for (what, line) in examples {
            writeln!(
                w,
                ".TP\n{}\n\\fB{}\\fR",
                roff_escape(what),
                roff_escape(line)
            )?;
        }
    }
    w.write_all(super::man_extra::COMMON.as_bytes())
}

/// Backslashes and leading dots or quotes would be read as roff requests.
fn roff_escape(s: &str) -> String {
    let s = s.replace('\\', "\\e").replace('-', "\\-");
    if s.starts_with(['.', '\'']) {
        format!("\\&{s}")
    } else {
        s
    }
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
