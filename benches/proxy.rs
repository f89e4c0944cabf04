//! The credential proxy against the peers a user would put in front of an
//! agent, in one run on loopback: straight to the upstream, nginx as a
//! reverse proxy setting `x-api-key` (when nginx is installed), and
//! `aigo proxy start` with caller identification on (and, to show what the
//! identification costs, off). Upstream: nginx `return 200` (else a hyper
//! server here). Load: `wrk -t2 -c32` (else a built-in generator of the same
//! shape). For GET and 4 KiB POST it prints each one's req/s, CPU per request
//! (of the proxy process; of the upstream for "direct"), p50/p99, and the
//! ratios; then the p50 each proxy adds on one connection. Rounds interleave
//! the targets so load from elsewhere on the machine hits all alike; medians
//! are reported.
//!
//! `cargo bench --bench proxy`; `AIGO_BENCH_SECS=5` (per measurement) and
//! `AIGO_BENCH_ROUNDS=3` tune it; `AIGO_BENCH_BASELINE=/path/to/older/aigo`
//! adds that binary's proxy as a row (before/after in one run). Under
//! `cargo test` it only smoke-runs.

#[path = "proxy/load.rs"]
mod load;
#[path = "proxy/targets.rs"]
mod targets;

use std::net::SocketAddr;

use load::{Measured, Shape};
use targets::{REAL, Target};

const PLACEHOLDER: &str = "CREDENTIAL_PROXY_PLACEHOLDER";

/// One row: a path through which requests go.
struct Row {
    name: &'static str,
    /// Whose CPU counts.
    cpu_of: usize,
    addr: SocketAddr,
    key: &'static str,
}

#[derive(Clone, Copy, Default)]
struct Sample {
    m: Measured,
    cpu_us: f64,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        f64::NAN
    } else {
        v[v.len() / 2]
    }
}

fn measure(
    work: &std::path::Path,
    targets: &[Target],
    row: &Row,
    shape: Shape,
    conns: (usize, usize),
    secs: f64,
) -> Sample {
    let who = &targets[row.cpu_of];
    let cpu0 = who.cpu_secs();
    let m = load::run(work, row.addr, shape, row.key, conns.0, conns.1, secs);
    let cpu = who.cpu_secs() - cpu0;
    Sample {
        m,
        cpu_us: cpu * 1e6 / m.requests.max(1) as f64,
    }
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let env = |k: &str, d: f64| {
        std::env::var(k)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(d)
    };
    let secs = env("AIGO_BENCH_SECS", if full { 5.0 } else { 0.3 });
    let rounds = env("AIGO_BENCH_ROUNDS", if full { 3.0 } else { 1.0 }) as usize;
    if !full {
        println!("smoke run; `cargo bench --bench proxy` for real figures");
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let work = tempfile::tempdir().expect("work dir");
    let nginx = targets::have_nginx();
    let mut targets = Vec::new();
    targets.push(if nginx {
        targets::nginx_upstream(work.path())
    } else {
        targets::builtin_upstream()
    });
    let up = targets[0].addr;
    let mut rows = vec![Row {
        name: "direct",
        cpu_of: 0,
        addr: up,
        key: REAL,
    }];
    if nginx {
        targets.push(targets::nginx_proxy(work.path(), up, cores));
        rows.push(Row {
            name: "nginx",
            cpu_of: targets.len() - 1,
            addr: targets[targets.len() - 1].addr,
            key: PLACEHOLDER,
        });
    } else {
        println!("nginx is not installed (apt-get install nginx): no nginx row");
    }
    let baseline = std::env::var_os("AIGO_BENCH_BASELINE").map(std::path::PathBuf::from);
    let mut aigos: Vec<(&'static str, &[&str], Option<&std::path::Path>)> = vec![
        ("aigo", &["--allow-caller", "127.0.0.1"], None),
        ("aigo (no caller id)", &["--any-caller"], None),
    ];
    if let Some(b) = &baseline {
        aigos.push((
            "aigo (baseline binary)",
            &["--allow-caller", "127.0.0.1"],
            Some(b.as_path()),
        ));
    }
    for (name, args, bin) in aigos {
        targets.push(targets::aigo(work.path(), up, args, name, bin));
        rows.push(Row {
            name,
            cpu_of: targets.len() - 1,
            addr: targets[targets.len() - 1].addr,
            key: PLACEHOLDER,
        });
    }
    println!(
        "credential proxy benchmark: {cores} cores, loopback, upstream {}, load {}, {secs}s per measurement, {rounds} round(s), medians",
        if nginx {
            "nginx return 200"
        } else {
            "built-in hyper"
        },
        if load::have_wrk() {
            "wrk"
        } else {
            "built-in generator"
        },
    );
    // Warm up every path (connections, caches, the proxies' first upstream connection).
    for r in &rows {
        measure(work.path(), &targets, r, Shape::Get, (1, 4), secs.min(1.0));
    }

    for shape in [Shape::Get, Shape::Post(4096)] {
        let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); rows.len()];
        for _ in 0..rounds {
            for (i, r) in rows.iter().enumerate() {
                samples[i].push(measure(work.path(), &targets, r, shape, (2, 32), secs));
            }
        }
        let med: Vec<(f64, f64, f64, f64)> = samples
            .iter()
            .map(|s| {
                (
                    median(s.iter().map(|x| x.m.rps).collect()),
                    median(s.iter().map(|x| x.cpu_us).collect()),
                    median(s.iter().map(|x| x.m.p50_us).collect()),
                    median(s.iter().map(|x| x.m.p99_us).collect()),
                )
            })
            .collect();
        println!("\n{} (2 threads, 32 connections)", shape.label());
        println!(
            "  {:<22} {:>10} {:>14} {:>10} {:>10}",
            "path", "req/s", "CPU/req (us)", "p50 (us)", "p99 (us)"
        );
        for (r, (rps, cpu, p50, p99)) in rows.iter().zip(&med) {
            println!(
                "  {:<22} {rps:>10.0} {cpu:>14.1} {p50:>10.0} {p99:>10.0}",
                r.name
            );
        }
        let idx = |n: &str| rows.iter().position(|r| r.name == n);
        let aigo = idx("aigo").expect("aigo row");
        if let Some(n) = idx("nginx") {
            println!(
                "  aigo / nginx: throughput {:.2}x (goal >= 1.00), CPU per request {:.2}x (goal <= 1.00), p99 {:.2}x",
                med[aigo].0 / med[n].0,
                med[aigo].1 / med[n].1,
                med[aigo].3 / med[n].3
            );
        }
        let off = idx("aigo (no caller id)").expect("row");
        println!(
            "  caller identification on / off: throughput {:.3}x, CPU per request {:.3}x (goal: within 5%)",
            med[aigo].0 / med[off].0,
            med[aigo].1 / med[off].1
        );
        println!("  aigo / direct: throughput {:.2}x", med[aigo].0 / med[0].0);
    }

    // Added latency: one connection, one request at a time.
    let mut p50s: Vec<Vec<f64>> = vec![Vec::new(); rows.len()];
    for _ in 0..rounds {
        for (i, r) in rows.iter().enumerate() {
            let s = measure(work.path(), &targets, r, Shape::Get, (1, 1), secs.min(3.0));
            p50s[i].push(s.m.p50_us);
        }
    }
    let p50: Vec<f64> = p50s.into_iter().map(median).collect();
    println!(
        "\nadded p50 latency, one connection (GET): direct p50 {:.0} us",
        p50[0]
    );
    for (r, p) in rows.iter().zip(&p50).skip(1) {
        println!("  {:<22} +{:.0} us", r.name, p - p50[0]);
    }
    if let Some(n) = rows.iter().position(|r| r.name == "nginx") {
        let a = rows
            .iter()
            .position(|r| r.name == "aigo")
            .expect("aigo row");
        println!(
            "  aigo added / nginx added: {:.2}x (goal <= 1.00)",
            (p50[a] - p50[0]) / (p50[n] - p50[0])
        );
    }
}
