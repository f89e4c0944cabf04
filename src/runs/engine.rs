//! The container engine side of runs, through [`Engine`]: check the image, create
//! and start, wait, follow logs, stop, inspect, list aigo's containers, and
//! remove orphans left by a crash. Every engine call of a run is in this file
//! (and `ops.rs`); the run spec becomes the engine's plain [`ContainerSpec`] here.

use std::time::Duration;

use futures_util::StreamExt;
use serde::Serialize;
use tokio::io::AsyncWriteExt;

use super::{RunError, RunSpec};
use crate::runtime::{BindSpec, ContainerSpec, ContainerSummary, Engine};

pub const LABEL_MANAGED: &str = "aigo.managed";
pub const LABEL_RUN: &str = "aigo.run";
pub const LABEL_GROUP: &str = "aigo.group";
/// `daemon`, `cli:<pid>` or `detached`: who is responsible for the container.
pub const LABEL_OWNER: &str = "aigo.owner";
/// The state directory the container belongs to: clean-up never crosses homes.
pub const LABEL_HOME: &str = "aigo.home";
/// The SHA-256 of the run's proxy token (hex), where the run has one: how the
/// proxy finds a run another process started. Never the token itself.
pub const LABEL_TOKEN: &str = "aigo.token";

/// What the engine is asked to create for a run.
pub async fn container_spec(engine: &Engine, spec: &RunSpec) -> ContainerSpec {
    // `host-gateway` as the network policy mapped it (the agents' gateway address).
    let mut extra_hosts = spec.extra_hosts.clone();
    extra_hosts.extend(spec.extra.add_hosts.iter().cloned());
    // Engines without a `host-gateway` mapping (Apple Container) are reached by address.
    let gateway = engine.host_gateway().await;
    let mut env: Vec<String> = spec
        .env
        .iter()
        .map(|(k, v)| {
            let v = if gateway == "host-gateway" {
                v.clone()
            } else {
                v.replace("://host-gateway:", &format!("://{gateway}:"))
            };
            format!("{k}={v}")
        })
        .collect();
    env.extend(spec.extra.env.iter().cloned());
    let mut labels = spec.labels.clone();
    labels.extend(spec.extra.labels.iter().cloned());
    ContainerSpec {
        name: spec.container_name.clone(),
        image: spec.image.clone(),
        cmd: Vec::new(),
        env,
        binds: spec
            .binds
            .iter()
            .map(|b| BindSpec {
                host: b.host.clone(),
                container: b.container.clone(),
                read_only: b.read_only,
            })
            .collect(),
        labels,
        working_dir: Some("/workspace/group".into()),
        memory_bytes: spec.memory_bytes,
        nano_cpus: spec.nano_cpus,
        pids_limit: spec.pids_limit,
        user: spec.user.clone(),
        read_only_rootfs: spec.read_only_rootfs,
        tmpfs: spec.tmpfs.iter().cloned().collect(),
        cap_drop: vec!["ALL".into()],
        security_opt: spec.security_opt.clone(),
        extra_hosts,
        dns: spec.extra.dns.clone(),
        network: spec.network.clone(),
        init: true,
    }
}

/// Creates and starts the container; returns its id.
pub async fn create_and_start(engine: &Engine, spec: &RunSpec) -> Result<String, RunError> {
    let cs = container_spec(engine, spec).await;
    engine.create_and_start(&cs).await.map_err(|e| {
        let hint = if e.is_not_found() || e.to_string().contains("No such image") {
            format!(" (build it with `aigo image build --tag {}`)", spec.image)
        } else {
            String::new()
        };
        RunError::engine("create container", format!("{e}{hint}"))
    })
}

/// Whether `image` exists in the engine (`Ok(false)`: it must be built first).
pub async fn image_exists(engine: &Engine, image: &str) -> Result<bool, RunError> {
    match engine.inspect_image(image).await {
        Ok(_) => Ok(true),
        Err(e) if e.is_not_found() => Ok(false),
        Err(e) => Err(RunError::engine("inspect image", e)),
    }
}

/// Resolves when the container exits: `Ok(exit code)`, or `Err` when the
/// engine lost it.
pub async fn wait_exit(engine: &Engine, id: &str) -> Result<Option<i64>, String> {
    engine
        .wait(id)
        .await
        .map(|s| s.code)
        .map_err(|e| e.to_string())
}

/// `(running, exit code)` of a container; `None` when the engine does not know it.
pub async fn container_state(engine: &Engine, id: &str) -> Option<(bool, Option<i64>)> {
    let i = engine.inspect(id).await.ok()?;
    Some((i.running, i.exit_code))
}

/// The last lines of what a stopped container printed (at most 2 KiB, 2 s to
/// read), for an error that says why it stopped; empty when unreadable.
pub async fn output_tail(engine: &Engine, id: &str) -> String {
    const MAX: usize = 2048;
    let read = async {
        let mut out = Vec::new();
        let mut stream = engine.logs(id, false);
        while let Some(Ok(chunk)) = stream.next().await {
            out.extend_from_slice(&chunk);
            if out.len() > 4 * MAX {
                out.drain(..out.len() - MAX);
            }
        }
        out
    };
    let out = tokio::time::timeout(std::time::Duration::from_secs(2), read)
        .await
        .unwrap_or_default();
    let tail = &out[out.len().saturating_sub(MAX)..];
    String::from_utf8_lossy(tail).trim().to_string()
}

/// Appends the container's stdout and stderr to the run log until it exits.
pub async fn copy_logs(engine: Engine, id: String, path: std::path::PathBuf) {
    let Ok(mut file) = tokio::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .await
    else {
        tracing::warn!(file = %path.display(), "cannot open the run log");
        return;
    };
    let mut stream = engine.logs(&id, true);
    while let Some(next) = stream.next().await {
        let chunk = match next {
            Ok(c) => c,
            Err(e) => {
                // Said, so a run log that ends early has its cause in the daemon's log.
                tracing::warn!(container = %id, error = %e, "the container's log stream ended with an error");
                break;
            }
        };
        if let Err(e) = file.write_all(&chunk).await {
            tracing::warn!(file = %path.display(), error = %e, "cannot write the run log");
            break;
        }
    }
    let _ = file.flush().await;
}

/// Stops with SIGTERM, then SIGKILL after `grace_secs`.
pub async fn stop_container(engine: &Engine, id: &str, grace_secs: i32) -> Result<(), RunError> {
    let grace = Duration::from_secs(u64::try_from(grace_secs).unwrap_or(0));
    engine
        .stop(id, grace)
        .await
        .map_err(|e| RunError::engine("stop container", e))
}

pub(crate) async fn remove(engine: &Engine, id: &str) -> Result<(), RunError> {
    engine
        .remove(id)
        .await
        .map_err(|e| RunError::engine("remove container", e))
}

/// An aigo container the engine knows about. In JSON, `id` is the run id
/// (what `aigo stop` and `aigo runs` use); the engine's id is `containerId`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RunningContainer {
    #[serde(rename = "id")]
    pub run: String,
    #[serde(rename = "containerId")]
    pub id: String,
    pub name: String,
    pub group: String,
    pub owner: String,
    #[serde(skip)]
    pub home: String,
    pub image: String,
    pub state: String,
    pub status: String,
}

/// Every container labelled as aigo's (`all`: stopped ones too).
pub async fn list_running(engine: &Engine, all: bool) -> Result<Vec<RunningContainer>, RunError> {
    let list = engine
        .list(&format!("{LABEL_MANAGED}=true"), all)
        .await
        .map_err(|e| RunError::engine("list containers", e))?;
    Ok(list.into_iter().map(RunningContainer::from).collect())
}

impl From<ContainerSummary> for RunningContainer {
    fn from(c: ContainerSummary) -> Self {
        let label = |k: &str| c.labels.get(k).cloned().unwrap_or_default();
        Self {
            run: label(LABEL_RUN),
            group: label(LABEL_GROUP),
            owner: label(LABEL_OWNER),
            home: label(LABEL_HOME),
            id: c.id,
            name: c.name,
            image: c.image,
            state: c.state,
            status: c.status,
        }
    }
}

/// Removes this state directory's aigo containers that nobody waits for: the
/// daemon's own (at its start none of its runs is alive) and those of CLI
/// processes that are gone. Detached runs are left to `aigo stop`.
pub async fn remove_orphans(
    engine: &Engine,
    home: &str,
) -> Result<Vec<RunningContainer>, RunError> {
    let mut removed = Vec::new();
    for c in list_running(engine, true).await? {
        if c.home != home {
            continue;
        }
        let orphan = match c.owner.as_str() {
            "detached" => false,
            "daemon" => true,
            o => o.strip_prefix("cli:").is_none_or(|pid| !pid_alive(pid)),
        };
        if orphan {
            remove(engine, &c.id).await?;
            tracing::info!(container = %c.name, run = %c.run, "removed an orphaned aigo container");
            removed.push(c);
        }
    }
    Ok(removed)
}

/// `kill -0 PID`: portable, and no `unsafe` libc call.
pub(crate) fn pid_alive(pid: &str) -> bool {
    pid.parse::<u32>().is_ok()
        && std::process::Command::new("kill")
            .args(["-0", pid])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}
