//! Credential proxy overhead, all on loopback in one process: requests through
//! the proxy vs straight to the fake upstream. Prints throughput, p50/p99
//! latency (and what the proxy adds) for small requests, and time to first
//! byte of a streamed (SSE) response. `cargo bench --bench proxy`.
//! `AIGO_BENCH_SCALE=0.2` shortens it; under `cargo test` it only smoke-runs.

#[path = "../tests/support/fake_upstream.rs"]
mod fake_upstream;
#[path = "../tests/support/harness.rs"]
mod harness;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::client::legacy::{Client, connect::HttpConnector};
use hyper_util::rt::TokioExecutor;

type C = Client<HttpConnector, Full<Bytes>>;

const REAL: &str = "sk-bench-real";
const BODY: &[u8] =
    br#"{"model":"claude","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}"#;

fn client() -> C {
    let mut http = HttpConnector::new();
    http.set_nodelay(true);
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(256)
        .build(http)
}

async fn one(c: &C, addr: SocketAddr, path: &str, key: &str) -> Duration {
    let t = Instant::now();
    let req = Request::post(format!("http://{addr}{path}"))
        .header("x-api-key", key)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from_static(BODY)))
        .expect("request");
    let resp = c.request(req).await.expect("response");
    assert_eq!(resp.status(), 200);
    resp.into_body().collect().await.expect("body");
    t.elapsed()
}

async fn ttfb(c: &C, addr: SocketAddr, key: &str) -> Duration {
    let t = Instant::now();
    let req = Request::post(format!("http://{addr}/v1/stream-bench"))
        .header("x-api-key", key)
        .body(Full::new(Bytes::from_static(BODY)))
        .expect("request");
    let mut body = c.request(req).await.expect("response").into_body();
    body.frame().await.expect("a first frame").expect("ok");
    let first = t.elapsed();
    while body.frame().await.is_some() {}
    first
}

/// Process CPU time (user + system) from /proc, in microseconds; 0 elsewhere.
fn cpu_us() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are 14 and 15.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11).and_then(|u| u.parse::<f64>().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
    ticks * 1e6 / 100.0
}

/// Requests per second, and process CPU microseconds per request.
async fn throughput(
    addr: SocketAddr,
    path: &'static str,
    key: &str,
    workers: usize,
    per_worker: usize,
) -> (f64, f64) {
    let key: Arc<str> = key.into();
    let cpu0 = cpu_us();
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let key = key.clone();
        tasks.push(tokio::spawn(async move {
            let c = client();
            for _ in 0..per_worker {
                one(&c, addr, path, &key).await;
            }
        }));
    }
    for t in tasks {
        t.await.expect("worker");
    }
    let total = (workers * per_worker) as f64;
    (total / t.elapsed().as_secs_f64(), (cpu_us() - cpu0) / total)
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Alternates direct and proxied requests so drift and noise hit both alike.
async fn latencies(
    c: &C,
    direct: SocketAddr,
    proxied: (SocketAddr, &str),
    n: usize,
    stream: bool,
) -> (Vec<Duration>, Vec<Duration>) {
    let (mut d, mut p) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        if stream {
            d.push(ttfb(c, direct, REAL).await);
            p.push(ttfb(c, proxied.0, proxied.1).await);
        } else {
            d.push(one(c, direct, "/v1/messages", REAL).await);
            p.push(one(c, proxied.0, "/v1/messages", proxied.1).await);
        }
    }
    (d, p)
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` does not, and
    // then a tiny smoke run checks the benchmark still works.
    let full = std::env::args().any(|a| a == "--bench");
    let scale: f64 = std::env::var("AIGO_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if full { 1.0 } else { 0.005 });
    if !full {
        println!("smoke run; `cargo bench --bench proxy` for real figures");
    }
    let n = |x: usize| ((x as f64 * scale) as usize).max(10);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let up = fake_upstream::FakeUpstream::start_with(false).await;
        let local = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let (h, views) = harness::start(local, &[harness::api_key("bench", up.url(), REAL)]).await;
        let ph = views[0].placeholder.clone();
        let (direct, proxied) = (up.addr, h.addr);
        let c = client();
        // Warm up connection pools on both paths.
        latencies(&c, direct, (proxied, &ph), n(500), false).await;

        println!("credential proxy benchmark (loopback, client + proxy + upstream in one process, {} cores)", num_cpus());
        for (workers, path) in [(1, "/v1/messages"), (16, "/v1/messages"), (16, "/v1/slow")] {
            let per = if path.ends_with("slow") { n(300) } else { n(24_000 / workers).max(n(1500)) };
            let mut rounds = Vec::new();
            for _ in 0..3 {
                let (d, dcpu) = throughput(direct, path, REAL, workers, per).await;
                let (p, pcpu) = throughput(proxied, path, &ph, workers, per).await;
                println!(
                    "  {path} {workers:>2} connection(s): direct {d:>6.0} req/s ({dcpu:.0} us CPU/req), proxied {p:>6.0} req/s ({pcpu:.0} us CPU/req), ratio {:.2}x",
                    p / d
                );
                rounds.push((p / d, pcpu - dcpu));
            }
            rounds.sort_by(|a, b| a.0.total_cmp(&b.0));
            println!(
                "throughput ratio, {path} with {workers} connection(s), median of 3: {:.2}x (goal >= 0.8x); the proxy's own CPU cost ~{:.0} us/request",
                rounds[1].0, rounds[1].1
            );
        }

        let count = n(5000);
        let (mut d, mut p) = latencies(&c, direct, (proxied, &ph), count, false).await;
        let (d50, d99, p50, p99) = (pct(&mut d, 0.5), pct(&mut d, 0.99), pct(&mut p, 0.5), pct(&mut p, 0.99));
        println!(
            "latency, small requests ({count}, interleaved): direct p50 {:.0} us p99 {:.0} us; proxied p50 {:.0} us p99 {:.0} us",
            us(d50), us(d99), us(p50), us(p99)
        );
        println!(
            "added latency: p50 {:.0} us (goal < 200 us), p99 {:.0} us",
            us(p50) - us(d50),
            us(p99) - us(d99)
        );

        let count = n(2000);
        let (mut d, mut p) = latencies(&c, direct, (proxied, &ph), count, true).await;
        let (d50, p50) = (pct(&mut d, 0.5), pct(&mut p, 0.5));
        println!(
            "time to first byte, streamed response ({count}): direct p50 {:.0} us, proxied p50 {:.0} us, added {:.0} us",
            us(d50), us(p50), us(p50) - us(d50)
        );
        h.shutdown.cancel();
    });
}

fn num_cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}
