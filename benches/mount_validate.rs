//! `aigo mount validate` cost: the library validator per path (allowed and
//! rejected cases) and the whole CLI process per invocation.
//!
//! `cargo bench --bench mount_validate`

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use aigo::mounts::{self, MountAllowlist, MountRequest};
use aigo::state::{StateDir, load_toml};

fn per_call(iters: u32, mut f: impl FnMut()) -> Duration {
    for _ in 0..iters / 10 {
        f();
    }
    let t = Instant::now();
    for _ in 0..iters {
        f();
    }
    t.elapsed() / iters
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    for d in ["a/b/c/d/project/src", "other", ".ssh"] {
        std::fs::create_dir_all(base.join(d)).unwrap();
    }
    let state = StateDir::at(base.join("home"));
    for i in 0..20 {
        std::fs::create_dir_all(base.join(format!("root{i}"))).unwrap();
        mounts::add_root(&state, &base.join(format!("root{i}")), false, None, false).unwrap();
    }
    mounts::add_root(&state, &base.join("a"), true, None, false).unwrap();
    let list: MountAllowlist = load_toml(&state.mounts()).unwrap();
    let protected = mounts::Protected::for_state(&state);
    let req = |p: &str| MountRequest {
        host_path: base.join(p).display().to_string(),
        ..Default::default()
    };
    let cases = [
        ("allowed (6 deep, 21 roots)", req("a/b/c/d/project/src")),
        ("rejected: not under a root", req("other")),
        ("rejected: blocked pattern", req(".ssh")),
        ("rejected: does not exist", req("a/nope")),
    ];
    println!("mount validation, per path:");
    for (name, r) in &cases {
        let d = per_call(20_000, || {
            std::hint::black_box(mounts::validate(&list, &protected, r, true));
        });
        println!("  library {name:<30} {:>8.2} µs", d.as_secs_f64() * 1e6);
    }
    let d = per_call(5_000, || {
        std::hint::black_box(mounts::validate_mount(&state, &cases[0].1, true).unwrap());
    });
    println!(
        "  library incl. reading mounts.toml      {:>8.2} µs",
        d.as_secs_f64() * 1e6
    );
    let bin = env!("CARGO_BIN_EXE_aigo");
    let d = per_call(50, || {
        let out = std::process::Command::new(bin)
            .env("AIGO_HOME", state.root())
            .args(["mount", "validate"])
            .arg(&cases[0].1.host_path)
            .output()
            .unwrap();
        assert!(out.status.success());
    });
    println!(
        "  `aigo mount validate` process          {:>8.2} ms",
        d.as_secs_f64() * 1e3
    );
}
