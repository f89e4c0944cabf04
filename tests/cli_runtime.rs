//! `aigo runtime`: against this machine's engine, a dead DOCKER_HOST, and a fake
//! Apple `container` CLI on PATH.

#![allow(clippy::unwrap_used)]

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{aigo, docker_or_skip, json};

#[test]
fn docker_engine_is_detected_with_its_version() {
    if !docker_or_skip("docker_engine_is_detected_with_its_version") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let out = aigo(home.path())
        .args(["runtime", "--json"])
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    assert_eq!(v["available"], true);
    assert_eq!(v["backend"], "docker");
    let engine = std::process::Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .output()
        .unwrap();
    assert_eq!(v["version"], String::from_utf8_lossy(&engine.stdout).trim());
    assert_eq!(
        v["networking"]["extraRunArgs"][0],
        "--add-host=host-gateway:host-gateway"
    );
    let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        ["available", "backend", "message", "networking", "version"]
    );
    // `status` is an alias for the bare command.
    aigo(home.path())
        .args(["runtime", "status"])
        .assert()
        .success();
    // The egress mode is part of the answer; `open` says what it means.
    assert_eq!(v["networking"]["egress"], "proxy-only");
    std::fs::write(
        home.path().join("config.toml"),
        "[network]\negress = \"open\"\n",
    )
    .unwrap();
    let out = aigo(home.path()).args(["runtime"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains("egress OPEN") && text.contains("host services"),
        "{text}"
    );
}

#[test]
fn a_dead_docker_host_is_reported_with_a_fix_and_exit_1() {
    let home = tempfile::tempdir().unwrap();
    let out = aigo(home.path())
        .env("DOCKER_HOST", "unix:///nonexistent")
        .args(["runtime", "--json"])
        .assert()
        .code(1);
    let v = json(&out.get_output().stdout);
    assert_eq!(v["available"], false);
    assert_eq!(v["backend"], serde_json::Value::Null);
    let msg = v["message"].as_str().unwrap();
    assert!(msg.contains("unix:///nonexistent"), "{msg}");
    assert!(msg.contains("DOCKER_HOST"), "{msg}");
    assert!(msg.contains("Fix:"), "{msg}");
}

#[test]
fn a_tcp_docker_host_that_refuses_is_named() {
    let home = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = aigo(home.path())
        .env("DOCKER_HOST", format!("tcp://127.0.0.1:{port}"))
        .args(["runtime"])
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("Not available"), "{text}");
    assert!(text.contains(&format!("tcp://127.0.0.1:{port}")), "{text}");
}

/// A stand-in for Apple's `container` CLI: answers `--version` and `system status`,
/// and logs its arguments so the test sees what aigo ran.
fn fake_container(dir: &std::path::Path, running: bool) {
    let script = format!(
        "#!/bin/sh\necho \"$@\" >> \"{log}\"\ncase \"$1 $2\" in\n  \"--version \") echo 'container CLI version 0.2.0 (build: release, commit: 1234)';;\n  \"system status\") {status};;\n  *) echo unknown >&2; exit 2;;\nesac\n",
        log = dir.join("calls.log").display(),
        status = if running {
            "echo 'apiserver is running'; echo 'container-apiserver version 0.2.0 (build: release, commit: 1234)'"
        } else {
            "echo 'apiserver is not running' >&2; exit 1"
        }
    );
    let bin = dir.join("container");
    std::fs::write(&bin, script).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn apple_container_is_detected_through_its_cli_when_configured() {
    let home = tempfile::tempdir().unwrap();
    let bin = tempfile::tempdir().unwrap();
    fake_container(bin.path(), true);
    std::fs::write(
        home.path().join("config.toml"),
        "runtime = \"apple_container\"\n",
    )
    .unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap()
    );
    let out = aigo(home.path())
        .env("PATH", path)
        .args(["runtime", "--json"])
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    assert_eq!(v["backend"], "apple_container");
    assert_eq!(v["version"], "0.2.0");
    assert_eq!(v["networking"]["hostGateway"], "192.168.64.1");
    assert_eq!(v["message"], "Apple Container runtime detected");
    let calls = std::fs::read_to_string(bin.path().join("calls.log")).unwrap();
    // Only documented syntax: `system status` (which names the version), no `--version`.
    assert!(
        calls.contains("system status") && !calls.contains("--version"),
        "{calls}"
    );
}

#[test]
fn apple_container_stopped_says_how_to_start_it() {
    let home = tempfile::tempdir().unwrap();
    let bin = tempfile::tempdir().unwrap();
    fake_container(bin.path(), false);
    std::fs::write(
        home.path().join("config.toml"),
        "runtime = \"apple_container\"\n",
    )
    .unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap()
    );
    let out = aigo(home.path())
        .env("PATH", path)
        .args(["runtime", "--json"])
        .assert()
        .code(1);
    let msg = json(&out.get_output().stdout)["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("container system start"), "{msg}");
    assert!(msg.contains("apiserver is not running"), "{msg}");
}

#[test]
fn a_config_override_for_a_missing_cli_names_it() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "runtime = \"apple_container\"\n",
    )
    .unwrap();
    let out = aigo(home.path())
        .env("PATH", "/nonexistent")
        .args(["runtime", "--json"])
        .assert()
        .code(1);
    let msg = json(&out.get_output().stdout)["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("not found"), "{msg}");
    assert!(msg.contains("config.toml forces runtime"), "{msg}");
}
