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

#[test]
fn exit_codes_follow_the_readme() {
    let home = tempfile::tempdir().unwrap();
    // 1: a well-formed "no".
    aigo(home.path())
        .args(["logs", "--last", "5"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("aigo daemon"));
    aigo(home.path())
        .args(["channels", "status", "telegram"])
        .assert()
        .code(1);
    aigo(home.path())
        .args(["mount", "validate", "/etc"])
        .assert()
        .code(1);
    // 2: bad input or usage.
    aigo(home.path())
        .args(["channels", "status", "carrier-pigeon"])
        .assert()
        .code(2);
    aigo(home.path())
        .args(["group", "add", "Bad Name"])
        .assert()
        .code(2);
    aigo(home.path()).args(["no-such-command"]).assert().code(2);
    // 0: success.
    aigo(home.path()).args(["group", "list"]).assert().success();
}
