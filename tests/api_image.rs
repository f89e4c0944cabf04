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
    let ctx = home.path().join("agent-image");
    std::fs::create_dir_all(&ctx).unwrap();
    std::fs::copy("/bin/busybox", ctx.join("busybox")).unwrap();
    std::fs::write(
        ctx.join("Dockerfile"),
        "FROM scratch\nCOPY busybox /bin/busybox\nCMD [\"/bin/busybox\", \"true\"]\n",
    )
    .unwrap();
    let tag = format!("aigo-test-api-build:{}", std::process::id());
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "image_tag = \"{tag}\"\nimage_context = \"{}\"\n",
            ctx.display()
        ),
    )
    .unwrap();
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
