//! The curl examples of the README and of both reference pages (the container
//! execution guide and the troubleshooting guide) are tests: each is parsed as
//! curl would read it, sent to a daemon on this machine, and its answer checked
//! against what the page says it shows.
//!
//! The reference pages live outside this repository (`shared/reference/` beside
//! the checkout, or `AIGO_REFERENCE_DIR`); their curl commands are copied below,
//! and when the pages are found the copy must match them exactly.

#![allow(clippy::unwrap_used)]

mod common;

use aigo::daemon::DaemonOptions;
use common::{TestDaemon, http};

/// Every `curl` command of the execution guide, as the page has it.
const EXECUTION_GUIDE: &[&str] = &[
    r#"curl -X POST http://localhost:55765/api/v1/container/image/build -H "Content-Type: application/json" -d '{"imageTag": "aigo-agent-runner:latest"}'"#,
    r#"curl http://localhost:55765/api/v1/container/mount/allowlist"#,
    r#"curl -X PUT http://localhost:55765/api/v1/container/mount/allowlist -H "Content-Type: application/json" -d '{ "allowedRoots": ["/Users/you/projects", "/Users/you/data"], "blockedPatterns": [".ssh", ".gnupg", ".env", ".aws", ".azure", ".gcloud", ".docker", ".kube"] }'"#,
    r#"curl -X POST http://localhost:55765/api/v1/container/mount/validate -H "Content-Type: application/json" -d '{"hostPath": "/Users/you/projects/myapp", "containerPath": "/workspace/extra/myapp", "readOnly": true}'"#,
];

/// Every `curl` command of the troubleshooting guide, as the page has it.
const TROUBLESHOOTING_GUIDE: &[&str] = &[
    r#"curl http://localhost:55765/api/v1/container/runtime"#,
    r#"curl http://localhost:55765/api/v1/container/image/status"#,
    r#"curl http://localhost:55765/api/v1/container/credential-proxy/status"#,
    r#"curl http://localhost:55765/api/v1/container/credential-proxy/status"#,
    r#"curl http://localhost:55765/api/v1/channels/telegram"#,
    r#"curl http://localhost:55765/api/v1/channels/discord"#,
    r#"curl https://your-domain.com/api/v1/channels/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=your-token&hub.challenge=test"#,
    r#"curl http://localhost:55765/api/v1/container/schedules"#,
    r#"curl http://localhost:55765/api/v1/container/schedules/{id}/logs"#,
    r#"curl "http://localhost:55765/api/v1/container/audit-log?severity=violation""#,
    r#"curl "http://localhost:55765/api/v1/container/audit-log?limit=500""#,
];

/// A curl command line as curl reads it.
#[derive(Debug, PartialEq)]
struct Curl {
    method: String,
    /// Path and query, without scheme and host.
    target: String,
    body: Option<String>,
}

/// Shell words of `text` (single and double quotes, backslash-newline joins).
fn words(text: &str) -> Vec<String> {
    let text = text.replace("\\\n", " ");
    let (mut out, mut cur, mut quote, mut any) = (Vec::new(), String::new(), None, false);
    for c in text.chars() {
        match (quote, c) {
            (None, '\'' | '"') => (quote, any) = (Some(c), true),
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => {
                if any {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (_, c) => (cur, any) = (cur + &c.to_string(), true),
        }
    }
    if any {
        out.push(cur);
    }
    out
}

fn parse(cmd: &str) -> Curl {
    let w = words(cmd);
    assert_eq!(w[0], "curl", "{cmd}");
    let (mut method, mut target, mut body) = (None, None, None);
    let mut i = 1;
    while i < w.len() {
        match w[i].as_str() {
            "-X" => (method, i) = (Some(w[i + 1].clone()), i + 1),
            "-H" => i += 1,
            "-d" | "--data" => (body, i) = (Some(w[i + 1].clone()), i + 1),
            u if u.starts_with("http") => {
                let rest = u.split_once("://").unwrap().1;
                target = Some(rest[rest.find('/').unwrap()..].to_string());
            }
            other => panic!("unknown curl argument {other:?} in {cmd}"),
        }
        i += 1;
    }
    let method = method.unwrap_or_else(|| if body.is_some() { "POST" } else { "GET" }.into());
    Curl {
        method,
        target: target.unwrap(),
        body,
    }
}

/// The `curl` commands of a page's text: from `curl` to the end of its line,
/// continued while a quote is open or the line ends with a backslash.
fn curls_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(at) = line.find("curl ") else {
            continue;
        };
        if line[..at].chars().any(|c| !c.is_whitespace()) {
            continue;
        }
        let mut cmd = line[at..].trim_end().to_string();
        loop {
            let open = cmd.chars().filter(|&c| c == '\'').count() % 2 == 1;
            if let Some(s) = cmd.strip_suffix('\\') {
                cmd = s.trim_end().to_string();
            } else if !open {
                break;
            }
            match lines.next() {
                Some(next) => cmd = format!("{cmd} {}", next.trim()),
                None => break,
            }
        }
        // Drop a trailing comment or redirection (`# every route`, `> audit.json`).
        let w = words(&cmd);
        let keep = w
            .iter()
            .position(|x| x.starts_with('#') || x == ">")
            .unwrap_or(w.len());
        out.push(cmd_of(&cmd, &w[..keep]));
    }
    out
}

/// `cmd` cut before the words after `kept` (keeps its own quoting).
fn cmd_of(cmd: &str, kept: &[String]) -> String {
    if kept.len() == words(cmd).len() {
        return normalise(cmd);
    }
    let mut end = cmd.len();
    for cut in ["#", ">"] {
        if let Some(i) = cmd.rfind(&format!(" {cut}")) {
            end = end.min(i);
        }
    }
    normalise(&cmd[..end])
}

/// One space between words outside quotes and around `{`/`}` inside, so a page's
/// line breaks do not matter.
fn normalise(cmd: &str) -> String {
    cmd.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn reference_dir() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("AIGO_REFERENCE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference")
        });
    dir.is_dir().then_some(dir)
}

#[test]
fn the_copied_reference_examples_are_the_pages_own() {
    let Some(dir) = reference_dir() else {
        eprintln!(
            "SKIP comparing with the reference pages: no ../shared/reference (set AIGO_REFERENCE_DIR)"
        );
        return;
    };
    for (file, copy) in [
        ("container-execution-guide.txt", EXECUTION_GUIDE),
        ("container-troubleshooting-guide.txt", TROUBLESHOOTING_GUIDE),
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let found = curls_in(&text);
        let copy: Vec<String> = copy.iter().map(|c| normalise(c)).collect();
        assert_eq!(found, copy, "{file}: the copied curl commands differ");
    }
}

/// The README's examples, read from the README itself.
fn readme_examples() -> Vec<String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    curls_in(&text)
}

#[test]
fn every_documented_curl_example_works() {
    // The WhatsApp webhook has its own listener (the API does not serve it):
    // the pages' webhook example goes there, as a reverse proxy would send it.
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "[channels.whatsapp]\nwebhook_bind = \"127.0.0.1:0\"\n",
    )
    .unwrap();
    let d = TestDaemon::start_in(home, DaemonOptions::default());
    // Answering means started: the daemon wrote where its listeners are.
    assert_eq!(d.get("/api/v1/health").status, 200);
    let info: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.state.daemon_info()).unwrap()).unwrap();
    let hook: std::net::SocketAddr = info["webhookAddress"].as_str().unwrap().parse().unwrap();
    let call = |c: &Curl| {
        let to = if c
            .target
            .split('?')
            .next()
            .unwrap()
            .ends_with("/whatsapp/webhook")
        {
            hook
        } else {
            d.addr
        };
        http(to, &c.method, &c.target, c.body.as_deref(), &[])
    };
    let post = |path: &str, body: &str| http(d.addr, "POST", path, Some(body), &[]);
    // What the pages assume exists: a mapping, the channels they ask about, a
    // schedule, a refused mount in the audit log. Channels talk to a closed local port.
    let r = post(
        "/api/v1/container/credential-proxy/mappings",
        r#"{"name": "Anthropic API", "upstreamUrl": "https://api.anthropic.com", "credentialType": "api_key", "credential": "sk-ant-example"}"#,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    for body in [
        r#"{"name": "telegram", "secrets": {"token": "123:abc"}, "apiBase": "http://127.0.0.1:9"}"#,
        r#"{"name": "discord", "secrets": {"token": "abc"}, "apiBase": "http://127.0.0.1:9"}"#,
        r#"{"name": "whatsapp", "secrets": {"accessToken": "a", "verifyToken": "your-token", "appSecret": "s"}, "phoneNumberId": "1", "apiBase": "http://127.0.0.1:9"}"#,
    ] {
        let r = post("/api/v1/channels", body);
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let r = post(
        "/api/v1/container/schedules",
        r#"{"name": "standup", "prompt": "summarize", "schedule": {"type": "cron", "value": "0 9 * * 1-5"}}"#,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let schedule = r.json()["id"].as_str().unwrap().to_string();
    // The daemon binds its proxy as one of its components and the proxy picks up
    // the new mapping from proxy.toml: wait until it serves it, as a reader of the
    // troubleshooting page would have.
    common::wait_for("the credential proxy with the mapping", 30, || {
        let v = d.get("/api/v1/container/credential-proxy/status").json();
        v["running"] == true && v["mappingCount"] == 1
    });
    common::wait_for("the channels' connectors", 30, || {
        ["telegram", "discord", "whatsapp"]
            .iter()
            .all(|c| d.get(&format!("/api/v1/channels/{c}")).json()["running"] == true)
    });

    let examples: Vec<String> = readme_examples()
        .into_iter()
        .chain(EXECUTION_GUIDE.iter().map(|c| normalise(c)))
        .chain(TROUBLESHOOTING_GUIDE.iter().map(|c| normalise(c)))
        .collect();
    assert!(examples.len() >= 18, "{examples:#?}");
    for cmd in &examples {
        let mut c = parse(cmd);
        c.target = c.target.replace("{id}", &schedule);
        if c.target == "/api/v1/container/image/build" {
            // Building the default image downloads its base image and Claude Code:
            // no test traffic may leave the machine. The body must be the route's.
            let req: aigo::image::BuildRequest =
                serde_json::from_str(c.body.as_deref().unwrap()).unwrap();
            assert_eq!(req.image_tag, "aigo-agent-runner:latest");
            assert!(aigo::api::operations().contains(&("post".into(), c.target.clone())));
            continue;
        }
        let r = call(&c);
        let what = format!("{cmd}\n→ {} {}", r.status, r.body);
        match c.target.as_str() {
            // The reference's roots do not exist here: refused with the fix (see
            // daemon_api's the_reference_curl_examples_work for the pending form).
            "/api/v1/container/mount/allowlist" if c.method == "PUT" => {
                assert_eq!(r.status, 422, "{what}");
                assert!(r.body.contains("pending"), "{what}");
                continue;
            }
            _ => assert_eq!(r.status, 200, "{what}"),
        }
        let target = c.target.split('?').next().unwrap();
        if target.ends_with("/whatsapp/webhook") {
            assert_eq!(r.body, "test", "{what}");
            continue;
        }
        let v = r.json();
        match target {
            "/api/v1/container/runtime" => {
                assert!(v["available"].is_boolean(), "{what}")
            }
            "/api/v1/container/image/status" => {
                assert!(v["status"].is_string(), "{what}")
            }
            "/api/v1/container/credential-proxy/status" => {
                assert_eq!(v["running"], true, "{what}");
                assert!(v["mappingCount"].as_u64().unwrap() > 0, "{what}");
            }
            t if t.starts_with("/api/v1/channels/") => {
                assert_eq!(v["configured"], true, "{what}")
            }
            "/api/v1/container/schedules" => {
                assert_eq!(v[0]["enabled"], true, "{what}");
                assert!(v[0]["nextRun"].is_string(), "{what}");
            }
            "/api/v1/container/mount/validate" => {
                assert_eq!(v["allowed"], false, "{what}");
                assert!(v["reason"].is_string(), "{what}");
            }
            "/api/v1/openapi.json" => assert_eq!(v["openapi"], "3.1.0", "{what}"),
            t if t.starts_with("/api/v1/container/audit-log") => {
                assert!(v.is_array() || v.is_object(), "{what}")
            }
            _ => assert!(!v.is_null(), "{what}"),
        }
    }
    // The validate example was refused and audited: the violation query finds it.
    let v = d
        .get("/api/v1/container/audit-log?severity=violation")
        .json();
    assert!(
        v.to_string().contains("/Users/you/projects/myapp"),
        "the refused mount is a violation in the audit log: {v}"
    );
}

#[test]
fn curl_lines_parse_as_curl_reads_them() {
    let c = parse(&normalise(EXECUTION_GUIDE[2]));
    assert_eq!(c.method, "PUT");
    assert_eq!(c.target, "/api/v1/container/mount/allowlist");
    let body: serde_json::Value = serde_json::from_str(c.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["allowedRoots"][1], "/Users/you/data");
    let c = parse(TROUBLESHOOTING_GUIDE[9]);
    assert_eq!(c.target, "/api/v1/container/audit-log?severity=violation");
    let text = "x\n  curl -X POST http://h:1/a \\\n  -d '{\"k\": 1}'   # note\ncurl \"http://h/b?x=1\" > out.json\n";
    assert_eq!(
        curls_in(text),
        [
            r#"curl -X POST http://h:1/a -d '{"k": 1}'"#,
            r#"curl "http://h/b?x=1""#
        ]
    );
}
