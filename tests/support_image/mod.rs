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

/// Repository of the Node runner test image; the tag is a hash of what goes into it.
pub const NODE_RUNNER_REPO: &str = "aigo-test-node-runner";

/// The image the Node runner is tested in: `FROM scratch` + busybox + the host's `node` and the
/// libraries `ldd` lists (with the loader), the embedded `ipc.js`, `runner.js` and
/// `mcp-server.js` at /usr/local/lib/aigo/, the fake claude as /usr/local/bin/claude, and the
/// embedded Dockerfile's own ENTRYPOINT. Built once per process with the docker CLI and tagged
/// with a hash of its inputs, so a later run reuses it; building a new one removes older tags.
/// `None` (after saying why) when there is no engine or no `node`; a failure under
/// `AIGO_REQUIRE_DOCKER=1`.
pub fn node_runner_image(test: &str) -> Option<String> {
    static IMAGE: std::sync::Mutex<Option<Result<String, String>>> = std::sync::Mutex::new(None);
    let mut slot = IMAGE.lock().unwrap_or_else(|p| p.into_inner());
    let built = slot.get_or_insert_with(build_node_runner_image).clone();
    match built {
        Ok(tag) => Some(tag),
        Err(why) => {
            let required = std::env::var("AIGO_REQUIRE_DOCKER").is_ok_and(|v| v == "1");
            assert!(!required, "{test}: AIGO_REQUIRE_DOCKER=1 but {why}");
            eprintln!("SKIP {test}: {why}");
            None
        }
    }
}

/// The host's `node` (canonical path), or why not.
pub fn host_node() -> Result<PathBuf, String> {
    let out = std::process::Command::new("node")
        .args(["-e", "process.stdout.write(process.execPath)"])
        .output()
        .map_err(|e| format!("no `node` on PATH ({e}); install nodejs"))?;
    if !out.status.success() {
        return Err("`node` does not run".into());
    }
    std::fs::canonicalize(String::from_utf8_lossy(&out.stdout).as_ref())
        .map_err(|e| format!("cannot resolve node's path: {e}"))
}

fn build_node_runner_image() -> Result<String, String> {
    use sha2::{Digest, Sha256};
    use std::os::unix::fs::PermissionsExt;

    let docker_up = std::process::Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !docker_up {
        return Err("no Docker engine answers".into());
    }
    if !Path::new(BUSYBOX).exists() {
        return Err(format!(
            "{BUSYBOX} is missing (apt-get install busybox-static)"
        ));
    }
    let node = host_node()?;
    // What node needs to start: each library `ldd` names (at the path it names) and the loader.
    let ldd = std::process::Command::new("ldd")
        .arg(&node)
        .output()
        .map_err(|e| format!("cannot run ldd: {e}"))?;
    let libs: Vec<PathBuf> = String::from_utf8_lossy(&ldd.stdout)
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let path = match l.split_once("=>") {
                Some((_, rest)) => rest.split_whitespace().next()?,
                None => l.split_whitespace().next()?,
            };
            path.starts_with('/').then(|| PathBuf::from(path))
        })
        .collect();

    let embedded = |name: &str| {
        aigo::image::DEFAULT_CONTEXT_FILES
            .iter()
            .find(|f| f.path == name)
            .map(|f| f.contents)
            .unwrap_or_else(|| panic!("embedded {name}"))
    };
    let entrypoint = embedded("Dockerfile")
        .lines()
        .find(|l| l.starts_with("ENTRYPOINT"))
        .expect("the embedded Dockerfile has an ENTRYPOINT")
        .to_string();
    let fake_claude = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fake-claude/claude.js");
    let fake = std::fs::read_to_string(&fake_claude).map_err(|e| format!("{e}"))?;

    let tail = format!(
        "COPY rootfs/ /\n\
         RUN mkdir -p /tmp /usr/bin /workspace/group /workspace/ipc\n\
         RUN chmod 1777 /tmp && ln -s /bin/busybox /usr/bin/env\n\
         ENV PATH=/usr/local/bin:/usr/bin:/bin AIGO_IPC_DIR=/workspace/ipc\n\
         WORKDIR /workspace/group\n\
         {entrypoint}\n"
    );
    let node_meta = std::fs::metadata(&node).map_err(|e| format!("{e}"))?;
    let mut h = Sha256::new();
    for part in [
        embedded("ipc.js"),
        embedded("runner.js"),
        embedded("mcp-server.js"),
        &tail,
        &fake,
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.update(
        format!(
            "{}:{:?}:{libs:?}",
            node.display(),
            node_meta.modified().ok()
        )
        .as_bytes(),
    );
    let tag = format!("{NODE_RUNNER_REPO}:{}", &hex::encode(h.finalize())[..16]);
    let exists = std::process::Command::new("docker")
        .args(["image", "inspect", "--format", "{{.Id}}", &tag])
        .output()
        .is_ok_and(|o| o.status.success());
    if exists {
        return Ok(tag);
    }

    let dir = tempfile::tempdir().map_err(|e| format!("{e}"))?;
    let ctx = dir.path();
    let root = ctx.join("rootfs");
    let put = |dest: &str, from: &Path, mode: u32| -> Result<(), String> {
        let to = root.join(dest.trim_start_matches('/'));
        std::fs::create_dir_all(to.parent().expect("parent")).map_err(|e| format!("{e}"))?;
        std::fs::copy(from, &to).map_err(|e| format!("copy {}: {e}", from.display()))?;
        std::fs::set_permissions(&to, std::fs::Permissions::from_mode(mode))
            .map_err(|e| format!("{e}"))
    };
    put("/usr/local/bin/node", &node, 0o755)?;
    for lib in &libs {
        put(&lib.display().to_string(), lib, 0o755)?;
    }
    put("/usr/local/bin/claude", &fake_claude, 0o755)?;
    for name in ["ipc.js", "runner.js", "mcp-server.js"] {
        let src = ctx.join(name);
        std::fs::write(&src, embedded(name)).map_err(|e| format!("{e}"))?;
        put(&format!("/usr/local/lib/aigo/{name}"), &src, 0o644)?;
    }
    busybox_context(ctx, &tail);
    let out = std::process::Command::new("docker")
        .args(["build", "-q", "-t", &tag])
        .arg(ctx)
        .output()
        .map_err(|e| format!("cannot run docker build: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "docker build {tag} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    // One node runner image at a time: drop the ones built from older inputs.
    if let Ok(o) = std::process::Command::new("docker")
        .args([
            "image",
            "ls",
            "--format",
            "{{.Repository}}:{{.Tag}}",
            NODE_RUNNER_REPO,
        ])
        .output()
    {
        for old in String::from_utf8_lossy(&o.stdout).lines() {
            if old != tag {
                let _ = std::process::Command::new("docker")
                    .args(["image", "rm", old])
                    .output();
            }
        }
    }
    Ok(tag)
}
