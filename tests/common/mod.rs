//! Helpers shared by the integration tests.
#![allow(dead_code)]

#![allow(clippy::unwrap_used)]

use std::path::Path;

/// The real `aigo` binary with its state in `home`.
pub fn aigo(home: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("aigo").expect("aigo binary");
    c.env("AIGO_HOME", home)
        .env_remove("AIGO_LOG")
        .env_remove("DOCKER_HOST");
    c
}

/// Whether Docker answers here. Without one, tests that need it skip with a
/// message, unless `AIGO_REQUIRE_DOCKER=1` (CI), where they fail instead.
pub fn docker_or_skip(test: &str) -> bool {
    let up = std::process::Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if up {
        return true;
    }
    if std::env::var("AIGO_REQUIRE_DOCKER").as_deref() == Ok("1") {
        panic!("{test}: AIGO_REQUIRE_DOCKER=1 but no Docker engine answers");
    }
    eprintln!(
        "SKIP {test}: no Docker engine reachable (set AIGO_REQUIRE_DOCKER=1 to make this a failure)"
    );
    false
}

pub fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}
