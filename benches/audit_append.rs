//! Audit log throughput: appends/sec with an fsync per event against batched
//! appends, the cost of re-reading the tail when another writer intervened, and
//! verify/query speed. `cargo bench --bench audit_append`; set AIGO_BENCH_DIR to
//! measure on a particular filesystem (default: the system temp dir).

use std::time::Instant;

use aigo::audit::{self, AuditLog, AuditQuery, Category, NewEvent, Severity};
use aigo::state::StateDir;

const EVENTS: usize = 3_000;

fn event(i: usize) -> NewEvent {
    NewEvent::new(
        Severity::Info,
        Category::Container,
        format!("container aigo-main-{i} started"),
    )
    .group("main")
    .details(
        serde_json::json!({"container": format!("aigo-main-{i}"), "image": "aigo-agent:latest"}),
    )
}

fn fresh() -> (tempfile::TempDir, StateDir) {
    let dir = match std::env::var_os("AIGO_BENCH_DIR") {
        Some(d) => tempfile::tempdir_in(d),
        None => tempfile::tempdir(),
    }
    .expect("tempdir");
    let state = StateDir::at(dir.path());
    (dir, state)
}

fn rate(n: usize, t: std::time::Duration) -> f64 {
    n as f64 / t.as_secs_f64()
}

fn batched(batch: usize) -> f64 {
    let (_d, state) = fresh();
    let log = AuditLog::open(&state);
    let start = Instant::now();
    for chunk in (0..EVENTS).collect::<Vec<_>>().chunks(batch) {
        log.record_batch(chunk.iter().map(|&i| event(i)).collect())
            .expect("append");
    }
    rate(EVENTS, start.elapsed())
}

/// Two `AuditLog`s alternating: every append finds the file changed and re-reads its tail.
fn alternating() -> f64 {
    let (_d, state) = fresh();
    let logs = [AuditLog::open(&state), AuditLog::open(&state)];
    let start = Instant::now();
    for i in 0..EVENTS {
        logs[i % 2].record(event(i)).expect("append");
    }
    rate(EVENTS, start.elapsed())
}

/// `threads` writers each calling `record` (an fsync per call) on one shared
/// `AuditLog`: group commit folds concurrent calls into shared fsyncs.
fn concurrent(threads: usize) -> f64 {
    let (_d, state) = fresh();
    let log = AuditLog::open(&state);
    let start = Instant::now();
    let hs: Vec<_> = (0..threads)
        .map(|t| {
            let log = log.clone();
            std::thread::spawn(move || {
                for i in 0..EVENTS / threads {
                    log.record(event(t * EVENTS + i)).expect("append");
                }
            })
        })
        .collect();
    for h in hs {
        h.join().expect("thread");
    }
    assert!(audit::verify(&state).expect("verify").valid);
    rate(EVENTS / threads * threads, start.elapsed())
}

fn main() {
    let per_event = batched(1);
    println!("append, fsync per event:        {per_event:>10.0} events/s");
    for b in [10, 100] {
        let r = batched(b);
        println!(
            "append, batches of {b:<3} (1 fsync): {r:>10.0} events/s  ({:.1}x per-event)",
            r / per_event
        );
    }
    for t in [4, 16] {
        let r = concurrent(t);
        println!(
            "record, {t:>2} threads (group commit): {r:>8.0} events/s  ({:.1}x per-event)",
            r / per_event
        );
    }
    let alt = alternating();
    println!(
        "append, tail re-read every time: {alt:>10.0} events/s  ({:.2}x the cached path)",
        alt / per_event
    );

    let (_d, state) = fresh();
    let log = AuditLog::open(&state);
    for chunk in (0..10_000).collect::<Vec<_>>().chunks(500) {
        log.record_batch(chunk.iter().map(|&i| event(i)).collect())
            .expect("append");
    }
    let start = Instant::now();
    let r = audit::verify(&state).expect("verify");
    assert!(r.valid);
    println!(
        "verify 10,000 events:           {:>10.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    let start = Instant::now();
    let q = AuditQuery {
        limit: Some(500),
        severity: Some(Severity::Info),
        ..Default::default()
    };
    let page = audit::query(&state, &q).expect("query");
    assert_eq!(page.events.len(), 500);
    println!(
        "query limit=500 of 10,000:      {:>10.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
}
