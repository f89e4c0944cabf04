//! `aigo image build` against plain `docker build` of the same context (no label: aigo's
//! label must not cost a step), cold (`--no-cache`) and cached, interleaved runs, medians
//! and the aigo/docker ratio. `docker build` is whatever builder the docker CLI picks
//! (the classic one without buildx); aigo uses BuildKit through the Engine API.
//! Run: `cargo bench --bench image_build` (needs an engine, the docker CLI and /bin/busybox).
//! `AIGO_BENCH_RUNS` sets the number of runs per tool and mode (default 5).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BUSYBOX: &str = "/bin/busybox";

fn main() {
    if let Err(why) = preflight() {
        eprintln!("SKIP image_build bench: {why}");
        return;
    }
    let runs: usize = std::env::var("AIGO_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    println!(
        "image build: aigo (label via the API) vs plain docker build, median of {runs} interleaved runs"
    );
    println!(
        "{:<28} {:>10} {:>10} {:>8}",
        "context / mode", "aigo", "docker", "ratio"
    );
    for blob in [16 << 20, 0] {
        bench_context(runs, blob);
    }
}

fn bench_context(runs: usize, blob: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let ctx = dir.path().join("ctx");
    let size = write_context(&ctx, blob);
    let home = dir.path().join("home");
    let aigo_tag = "aigo-bench-aigo:latest";
    let docker_tag = "aigo-bench-docker:latest";

    // Warm-up.
    aigo_build(&home, &ctx, aigo_tag, true);
    docker_build(&ctx, docker_tag, true);

    for (mode, no_cache) in [("cold", true), ("cached", false)] {
        let (mut a, mut d) = (Vec::new(), Vec::new());
        for i in 0..runs {
            // Alternate who goes first: the shared machine's noise hits both alike.
            if i % 2 == 0 {
                a.push(aigo_build(&home, &ctx, aigo_tag, no_cache));
                d.push(docker_build(&ctx, docker_tag, no_cache));
            } else {
                d.push(docker_build(&ctx, docker_tag, no_cache));
                a.push(aigo_build(&home, &ctx, aigo_tag, no_cache));
            }
        }
        let (a, d) = (median(&mut a), median(&mut d));
        let ratio = a.as_secs_f64() / d.as_secs_f64();
        println!(
            "{:<28} {:>9.3}s {:>9.3}s {ratio:>8.3}  ({:+.1} %; goal: within 5 %)",
            format!("{:.1} MB, {mode}", size as f64 / 1e6),
            a.as_secs_f64(),
            d.as_secs_f64(),
            (ratio - 1.0) * 100.0
        );
    }
    for tag in [aigo_tag, docker_tag] {
        let _ = Command::new("docker").args(["rmi", "-f", tag]).output();
    }
}

fn preflight() -> Result<(), String> {
    if !Path::new(BUSYBOX).exists() {
        return Err(format!(
            "{BUSYBOX} missing (apt-get install busybox-static)"
        ));
    }
    let ok = Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .output()
        .map_err(|e| format!("no docker CLI: {e}"))?;
    if !ok.status.success() {
        return Err(format!(
            "docker does not answer: {}",
            String::from_utf8_lossy(&ok.stderr).trim()
        ));
    }
    Ok(())
}

/// busybox, `blob` bytes of pseudo-random data (context upload and COPY), a few RUN steps.
fn write_context(ctx: &Path, blob: usize) -> u64 {
    std::fs::create_dir_all(ctx.join("data")).expect("mkdir");
    std::fs::copy(BUSYBOX, ctx.join("busybox")).expect("copy busybox");
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let blob: Vec<u8> = (0..blob)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(ctx.join("data/blob"), &blob).expect("write blob");
    for i in 0..50 {
        std::fs::write(ctx.join(format!("data/file{i}.txt")), format!("file {i}\n"))
            .expect("write");
    }
    std::fs::write(
        ctx.join("Dockerfile"),
        "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n\
         COPY data /data\nRUN sha256sum /data/blob > /data/blob.sha256\n\
         RUN for i in 1 2 3 4 5 6 7 8; do echo $i >> /steps; done\nENV MODE=bench\nWORKDIR /data\n",
    )
    .expect("write Dockerfile");
    blob.len() as u64 + std::fs::metadata(BUSYBOX).map(|m| m.len()).unwrap_or(0)
}

fn aigo_build(home: &Path, ctx: &Path, tag: &str, no_cache: bool) -> Duration {
    let mut c = Command::new(env!("CARGO_BIN_EXE_aigo"));
    c.env("AIGO_HOME", home)
        .args(["image", "build", "-q", "--tag", tag, "--context"])
        .arg(ctx);
    if no_cache {
        c.arg("--no-cache");
    }
    timed(c, "aigo image build")
}

fn docker_build(ctx: &Path, tag: &str, no_cache: bool) -> Duration {
    let mut c = Command::new("docker");
    c.args(["build", "-q", "-t", tag]);
    if no_cache {
        c.arg("--no-cache");
    }
    c.arg(ctx);
    timed(c, "docker build")
}

fn timed(mut c: Command, what: &str) -> Duration {
    let start = Instant::now();
    let out = c.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    let took = start.elapsed();
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}
