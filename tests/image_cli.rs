//! `aigo image …` through the real binary with a temporary `AIGO_HOME`.

mod support_image;

use assert_cmd::Command;
use serde_json::Value;
use support_image::{busybox_context, docker_or_skip, remove_image, unique_tag};

fn aigo(home: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("aigo").expect("binary");
    c.env("AIGO_HOME", home).env_remove("AIGO_LOG");
    c
}

#[test]
fn context_writes_the_embedded_default() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = home.path().join("my-image");
    aigo(home.path())
        .args(["image", "context"])
        .arg(&out)
        .assert()
        .success();
    let dockerfile = std::fs::read_to_string(out.join("Dockerfile")).expect("Dockerfile");
    assert!(dockerfile.contains("aigo-agent-runner"));
    for f in ["runner.js", "mcp-server.js", "ipc.js"] {
        assert!(out.join(f).exists(), "{f}");
    }
    aigo(home.path())
        .args(["image", "context"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn build_status_history_json() {
    let Some(docker) = docker_or_skip("build_status_history_json").await else {
        return;
    };
    let home = tempfile::tempdir().expect("tempdir");
    let ctx = busybox_context(&home.path().join("ctx"), "RUN echo cli > /cli\n");
    let tag = unique_tag("cli");
    let h = home.path().to_path_buf();
    let (tag2, ctx2) = (tag.clone(), ctx.clone());
    tokio::task::spawn_blocking(move || {
        let out = aigo(&h)
            .args(["image", "status", "--json", "--tag", &tag2])
            .assert()
            .code(1);
        let st: Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
        assert_eq!(st["status"], "missing");

        let out = aigo(&h)
            .args([
                "image",
                "build",
                "--json",
                "--tag",
                &tag2,
                "--build-arg",
                "UNUSED=1",
                "--context",
            ])
            .arg(&ctx2)
            .assert()
            .success();
        let lines: Vec<Value> = String::from_utf8_lossy(&out.get_output().stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect();
        assert!(
            lines
                .iter()
                .any(|l| l["event"] == "step" && l["currentStep"] == 1)
        );
        assert!(lines.iter().any(|l| l["event"] == "log"));
        let last = lines.last().expect("lines");
        assert_eq!(last["event"], "finished");
        assert_eq!(last["build"]["status"], "succeeded");
        assert_eq!(last["build"]["buildArgNames"][0], "UNUSED");
        assert!(!String::from_utf8_lossy(&out.get_output().stdout).contains("UNUSED=1"));

        let out = aigo(&h)
            .args(["image", "status", "--json", "--tag", &tag2])
            .assert()
            .success();
        let st: Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
        assert_eq!(st["status"], "ready");
        assert_eq!(st["imageId"], last["build"]["imageId"]);

        // --quiet prints the image id only; the same inputs give the same (cached) image.
        let out = aigo(&h)
            .args([
                "image",
                "build",
                "-q",
                "--tag",
                &tag2,
                "--build-arg",
                "UNUSED=1",
                "--context",
            ])
            .arg(&ctx2)
            .assert()
            .success();
        assert_eq!(
            String::from_utf8_lossy(&out.get_output().stdout).trim(),
            st["imageId"]
        );

        // A failing build: non-zero, with the engine's error.
        std::fs::write(
            ctx2.join("Dockerfile"),
            "FROM scratch\nCOPY missing-file /x\n",
        )
        .expect("write");
        aigo(&h)
            .args(["image", "build", "--tag", &tag2, "--context"])
            .arg(&ctx2)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("missing-file"));
        let out = aigo(&h)
            .args(["image", "status", "--tag", &tag2])
            .assert()
            .code(1);
        assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("failed"));

        let out = aigo(&h)
            .args(["image", "history", "--json"])
            .assert()
            .success();
        let hist: Vec<Value> = serde_json::from_slice(&out.get_output().stdout).expect("json");
        let states: Vec<&str> = hist
            .iter()
            .map(|b| b["status"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(states, ["failed", "succeeded", "succeeded"]);
    })
    .await
    .expect("cli steps");
    remove_image(&docker, &tag).await;
}
