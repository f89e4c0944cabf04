//! Shared by the image tests: the engine (or a skip), busybox build contexts, polling.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use aigo::config::Config;
use aigo::runtime::{Engine, detect};

/// The detected engine; `None` (after saying why) when tests should skip.
/// `AIGO_REQUIRE_DOCKER=1` turns a skip into a failure.
pub async fn docker_or_skip(test: &str) -> Option<Engine> {
    let required = std::env::var("AIGO_REQUIRE_DOCKER").is_ok_and(|v| v == "1");
    let det = detect(&Config::default()).await;
    let docker = match det.runtime {
        Some(e @ Engine::Docker(_)) => e,
        _ => {
            assert!(
                !required,
                "{test}: AIGO_REQUIRE_DOCKER=1 but no engine: {}",
                det.status.message
            );
            eprintln!(
                "SKIP {test}: no Docker-API engine answers ({})",
                det.status.message
            );
            return None;
        }
    };
    if !Path::new(BUSYBOX).exists() {
        assert!(
            !required,
            "{test}: {BUSYBOX} is missing (apt-get install busybox-static)"
        );
        eprintln!("SKIP {test}: {BUSYBOX} is missing (apt-get install busybox-static)");
        return None;
    }
    Some(docker)
}

pub const BUSYBOX: &str = "/bin/busybox";

/// A context `FROM scratch` with a static busybox installed as /bin/*, plus `extra` lines.
pub fn busybox_context(dir: &Path, extra: &str) -> PathBuf {
    std::fs::create_dir_all(dir).expect("create context dir");
    std::fs::copy(BUSYBOX, dir.join("busybox")).expect("copy busybox");
    let dockerfile = format!(
        "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n{extra}"
    );
    std::fs::write(dir.join("Dockerfile"), dockerfile).expect("write Dockerfile");
    dir.to_path_buf()
}

/// A tag no other test (or run) uses.
pub fn unique_tag(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("aigo-test-{name}:{}-{nanos}", std::process::id())
}

pub async fn remove_image(engine: &Engine, tag: &str) {
    let _ = engine.remove_image(tag).await;
}

/// Polls `f` until it returns `Some`, for at most two minutes (a bound, not a timing assert).
pub fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
