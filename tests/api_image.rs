//! The image routes of the daemon: a background build (202, 409 while one runs)
//! of config.toml's `image_context`, status transitions, the engine's error on a
//! failing build, and no host directories chosen by API callers. Nothing is pulled.

#![allow(clippy::unwrap_used)]

mod common;

use aigo::daemon::DaemonOptions;
use common::{TestDaemon, docker_or_skip, http};

fn status(d: &TestDaemon, tag: &str) -> serde_json::Value {
    d.get(&format!("/api/v1/container/image/status?imageTag={tag}"))
        .json()
}

fn wait_done(d: &TestDaemon, tag: &str) -> serde_json::Value {
    common::wait_for("the build to end", 120, || {
        status(d, tag)["status"] != "building"
    });
    status(d, tag)
}

#[test]
fn build_in_the_background_and_report_status() {
    if !docker_or_skip("build_in_the_background_and_report_status") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let ctx = write_context(
        home.path(),
        "FROM scratch\nCOPY busybox /bin/busybox\nCMD [\"/bin/busybox\", \"true\"]\n",
        true,
    );
    let tag = format!("aigo-test-api-build:{}", std::process::id());
    write_config(home.path(), &tag, &ctx);
    let d = TestDaemon::start_in(home, DaemonOptions::default());
    let _ = std::process::Command::new("docker")
        .args(["rmi", "-f", &tag])
        .output();
    assert_eq!(status(&d, &tag)["status"], "missing");

    let r = http(
        d.addr,
        "POST",
        "/api/v1/container/image/build",
        Some(r#"{"context": "/etc"}"#),
        &[],
    );
    assert_eq!(r.status, 400, "an API caller may not pick a host directory");

    let r = http(
        d.addr,
        "POST",
        "/api/v1/container/image/build",
        Some("{}"),
        &[],
    );
    assert_eq!(r.status, 202, "{}", r.body);
    let id = r.json()["buildId"].as_str().unwrap().to_string();
    let again = http(
        d.addr,
        "POST",
        "/api/v1/container/image/build",
        Some("{}"),
        &[],
    );
    match again.status {
        409 => assert_eq!(
            again.json()["buildId"],
            id.as_str(),
            "409 names the running build"
        ),
        202 => {} // the first build already finished on a fast engine
        s => panic!("unexpected {s}: {}", again.body),
    }
    let s = wait_done(&d, &tag);
    assert_eq!(s["status"], "ready", "{s}");
    assert!(s["imageId"].as_str().unwrap().starts_with("sha256:"));

    // A failing build: the status carries the engine's reason.
    std::fs::write(
        ctx.join("Dockerfile"),
        "FROM scratch\nCOPY missing-file /x\n",
    )
    .unwrap();
    assert_eq!(
        http(
            d.addr,
            "POST",
            "/api/v1/container/image/build",
            Some("{}"),
            &[]
        )
        .status,
        202
    );
    let s = wait_done(&d, &tag);
    assert_eq!(s["status"], "failed", "{s}");
    assert!(
        s["output"]
            .as_str()
            .unwrap_or_default()
            .contains("missing-file"),
        "{s}"
    );
    let _ = std::process::Command::new("docker")
        .args(["rmi", "-f", &tag])
        .output();
}

/// Forwards every connection on `path` to the local Docker socket, from now on.
fn proxy_unix_socket(path: &std::path::Path) {
    use std::os::unix::net::{UnixListener, UnixStream};
    let listener = UnixListener::bind(path).unwrap();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let Ok(engine) = UnixStream::connect("/var/run/docker.sock") else {
                continue;
            };
            let (mut c2, mut e2) = (client.try_clone().unwrap(), engine.try_clone().unwrap());
            let (mut c, mut e) = (client, engine);
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut c2, &mut e2);
                let _ = e2.shutdown(std::net::Shutdown::Write);
            });
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut e, &mut c);
                let _ = c.shutdown(std::net::Shutdown::Write);
            });
        }
    });
}

/// Issue 16 item 3: the daemon starts while no engine answers (DOCKER_HOST names a socket
/// nobody listens on); a build is refused; the engine comes up at that address; the next
/// build, in the same daemon process, succeeds.
#[test]
fn a_build_works_once_the_engine_comes_up_without_a_restart() {
    if !docker_or_skip("a_build_works_once_the_engine_comes_up_without_a_restart")
        || !std::path::Path::new("/var/run/docker.sock").exists()
    {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let ctx = write_context(
        home.path(),
        "FROM scratch\nCOPY busybox /bin/busybox\n",
        true,
    );
    let tag = format!("aigo-test-late-engine:{}", std::process::id());
    write_config(home.path(), &tag, &ctx);
    let sock = home.path().join("late-engine.sock");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut daemon = std::process::Command::new(assert_cmd::cargo::cargo_bin("aigo"))
        .env("AIGO_HOME", home.path())
        .env("DOCKER_HOST", format!("unix://{}", sock.display()))
        .env_remove("AIGO_LOG")
        .args(["daemon", "--bind", &addr.to_string()])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    common::wait_for("the API to answer", 30, || {
        std::net::TcpStream::connect(addr).is_ok()
    });

    let refused = http(
        addr,
        "POST",
        "/api/v1/container/image/build",
        Some("{}"),
        &[],
    );
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(
        refused.json()["error"],
        "runtime_unavailable",
        "{}",
        refused.body
    );

    proxy_unix_socket(&sock);
    let r = http(
        addr,
        "POST",
        "/api/v1/container/image/build",
        Some("{}"),
        &[],
    );
    assert_eq!(r.status, 202, "{}", r.body);
    let status = || {
        http(
            addr,
            "GET",
            &format!("/api/v1/container/image/status?imageTag={tag}"),
            None,
            &[],
        )
        .json()
    };
    common::wait_for("the build to end", 120, || status()["status"] != "building");
    let s = status();
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status();
    let _ = daemon.wait();
    let _ = std::process::Command::new("docker")
        .args(["rmi", "-f", &tag])
        .output();
    assert_eq!(s["status"], "ready", "{s}");
}

/// A build whose base image needs a registry the engine cannot reach (here one on
/// a closed local port: nothing leaves the machine) fails with the way out, a
/// custom image from an image the engine has, in the CLI's error and in the API's
/// status.
#[test]
fn a_build_that_needs_an_unreachable_registry_says_how_to_build_without_one() {
    if !docker_or_skip("a_build_that_needs_an_unreachable_registry") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let ctx = write_context(home.path(), "FROM 127.0.0.1:9/aigo-test/none:1\n", false);
    let tag = format!("aigo-test-no-registry:{}", std::process::id());
    let out = common::aigo(home.path())
        .args(["image", "build", "--tag", &tag, "--context"])
        .arg(&ctx)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("hint: the build needed a registry"), "{err}");
    assert!(
        err.contains(&format!("aigo image build --context {}", ctx.display())),
        "{err}"
    );

    write_config(home.path(), &tag, &ctx);
    let d = TestDaemon::start_in(home, DaemonOptions::default());
    let r = http(
        d.addr,
        "POST",
        "/api/v1/container/image/build",
        Some("{}"),
        &[],
    );
    assert_eq!(r.status, 202, "{}", r.body);
    let s = wait_done(&d, &tag);
    assert_eq!(s["status"], "failed", "{s}");
    let message = s["message"].as_str().unwrap();
    assert!(message.contains("hint: the build needed a registry"), "{s}");
    assert!(message.contains("aigo image build --context"), "{s}");
}

/// A state dir whose config builds `tag` from the context `ctx`.
fn write_config(home: &std::path::Path, tag: &str, ctx: &std::path::Path) {
    std::fs::write(
        home.join("config.toml"),
        format!(
            "image_tag = \"{tag}\"\nimage_context = \"{}\"\n",
            ctx.display()
        ),
    )
    .unwrap();
}

/// An image context in `home` with `dockerfile` (and the host's static busybox
/// beside it when `busybox`).
fn write_context(home: &std::path::Path, dockerfile: &str, busybox: bool) -> std::path::PathBuf {
    let ctx = home.join("agent-image");
    std::fs::create_dir_all(&ctx).unwrap();
    if busybox {
        std::fs::copy("/bin/busybox", ctx.join("busybox")).unwrap();
    }
    std::fs::write(ctx.join("Dockerfile"), dockerfile).unwrap();
    ctx
}
