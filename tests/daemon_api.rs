//! The daemon in-process on port 0: every route, bad input, the localhost safety
//! checks, single-instance locking and live reload of CLI changes.

#![allow(clippy::unwrap_used)]

mod common;

use aigo::daemon::DaemonOptions;
use common::{TestDaemon, docker_or_skip, http};

/// The document and the router come from one list: every documented operation is
/// served (the router never answers "no route" or 405 for it), every other method on a
/// documented path is 405, and routes only enter through `routes!` (which requires the
/// handler's `#[utoipa::path]`), so nothing is served undocumented.
#[test]
fn every_documented_route_is_served_and_every_route_is_documented() {
    let d = TestDaemon::start(DaemonOptions::default());
    let doc = d.get("/api/v1/openapi.json").json();
    assert_eq!(doc["openapi"], "3.1.0");
    let ops = aigo::api::operations();
    assert!(ops.len() >= 33, "{} operations documented", ops.len());
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["get", "put", "post", "patch", "delete"] {
            let documented = item[method].is_object();
            assert_eq!(
                documented,
                ops.contains(&(method.to_string(), path.clone())),
                "{method} {path}"
            );
            if documented {
                let op = &item[method];
                assert!(op["summary"].is_string(), "{method} {path} has no summary");
                assert!(
                    op["responses"]["4XX"].is_object(),
                    "{method} {path}: no error shape"
                );
                for p in path.split('{').skip(1) {
                    let name = p.split('}').next().unwrap();
                    let declared = op["parameters"].as_array().is_some_and(|ps| {
                        ps.iter().any(|x| x["name"] == name && x["in"] == "path")
                    });
                    assert!(declared, "{method} {path}: {{{name}}} not declared");
                }
            }
            let concrete = path.replace("{id}", "nope").replace("{name}", "nope");
            let body = matches!(method, "put" | "post" | "patch").then_some("{}");
            let r = http(d.addr, &method.to_uppercase(), &concrete, body, &[]);
            if documented {
                assert!(
                    r.status != 405 && !r.body.contains("no route for"),
                    "{method} {path} is documented but not served: {} {}",
                    r.status,
                    r.body
                );
            } else {
                assert_eq!(
                    r.status, 405,
                    "{method} {path} is served but not documented"
                );
            }
        }
    }
    let src =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/api/mod.rs")).unwrap();
    assert!(
        !src.contains(".route("),
        "src/api/mod.rs adds a route outside `routes!`: it would be served undocumented"
    );
}

/// Why a run does not start is part of the contract: generated clients and the
/// fuzzer know 409 (image not built), 422 (unknown group) and 503 (engine or proxy
/// down) with the shared error body, on every route that starts or reaches runs.
#[test]
fn run_failures_are_declared_with_the_error_body() {
    let doc = serde_json::to_value(aigo::api::openapi_document()).unwrap();
    let declared = |method: &str, path: &str, code: &str| {
        let r = &doc["paths"][path][method]["responses"][code];
        assert_eq!(
            r["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody",
            "{method} {path} does not declare {code}: {r}"
        );
        assert!(r["description"].as_str().is_some_and(|d| !d.is_empty()));
    };
    for path in [
        "/api/v1/container/runs",
        "/api/v1/container/schedules/{id}/run",
    ] {
        for code in ["403", "409", "422", "503"] {
            declared("post", path, code);
        }
    }
    declared("post", "/api/v1/container/schedules/{id}/run", "404");
    declared("get", "/api/v1/container/ps", "503");
    declared("post", "/api/v1/container/runs/{id}/stop", "503");
    for path in ["/api/v1/container/ipc/send", "/api/v1/container/ipc/close"] {
        declared("post", path, "409");
        declared("post", path, "503");
    }
    declared("post", "/api/v1/container/image/build", "409");
    declared("post", "/api/v1/container/image/build", "503");
    declared("put", "/api/v1/container/mount/allowlist", "422");
}

#[test]
fn health_reports_version_and_pid() {
    let d = TestDaemon::start(DaemonOptions::default());
    let h = d.get("/api/v1/health").json();
    assert_eq!(h["status"], "ok");
    assert_eq!(h["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(h["pid"], std::process::id());
}

#[test]
fn runtime_reports_the_engine() {
    if !docker_or_skip("runtime_reports_the_engine") {
        return;
    }
    let d = TestDaemon::start(DaemonOptions::default());
    let r = d.get("/api/v1/container/runtime");
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["available"], true);
    assert_eq!(v["backend"], "docker");
}

#[test]
fn the_reference_curl_examples_work() {
    let d = TestDaemon::start(DaemonOptions::default());
    let put = http(
        d.addr,
        "PUT",
        "/api/v1/container/mount/allowlist",
        Some(
            r#"{
    "allowedRoots": ["/Users/you/projects", "/Users/you/data"],
    "blockedPatterns": [".ssh", ".gnupg", ".env", ".aws", ".azure", ".gcloud", ".docker", ".kube"]
  }"#,
        ),
        &[],
    );
    // Those roots do not exist on this machine: refused, naming the first one,
    // unless marked pending.
    assert_eq!(put.status, 422, "{}", put.body);
    assert_eq!(put.json()["path"], "/Users/you/projects");
    assert!(put.body.contains("pending"), "{}", put.body);
    let put = http(
        d.addr,
        "PUT",
        "/api/v1/container/mount/allowlist",
        Some(
            r#"{
    "allowedRoots": [{"path": "/Users/you/projects", "pending": true}, {"path": "/Users/you/data", "pending": true}],
    "blockedPatterns": [".ssh", ".gnupg", ".env", ".aws", ".azure", ".gcloud", ".docker", ".kube"]
  }"#,
        ),
        &[],
    );
    assert_eq!(put.status, 200, "{}", put.body);
    let get = d.get("/api/v1/container/mount/allowlist").json();
    assert_eq!(get["allowedRoots"][0]["path"], "/Users/you/projects");
    assert_eq!(get["allowedRoots"][0]["pending"], true);
    let v = http(
        d.addr,
        "POST",
        "/api/v1/container/mount/validate",
        Some(
            r#"{"hostPath": "/Users/you/projects/myapp", "containerPath": "/workspace/extra/myapp", "readOnly": true}"#,
        ),
        &[],
    );
    assert_eq!(v.status, 200);
    let v = v.json();
    assert_eq!(v["allowed"], false);
    assert!(v["reason"].as_str().unwrap().contains("does not exist"));
}

/// The reference's PUT body (roots as bare strings) merges by root path: a root
/// added with a read-write flag and a description keeps both, and the answer
/// says what changed; `"replace": true` removes the roots it leaves out.
#[test]
fn the_reference_allowlist_body_merges_and_says_what_changed() {
    let d = TestDaemon::start(DaemonOptions::default());
    let work = tempfile::tempdir().unwrap();
    let base = work.path().canonicalize().unwrap();
    let [projects, data] = ["projects", "data"].map(|n| {
        std::fs::create_dir_all(base.join(n)).unwrap();
        base.join(n).display().to_string()
    });
    common::aigo(d.home.path())
        .args([
            "mount",
            "add",
            &projects,
            "--read-write",
            "--description",
            "my code",
        ])
        .assert()
        .success();
    let put = |body: &str| {
        http(
            d.addr,
            "PUT",
            "/api/v1/container/mount/allowlist",
            Some(body),
            &[],
        )
    };
    let r = put(&format!(
        r#"{{"allowedRoots": ["{projects}", "{data}"], "blockedPatterns": [".ssh", ".gnupg", ".env", ".aws", ".azure", ".gcloud", ".docker", ".kube"]}}"#
    ));
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["changes"]["added"], serde_json::json!([data]));
    assert_eq!(v["changes"]["updated"], serde_json::json!([]));
    assert_eq!(v["changes"]["removed"], serde_json::json!([]));
    assert_eq!(v["allowedRoots"][0]["allowReadWrite"], true, "{v}");
    assert_eq!(v["allowedRoots"][0]["description"], "my code", "{v}");
    let r = put(&format!(
        r#"{{"allowedRoots": ["{data}"], "replace": true}}"#
    ));
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["changes"]["removed"], serde_json::json!([projects]));
    assert_eq!(
        d.get("/api/v1/container/mount/allowlist").json()["allowedRoots"],
        serde_json::json!([{"path": data, "allowReadWrite": false}])
    );
}

#[test]
fn validate_allows_a_real_path_under_a_root() {
    let d = TestDaemon::start(DaemonOptions::default());
    let work = tempfile::tempdir().unwrap();
    let root = work.path().canonicalize().unwrap();
    std::fs::create_dir(root.join("app")).unwrap();
    let body = format!(
        r#"{{"allowedRoots": [{{"path": "{}", "allowReadWrite": true}}]}}"#,
        root.display()
    );
    assert_eq!(
        http(
            d.addr,
            "PUT",
            "/api/v1/container/mount/allowlist",
            Some(&body),
            &[]
        )
        .status,
        200
    );
    let req = format!(
        r#"{{"hostPath": "{}/app", "readOnly": false}}"#,
        root.display()
    );
    let v = http(
        d.addr,
        "POST",
        "/api/v1/container/mount/validate",
        Some(&req),
        &[],
    )
    .json();
    assert_eq!(v["allowed"], true, "{v}");
    assert_eq!(v["readOnly"], false);
    assert_eq!(v["containerPath"], "/workspace/extra/app");
}

#[test]
fn bad_requests_get_json_errors_with_proper_status() {
    let d = TestDaemon::start(DaemonOptions::default());
    let cases = [
        (
            "POST",
            "/api/v1/container/mount/validate",
            Some("{not json"),
            400,
            "bad_request",
        ),
        (
            "POST",
            "/api/v1/container/mount/validate",
            Some(r#"{"containerPath": "x"}"#),
            422,
            "invalid_body",
        ),
        (
            "PUT",
            "/api/v1/container/mount/allowlist",
            Some(r#"{"allowedRoots": ["relative/path"]}"#),
            400,
            "bad_request",
        ),
        (
            "DELETE",
            "/api/v1/container/runtime",
            None,
            405,
            "method_not_allowed",
        ),
        (
            "GET",
            "/api/v1/container/mount/validate",
            None,
            405,
            "method_not_allowed",
        ),
        ("GET", "/api/v1/nope", None, 404, "not_found"),
    ];
    for (method, path, body, status, error) in cases {
        let r = http(d.addr, method, path, body, &[]);
        assert_eq!(r.status, status, "{method} {path}: {}", r.body);
        let v = r.json();
        assert_eq!(v["error"], error, "{method} {path}: {v}");
        assert!(!v["message"].as_str().unwrap().is_empty());
    }
    let r = http(
        d.addr,
        "POST",
        "/api/v1/container/mount/validate",
        Some("{}"),
        &[("Content-Type", "text/plain")],
    );
    assert_eq!(r.status, 415);
    assert_eq!(r.json()["error"], "unsupported_media_type");
}

#[test]
fn a_huge_body_is_refused_with_413() {
    let d = TestDaemon::start(DaemonOptions::default());
    let big = format!(r#"{{"hostPath": "{}"}}"#, "a".repeat(3 * 1024 * 1024));
    let r = http(
        d.addr,
        "POST",
        "/api/v1/container/mount/validate",
        Some(&big),
        &[],
    );
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["error"], "payload_too_large");
}

#[test]
fn foreign_hosts_and_cross_origin_writes_are_refused() {
    let d = TestDaemon::start(DaemonOptions::default());
    for host in [
        "evil.example",
        "evil.example:55765",
        "localhost.evil.example",
    ] {
        let r = http(d.addr, "GET", "/api/v1/health", None, &[("Host", host)]);
        assert_eq!(r.status, 403, "{host}");
        assert_eq!(r.json()["error"], "forbidden");
    }
    let ok = http(
        d.addr,
        "GET",
        "/api/v1/health",
        None,
        &[("Host", "127.0.0.1")],
    );
    assert_eq!(ok.status, 200);
    let body = Some(r#"{"hostPath": "/tmp"}"#);
    let r = http(
        d.addr,
        "POST",
        "/api/v1/container/mount/validate",
        body,
        &[("Origin", "https://evil.example")],
    );
    assert_eq!(r.status, 403);
    let r = http(
        d.addr,
        "POST",
        "/api/v1/container/mount/validate",
        body,
        &[("Sec-Fetch-Site", "cross-site")],
    );
    assert_eq!(r.status, 403);
    let own = format!("http://localhost:{}", d.addr.port());
    let r = http(
        d.addr,
        "POST",
        "/api/v1/container/mount/validate",
        body,
        &[("Origin", own.as_str())],
    );
    assert_eq!(r.status, 200);
    // Another localhost port is another origin (any local dev server's page).
    let other = format!("http://localhost:{}", d.addr.port() ^ 1);
    for (k, v) in [
        ("Origin", other.as_str()),
        ("Origin", "null"),
        ("Sec-Fetch-Site", "same-site"),
    ] {
        let r = http(
            d.addr,
            "POST",
            "/api/v1/container/mount/validate",
            body,
            &[(k, v)],
        );
        assert_eq!(r.status, 403, "{k}: {v}");
    }
}

#[test]
fn ambiguous_requests_get_400() {
    let d = TestDaemon::start(DaemonOptions::default());
    let port = d.addr.port();
    let send = |raw: String| common::http_raw(d.addr, raw.as_bytes());
    let cases = [
        (
            "no Host",
            "GET /api/v1/health HTTP/1.1\r\nConnection: close\r\n\r\n".to_string(),
        ),
        (
            "two Host",
            format!(
                "GET /api/v1/health HTTP/1.1\r\nHost: localhost:{port}\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
            ),
        ),
        (
            "two Origin",
            format!(
                "POST /api/v1/container/mount/validate HTTP/1.1\r\nHost: localhost:{port}\r\nOrigin: http://localhost:{port}\r\n\
                 Origin: https://evil.example\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
            ),
        ),
        (
            "absolute-form naming another host",
            format!(
                "GET http://evil.example/api/v1/health HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
            ),
        ),
    ];
    for (what, raw) in cases {
        let r = send(raw);
        assert_eq!(r.status, 400, "{what}: {}", r.body);
        assert_eq!(r.json()["error"], "bad_request", "{what}");
    }
    let r = send(format!(
        "GET http://localhost:{port}/api/v1/health HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(
        r.status, 200,
        "an absolute-form target that agrees with Host is fine"
    );
}

/// A daemon whose `[api]` timeouts are one second.
fn impatient_daemon() -> TestDaemon {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[api]\nheader_read_timeout_secs = 1\nbody_timeout_secs = 1\nidle_timeout_secs = 1\n",
    )
    .unwrap();
    TestDaemon::start_in(home, DaemonOptions::default())
}

/// Reads until the server closes the connection (bounded; not a timing assert).
fn closed_by_server(s: &mut std::net::TcpStream) -> Vec<u8> {
    use std::io::Read;
    s.set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    let mut buf = Vec::new();
    match s.read_to_end(&mut buf) {
        Ok(_) => buf,
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => buf,
        Err(e) => panic!("the server did not close the connection: {e}"),
    }
}

#[test]
fn a_thousand_idle_connections_are_closed() {
    use std::io::Write;
    let d = impatient_daemon();
    let mut idle: Vec<std::net::TcpStream> = (0..1000)
        .map(|_| std::net::TcpStream::connect(d.addr).unwrap())
        .collect();
    // A keep-alive client that made one request, then went quiet.
    let mut kept = std::net::TcpStream::connect(d.addr).unwrap();
    write!(
        kept,
        "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    // A slow loris: half a request head.
    let mut loris = std::net::TcpStream::connect(d.addr).unwrap();
    write!(loris, "GET /api/v1/health HTTP/1.1\r\nHost: loc").unwrap();
    for s in &mut idle {
        assert!(closed_by_server(s).is_empty());
    }
    let answered = String::from_utf8_lossy(&closed_by_server(&mut kept)).into_owned();
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
    let _ = closed_by_server(&mut loris);
    assert_eq!(d.get("/api/v1/health").status, 200, "still serving");
}

#[test]
fn a_trickled_body_is_cut_off() {
    use std::io::Write;
    let d = impatient_daemon();
    let mut s = std::net::TcpStream::connect(d.addr).unwrap();
    write!(
        s,
        "POST /api/v1/container/mount/validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: 100\r\n\r\n{{\"hostPath\""
    )
    .unwrap();
    let r = common::parse(&closed_by_server(&mut s));
    assert_eq!(r.status, 400, "{r:?}");
}

#[test]
fn an_exposed_api_needs_a_token() {
    let home = tempfile::tempdir().unwrap();
    let out = common::aigo(home.path())
        .env_remove("AIGO_API_TOKEN")
        .args(["daemon", "--bind", "0.0.0.0:0"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("without a token") && err.contains("AIGO_API_TOKEN"),
        "{err}"
    );
    assert!(
        !home.path().join("daemon.json").exists(),
        "it never started"
    );

    // A token on the command line works but is called out; the port is taken, so it stops there.
    let taken = std::net::TcpListener::bind("0.0.0.0:0").unwrap();
    let bind = format!("0.0.0.0:{}", taken.local_addr().unwrap().port());
    let out = common::aigo(home.path())
        .args(["daemon", "--bind", &bind, "--token", "visible-token"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("process list") && err.contains("--token-file"),
        "{err}"
    );
    assert!(!err.contains("visible-token"), "{err}");
    assert_eq!(out.status.code(), Some(2), "{err}");

    // The library refuses too, whoever calls it.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let err = rt
        .block_on(async {
            let api = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
            aigo::daemon::run(
                aigo::state::StateDir::at(home.path()),
                aigo::daemon::Listeners {
                    api,
                    proxy: aigo::daemon::ProxyListener::Off,
                },
                DaemonOptions::default(),
                async {},
            )
            .await
        })
        .unwrap_err();
    assert!(err.to_string().contains("without a token"), "{err}");
}

#[test]
fn a_configured_token_is_required() {
    let d = TestDaemon::start(DaemonOptions {
        token: Some("s3cret-token".into()),
    });
    let r = d.get("/api/v1/container/mount/allowlist");
    assert_eq!(r.status, 401);
    assert!(!r.body.contains("s3cret-token"));
    let r = http(
        d.addr,
        "GET",
        "/api/v1/container/mount/allowlist",
        None,
        &[("Authorization", "Bearer wrong")],
    );
    assert_eq!(r.status, 401);
    let r = http(
        d.addr,
        "GET",
        "/api/v1/container/mount/allowlist",
        None,
        &[("Authorization", "Bearer s3cret-token")],
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        d.get("/api/v1/health").status,
        200,
        "health stays open for probes"
    );
}

#[test]
fn a_second_daemon_on_the_same_state_refuses_to_start() {
    let d = TestDaemon::start(DaemonOptions::default());
    assert_eq!(d.get("/api/v1/health").status, 200);
    let info: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.state.daemon_info()).unwrap()).unwrap();
    assert_eq!(info["apiAddress"], d.addr.to_string());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let err = rt
        .block_on(async {
            let api = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            aigo::daemon::run(
                d.state.clone(),
                aigo::daemon::Listeners {
                    api,
                    proxy: aigo::daemon::ProxyListener::Off,
                },
                DaemonOptions::default(),
                async {},
            )
            .await
        })
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("already runs") && msg.contains(&d.addr.to_string()),
        "{msg}"
    );
}

#[test]
fn shutdown_removes_the_discovery_file_and_frees_the_lock() {
    let mut d = TestDaemon::start(DaemonOptions::default());
    assert_eq!(d.get("/api/v1/health").status, 200);
    assert!(d.state.daemon_info().exists());
    d.stop().unwrap();
    assert!(!d.state.daemon_info().exists());
    aigo::daemon::ensure_not_running(&d.state).unwrap();
}

#[test]
fn cli_changes_show_through_the_api_without_restart() {
    let d = TestDaemon::start(DaemonOptions::default());
    let work = tempfile::tempdir().unwrap();
    let root = work.path().canonicalize().unwrap();
    assert_eq!(
        d.get("/api/v1/container/mount/allowlist").json()["allowedRoots"],
        serde_json::json!([])
    );
    common::aigo(d.home.path())
        .args(["mount", "add"])
        .arg(&root)
        .assert()
        .success();
    // The watcher applies the change; allow it generous time on a loaded machine.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let v = d.get("/api/v1/container/mount/allowlist").json();
        if v["allowedRoots"][0]["path"] == root.display().to_string() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "mount add never reached the API: {v}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn a_corrupt_file_written_while_running_keeps_the_last_good_allowlist() {
    let d = TestDaemon::start(DaemonOptions::default());
    let work = tempfile::tempdir().unwrap();
    let body = format!(
        r#"{{"allowedRoots": ["{}"]}}"#,
        work.path().canonicalize().unwrap().display()
    );
    assert_eq!(
        http(
            d.addr,
            "PUT",
            "/api/v1/container/mount/allowlist",
            Some(&body),
            &[]
        )
        .status,
        200
    );
    std::fs::write(d.state.mounts(), "allowed_roots = [").unwrap();
    let v = d.get("/api/v1/container/mount/allowlist").json();
    assert_eq!(v["allowedRoots"].as_array().unwrap().len(), 1);
    assert_eq!(
        std::fs::read_to_string(d.state.mounts()).unwrap(),
        "allowed_roots = ["
    );
}

#[test]
fn groups_and_ipc_through_the_api() {
    let d = TestDaemon::start(DaemonOptions::default());
    let g = http(
        d.addr,
        "POST",
        "/api/v1/groups",
        Some(r#"{"name": "main", "main": true, "jids": ["tg:1"]}"#),
        &[],
    );
    assert_eq!(g.status, 201, "{}", g.body);
    let dup = http(
        d.addr,
        "POST",
        "/api/v1/groups",
        Some(r#"{"name": "other", "main": true}"#),
        &[],
    );
    assert_eq!(dup.status, 409);
    let bad = http(
        d.addr,
        "POST",
        "/api/v1/groups",
        Some(r#"{"name": "x", "jids": ["mail@example.com"]}"#),
        &[],
    );
    assert_eq!(bad.status, 400);
    assert_eq!(d.get("/api/v1/groups").json()[0]["jids"][0], "tg:1");
    let dirs = http(
        d.addr,
        "POST",
        "/api/v1/container/ipc/directories",
        Some(r#"{"group": "main", "session": "s1"}"#),
        &[],
    )
    .json();
    assert!(std::path::Path::new(dirs["input"].as_str().unwrap()).is_dir());
    // No container runs for the group: the follow-up is refused (409; 503
    // where no engine answers) and nothing is written for nobody to read.
    let r = http(
        d.addr,
        "POST",
        "/api/v1/container/ipc/send",
        Some(r#"{"group": "main", "text": "hi"}"#),
        &[],
    );
    assert!(matches!(r.status, 409 | 503), "{} {}", r.status, r.body);
    assert_eq!(
        std::fs::read_dir(dirs["input"].as_str().unwrap())
            .unwrap()
            .count(),
        0
    );
    let r = http(
        d.addr,
        "POST",
        "/api/v1/container/ipc/directories",
        Some(r#"{"group": "../etc", "session": "s1"}"#),
        &[],
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        http(d.addr, "DELETE", "/api/v1/groups/main", None, &[]).status,
        204
    );
    assert_eq!(
        http(d.addr, "DELETE", "/api/v1/groups/main", None, &[]).status,
        404
    );
}

/// `aigo group show|forget` and `aigo image history` over the API: the same
/// library calls, the same JSON as `--json`.
#[test]
fn group_memory_and_build_history_have_routes() {
    let d = TestDaemon::start(DaemonOptions::default());
    let r = http(
        d.addr,
        "POST",
        "/api/v1/groups",
        Some(r#"{"name": "main", "main": true, "jids": ["tg:1"]}"#),
        &[],
    );
    assert_eq!(r.status, 201, "{}", r.body);
    aigo::runs::memory::remember(&d.state, "main", Some("tg:1"), "s-chat", "r1").unwrap();
    aigo::runs::memory::remember(&d.state, "main", None, "s-term", "r2").unwrap();
    let v = d.get("/api/v1/groups/main").json();
    let out = common::aigo(d.home.path())
        .args(["group", "show", "main", "--json"])
        .assert()
        .success();
    assert_eq!(v, common::json(&out.get_output().stdout));
    assert_eq!(v["group"]["jids"][0], "tg:1");
    assert_eq!(v["sessions"].as_array().unwrap().len(), 2, "{v}");
    assert!(
        v["agentStateDir"]
            .as_str()
            .unwrap()
            .ends_with("agents/main/claude")
    );
    assert_eq!(d.get("/api/v1/groups/nope").status, 404);

    let forget = |name: &str, body: &str| {
        http(
            d.addr,
            "POST",
            &format!("/api/v1/groups/{name}/forget"),
            Some(body),
            &[],
        )
    };
    let r = forget("main", r#"{"chat": "tg:1"}"#);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["forgotten"], 1);
    assert_eq!(forget("main", "{}").json()["forgotten"], 1);
    assert_eq!(
        d.get("/api/v1/groups/main").json()["sessions"],
        serde_json::json!([])
    );
    assert_eq!(forget("nope", "{}").status, 404);

    let h = d.get("/api/v1/container/image/history?limit=5");
    assert_eq!(h.status, 200, "{}", h.body);
    assert_eq!(h.json(), serde_json::json!([]));
}

#[test]
fn groups_are_updated_in_place_and_shown_as_namespaces() {
    let d = TestDaemon::start(DaemonOptions::default());
    let post = |path: &str, body: &str| http(d.addr, "POST", path, Some(body), &[]);
    assert_eq!(
        post(
            "/api/v1/groups",
            r#"{"name": "main", "main": true, "jids": ["tg:1"]}"#
        )
        .status,
        201
    );
    // The reference body: {name, description} → {id, name, description, createdAt, updatedAt}.
    let ns = post(
        "/api/v1/container/namespaces",
        r#"{"name": "family", "description": "home chat"}"#,
    );
    assert_eq!(ns.status, 201, "{}", ns.body);
    let ns = ns.json();
    assert_eq!(ns["id"], "family");
    assert_eq!(ns["description"], "home chat");
    assert!(ns["createdAt"].is_string() && ns["updatedAt"].is_string());
    let all = d.get("/api/v1/container/namespaces").json();
    let names: Vec<_> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].clone())
        .collect();
    assert_eq!(names, ["main", "family"]);

    let patch = |body: &str| http(d.addr, "PATCH", "/api/v1/groups/family", Some(body), &[]);
    let r = patch(r#"{"addJids": ["tg:-100"], "addSenders": ["42"]}"#);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["jids"][0], "tg:-100");
    // A chat bound elsewhere, an unbound chat and an empty change are refused; nothing changes.
    assert_eq!(patch(r#"{"addJids": ["tg:1"]}"#).status, 409);
    assert_eq!(patch(r#"{"removeJids": ["tg:5"]}"#).status, 400);
    assert_eq!(patch("{}").status, 400);
    assert_eq!(patch(r#"{"bogus": 1}"#).status, 422);
    let g = &d.get("/api/v1/groups").json()[1];
    assert_eq!(g["jids"], serde_json::json!(["tg:-100"]));
    assert_eq!(g["senders"], serde_json::json!(["42"]));
    let r = http(
        d.addr,
        "PATCH",
        "/api/v1/groups/nope",
        Some(r#"{"description": "x"}"#),
        &[],
    );
    assert_eq!(r.status, 404);
}

#[test]
fn the_egress_allowlist_through_the_api() {
    let d = TestDaemon::start(DaemonOptions::default());
    let v = d.get("/api/v1/network").json();
    assert_eq!(v["egress"], "proxy-only");
    assert_eq!(v["network"], d.network.as_ref().unwrap().name.as_str());
    assert_eq!(v["allow"], serde_json::json!([]));
    let r = http(
        d.addr,
        "POST",
        "/api/v1/network/allow",
        Some(r#"{"hosts": ["API.GitHub.com", "*.npmjs.org", "10.0.0.0/8"]}"#),
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json()["allow"],
        serde_json::json!(["api.github.com", "*.npmjs.org", "10.0.0.0/8"])
    );
    for bad in [
        r#"{"hosts": ["*"]}"#,
        r#"{"hosts": ["0.0.0.0/0"]}"#,
        r#"{"hosts": ["a b"]}"#,
    ] {
        let r = http(d.addr, "POST", "/api/v1/network/allow", Some(bad), &[]);
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
        assert!(
            r.json()["message"]
                .as_str()
                .unwrap()
                .contains("allowlist entry")
        );
    }
    let r = http(
        d.addr,
        "POST",
        "/api/v1/network/deny",
        Some(r#"{"hosts": ["evil.example"]}"#),
        &[],
    );
    assert_eq!(r.status, 404);
    let r = http(
        d.addr,
        "POST",
        "/api/v1/network/deny",
        Some(r#"{"hosts": ["api.github.com"]}"#),
        &[],
    );
    assert_eq!(
        r.json()["allow"],
        serde_json::json!(["*.npmjs.org", "10.0.0.0/8"])
    );
    // The CLI reads the same file.
    let out = common::aigo(d.home.path())
        .args(["network", "list", "-q"])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        "*.npmjs.org\n10.0.0.0/8\n"
    );
}

/// A bounded, deterministic property-based run of the API against its own document
/// (schemathesis from PyPI; `.ci/run` installs it): no 5xx, and every response matches
/// the documented status codes, content types and schemas.
#[test]
fn the_api_survives_a_fuzz_run_against_its_own_document() {
    let required = std::env::var("AIGO_REQUIRE_DOCKER").is_ok_and(|v| v == "1");
    let found = std::process::Command::new("schemathesis")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            !required,
            "schemathesis is required in CI (pip install schemathesis)"
        );
        eprintln!(
            "SKIP the_api_survives_a_fuzz_run: schemathesis is not installed (pip install schemathesis)"
        );
        return;
    }
    let d = TestDaemon::start(DaemonOptions::default());
    let out = std::process::Command::new("schemathesis")
        .args(["run", &format!("http://{}/api/v1/openapi.json", d.addr)])
        // Deterministic generation also means no example database (schemathesis 4
        // refuses `--generation-database` next to it).
        .args(["--max-examples", "25", "--generation-deterministic"])
        .current_dir(std::env::temp_dir())
        .args(["--request-timeout", "10", "--workers", "2"])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        ])
        // Building the default image over the API would try a registry, and a channel
        // added with a generated API base would make the daemon connect to it: no
        // traffic may leave this machine. Those routes have their own tests.
        .args(["--exclude-path", "/api/v1/container/image/build"])
        .args(["--exclude-path-regex", "^/api/v1/channels"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let (text, err) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{text}\n{err}"
    );
}

/// The CLI's proxy, channel and audit verbs over the API; secrets go in and never
/// come back out (not in answers, not in the audit log, not in the daemon's log).
#[test]
fn proxy_channel_and_audit_verbs_have_routes_and_never_echo_secrets() {
    let d = TestDaemon::start(DaemonOptions::default());
    let key = "sk-ant-api-SECRET-0123456789";
    let call = |m: &str, p: &str, b: Option<&str>| http(d.addr, m, p, b, &[]);
    let maps = "/api/v1/container/credential-proxy/mappings";
    let body = format!(
        r#"{{"name": "anthropic", "upstreamUrl": "https://api.anthropic.com", "credentialType": "api_key", "credential": "{key}"}}"#
    );
    let r = call("POST", maps, Some(&body));
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(!r.body.contains(key));
    let placeholder = r.json()["placeholder"].as_str().unwrap().to_string();
    assert_eq!(call("POST", maps, Some(&body)).status, 409);
    let list = call("GET", maps, None);
    assert_eq!(list.json()[0]["name"], "anthropic");
    assert!(!list.body.contains(key));
    let r = call(
        "POST",
        &format!("{maps}/anthropic/rotate"),
        Some(r#"{"newPlaceholder": true}"#),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_ne!(r.json()["placeholder"], placeholder.as_str());
    assert_eq!(
        call("POST", &format!("{maps}/anthropic/rotate"), Some("{}")).status,
        400
    );
    let bad = r#"{"name": "x", "upstreamUrl": "https://a.example", "credentialType": "api_key", "credential": "two words"}"#;
    assert_eq!(call("POST", maps, Some(bad)).status, 400);
    assert_eq!(
        call("DELETE", &format!("{maps}/anthropic"), None).status,
        200
    );
    assert_eq!(
        call("DELETE", &format!("{maps}/anthropic"), None).status,
        404
    );

    let tg = r#"{"name": "telegram", "secrets": {"token": "123:TOKEN-SECRET"}, "apiBase": "http://127.0.0.1:9"}"#;
    let r = call("POST", "/api/v1/channels", Some(tg));
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(!r.body.contains("TOKEN-SECRET"));
    assert_eq!(call("POST", "/api/v1/channels", Some(tg)).status, 409);
    assert_eq!(
        call("DELETE", "/api/v1/channels/telegram", None).status,
        204
    );
    assert_eq!(
        call("POST", "/api/v1/channels/telegram/validate", None).status,
        404
    );
    let missing = r#"{"name": "slack", "secrets": {"botToken": "xoxb-1"}}"#;
    assert_eq!(call("POST", "/api/v1/channels", Some(missing)).status, 400);

    let v = call("GET", "/api/v1/container/audit-log/verify", None);
    assert_eq!(v.status, 200, "{}", v.body);
    assert_eq!(v.json()["valid"], true);
    let all = call("GET", "/api/v1/container/audit-log/export", None);
    assert_eq!(all.status, 200);
    assert!(all.json().is_array());
    for text in [
        all.body,
        std::fs::read_to_string(d.home.path().join("logs/aigo.log")).unwrap_or_default(),
    ] {
        assert!(!text.contains(key) && !text.contains("TOKEN-SECRET"));
    }
}
