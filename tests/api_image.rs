//! The image routes of the daemon: background build (202), status with the
//! engine's error when it fails, and no host directories from the API.

#![allow(clippy::unwrap_used)]

mod common;

use aigo::daemon::DaemonOptions;
use common::{TestDaemon, docker_or_skip, http};

#[test]
fn build_in_the_background_and_report_status() {
    if !docker_or_skip("build_in_the_background_and_report_status") {
        return;
    }
    let d = TestDaemon::start(DaemonOptions::default());
    let tag = format!("aigo-test-api-build-{}:latest", std::process::id());
    let missing = d
        .get(&format!("/api/v1/container/image/status?imageTag={tag}"))
        .json();
    assert_eq!(missing["status"], "missing", "{missing}");

    let r = http(
        d.addr,
        "POST",
        "/api/v1/container/image/build",
        Some(r#"{"context": "/etc"}"#),
        &[],
    );
    assert_eq!(r.status, 400);

    // The embedded default needs a registry for its base image; none is reachable
    // here, so the build fails, and the status must carry the engine's reason.
    let body = format!(r#"{{"imageTag": "{tag}"}}"#);
    let r = http(
        d.addr,
        "POST",
        "/api/v1/container/image/build",
        Some(&body),
        &[],
    );
    assert_eq!(r.status, 202, "{}", r.body);
    let id = r.json()["buildId"].as_str().unwrap().to_string();
    let again = http(
        d.addr,
        "POST",
        "/api/v1/container/image/build",
        Some(&body),
        &[],
    );
    assert!(again.status == 202 || again.status == 409, "{}", again.body);
    if again.status == 409 {
        assert_eq!(again.json()["buildId"], id.as_str());
    }
    common::wait_for("the build to end", 120, || {
        let s = d
            .get(&format!("/api/v1/container/image/status?imageTag={tag}"))
            .json();
        s["status"] != "building"
    });
    let s = d
        .get(&format!("/api/v1/container/image/status?imageTag={tag}"))
        .json();
    assert_eq!(s["status"], "failed", "{s}");
    assert!(!s["output"].as_str().unwrap_or_default().is_empty(), "{s}");
}
