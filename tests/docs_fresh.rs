//! The committed `completions/` and `man/` must match the clap definitions.
//! Regenerate with `AIGO_UPDATE_DOCS=1 cargo test --test docs_fresh`.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read_to_string(e.path()).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn check(name: &str, generate: fn(&Path) -> anyhow::Result<()>) {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    if std::env::var("AIGO_UPDATE_DOCS").as_deref() == Ok("1") {
        let _ = std::fs::remove_dir_all(&committed);
        generate(&committed).unwrap();
        return;
    }
    let fresh = tempfile::tempdir().unwrap();
    generate(fresh.path()).unwrap();
    let (want, have) = (read_dir(fresh.path()), read_dir(&committed));
    let stale: Vec<_> = want
        .keys()
        .chain(have.keys())
        .filter(|k| want.get(*k) != have.get(*k))
        .collect();
    assert!(
        stale.is_empty(),
        "{name}/ is stale ({stale:?}); run `AIGO_UPDATE_DOCS=1 cargo test --test docs_fresh` and commit"
    );
}

#[test]
fn completions_are_fresh() {
    check("completions", aigo::cli::write_completions);
}

#[test]
fn man_pages_are_fresh() {
    check("man", aigo::cli::write_man_pages);
}

/// Every command says what it does and every argument has help text, so `--help`,
/// the man pages and the completions never show a bare flag.
#[test]
fn every_command_and_argument_has_help() {
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        let path = format!("{path} {}", cmd.get_name()).trim().to_string();
        if cmd.get_about().is_none() && path != "aigo help" && !path.starts_with("aigo help ") {
            missing.push(format!("`{path}` has no about text"));
        }
        for arg in cmd.get_arguments() {
            let builtin = matches!(arg.get_id().as_str(), "help" | "version");
            if !builtin && arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("`{path}` argument `{}` has no help", arg.get_id()));
            }
        }
        for sub in cmd.get_subcommands() {
            if sub.get_name() != "help" {
                walk(sub, &path, missing);
            }
        }
    }
    let mut missing = Vec::new();
    walk(&aigo::cli::command(), "", &mut missing);
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// Man pages are more than `--help`: how a command exits, what it reads, examples.
#[test]
fn man_pages_have_exit_status_files_environment_and_examples() {
    let dir = tempfile::tempdir().unwrap();
    aigo::cli::write_man_pages(dir.path()).unwrap();
    for page in ["aigo.1", "aigo-run.1", "aigo-mount-validate.1"] {
        let text = std::fs::read_to_string(dir.path().join(page)).unwrap();
        for section in [
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH FILES",
            ".SH EXAMPLES",
        ] {
            assert!(text.contains(section), "{page} lacks {section}");
        }
    }
}
