//! The container engine side of runs, through bollard: check the image, create
//! and start, wait, follow logs, stop, inspect, list aigo's containers, and
//! remove orphans left by a crash. Every engine call of a run is in this file
//! (and `ops.rs`), so the `runtime::Engine` trait can take them over whole.

use std::collections::HashMap;

use bollard::Docker;
use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, ListContainersOptionsBuilder, RemoveContainerOptionsBuilder,
    StopContainerOptionsBuilder,
};
use futures_util::StreamExt;
use serde::Serialize;
use tokio::io::AsyncWriteExt;

use super::{RunError, RunSpec};

pub const LABEL_MANAGED: &str = "aigo.managed";
pub const LABEL_RUN: &str = "aigo.run";
pub const LABEL_GROUP: &str = "aigo.group";
/// `daemon`, `cli:<pid>` or `detached`: who is responsible for the container.
pub const LABEL_OWNER: &str = "aigo.owner";
/// The state directory the container belongs to: clean-up never crosses homes.
pub const LABEL_HOME: &str = "aigo.home";

/// Creates and starts the container; returns its id.
pub async fn create_and_start(docker: &Docker, spec: &RunSpec) -> Result<String, RunError> {
    let binds = spec.binds.iter().map(super::Bind::to_engine).collect();
    let mut extra_hosts = spec.extra_hosts.clone();
    extra_hosts.extend(spec.extra.add_hosts.iter().cloned());
    let mut env: Vec<String> = spec.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    env.extend(spec.extra.env.iter().cloned());
    let mut labels: HashMap<String, String> = spec.labels.clone().into_iter().collect();
    labels.extend(spec.extra.labels.iter().cloned());
    let host = HostConfig {
        binds: Some(binds),
        extra_hosts: Some(extra_hosts),
        dns: (!spec.extra.dns.is_empty()).then(|| spec.extra.dns.clone()),
        memory: spec.memory_bytes,
        nano_cpus: spec.nano_cpus,
        pids_limit: spec.pids_limit,
        cap_drop: Some(vec!["ALL".into()]),
        security_opt: Some(vec!["no-new-privileges".into()]),
        privileged: Some(false),
        init: Some(true),
        network_mode: spec.network.clone(),
        ..Default::default()
    };
    let body = ContainerCreateBody {
        image: Some(spec.image.clone()),
        env: Some(env),
        labels: Some(labels),
        user: spec.user.clone(),
        working_dir: Some("/workspace/group".into()),
        host_config: Some(host),
        ..Default::default()
    };
    let opts = CreateContainerOptionsBuilder::default()
        .name(&spec.container_name)
        .build();
    let created = docker
        .create_container(Some(opts), body)
        .await
        .map_err(|e| RunError::engine("create container", hint(&spec.image, e)))?;
    if let Err(e) = docker.start_container(&created.id, None).await {
        let _ = remove(docker, &created.id).await;
        return Err(RunError::engine("start container", e));
    }
    Ok(created.id)
}

fn hint(image: &str, e: bollard::errors::Error) -> String {
    let s = e.to_string();
    if s.contains("No such image") {
        format!("{s} (build it with `aigo image build --tag {image}`)")
    } else {
        s
    }
}

/// Whether `image` exists in the engine (`Ok(false)`: it must be built first).
pub async fn image_exists(docker: &Docker, image: &str) -> Result<bool, RunError> {
    match docker.inspect_image(image).await {
        Ok(_) => Ok(true),
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 404, ..
        }) => Ok(false),
        Err(e) => Err(RunError::engine("inspect image", e)),
    }
}

/// Resolves when the container exits: `Ok(exit code)`, or `Err` when the
/// engine lost it.
pub async fn wait_exit(docker: &Docker, id: &str) -> Result<Option<i64>, String> {
    let mut wait = docker.wait_container(id, None);
    match wait.next().await {
        Some(Ok(w)) => Ok(Some(w.status_code)),
        Some(Err(bollard::errors::Error::DockerContainerWaitError { code, .. })) => Ok(Some(code)),
        Some(Err(e)) => Err(e.to_string()),
        None => Ok(None),
    }
}

/// `(running, exit code)` of a container; `None` when the engine does not know it.
pub async fn container_state(docker: &Docker, id: &str) -> Option<(bool, Option<i64>)> {
    let st = docker.inspect_container(id, None).await.ok()?.state?;
    Some((st.running.unwrap_or(false), st.exit_code))
}

/// Appends the container's stdout and stderr to the run log until it exits.
pub async fn copy_logs(docker: Docker, id: String, path: std::path::PathBuf) {
    let Ok(mut file) = tokio::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .await
    else {
        tracing::warn!(file = %path.display(), "cannot open the run log");
        return;
    };
    let opts = bollard::query_parameters::LogsOptionsBuilder::default()
        .follow(true)
        .stdout(true)
        .stderr(true)
        .build();
    let mut stream = docker.logs(&id, Some(opts));
    while let Some(Ok(chunk)) = stream.next().await {
        if file.write_all(&chunk.into_bytes()).await.is_err() {
            break;
        }
    }
    let _ = file.flush().await;
}

/// Stops with SIGTERM, then SIGKILL after `grace_secs`.
pub async fn stop_container(docker: &Docker, id: &str, grace_secs: i32) -> Result<(), RunError> {
    let opts = StopContainerOptionsBuilder::default().t(grace_secs).build();
    match docker.stop_container(id, Some(opts)).await {
        Ok(()) => Ok(()),
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 304 | 404,
            ..
        }) => Ok(()),
        Err(e) => Err(RunError::engine("stop container", e)),
    }
}

pub(crate) async fn remove(docker: &Docker, id: &str) -> Result<(), RunError> {
    let opts = RemoveContainerOptionsBuilder::default()
        .force(true)
        .v(true)
        .build();
    match docker.remove_container(id, Some(opts)).await {
        Ok(())
        | Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 404, ..
        }) => Ok(()),
        Err(e) => Err(RunError::engine("remove container", e)),
    }
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
pub async fn list_running(docker: &Docker, all: bool) -> Result<Vec<RunningContainer>, RunError> {
    let mut filters = HashMap::new();
    filters.insert("label".to_string(), vec![format!("{LABEL_MANAGED}=true")]);
    let opts = ListContainersOptionsBuilder::default()
        .all(all)
        .filters(&filters)
        .build();
    let list = docker
        .list_containers(Some(opts))
        .await
        .map_err(|e| RunError::engine("list containers", e))?;
    Ok(list
        .into_iter()
        .map(|c| {
            let labels = c.labels.unwrap_or_default();
            let label = |k: &str| labels.get(k).cloned().unwrap_or_default();
            RunningContainer {
                id: c.id.unwrap_or_default(),
                name: c
                    .names
                    .and_then(|n| n.into_iter().next())
                    .unwrap_or_default()
                    .trim_start_matches('/')
                    .to_string(),
                run: label(LABEL_RUN),
                group: label(LABEL_GROUP),
                owner: label(LABEL_OWNER),
                home: label(LABEL_HOME),
                image: c.image.unwrap_or_default(),
                state: c.state.map(|s| s.to_string()).unwrap_or_default(),
                status: c.status.unwrap_or_default(),
            }
        })
        .collect())
}

/// Removes this state directory's aigo containers that nobody waits for: the
/// daemon's own (at its start none of its runs is alive) and those of CLI
/// processes that are gone. Detached runs are left to `aigo stop`.
pub async fn remove_orphans(
    docker: &Docker,
    home: &str,
) -> Result<Vec<RunningContainer>, RunError> {
    let mut removed = Vec::new();
    for c in list_running(docker, true).await? {
        if c.home != home {
            continue;
        }
        let orphan = match c.owner.as_str() {
            "detached" => false,
            "daemon" => true,
            o => o.strip_prefix("cli:").is_none_or(|pid| !pid_alive(pid)),
        };
        if orphan {
            remove(docker, &c.id).await?;
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
