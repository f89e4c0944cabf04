//! Containers through the `container` CLI: `create` then `start --attach` (kept running by
//! this process: it ends with the container's exit code), `stop --time`, `delete --force`,
//! `list --all --format json`, `inspect`, `logs [--follow]`.

use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use tokio::io::AsyncReadExt;
use tokio::process::Command;
use tokio::sync::watch;

use super::json::Snapshot;
use super::{AppleEngine, fail};
use crate::runtime::{
    Backend, ContainerInfo, ContainerSpec, ContainerSummary, EngineError, ExitStatus,
};

/// How long a container may take to boot its VM and start.
const START_TIMEOUT: Duration = Duration::from_secs(60);

impl AppleEngine {
    pub async fn create_and_start(&self, spec: &ContainerSpec) -> Result<String, EngineError> {
        // The environment goes through a 0600 file, not the command line other users can read.
        let env_file = env_file(&spec.env)?;
        let args = create_args(spec, env_file.path())?;
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = self
            .call("create the container", &spec.image, &argv)
            .await?;
        drop(env_file);
        let id = out
            .lines()
            .last()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or(&spec.name)
            .to_string();
        let mut child = Command::new(self.bin())
            .args(["start", "--attach", &id])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| EngineError::Failed {
                backend: Backend::AppleContainer,
                action: "start the container",
                message: format!("`{} start --attach {id}`: {e}", self.bin().display()),
            })?;
        let (tx, rx) = watch::channel(None);
        self.exits
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.clone(), rx.clone());
        tokio::spawn(async move {
            let code = child
                .wait()
                .await
                .ok()
                .and_then(|s| s.code())
                .map(i64::from);
            let _ = tx.send(Some(code));
        });
        self.started(&id, rx).await?;
        Ok(id)
    }

    /// Returns once the container runs (or already ended): `start --attach` says nothing
    /// when it has started, so ask `inspect`, backing off, until then. Bounded; a start
    /// that fails ends the attached process, which ends the wait at once.
    async fn started(&self, id: &str, mut exited: super::ExitWatch) -> Result<(), EngineError> {
        let deadline = tokio::time::Instant::now() + START_TIMEOUT;
        let mut pause = Duration::from_millis(10);
        loop {
            if self.inspect(id).await.is_ok_and(|i| i.running) {
                return Ok(());
            }
            tokio::select! {
                _ = exited.wait_for(Option::is_some) => return Ok(()),
                () = tokio::time::sleep(pause) => {}
            }
            if tokio::time::Instant::now() > deadline {
                return Err(EngineError::Failed {
                    backend: Backend::AppleContainer,
                    action: "start the container",
                    message: format!("{id} did not start within {}s", START_TIMEOUT.as_secs()),
                });
            }
            pause = (pause * 2).min(Duration::from_millis(500));
        }
    }

    /// Waits for the end: the exit code when this process started the container, else the
    /// end of its followed logs (the CLI reports no exit code then).
    pub async fn wait(&self, id: &str) -> Result<ExitStatus, EngineError> {
        let rx = self
            .exits
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
            .cloned();
        if let Some(mut rx) = rx
            && let Ok(code) = rx.wait_for(Option::is_some).await
        {
            return Ok(ExitStatus {
                code: code.flatten(),
            });
        }
        let mut logs = self.logs(id, true);
        while let Some(chunk) = logs.next().await {
            chunk?;
        }
        Ok(ExitStatus { code: None })
    }

    pub async fn stop(&self, id: &str, grace: Duration) -> Result<(), EngineError> {
        let t = grace.as_secs().to_string();
        match self
            .call("stop the container", id, &["stop", "--time", &t, id])
            .await
        {
            Ok(_) | Err(EngineError::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    pub async fn remove(&self, id: &str) -> Result<(), EngineError> {
        let r = self
            .call("remove the container", id, &["delete", "--force", id])
            .await;
        self.exits
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id);
        match r {
            Ok(_) | Err(EngineError::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// The CLI filters nothing: every container is listed and the label matched here.
    pub async fn list(&self, label: &str, all: bool) -> Result<Vec<ContainerSummary>, EngineError> {
        let mut args = vec!["list", "--format", "json"];
        if all {
            args.insert(1, "--all");
        }
        let out = self.call("list containers", label, &args).await?;
        let list: Vec<Snapshot> = parse("list containers", &out)?;
        let (k, v) = label.split_once('=').unwrap_or((label, ""));
        Ok(list
            .into_iter()
            .filter(|s| {
                s.labels()
                    .get(k)
                    .is_some_and(|have| v.is_empty() || have == v)
            })
            .map(Snapshot::summary)
            .collect())
    }

    pub async fn inspect(&self, id: &str) -> Result<ContainerInfo, EngineError> {
        let out = self
            .call("inspect the container", id, &["inspect", id])
            .await?;
        let list: Vec<Snapshot> = parse("inspect the container", &out)?;
        list.into_iter()
            .next()
            .map(Snapshot::info)
            .ok_or_else(|| EngineError::NotFound {
                backend: Backend::AppleContainer,
                action: "inspect the container",
                what: id.to_string(),
            })
    }

    pub fn logs(&self, id: &str, follow: bool) -> BoxStream<'static, Result<Bytes, EngineError>> {
        let mut cmd = Command::new(self.bin());
        cmd.arg("logs");
        if follow {
            cmd.arg("--follow");
        }
        cmd.arg(id)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let what = id.to_string();
        let child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                let err = fail("read the container's logs", &what, e.to_string());
                return futures_util::stream::once(async move { Err(err) }).boxed();
            }
        };
        futures_util::stream::unfold(Some(child), move |child| {
            let what = what.clone();
            async move {
                let mut child = child?;
                let mut buf = vec![0u8; 16 * 1024];
                let stdout = child.stdout.as_mut()?;
                match stdout.read(&mut buf).await {
                    Ok(0) | Err(_) => {
                        // The end: a CLI that failed says why on stderr.
                        let mut err = String::new();
                        if let Some(e) = child.stderr.as_mut() {
                            let _ = e.read_to_string(&mut err).await;
                        }
                        match child.wait().await {
                            Ok(s) if !s.success() => Some((
                                Err(fail(
                                    "read the container's logs",
                                    &what,
                                    err.trim().to_string(),
                                )),
                                None,
                            )),
                            _ => None,
                        }
                    }
                    Ok(n) => {
                        buf.truncate(n);
                        Some((Ok(Bytes::from(buf)), Some(child)))
                    }
                }
            }
        })
        .boxed()
    }
}

fn parse<T: serde::de::DeserializeOwned>(
    action: &'static str,
    out: &str,
) -> Result<T, EngineError> {
    serde_json::from_str(out).map_err(|e| EngineError::Failed {
        backend: Backend::AppleContainer,
        action,
        message: format!("unexpected JSON from the container CLI: {e}"),
    })
}

fn env_file(env: &[String]) -> Result<tempfile::NamedTempFile, EngineError> {
    let io = |source| EngineError::Io {
        path: std::env::temp_dir(),
        action: "write the environment file for",
        source,
    };
    // NamedTempFile is created 0600.
    let mut f = tempfile::NamedTempFile::new().map_err(io)?;
    for kv in env {
        if kv.contains('\n') || !kv.contains('=') {
            let key = kv.split('=').next().unwrap_or_default();
            return Err(EngineError::Unsupported {
                backend: Backend::AppleContainer,
                action: "set the environment",
                why: format!("{key:?} is not KEY=VALUE on one line (an env file cannot hold it)"),
            });
        }
        writeln!(f, "{kv}").map_err(io)?;
    }
    f.flush().map_err(io)?;
    Ok(f)
}

/// `container create …` for a spec, in the reference's syntax only.
fn create_args(
    spec: &ContainerSpec,
    env_file: &std::path::Path,
) -> Result<Vec<String>, EngineError> {
    let unsupported = |why: String| EngineError::Unsupported {
        backend: Backend::AppleContainer,
        action: "create the container",
        why,
    };
    let mut a: Vec<String> = vec!["create".into(), "--name".into(), spec.name.clone()];
    a.extend(["--env-file".into(), env_file.display().to_string()]);
    for b in &spec.binds {
        let host = b.host.display().to_string();
        // `,` and `=` would end the source field of --mount; refuse rather than mis-mount.
        if host.contains(',') || b.container.contains(',') {
            return Err(unsupported(format!(
                "bind {host}: a path with ',' cannot be expressed in --mount; rename it"
            )));
        }
        let mut m = format!("type=bind,source={host},target={}", b.container);
        if b.read_only {
            m.push_str(",readonly");
        }
        a.extend(["--mount".into(), m]);
    }
    for (k, v) in &spec.labels {
        a.extend(["--label".into(), format!("{k}={v}")]);
    }
    if let Some(n) = spec.nano_cpus {
        // Whole CPUs only: round up, so a limit never becomes zero.
        let cpus = (n + 999_999_999) / 1_000_000_000;
        a.extend(["--cpus".into(), cpus.max(1).to_string()]);
    }
    if let Some(m) = spec.memory_bytes {
        // 1 MiB granularity.
        let mib = (m + (1 << 20) - 1) >> 20;
        a.extend(["--memory".into(), format!("{}M", mib.max(1))]);
    }
    if let Some(u) = &spec.user {
        a.extend(["--user".into(), u.clone()]);
    }
    if let Some(w) = &spec.working_dir {
        a.extend(["--workdir".into(), w.clone()]);
    }
    for path in spec.tmpfs.keys() {
        a.extend(["--tmpfs".into(), path.clone()]);
    }
    for d in &spec.dns {
        a.extend(["--dns".into(), d.clone()]);
    }
    if let Some(n) = &spec.network {
        a.extend(["--network".into(), n.clone()]);
    }
    for h in &spec.extra_hosts {
        // `host-gateway` is reached by address on Apple Container (Engine::host_gateway).
        if !h.ends_with(":host-gateway") {
            return Err(unsupported(format!(
                "host entry {h:?}: the container CLI has no --add-host; remove it from config.toml [runs] extra_run_args"
            )));
        }
    }
    a.push(spec.image.clone());
    a.extend(spec.cmd.iter().cloned());
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::BindSpec;

    #[test]
    fn create_uses_reference_syntax() {
        let spec = ContainerSpec {
            name: "aigo-main-1".into(),
            image: "img:1".into(),
            binds: vec![BindSpec {
                host: "/h/g".into(),
                container: "/workspace/group".into(),
                read_only: true,
            }],
            nano_cpus: Some(1_500_000_000),
            memory_bytes: Some(512 << 20),
            extra_hosts: vec!["host-gateway:host-gateway".into()],
            ..Default::default()
        };
        let a = create_args(&spec, std::path::Path::new("/t/env")).expect("args");
        let s = a.join(" ");
        assert!(
            s.contains("--mount type=bind,source=/h/g,target=/workspace/group,readonly"),
            "{s}"
        );
        assert!(s.contains("--cpus 2") && s.contains("--memory 512M"), "{s}");
        assert!(s.ends_with("img:1"), "{s}");
        let bad = ContainerSpec {
            extra_hosts: vec!["db:10.0.0.1".into()],
            ..spec
        };
        assert!(create_args(&bad, std::path::Path::new("/t/env")).is_err());
    }
}
