//! The credential proxy as a daemon component: status through the API, live
//! reload after `aigo proxy add`, and refused requests in the audit log: a
//! host process is no agent, so even the right placeholder gets 403.

#![allow(clippy::unwrap_used)]

mod common;

use aigo::daemon::DaemonOptions;
use common::{TestDaemon, http};

#[test]
fn proxy_status_reload_and_audited_refusals() {
    let d = TestDaemon::start(DaemonOptions::default());
    let status = || d.get("/api/v1/container/credential-proxy/status").json();
    common::wait_for("the proxy to run", 20, || status()["running"] == true);
    let s = status();
    assert_eq!(s["mappingCount"], 0);
    assert_eq!(s["bindAddress"], "127.0.0.1");
    let port = s["port"].as_u64().unwrap() as u16;

    common::aigo(d.home.path())
        .env("REAL_KEY", "sk-real-secret-123")
        .args([
            "proxy",
            "add",
            "--name",
            "anthropic",
            "--upstream",
            "http://127.0.0.1:9",
            "--type",
            "api-key",
            "--credential-env",
            "REAL_KEY",
        ])
        .assert()
        .success();
    common::wait_for("the proxy to reload", 20, || status()["mappingCount"] == 1);

    let proxy: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    for key in ["not-a-placeholder", aigo::proxy::DEFAULT_PLACEHOLDER] {
        let r = http(
            proxy,
            "POST",
            "/v1/messages",
            Some("{}"),
            &[("x-api-key", key)],
        );
        assert_eq!(r.status, 403, "{key}");
        assert!(r.body.contains("unknown_caller"), "{}", r.body);
    }
    common::wait_for("the refusals to be audited", 20, || {
        d.get("/api/v1/container/audit-log?category=proxy").json()["total"] == 2
    });
    let entries = d.get("/api/v1/container/audit-log?category=proxy").json();
    let first = &entries["events"][0];
    assert_eq!(first["details"]["reason"], "unknown_caller", "{entries}");
    assert_eq!(first["details"]["peer"], "127.0.0.1", "{entries}");
    let log = std::fs::read_to_string(d.state.audit()).unwrap();
    assert!(!log.contains("not-a-placeholder") && !log.contains("sk-real-secret-123"));
    assert!(status()["requestsServed"].as_u64().is_some());
}
