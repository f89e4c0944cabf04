//! Every engine this machine has, for tests that must pass on each: Docker, Podman (its
//! Docker-compatible API, served by `podman system service` on a socket in a temp dir) and
//! Apple Container (the stand-in `container` program in tests/support/apple, which accepts
//! only Apple's documented syntax and carries it out on Docker). An engine that is absent is
//! skipped with a message; with `AIGO_REQUIRE_DOCKER=1` (CI) an absent one fails the test.
#![allow(dead_code)]
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use aigo::runtime::{AppleEngine, BuildMessage, BuildOptions, DockerEngine, Engine};
use futures_util::StreamExt;

pub const BUSYBOX: &str = "/bin/busybox";

/// One engine under test and how the `aigo` binary reaches the same one.
#[derive(Clone)]
pub struct TestEngine {
    /// `docker`, `podman` or `apple`.
    pub name: &'static str,
    pub engine: Engine,
    /// Environment for an `aigo` child process to use this engine.
    pub env: Vec<(String, String)>,
    /// `config.toml`'s `runtime` for it.
    pub runtime: &'static str,
}

fn required() -> bool {
    std::env::var("AIGO_REQUIRE_DOCKER").is_ok_and(|v| v == "1")
}

fn skip(test: &str, engine: &str, why: &str) {
    assert!(
        !required(),
        "{test}: AIGO_REQUIRE_DOCKER=1 but {engine} is unavailable: {why}"
    );
    eprintln!("SKIP {test} on {engine}: {why}");
}

/// The engines available here (each skipped one says why).
pub fn engines(test: &str) -> Vec<TestEngine> {
    let mut out = Vec::new();
    if !Path::new(BUSYBOX).exists() {
        skip(
            test,
            "every engine",
            "/bin/busybox is missing (apt-get install busybox-static)",
        );
        return out;
    }
    let docker_up = Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .output()
        .is_ok_and(|o| o.status.success());
    if docker_up {
        let host = std::env::var("DOCKER_HOST")
            .ok()
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "unix:///var/run/docker.sock".into());
        out.push(TestEngine {
            name: "docker",
            engine: Engine::Docker(DockerEngine::connect(&host).unwrap()),
            env: vec![("DOCKER_HOST".into(), host)],
            runtime: "docker",
        });
    } else {
        skip(test, "docker", "no Docker engine answers");
    }
    match podman() {
        Ok(sock) => {
            let host = format!("unix://{}", sock.display());
            out.push(TestEngine {
                name: "podman",
                engine: Engine::Docker(DockerEngine::connect(&host).unwrap()),
                env: vec![("DOCKER_HOST".into(), host)],
                runtime: "podman",
            });
        }
        Err(why) => skip(test, "podman", &why),
    }
    if docker_up {
        let dir = standin_dir();
        let path = format!(
            "{}:{}",
            dir.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        out.push(TestEngine {
            name: "apple",
            engine: Engine::Apple(AppleEngine::with_bin(dir.join("container"))),
            env: vec![("PATH".into(), path)],
            runtime: "apple_container",
        });
    } else {
        skip(test, "apple (stand-in)", "the stand-in needs Docker");
    }
    out
}

/// The directory holding the stand-in `container` program.
pub fn standin_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/apple")
}

/// `podman system service` on a socket of its own, started once per test process. It
/// exits by itself after five idle minutes (`--time`), so no process outlives the tests
/// for long. This sandbox refuses Podman's default rlimits: `default_ulimits = []`.
fn podman() -> Result<PathBuf, String> {
    static SOCK: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    SOCK.get_or_init(|| {
        if Command::new("podman").arg("--version").output().is_err() {
            return Err("podman is not installed (apt-get install podman catatonit)".into());
        }
        // Kept for the life of the process: the socket and the config live here.
        let dir = tempfile::Builder::new()
            .prefix("aigo-podman-")
            .tempdir()
            .unwrap()
            .keep();
        let conf = dir.join("containers.conf");
        std::fs::write(&conf, "[containers]\ndefault_ulimits = []\n").unwrap();
        let sock = dir.join("podman.sock");
        let log = std::fs::File::create(dir.join("service.log")).unwrap();
        Command::new("podman")
            .args(["system", "service", "--time=300"])
            .arg(format!("unix://{}", sock.display()))
            .env("CONTAINERS_CONF", &conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("podman system service: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ok = Command::new("docker")
                .env("DOCKER_HOST", format!("unix://{}", sock.display()))
                .args(["version", "--format", "{{.Server.Version}}"])
                .output()
                .is_ok_and(|o| o.status.success());
            if ok {
                return Ok(sock);
            }
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(dir.join("service.log")).unwrap_or_default();
                return Err(format!("podman system service did not answer: {log}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    })
    .clone()
}

/// Builds `tag` on `engine` through aigo's own build call: `FROM scratch` + the static
/// busybox, `files` copied to `/`, `tail` appended to the Dockerfile. Once per engine and tag
/// per test process (parallel builds of one tag race in the engine).
pub async fn busybox_image(te: &TestEngine, tag: &str, files: &[(&str, &str)], tail: &str) {
    static BUILT: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
    let key = (te.name.to_string(), tag.to_string());
    if BUILT.lock().unwrap().contains(&key) {
        return;
    }
    let mut df = String::from(
        "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n",
    );
    let mut tar = tar::Builder::new(Vec::new());
    tar.append_path_with_name(BUSYBOX, "busybox").unwrap();
    for (name, content) in files {
        append(&mut tar, name, content.as_bytes(), 0o755);
        df.push_str(&format!("COPY {name} /{name}\n"));
    }
    df.push_str(tail);
    append(&mut tar, "Dockerfile", df.as_bytes(), 0o644);
    let body = bytes::Bytes::from(tar.into_inner().unwrap());
    let opts = BuildOptions {
        tag: tag.into(),
        dockerfile: "Dockerfile".into(),
        labels: BTreeMap::from([("dev.aigo.test".into(), "1".into())]),
        ..Default::default()
    };
    let mut s = te.engine.build_image(
        opts,
        futures_util::stream::once(async move { Ok(body) }).boxed(),
    );
    let mut log = String::new();
    let mut id = None;
    while let Some(m) = s.next().await {
        match m {
            Ok(BuildMessage::Output(t) | BuildMessage::Status(t)) => log.push_str(&t),
            Ok(BuildMessage::ImageId(i)) => id = Some(i),
            Err(e) => panic!("{}: building {tag} failed: {e}\n{log}", te.name),
        }
    }
    assert!(id.is_some(), "{}: no image id for {tag}\n{log}", te.name);
    BUILT.lock().unwrap().push(key);
}

fn append(tar: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8], mode: u32) {
    let mut h = tar::Header::new_gnu();
    h.set_size(data.len() as u64);
    h.set_mode(mode);
    h.set_cksum();
    tar.append_data(&mut h, name, data).unwrap();
}

/// Removes an image from the engine the test engine drives (`docker` CLI; Podman through
/// its socket).
pub fn remove_image(te: &TestEngine, tag: &str) {
    let mut c = Command::new("docker");
    if te.name == "podman" {
        c.envs(te.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    }
    let _ = c.args(["rmi", "-f", tag]).output();
}

/// Waits (bounded) for something a container does: a readiness check, not a timing assert.
pub fn wait_for(what: &str, secs: u64, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
