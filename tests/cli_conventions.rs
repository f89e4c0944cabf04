//! CLI conventions a user relies on: exit codes as the README states them, `-q`
//! on list commands, plain tables when piped, and the tour's group commands.

#![allow(clippy::unwrap_used)]

mod common;

use common::{aigo, json};

#[test]
fn a_group_gains_chats_and_senders_after_it_was_added() {
    let home = tempfile::tempdir().unwrap();
    aigo(home.path())
        .args(["group", "add", "main", "--main", "--jid", "tg:123456"])
        .assert()
        .success();
    // The README's tour binds a second chat to an existing group.
    aigo(home.path())
        .args(["group", "add", "main", "--main", "--jid", "tg:123456789"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("already exists"));
    let out = aigo(home.path())
        .args(["group", "update", "main", "--add-jid", "tg:123456789"])
        .args(["--add-sender", "42", "--description", "me", "--json"])
        .assert()
        .success();
    let g = json(&out.get_output().stdout);
    assert_eq!(g["jids"], serde_json::json!(["tg:123456", "tg:123456789"]));
    assert_eq!(g["senders"], serde_json::json!(["42"]));
    assert_eq!(g["description"], "me");
    aigo(home.path())
        .args(["group", "update", "main", "--remove-jid", "tg:123456"])
        .assert()
        .success()
        .stdout(predicates::str::contains("chats:   tg:123456789"));
    aigo(home.path())
        .args(["group", "update", "main"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("nothing to change"));
    aigo(home.path())
        .args(["group", "update", "nope", "--description", "x"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("aigo group list"));
}

#[test]
fn list_commands_print_ids_with_q_and_plain_tables_when_piped() {
    let home = tempfile::tempdir().unwrap();
    for g in ["main", "family"] {
        let mut c = aigo(home.path());
        c.args(["group", "add", g]);
        if g == "main" {
            c.arg("--main");
        }
        c.assert().success();
    }
    aigo(home.path())
        .args(["group", "list", "-q"])
        .assert()
        .success()
        .stdout("main\nfamily\n");
    // stdout is a pipe here: no box-drawing characters, one row per line.
    let out = aigo(home.path()).args(["group", "list"]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(!text.contains('│') && !text.contains('─'), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1].split_whitespace().next() == Some("main"), "{text}");
    for cmd in [
        &["schedule", "list", "-q"][..],
        &["proxy", "list", "-q"],
        &["runs", "-q"],
    ] {
        aigo(home.path()).args(cmd).assert().success().stdout("");
    }
}

/// Every row of the README's exit-code table that needs no engine, chat service
/// or agent (those are in `cli_runtime`, `channels_telegram`, `run_e2e`), plus
/// the engine-free cases of the others: a dead `DOCKER_HOST` is no runtime.
#[test]
fn exit_codes_follow_the_readme() {
    let home = tempfile::tempdir().unwrap();
    let no_engine = "unix:///nonexistent/docker.sock";
    // 1: a well-formed "no".
    aigo(home.path())
        .args(["logs", "--last", "5"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("aigo daemon"));
    aigo(home.path())
        .args(["daemon", "status"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("not running"));
    aigo(home.path())
        .args(["channels", "status", "telegram"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("not configured"));
    aigo(home.path())
        .args(["mount", "validate", "/etc"])
        .assert()
        .code(1);
    aigo(home.path())
        .args(["schedule", "check", "--cron", "61 * * * *"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("invalid"));
    aigo(home.path())
        .env("DOCKER_HOST", no_engine)
        .args(["runtime"])
        .assert()
        .code(1);
    aigo(home.path())
        .env("DOCKER_HOST", no_engine)
        .args(["image", "status", "--tag", "aigo-test-never-built:0"])
        .assert()
        .code(1);
    // A rejected mount is audited: break that line and verify says no.
    let audit = home.path().join("audit.jsonl");
    let text = std::fs::read_to_string(&audit).unwrap();
    std::fs::write(&audit, text.replacen("/etc", "/etx", 1)).unwrap();
    aigo(home.path())
        .args(["audit", "verify"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("INVALID at line 1"));
    // 2: bad input, unreadable or corrupt state, a refused run, usage.
    aigo(home.path())
        .args(["channels", "status", "carrier-pigeon"])
        .assert()
        .code(2);
    aigo(home.path())
        .args(["group", "add", "Bad Name"])
        .assert()
        .code(2);
    aigo(home.path()).args(["no-such-command"]).assert().code(2);
    aigo(home.path())
        .args(["schedule", "run", "nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("nope"));
    aigo(home.path())
        .env("DOCKER_HOST", no_engine)
        .args(["run", "--group", "nobody", "--prompt", "hi"])
        .assert()
        .code(2);
    std::fs::write(
        home.path().join("groups.toml"),
        "schema_version = 1\ngroups = [\n",
    )
    .unwrap();
    aigo(home.path())
        .args(["group", "list"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("groups.toml"));
    // 0: success.
    std::fs::remove_file(home.path().join("groups.toml")).unwrap();
    aigo(home.path()).args(["group", "list"]).assert().success();
}

/// The systemd unit has `PrivateTmp=yes`: a state directory under /tmp would be
/// a different, empty one for the service, so printing the unit warns.
#[test]
fn print_unit_warns_about_a_state_dir_under_tmp() {
    let tmp_home = tempfile::Builder::new().tempdir_in("/tmp").unwrap();
    let out = aigo(tmp_home.path())
        .args(["daemon", "print-unit", "systemd"])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("warning: the state directory") && err.contains("PrivateTmp=yes"),
        "{err}"
    );
    let unit = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        unit.contains("PrivateTmp=yes") && unit.contains("PrivateTmp=no"),
        "{unit}"
    );
    // A state directory outside /tmp (the checkout itself may be under /tmp).
    let outside = std::env::var_os("HOME")
        .map(std::path::PathBuf::from)
        .filter(|h| !h.starts_with("/tmp") && !h.starts_with("/var/tmp") && h.is_dir());
    if let Some(dir) = outside {
        let home = tempfile::tempdir_in(dir).unwrap();
        aigo(home.path())
            .args(["daemon", "print-unit", "systemd"])
            .assert()
            .success()
            .stderr("");
    } else {
        eprintln!("no directory outside /tmp to try the quiet case in ($HOME)");
    }
    aigo(tmp_home.path())
        .args(["daemon", "print-unit", "launchd"])
        .assert()
        .success()
        .stderr("");
}

/// The README's "The CLI and the API" table stays true: every command (each
/// leaf, and each command that runs by itself) has a row, and every route it
/// names is one the OpenAPI document describes.
#[test]
fn the_readme_maps_every_command_to_a_route_that_exists() {
    fn commands(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
        let path = format!("{path} {}", cmd.get_name()).trim().to_string();
        let subs: Vec<_> = cmd
            .get_subcommands()
            // Hidden commands are for scripts and tests, not documented verbs.
            .filter(|s| s.get_name() != "help" && !s.is_hide_set())
            .collect();
        if subs.is_empty() || (!cmd.is_subcommand_required_set() && path != "aigo") {
            out.push(path.clone());
        }
        for s in subs {
            commands(s, &path, out);
        }
    }
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("### The CLI and the API")
        .nth(1)
        .expect("README section \"The CLI and the API\"")
        .split("\n### ")
        .next()
        .unwrap();
    let rows: Vec<(&str, &str)> = section
        .lines()
        .filter(|l| l.starts_with("| `aigo"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").collect();
            assert_eq!(cells.len(), 2, "{l}");
            (cells[0], cells[1])
        })
        .collect();
    let mut all = Vec::new();
    commands(&aigo::cli::command(), "", &mut all);
    assert!(all.len() > 40, "{all:?}");
    for c in &all {
        assert!(
            rows.iter()
                .any(|(cmds, _)| cmds.contains(&format!("`{c}`"))),
            "README's CLI/API table has no row for `{c}`"
        );
    }
    let ops = aigo::api::operations();
    for (cmds, route) in rows {
        let named: Vec<&str> = route
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|t| t.contains(" /api/"))
            .collect();
        assert!(
            !named.is_empty() || route.starts_with("none: "),
            "{cmds}: name a route or say why none"
        );
        for r in named {
            let (method, path) = r.split_once(' ').unwrap();
            assert!(
                ops.contains(&(method.to_lowercase(), path.to_string())),
                "{cmds}: `{r}` is not in the OpenAPI document"
            );
        }
    }
}
