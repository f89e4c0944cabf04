//! `aigo mount …` through the real binary: exit codes, JSON shapes, concurrency,
//! corrupt files and crash safety of `mounts.toml`.

#![allow(clippy::unwrap_used)]

mod common;

use common::{aigo, json};

#[test]
fn validate_exits_0_when_allowed_and_1_with_the_reason_when_not() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let root = work.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join("app")).unwrap();
    std::fs::create_dir_all(root.join(".aws")).unwrap();
    aigo(home.path())
        .args(["mount", "add"])
        .arg(&root)
        .arg("--read-write")
        .assert()
        .success();

    let out = aigo(home.path())
        .args([
            "mount",
            "validate",
            "--json",
            "--read-write",
            "--container-path",
            "/workspace/extra/myapp",
        ])
        .arg(root.join("app"))
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    assert_eq!(v["allowed"], true);
    assert_eq!(v["realHostPath"], root.join("app").display().to_string());
    assert_eq!(v["containerPath"], "/workspace/extra/myapp");
    assert_eq!(v["readOnly"], false);
    let mut keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "allowed",
            "containerPath",
            "readOnly",
            "realHostPath",
            "reason"
        ]
    );

    let out = aigo(home.path())
        .args(["mount", "validate"])
        .arg(root.join(".aws"))
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains("rejected") && text.contains("Path contains blocked pattern \".aws\""),
        "{text}"
    );

    let out = aigo(home.path())
        .args(["mount", "validate", "/"])
        .assert()
        .code(1);
    assert!(
        String::from_utf8_lossy(&out.get_output().stdout)
            .contains("Path not under any allowed root")
    );

    // A relative path is relative to the current directory on the command line.
    let out = aigo(home.path())
        .current_dir(&root)
        .args(["mount", "validate", "--json", "app"])
        .assert()
        .success();
    assert_eq!(
        json(&out.get_output().stdout)["realHostPath"],
        root.join("app").display().to_string()
    );
}

#[test]
fn non_main_groups_are_forced_read_only() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let root = work.path().canonicalize().unwrap();
    aigo(home.path())
        .args(["mount", "add", "--read-write"])
        .arg(&root)
        .assert()
        .success();
    let out = aigo(home.path())
        .args([
            "mount",
            "validate",
            "--json",
            "--read-write",
            "--group",
            "family",
        ])
        .arg(&root)
        .assert()
        .success();
    assert_eq!(json(&out.get_output().stdout)["readOnly"], true);
}

#[test]
fn list_remove_and_allowlist_round_trip() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let root = work.path().canonicalize().unwrap();
    aigo(home.path())
        .args(["mount", "add", "--description", "my code"])
        .arg(&root)
        .assert()
        .success();
    let out = aigo(home.path()).args(["mount", "list"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains(&root.display().to_string()) && text.contains("my code"),
        "{text}"
    );
    let out = aigo(home.path())
        .args(["mount", "list", "--json"])
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    assert_eq!(v[0]["path"], root.display().to_string());
    assert_eq!(v[0]["allowReadWrite"], false);

    let body = format!(
        r#"{{"allowedRoots": ["{}", {{"path": "/Users/you/data", "pending": true}}], "blockedPatterns": [".ssh", "secrets-dir"]}}"#,
        root.display()
    );
    let out = aigo(home.path())
        .args(["mount", "allowlist", "set", "--json", &body])
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    assert_eq!(v["allowedRoots"].as_array().unwrap().len(), 2);
    assert!(
        v["warnings"][0]
            .as_str()
            .unwrap()
            .contains("/Users/you/data")
    );
    let out = aigo(home.path())
        .args(["mount", "allowlist", "show", "--json"])
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    let pats: Vec<_> = v["blockedPatterns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        pats.contains(&".kube") && pats.contains(&"secrets-dir"),
        "{pats:?}"
    );
    // Stored snake_case, with a schema_version.
    let toml = std::fs::read_to_string(home.path().join("mounts.toml")).unwrap();
    assert!(
        toml.contains("schema_version = 1") && toml.contains("allow_read_write"),
        "{toml}"
    );

    aigo(home.path())
        .args(["mount", "remove"])
        .arg(&root)
        .assert()
        .success();
    let out = aigo(home.path())
        .args(["mount", "remove"])
        .arg(&root)
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("is not an allowed root"));
    aigo(home.path())
        .args(["mount", "allowlist", "set", "{\"allowedRoots\": 3}"])
        .assert()
        .code(2);
}

/// The reference's body names roots as bare strings: they merge by path and keep
/// what `mount add` said about them; `--replace` removes the rest; the output
/// says what changed.
#[test]
fn allowlist_set_merges_by_root_and_says_what_changed() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let base = work.path().canonicalize().unwrap();
    let [code, data, docs] = ["code", "data", "docs"].map(|d| {
        std::fs::create_dir_all(base.join(d)).unwrap();
        base.join(d).display().to_string()
    });
    aigo(home.path())
        .args([
            "mount",
            "add",
            &code,
            "--read-write",
            "--description",
            "my code",
        ])
        .assert()
        .success();
    aigo(home.path())
        .args(["mount", "add", &docs])
        .assert()
        .success();
    let body = format!(r#"{{"allowedRoots": ["{code}", "{data}"], "blockedPatterns": [".ssh"]}}"#);
    let out = aigo(home.path())
        .args(["mount", "allowlist", "set", &body])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains(&format!("added    {data} (read-only)")),
        "{text}"
    );
    assert!(
        !text.contains("updated") && !text.contains("removed"),
        "{text}"
    );
    assert!(text.contains("3 allowed roots now"), "{text}");
    let roots = |home: &std::path::Path| {
        let out = aigo(home)
            .args(["mount", "list", "--json"])
            .assert()
            .success();
        json(&out.get_output().stdout)
    };
    let v = roots(home.path());
    assert_eq!(v[0]["path"], code.as_str());
    assert_eq!(v[0]["allowReadWrite"], true, "{v}");
    assert_eq!(v[0]["description"], "my code", "{v}");

    // The same body again changes nothing and says so.
    aigo(home.path())
        .args(["mount", "allowlist", "set", &body])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("no change\n"));

    let body =
        format!(r#"{{"allowedRoots": ["{code}", {{"path": "{data}", "allowReadWrite": true}}]}}"#);
    let out = aigo(home.path())
        .args(["mount", "allowlist", "set", "--replace", "--json", &body])
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    assert_eq!(v["changes"]["added"], serde_json::json!([]));
    assert_eq!(v["changes"]["updated"], serde_json::json!([data]));
    assert_eq!(v["changes"]["removed"], serde_json::json!([docs]));
    let v = roots(home.path());
    assert_eq!(v.as_array().unwrap().len(), 2, "{v}");
    assert_eq!(
        v[0]["allowReadWrite"], true,
        "--replace keeps a listed root's flag: {v}"
    );
    assert_eq!(v[0]["description"], "my code");
    assert_eq!(v[1]["allowReadWrite"], true);
}

#[test]
fn fifty_concurrent_adds_keep_all_fifty_roots() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("aigo");
    let mut children = Vec::new();
    for i in 0..50 {
        let dir = work.path().join(format!("root-{i:02}"));
        std::fs::create_dir_all(&dir).unwrap();
        children.push(
            std::process::Command::new(&bin)
                .env("AIGO_HOME", home.path())
                .args(["mount", "add"])
                .arg(&dir)
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap(),
        );
    }
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let out = aigo(home.path())
        .args(["mount", "list", "--json"])
        .assert()
        .success();
    assert_eq!(json(&out.get_output().stdout).as_array().unwrap().len(), 50);
}

#[test]
fn a_corrupt_file_is_named_with_its_line_and_never_overwritten() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let broken =
        "schema_version = 1\nnon_main_read_only = true\nallowed_roots = [ { path = \"/x\" \n";
    std::fs::write(home.path().join("mounts.toml"), broken).unwrap();
    let out = aigo(home.path())
        .args(["mount", "add"])
        .arg(work.path())
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("mounts.toml:3:"), "{err}");
    assert!(err.contains("left untouched"), "{err}");
    assert_eq!(
        std::fs::read_to_string(home.path().join("mounts.toml")).unwrap(),
        broken
    );
    aigo(home.path()).args(["mount", "list"]).assert().code(2);

    std::fs::write(home.path().join("mounts.toml"), "schema_version = 99\n").unwrap();
    let out = aigo(home.path()).args(["mount", "list"]).assert().code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("upgrade aigo"));
}

#[test]
fn a_writer_killed_mid_write_never_leaves_a_truncated_file() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("aigo");
    for i in 0..40 {
        let dir = work.path().join(format!("r{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut child = std::process::Command::new(&bin)
            .env("AIGO_HOME", home.path())
            .args(["mount", "add"])
            .arg(&dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Kill at varying points of the process's life, some before and some during the write.
        std::thread::sleep(std::time::Duration::from_micros(200 * (i % 20)));
        let _ = child.kill();
        let _ = child.wait();
        if home.path().join("mounts.toml").exists() {
            aigo(home.path())
                .args(["mount", "list", "--json"])
                .assert()
                .success();
        }
    }
}

#[test]
fn a_missing_root_exits_2_naming_it_unless_pending() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let later = work.path().canonicalize().unwrap().join("later");
    let out = aigo(home.path())
        .args(["mount", "add"])
        .arg(&later)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains(&later.display().to_string()), "{err}");
    assert!(err.contains("--pending"), "{err}");
    aigo(home.path())
        .args(["mount", "add", "--pending"])
        .arg(&later)
        .assert()
        .success();
    let out = aigo(home.path())
        .args(["mount", "list", "--json"])
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    assert_eq!(v[0]["path"], later.display().to_string());
    assert_eq!(v[0]["pending"], true);
    // Until it exists it matches nothing; when it appears as a symlink to /,
    // /etc through it is still refused.
    std::os::unix::fs::symlink("/", &later).unwrap();
    let out = aigo(home.path())
        .args(["mount", "validate"])
        .arg(later.join("etc"))
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("too broad"), "{text}");
}

#[test]
fn the_keystore_identity_engine_socket_and_aigo_itself_are_never_mountable() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let root = work.path().canonicalize().unwrap();
    for d in ["keys", "engine", "proj"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    std::fs::write(root.join("keys/id.key"), "AGE-SECRET-KEY-1X\n").unwrap();
    let _sock = std::os::unix::net::UnixListener::bind(root.join("engine/engine.sock")).unwrap();
    aigo(home.path())
        .args(["mount", "add"])
        .arg(&root)
        .assert()
        .success();
    let bin = assert_cmd::cargo::cargo_bin("aigo");
    let exe_dir = bin.parent().unwrap().canonicalize().unwrap();
    let validate = |path: &std::path::Path| {
        let out = aigo(home.path())
            .env("AIGO_KEYSTORE_IDENTITY", root.join("keys/id.key"))
            .env(
                "DOCKER_HOST",
                format!("unix://{}", root.join("engine/engine.sock").display()),
            )
            .args(["mount", "validate", "--json"])
            .arg(path)
            .assert();
        let code = out.get_output().status.code();
        (code, json(&out.get_output().stdout))
    };
    for (path, why) in [
        (root.join("keys"), "contains the keystore identity file"),
        (
            root.join("keys/id.key"),
            "is inside the keystore identity file",
        ),
        (
            root.join("engine"),
            "contains the engine socket in DOCKER_HOST",
        ),
        (root.clone(), "contains"),
    ] {
        let (code, v) = validate(&path);
        assert_eq!(code, Some(1), "{path:?}: {v}");
        assert_eq!(v["allowed"], false);
        assert!(v["reason"].as_str().unwrap().contains(why), "{path:?}: {v}");
    }
    let (code, v) = validate(&root.join("proj"));
    assert_eq!(code, Some(0), "{v}");
    // aigo's own executable, under a root that holds it.
    aigo(home.path())
        .args(["mount", "add"])
        .arg(&exe_dir)
        .assert()
        .success();
    let (code, v) = validate(&exe_dir);
    assert_eq!(code, Some(1), "{v}");
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .contains("aigo's own executable"),
        "{v}"
    );
    // Every refusal is an audited violation and the log still verifies.
    let out = aigo(home.path())
        .args(["audit", "--json", "--severity", "violation"])
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    assert_eq!(v["total"], 5, "{v}");
    let out = aigo(home.path())
        .args(["audit", "verify", "--json"])
        .assert()
        .success();
    assert_eq!(json(&out.get_output().stdout)["valid"], true);
}
