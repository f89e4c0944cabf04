//! `aigo mount add|remove|list|validate|allowlist`.

use std::io::Read;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};

use super::{Outcome, output};
use crate::groups::Groups;
use crate::mounts::{self, AllowlistBody, MountRequest};
use crate::state::StateDir;

#[derive(Debug, Subcommand)]
pub enum MountCmd {
    /// Allow mounts under ROOT (stored by its canonical path; it must exist)
    Add {
        /// Directory under which mounts are allowed
        root: PathBuf,
        /// Let mounts under this root be read-write when asked for
        #[arg(long)]
        read_write: bool,
        /// What this root is for (shown in `mount list`)
        #[arg(long)]
        description: Option<String>,
        /// ROOT may not exist yet: it matches nothing until it does, and is
        /// checked again (canonical path, not too broad) at every validation
        #[arg(long)]
        pending: bool,
    },
    /// Stop allowing mounts under ROOT
    Remove {
        /// The allowed root to remove (as listed by `mount list`)
        root: PathBuf,
    },
    /// List the allowed roots
    List {
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
    },
    /// Check whether HOST_PATH may be mounted; exits 1 when it may not
    Validate(ValidateArgs),
    /// Show or replace the whole allowlist (the API's JSON)
    #[command(subcommand)]
    Allowlist(AllowlistCmd),
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Host path to check (resolved through symlinks)
    host_path: PathBuf,
    /// Where it would appear (relative to /workspace/extra, or absolute under it)
    #[arg(long)]
    container_path: Option<String>,
    /// Ask for a read-only mount (the default)
    #[arg(long, conflicts_with = "read_write")]
    read_only: bool,
    /// Ask for a read-write mount
    #[arg(long)]
    read_write: bool,
    /// The group asking (non-main groups may be forced read-only)
    #[arg(long)]
    group: Option<String>,
    /// Print JSON (the same shape the API returns) instead of text
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
pub enum AllowlistCmd {
    /// Print the allowlist as `GET …/mount/allowlist` returns it
    Show {
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
    },
    /// Merge a JSON body `{"allowedRoots":[…],"blockedPatterns":[…]}` into the
    /// allowlist by root path (given inline, as @FILE, or - for stdin) and say
    /// what changed. A root given as a bare string keeps its stored read-write
    /// flag and description; `{"path", "allowReadWrite", "description"}` sets them.
    Set {
        /// The JSON body: inline, @FILE, or - for stdin
        body: String,
        /// Remove the roots and extra patterns the body does not list
        #[arg(long)]
        replace: bool,
        /// Print JSON (the same shape the API returns, with `changes`) instead of text
        #[arg(long)]
        json: bool,
    },
}

pub fn run(state: &StateDir, cmd: MountCmd) -> anyhow::Result<Outcome> {
    match cmd {
        MountCmd::Add {
            root,
            read_write,
            description,
            pending,
        } => {
            let r = mounts::add_root(state, &root, read_write, description, pending)?;
            println!(
                "allowed root {} ({}{})",
                r.path,
                if r.allow_read_write {
                    "read-write allowed"
                } else {
                    "read-only"
                },
                if r.pending {
                    "; pending: matches nothing until it exists"
                } else {
                    ""
                }
            );
        }
        MountCmd::Remove { root } => {
            mounts::remove_root(state, &root)?;
            println!("removed allowed root {}", root.display());
        }
        MountCmd::List { json } => {
            let roots = mounts::list_roots(state)?;
            if json {
                output::print_json(&roots)?;
            } else if roots.is_empty() {
                println!(
                    "No allowed roots: every mount is rejected. Add one with `aigo mount add DIR`."
                );
            } else {
                let mut t = output::table(&["Root", "Read-write", "Description"]);
                for r in roots {
                    let path = if r.pending {
                        format!("{} (pending)", r.path)
                    } else {
                        r.path
                    };
                    t.add_row(vec![
                        path,
                        yes_no(r.allow_read_write).into(),
                        r.description.unwrap_or_default(),
                    ]);
                }
                println!("{t}");
            }
        }
        MountCmd::Validate(a) => return validate(state, a),
        MountCmd::Allowlist(AllowlistCmd::Show { json }) => {
            let v = mounts::get_allowlist(state)?;
            if json {
                output::print_json(&v)?;
            } else {
                let mut t = output::table(&["Root", "Read-write", "Description"]);
                for r in &v.allowed_roots {
                    t.add_row(vec![
                        r.path.clone(),
                        yes_no(r.allow_read_write).into(),
                        r.description.clone().unwrap_or_default(),
                    ]);
                }
                println!("{t}");
                println!("Blocked patterns: {}", v.blocked_patterns.join(" "));
                println!(
                    "Non-main groups read-only: {}",
                    yes_no(v.non_main_read_only)
                );
            }
        }
        MountCmd::Allowlist(AllowlistCmd::Set {
            body,
            replace,
            json,
        }) => {
            let text = read_body(&body)?;
            let mut parsed: AllowlistBody = serde_json::from_str(&text)
                .context("invalid allowlist JSON; expected {\"allowedRoots\":[\"/path\", …], \"blockedPatterns\":[…]}")?;
            parsed.replace |= replace;
            let v = mounts::set_allowlist(state, parsed)?;
            for w in &v.warnings {
                eprintln!("warning: {w}");
            }
            if json {
                output::print_json(&v)?;
            } else {
                print_changes(&v);
            }
        }
    }
    Ok(Outcome::Success)
}

fn validate(state: &StateDir, a: ValidateArgs) -> anyhow::Result<Outcome> {
    // A relative path means "relative to where I am" on a command line.
    let host = if a.host_path.is_absolute() {
        a.host_path
    } else {
        std::env::current_dir()?.join(a.host_path)
    };
    let req = MountRequest {
        host_path: host.to_string_lossy().into_owned(),
        container_path: a.container_path,
        read_only: if a.read_write {
            Some(false)
        } else if a.read_only {
            Some(true)
        } else {
            None
        },
        group: a.group.clone(),
    };
    let v = mounts::validate_mount(
        state,
        &req,
        Groups::load(state)?.is_main(a.group.as_deref()),
    )?;
    if !v.allowed {
        let ev =
            crate::audit::NewEvent::mount_rejected(req.group.as_deref(), &req.host_path, &v.reason);
        if let Err(e) = crate::audit::AuditLog::open(state).record(ev) {
            tracing::error!(error = %e, "cannot record the rejection in the audit log");
        }
    }
    if a.json {
        output::print_json(&v)?;
    } else if v.allowed {
        println!(
            "allowed: {} -> {} ({})",
            v.real_host_path.as_deref().unwrap_or_default(),
            v.container_path.as_deref().unwrap_or_default(),
            if v.read_only {
                "read-only"
            } else {
                "read-write"
            }
        );
        println!("  {}", v.reason);
        for m in &v.masked {
            println!("  hidden: {} ({})", m.container_path, m.reason);
        }
    } else {
        println!("rejected: {}", req.host_path);
        println!("  {}", v.reason);
    }
    Ok(if v.allowed {
        Outcome::Success
    } else {
        Outcome::Negative
    })
}

/// What `allowlist set` changed, one root per line.
fn print_changes(v: &mounts::AllowlistView) {
    let c = v.changes.clone().unwrap_or_default();
    if c.is_empty() {
        println!("no change");
    }
    for (what, paths) in [
        ("added", &c.added),
        ("updated", &c.updated),
        ("removed", &c.removed),
    ] {
        for p in paths {
            let now = v.allowed_roots.iter().find(|r| &r.path == p);
            match now {
                Some(r) => println!(
                    "{what:<8} {p} ({}{})",
                    if r.allow_read_write {
                        "read-write allowed"
                    } else {
                        "read-only"
                    },
                    r.description
                        .as_deref()
                        .map(|d| format!(", {d}"))
                        .unwrap_or_default()
                ),
                None => println!("{what:<8} {p}"),
            }
        }
    }
    for (what, pats) in [
        ("added blocked pattern", &c.added_patterns),
        ("removed blocked pattern", &c.removed_patterns),
    ] {
        for p in pats {
            println!("{what} {p}");
        }
    }
    println!(
        "{} allowed root{} now (see `aigo mount list`)",
        v.allowed_roots.len(),
        if v.allowed_roots.len() == 1 { "" } else { "s" }
    );
}

fn read_body(arg: &str) -> anyhow::Result<String> {
    if arg == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading the body from stdin")?;
        Ok(s)
    } else if let Some(path) = arg.strip_prefix('@') {
        std::fs::read_to_string(path).with_context(|| format!("reading the body from {path}"))
    } else {
        Ok(arg.to_string())
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}
