//! Load benchmark for the management API: requests/s and latency percentiles for
//! `GET /api/v1/container/runtime` and `POST /api/v1/container/mount/validate`,
//! plus the daemon's idle RSS. Runs the real release binary as its own process.
//!
//! `cargo bench --bench api_load` (env: AIGO_BENCH_SECS, AIGO_BENCH_CONNS).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request};

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn rss_kib(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

struct Report {
    rps: f64,
    p50: Duration,
    p99: Duration,
    errors: u64,
}

async fn load(
    addr: SocketAddr,
    method: Method,
    path: &'static str,
    body: Option<String>,
    conns: u64,
    secs: u64,
) -> Report {
    let end = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let method = method.clone();
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            stream.set_nodelay(true).unwrap();
            let (mut send, conn) =
                hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
                    .await
                    .unwrap();
            tokio::spawn(conn);
            let mut lat = Vec::with_capacity(200_000);
            let mut errors = 0u64;
            while Instant::now() < end {
                let mut req = Request::builder()
                    .method(method.clone())
                    .uri(path)
                    .header("host", "localhost");
                if body.is_some() {
                    req = req.header("content-type", "application/json");
                }
                let req = req
                    .body(Full::new(Bytes::from(body.clone().unwrap_or_default())))
                    .unwrap();
                let t = Instant::now();
                match send.send_request(req).await {
                    Ok(resp) => {
                        let ok = resp.status().is_success();
                        let _ = resp.into_body().collect().await;
                        lat.push(t.elapsed());
                        if !ok {
                            errors += 1;
                        }
                    }
                    Err(_) => {
                        errors += 1;
                        break;
                    }
                }
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap();
        all.extend(l);
        errors += e;
    }
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Report {
        rps: all.len() as f64 / secs as f64,
        p50: pct(0.50),
        p99: pct(0.99),
        errors,
    }
}

fn main() {
    let secs = env_num("AIGO_BENCH_SECS", 5);
    let conns = env_num("AIGO_BENCH_CONNS", 32);
    let home = tempfile::tempdir().unwrap();
    let root = home.path().join("projects");
    std::fs::create_dir_all(root.join("app")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let bin = env!("CARGO_BIN_EXE_aigo");
    let st = std::process::Command::new(bin)
        .env("AIGO_HOME", home.path())
        .args(["mount", "add"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(st.status.success());
    let mut child = std::process::Command::new(bin)
        .env("AIGO_HOME", home.path())
        .env("AIGO_LOG", "warn")
        .args(["daemon", "--bind", &addr.to_string()])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(addr).is_err() {
        assert!(Instant::now() < deadline, "daemon did not start");
        std::thread::sleep(Duration::from_millis(10));
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    // Let detection finish, then measure idle memory before any load.
    rt.block_on(load(
        addr,
        Method::GET,
        "/api/v1/container/runtime",
        None,
        1,
        1,
    ));
    std::thread::sleep(Duration::from_millis(500));
    let idle = rss_kib(child.id());
    println!(
        "aigo API benchmark: {conns} keep-alive connections, {secs}s per route, client and daemon share the machine's {} cores",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
    println!("daemon idle RSS: {:.1} MiB", idle as f64 / 1024.0);
    let validate = format!(
        r#"{{"hostPath": "{}/app", "readOnly": true}}"#,
        root.canonicalize().unwrap().display()
    );
    for (name, method, path, body) in [
        (
            "GET  /api/v1/container/runtime",
            Method::GET,
            "/api/v1/container/runtime",
            None,
        ),
        (
            "POST /api/v1/container/mount/validate",
            Method::POST,
            "/api/v1/container/mount/validate",
            Some(validate),
        ),
    ] {
        let r = rt.block_on(load(addr, method, path, body, conns, secs));
        println!(
            "{name}: {:>9.0} req/s  p50 {:>7.3} ms  p99 {:>7.3} ms  errors {}",
            r.rps,
            r.p50.as_secs_f64() * 1e3,
            r.p99.as_secs_f64() * 1e3,
            r.errors
        );
    }
    println!(
        "daemon RSS after load: {:.1} MiB",
        rss_kib(child.id()) as f64 / 1024.0
    );
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}
