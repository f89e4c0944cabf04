//! A flood of 10,000 events from threads, async tasks and separate `aigo`
//! processes at once: every event lands exactly once and the chain stays valid.

use std::collections::HashMap;
use std::process::{Command, Stdio};

use aigo::audit::{self, AuditLog, Category, NewEvent, Severity};
use aigo::state::StateDir;

const THREADS_SHARED: usize = 3; // one AuditLog shared by clones (its cache in play)
const THREADS_OWN: usize = 2; // each with its own AuditLog, like separate components
const TASKS: usize = 3; // tokio tasks using record_async
const PROCESSES: usize = 4; // `aigo audit record` writers
const PER_WRITER: usize = 1000;
const PER_PROCESS: usize = 500;

fn event(writer: &str, i: usize) -> NewEvent {
    NewEvent::new(Severity::Info, Category::Ipc, format!("{writer} #{i}")).group(writer)
}

#[test]
fn ten_thousand_concurrent_events_keep_the_chain_valid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = StateDir::at(dir.path());
    let total = (THREADS_SHARED + THREADS_OWN + TASKS) * PER_WRITER + PROCESSES * PER_PROCESS;
    assert_eq!(total, 10_000);

    // Start the processes first so they overlap with the in-process writers.
    let children: Vec<_> = (0..PROCESSES)
        .map(|p| {
            Command::new(assert_cmd::cargo::cargo_bin("aigo"))
                .args(["audit", "record", "--category", "ipc", "--count"])
                .arg(PER_PROCESS.to_string())
                .args(["--batch", if p % 2 == 0 { "1" } else { "7" }])
                .args(["--message", &format!("p{p}"), "--group", &format!("p{p}")])
                .env("AIGO_HOME", state.root())
                .stdout(Stdio::null())
                .spawn()
                .expect("spawn aigo")
        })
        .collect();

    // Verification while the flood is running must never see a broken chain.
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let verifier = {
        let (state, done) = (state.clone(), done.clone());
        std::thread::spawn(move || {
            let mut runs = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let r = audit::verify(&state).expect("verify");
                assert!(r.valid && r.warnings.is_empty(), "mid-flood: {r:?}");
                runs += 1;
            }
            runs
        })
    };

    let shared = AuditLog::open(&state);
    let mut threads = Vec::new();
    for t in 0..THREADS_SHARED + THREADS_OWN {
        let log = if t < THREADS_SHARED {
            shared.clone()
        } else {
            AuditLog::open(&state)
        };
        threads.push(std::thread::spawn(move || {
            let name = format!("t{t}");
            let mut i = 1;
            while i <= PER_WRITER {
                // Mix single appends and small batches.
                if i % 5 == 0 && i + 2 <= PER_WRITER {
                    log.record_batch((i..i + 3).map(|k| event(&name, k)).collect())
                        .expect("batch");
                    i += 3;
                } else {
                    log.record(event(&name, i)).expect("record");
                    i += 1;
                }
            }
        }));
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for k in 0..TASKS {
            let log = shared.clone();
            set.spawn(async move {
                for i in 1..=PER_WRITER {
                    log.record_async(event(&format!("k{k}"), i))
                        .await
                        .expect("record_async");
                }
            });
        }
        while let Some(r) = set.join_next().await {
            r.expect("task");
        }
    });
    for t in threads {
        t.join().expect("thread");
    }
    for mut c in children {
        assert!(c.wait().expect("wait").success(), "an aigo writer failed");
    }

    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let runs = verifier.join().expect("verifier");
    eprintln!("verified the log {runs} times during the flood");

    let r = audit::verify(&state).expect("verify");
    assert!(r.valid, "{r:?}");
    assert_eq!(r.events, total as u64);

    // Every event accounted for: each writer's messages exactly once, in its order.
    let all = audit::export(&state).expect("export");
    assert_eq!(all.len(), total);
    let mut seen: HashMap<String, Vec<usize>> = HashMap::new();
    for (n, e) in all.iter().enumerate() {
        assert_eq!(e.id, n as u64 + 1);
        let (writer, i) = e.message.split_once(" #").expect("message shape");
        seen.entry(writer.to_string())
            .or_default()
            .push(i.parse().expect("index"));
    }
    assert_eq!(seen.len(), THREADS_SHARED + THREADS_OWN + TASKS + PROCESSES);
    for (writer, idx) in seen {
        let n = if writer.starts_with('p') {
            PER_PROCESS
        } else {
            PER_WRITER
        };
        assert_eq!(idx, (1..=n).collect::<Vec<_>>(), "writer {writer}");
    }
}
