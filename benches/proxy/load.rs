//! The load generator: `wrk` when installed (what the issue measured with),
//! else a small keep-alive HTTP/1.1 client here (same shape: N connections,
//! one request at a time each, latency of every request).

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One request shape: GET, or POST with a body of this many bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Get,
    Post(usize),
}

impl Shape {
    pub fn label(self) -> String {
        match self {
            Shape::Get => "GET".into(),
            Shape::Post(n) => format!("POST {} KiB", n / 1024),
        }
    }
}

/// What one load run measured.
#[derive(Clone, Copy, Debug, Default)]
pub struct Measured {
    pub requests: u64,
    pub rps: f64,
    pub p50_us: f64,
    pub p99_us: f64,
}

pub fn have_wrk() -> bool {
    Command::new("wrk").arg("--version").output().is_ok()
}

/// `connections` connections on `threads` threads for `secs`, sending `key`
/// in `x-api-key`.
pub fn run(
    work: &Path,
    addr: SocketAddr,
    shape: Shape,
    key: &str,
    threads: usize,
    connections: usize,
    secs: f64,
) -> Measured {
    if have_wrk() {
        wrk(work, addr, shape, key, threads, connections, secs)
    } else {
        builtin(addr, shape, key, threads, connections, secs)
    }
}

fn wrk(
    work: &Path,
    addr: SocketAddr,
    shape: Shape,
    key: &str,
    threads: usize,
    connections: usize,
    secs: f64,
) -> Measured {
    let script = work.join("wrk.lua");
    let mut f = std::fs::File::create(&script).expect("wrk script");
    writeln!(f, "wrk.headers[\"x-api-key\"] = \"{key}\"").expect("write");
    writeln!(f, "wrk.headers[\"content-type\"] = \"application/json\"").expect("write");
    if let Shape::Post(n) = shape {
        writeln!(
            f,
            "wrk.method = \"POST\"\nwrk.body = string.rep(\"x\", {n})"
        )
        .expect("write");
    }
    drop(f);
    // wrk counts whole seconds; shorter runs get one second.
    let d = format!("{}s", secs.ceil().max(1.0) as u64);
    let out = Command::new("wrk")
        .args([
            "-t",
            &threads.to_string(),
            "-c",
            &connections.to_string(),
            "-d",
            &d,
        ])
        .args(["--latency", "--timeout", "5s", "-s"])
        .arg(&script)
        .arg(format!("http://{addr}/v1/messages"))
        .output()
        .expect("run wrk");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "wrk failed: {text}");
    assert!(
        !text.contains("Non-2xx"),
        "some requests were not answered 200 (wrong setup): {text}"
    );
    let field = |label: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(label).map(|r| r.trim().to_string()))
            .unwrap_or_else(|| panic!("no {label:?} in wrk's output: {text}"))
    };
    let requests = text
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    Measured {
        requests,
        rps: field("Requests/sec:").parse().expect("req/s"),
        p50_us: micros(&field("50%")),
        p99_us: micros(&field("99%")),
    }
}

/// `245.00us`, `1.20ms`, `1.00s` → microseconds.
fn micros(s: &str) -> f64 {
    let (num, unit) = s.split_at(s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len()));
    let v: f64 = num.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => v,
        "ms" => v * 1e3,
        "s" => v * 1e6,
        "m" => v * 60e6,
        _ => f64::NAN,
    }
}

fn builtin(
    addr: SocketAddr,
    shape: Shape,
    key: &str,
    threads: usize,
    connections: usize,
    secs: f64,
) -> Measured {
    let head = match shape {
        Shape::Get => format!(
            "GET /v1/messages HTTP/1.1\r\nHost: {addr}\r\nx-api-key: {key}\r\ncontent-type: application/json\r\n\r\n"
        ),
        Shape::Post(n) => format!(
            "POST /v1/messages HTTP/1.1\r\nHost: {addr}\r\nx-api-key: {key}\r\ncontent-type: application/json\r\ncontent-length: {n}\r\n\r\n{}",
            "x".repeat(n)
        ),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .expect("load runtime");
    let until = Instant::now() + Duration::from_secs_f64(secs);
    let started = Instant::now();
    let mut all: Vec<Duration> = rt.block_on(async {
        let tasks: Vec<_> = (0..connections)
            .map(|_| {
                let head = head.clone().into_bytes();
                tokio::spawn(async move { one_connection(addr, &head, until).await })
            })
            .collect();
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.expect("load task"));
        }
        all
    });
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e6;
    Measured {
        requests: all.len() as u64,
        rps: all.len() as f64 / elapsed,
        p50_us: pct(0.5),
        p99_us: pct(0.99),
    }
}

async fn one_connection(addr: SocketAddr, req: &[u8], until: Instant) -> Vec<Duration> {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    s.set_nodelay(true).expect("nodelay");
    let mut buf = vec![0u8; 64 * 1024];
    let mut lat = Vec::new();
    while Instant::now() < until {
        let t = Instant::now();
        s.write_all(req).await.expect("send");
        let mut have = 0;
        loop {
            let n = s.read(&mut buf[have..]).await.expect("read");
            assert!(n > 0, "the server closed the connection");
            have += n;
            if let Some(total) = response_len(&buf[..have])
                && have >= total
            {
                assert!(buf.starts_with(b"HTTP/1.1 200"), "not a 200 answer");
                break;
            }
        }
        lat.push(t.elapsed());
    }
    lat
}

/// Head length + Content-Length, once the head is complete.
fn response_len(b: &[u8]) -> Option<usize> {
    let end = memchr::memmem::find(b, b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&b[..end]).ok()?;
    let len = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    Some(end + len)
}
