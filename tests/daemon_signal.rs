//! The real `aigo daemon` process under SIGTERM: in-flight requests complete and
//! the process exits 0; the log file records the drain.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

#[test]
fn sigterm_drains_in_flight_requests_and_exits_0() {
    let home = tempfile::tempdir().unwrap();
    let _net = own_network(home.path());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("aigo"))
        .env("AIGO_HOME", home.path())
        .env_remove("AIGO_LOG")
        .args(["daemon", "--bind", &addr.to_string()])
        // A file, as under systemd: not a terminal, so no colour codes.
        .stderr(std::fs::File::create(home.path().join("stderr.txt")).unwrap())
        .spawn()
        .unwrap();
    common::wait_for("the API to answer", 20, || TcpStream::connect(addr).is_ok());

    // A request whose body is only half sent when the signal arrives.
    let body = br#"{"hostPath": "/tmp", "readOnly": true}"#;
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST /api/v1/container/mount/validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(&body[..10]).unwrap();
    s.flush().unwrap();
    // Make sure the daemon has the connection before the signal.
    assert_eq!(
        common::http(addr, "GET", "/api/v1/health", None, &[]).status,
        200
    );

    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    // Once draining, the daemon stops accepting new connections.
    common::wait_for("the listener to close", 20, || {
        TcpStream::connect(addr).is_err()
    });

    s.write_all(&body[10..]).unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let resp = common::parse(&buf);
    assert_eq!(resp.status, 200, "{resp:?}");
    assert_eq!(resp.json()["allowed"], false);

    let exit = child.wait().unwrap();
    assert!(exit.success(), "daemon exited with {exit}");
    assert!(!home.path().join("daemon.json").exists());
    let log = std::fs::read_to_string(home.path().join("logs/aigo.log")).unwrap();
    assert!(
        log.contains("shutdown requested") && log.contains("aigo daemon stopped"),
        "{log}"
    );
    let stderr = std::fs::read_to_string(home.path().join("stderr.txt")).unwrap();
    assert!(stderr.contains("aigo daemon stopped"), "{stderr}");
    assert!(
        !log.contains('\x1b') && !stderr.contains('\x1b'),
        "ANSI escapes in the log file or a non-terminal stderr:\n{log}\n{stderr}"
    );
}

#[test]
fn print_unit_fills_in_this_machine() {
    let home = tempfile::tempdir().unwrap();
    let out = common::aigo(home.path())
        .args(["daemon", "print-unit", "systemd"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let exe = assert_cmd::cargo::cargo_bin("aigo");
    assert!(
        text.contains(&format!("ExecStart={} daemon", exe.display())),
        "{text}"
    );
    assert!(
        text.contains(&format!("Environment=AIGO_HOME={}", home.path().display())),
        "{text}"
    );
    let out = common::aigo(home.path())
        .args(["daemon", "print-unit", "launchd"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains(&format!("<string>{}</string>", exe.display())),
        "{text}"
    );
    assert!(!text.contains("{{"), "{text}");
    common::aigo(home.path())
        .args(["daemon", "status"])
        .assert()
        .code(1);
}

/// The daemon creates its agents' network at start: one of the test's own,
/// removed when the guard drops (never the machine's `aigo-agents`).
fn own_network(home: &std::path::Path) -> common::TestNetwork {
    let net = common::TestNetwork::new("signal");
    std::fs::write(home.join("config.toml"), net.config()).unwrap();
    net
}

fn spawn_daemon(home: &std::path::Path) -> (std::process::Child, SocketAddr) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("aigo"))
        .env("AIGO_HOME", home)
        .env_remove("AIGO_LOG")
        .args(["daemon", "--bind", &addr.to_string()])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    (child, addr)
}

fn left(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            !e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .count()
}

#[test]
fn sigterm_during_a_task_flood_stops_within_bounds_and_a_second_daemon_adds_no_duplicate() {
    const N: usize = 800;
    let home = tempfile::tempdir().unwrap();
    let _net = own_network(home.path());
    common::aigo(home.path())
        .args(["group", "add", "main", "--main", "--jid", "tg:1"])
        .assert()
        .success();
    common::aigo(home.path())
        .args(["ipc", "init", "main", "s1"])
        .assert()
        .success();
    let tasks = home.path().join("sessions/main/s1/ipc/tasks");
    for i in 0..N {
        let body = format!(
            r#"{{"type":"schedule_task","name":"t{i}","prompt":"p","schedule":{{"type":"interval","value":"1h"}}}}"#
        );
        std::fs::write(tasks.join(format!("{i:013}-1.json")), body).unwrap();
    }
    let (mut first, addr) = spawn_daemon(home.path());
    common::wait_for("the flood to be under way", 60, || left(&tasks) < N);
    let status = std::process::Command::new("kill")
        .args(["-TERM", &first.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    // The acceptance bound for a stop during a flood (a service manager's
    // SIGKILL comes soon after): the process is gone within 10 s.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let exit = loop {
        if let Some(s) = first.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            let _ = first.kill();
            panic!("the daemon was still running 10 s after SIGTERM");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(exit.success(), "daemon exited with {exit}");
    let after_first = left(&tasks);
    eprintln!("{after_first} of {N} task files left when the first daemon stopped");
    assert!(TcpStream::connect(addr).is_err());

    // A second daemon finishes the flood; nothing is applied twice.
    let (mut second, _) = spawn_daemon(home.path());
    common::wait_for("the rest of the flood", 120, || left(&tasks) == 0);
    std::process::Command::new("kill")
        .args(["-TERM", &second.id().to_string()])
        .status()
        .unwrap();
    assert!(second.wait().unwrap().success());
    let out = common::aigo(home.path())
        .args(["schedule", "list", "--json"])
        .assert()
        .success();
    let list = common::json(&out.get_output().stdout);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    let unique: std::collections::HashSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "duplicate schedules");
    assert_eq!(
        names.len(),
        N,
        "every request applied once ({after_first} left after the first)"
    );
    assert_eq!(
        left(&home.path().join("sessions/main/s1/ipc/errors")),
        0,
        "nothing quarantined"
    );
}
