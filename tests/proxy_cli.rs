//! `aigo proxy …` through the real binary, and the keystore on disk: secrets
//! come only from stdin, an env var or a prompt, and never land in plaintext.

#[path = "support/fake_upstream.rs"]
mod fake_upstream;
#[path = "support/harness.rs"]
mod harness;

use aigo::proxy::{KeySource, Keystore, KeystoreError, Secret};
use aigo::state::StateDir;
use assert_cmd::Command;
use harness::{all_file_bytes, contains};
use predicates::prelude::*;

const REAL: &str = "sk-ant-cli-secret-987654321";

fn aigo(home: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("aigo").expect("binary");
    c.env("AIGO_HOME", home)
        .env_remove("AIGO_KEYSTORE_PASSPHRASE")
        .env_remove("AIGO_KEYSTORE_IDENTITY")
        .env_remove("CREDENTIALS_DIRECTORY");
    c
}

fn assert_no_plaintext(home: &std::path::Path, secrets: &[&str]) {
    for (path, bytes) in all_file_bytes(home) {
        for s in secrets {
            assert!(
                !contains(&bytes, s),
                "{} holds a secret in plaintext",
                path.display()
            );
        }
    }
}

fn list(home: &std::path::Path) -> serde_json::Value {
    let out = aigo(home)
        .args(["proxy", "list", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert!(!text.contains(REAL));
    serde_json::from_str(&text).expect("json")
}

#[test]
fn add_list_rotate_remove() {
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path();
    aigo(h)
        .args([
            "proxy",
            "add",
            "--name",
            "Anthropic API",
            "--upstream",
            "https://api.anthropic.com/",
        ])
        .args(["--type", "api-key", "--credential-stdin"])
        .write_stdin(format!("{REAL}\n"))
        .assert()
        .success()
        .stdout(predicate::str::contains("aigo-ph-").and(predicate::str::contains(REAL).not()));
    aigo(h)
        .args([
            "proxy",
            "add",
            "--name",
            "oauth",
            "--upstream",
            "https://example.test/prefix",
        ])
        .args([
            "--type",
            "oauth-bearer",
            "--credential-env",
            "MY_TOKEN",
            "--json",
        ])
        .env("MY_TOKEN", "oauth-token-abc")
        .assert()
        .success();

    let v = list(h);
    let items = v.as_array().expect("array");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["name"], "Anthropic API");
    assert_eq!(items[0]["upstreamUrl"], "https://api.anthropic.com");
    assert_eq!(items[0]["credentialType"], "api_key");
    assert_eq!(items[0]["isDefault"], true);
    assert_eq!(items[1]["credentialType"], "oauth_bearer");
    assert_eq!(items[1]["upstreamUrl"], "https://example.test/prefix");
    assert_ne!(items[0]["placeholder"], items[1]["placeholder"]);
    assert_no_plaintext(h, &[REAL, "oauth-token-abc"]);

    // The identity file is private.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(h.join("keystore.key"))
            .expect("identity")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let mode = std::fs::metadata(h.join("keystore.age"))
            .expect("keystore")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0);
    }

    // The credential really is in the keystore, under the mapping's id.
    let state = StateDir::at(h);
    let ks = Keystore::open(&state);
    let id = items[0]["id"].as_str().expect("id");
    assert_eq!(
        ks.get(&format!("proxy/{id}"))
            .expect("get")
            .expect("present")
            .expose(),
        REAL
    );

    // Rotate: new credential, same placeholder; then a new placeholder only.
    let ph0 = items[1]["placeholder"].clone();
    aigo(h)
        .args(["proxy", "rotate", "oauth", "--credential-stdin"])
        .write_stdin("oauth-token-new")
        .assert()
        .success();
    assert_eq!(list(h)[1]["placeholder"], ph0);
    let oid = items[1]["id"].as_str().expect("id");
    assert_eq!(
        ks.get(&format!("proxy/{oid}"))
            .expect("get")
            .expect("present")
            .expose(),
        "oauth-token-new"
    );
    aigo(h)
        .args(["proxy", "rotate", "oauth", "--placeholder-only"])
        .assert()
        .success();
    assert_ne!(list(h)[1]["placeholder"], ph0);
    assert_no_plaintext(h, &[REAL, "oauth-token-abc", "oauth-token-new"]);

    // Remove the default: the other one becomes the default; its secret goes too.
    aigo(h)
        .args(["proxy", "remove", "anthropic api"])
        .assert()
        .success();
    let v = list(h);
    assert_eq!(v.as_array().map(Vec::len), Some(1));
    assert_eq!(v[0]["isDefault"], true);
    assert!(ks.get(&format!("proxy/{id}")).expect("get").is_none());
    aigo(h)
        .args(["proxy", "remove", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no mapping named"));
}

#[test]
fn credentials_are_never_taken_from_arguments() {
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path();
    let base = [
        "proxy",
        "add",
        "--name",
        "x",
        "--upstream",
        "https://api.anthropic.com",
    ];
    // No such flag: clap usage error.
    aigo(h)
        .args(base)
        .args(["--credential", REAL])
        .assert()
        .code(2);
    // No terminal and no source: refused, nothing written.
    aigo(h)
        .args(base)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--credential-stdin"));
    aigo(h)
        .args(base)
        .args(["--credential-env", "UNSET_VAR_FOR_AIGO_TEST"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("UNSET_VAR_FOR_AIGO_TEST"));
    aigo(h)
        .args(base)
        .arg("--credential-stdin")
        .write_stdin("has space inside")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("printable ASCII")
                .and(predicate::str::contains("space inside").not()),
        );
    aigo(h)
        .args([
            "proxy",
            "add",
            "--name",
            "x",
            "--upstream",
            "ftp://host",
            "--credential-stdin",
        ])
        .write_stdin(REAL)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("scheme").and(predicate::str::contains(REAL).not()));
    assert!(!h.join("proxy.toml").exists() && !h.join("keystore.age").exists());
}

#[test]
fn passphrase_mode() {
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path();
    aigo(h)
        .args([
            "proxy",
            "add",
            "--name",
            "p",
            "--upstream",
            "https://api.anthropic.com",
            "--credential-stdin",
        ])
        .env("AIGO_KEYSTORE_PASSPHRASE", "correct horse battery staple")
        .write_stdin(REAL)
        .assert()
        .success();
    assert!(
        !h.join("keystore.key").exists(),
        "no identity file in passphrase mode"
    );
    assert_no_plaintext(h, &[REAL, "correct horse battery staple"]);
    let state = StateDir::at(h);
    let good = Keystore::with_key(
        &state,
        KeySource::Passphrase(Secret::new("correct horse battery staple")),
    );
    assert_eq!(good.load().expect("decrypts").len(), 1);
    let bad = Keystore::with_key(&state, KeySource::Passphrase(Secret::new("wrong")));
    let err = bad.load().expect_err("wrong passphrase");
    assert!(matches!(err, KeystoreError::Decrypt { .. }), "{err}");
    let by_file = Keystore::with_key(&state, KeySource::IdentityFile(h.join("keystore.key")));
    let err = by_file.load().expect_err("needs the passphrase");
    assert!(
        err.to_string().contains("AIGO_KEYSTORE_PASSPHRASE"),
        "{err}"
    );
}

#[test]
fn keystore_generic_api_and_identity_safety() {
    let home = tempfile::tempdir().expect("tempdir");
    let state = StateDir::at(home.path());
    let id_path = home.path().join("elsewhere/id.key");
    let ks = Keystore::with_key(&state, KeySource::IdentityFile(id_path.clone()));
    assert!(ks.get("channel/telegram").expect("empty").is_none());
    ks.put("channel/telegram", Secret::new("123:tg-token"))
        .expect("put");
    ks.put("channel/slack", Secret::new("xoxb-slack"))
        .expect("put");
    assert_eq!(
        ks.get("channel/telegram")
            .expect("get")
            .expect("some")
            .expose(),
        "123:tg-token"
    );
    assert!(ks.remove("channel/slack").expect("remove"));
    assert!(!ks.remove("channel/slack").expect("remove again"));
    assert_eq!(
        ks.load().expect("load").names().collect::<Vec<_>>(),
        vec!["channel/telegram"]
    );
    assert!(format!("{:?}", ks.load().expect("load")).contains("[redacted]"));
    assert_no_plaintext(home.path(), &["123:tg-token", "xoxb-slack"]);

    // A lost identity is an error, never a silently regenerated key.
    std::fs::rename(&id_path, home.path().join("moved.key")).expect("move");
    let err = ks.put("x", Secret::new("y")).expect_err("identity missing");
    assert!(
        matches!(err, KeystoreError::IdentityMissing { .. }),
        "{err}"
    );
    assert!(!id_path.exists());

    // A group/other-readable identity is refused.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::rename(home.path().join("moved.key"), &id_path).expect("move back");
        std::fs::set_permissions(&id_path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let err = ks.load().expect_err("exposed identity");
        assert!(err.to_string().contains("chmod 600"), "{err}");
    }
}

/// `aigo proxy start` in the foreground forwards with the stored credential.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_serves_in_the_foreground() {
    use std::io::BufRead;
    let up = fake_upstream::FakeUpstream::start().await;
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path();
    aigo(h)
        .args([
            "proxy",
            "add",
            "--name",
            "fake",
            "--upstream",
            &up.url(),
            "--credential-stdin",
        ])
        .write_stdin(REAL)
        .assert()
        .success();
    let bin = assert_cmd::cargo::cargo_bin("aigo");
    let log_path = h.join("stderr.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let mut child = std::process::Command::new(bin)
        .args(["proxy", "start", "--port", "0", "--bind", "127.0.0.1"])
        .args(["--allow-caller", "127.0.0.1"])
        .env("AIGO_HOME", h)
        .env("AIGO_LOG", "trace")
        .env_remove("AIGO_KEYSTORE_PASSPHRASE")
        .stdout(std::process::Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .map(|_| line)
    })
    .await
    .expect("join")
    .expect("read");
    assert!(line.contains("with 1 mapping"), "{line}");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("address")
        .to_string();
    let mut s = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let req = "GET /v1/models HTTP/1.1\r\nHost: x\r\nx-api-key: CREDENTIAL_PROXY_PLACEHOLDER\r\nConnection: close\r\n\r\n";
    s.write_all(req.as_bytes()).await.expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).await.expect("read");
    let _ = child.kill();
    let _ = child.wait();
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    assert!(!out.contains(REAL));
    assert_eq!(up.requests()[0].headers["x-api-key"], REAL);
}
