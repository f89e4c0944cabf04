//! The real `aigo daemon` process under SIGTERM: in-flight requests complete and
//! the process exits 0; the log file records the drain.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

#[test]
fn sigterm_drains_in_flight_requests_and_exits_0() {
    let home = tempfile::tempdir().unwrap();
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
