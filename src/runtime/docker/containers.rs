//! Containers on a Docker-API engine: create+start from a [`ContainerSpec`], wait, stop,
//! remove, list by label, inspect, logs.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::time::Duration;

use bollard::models::{
    ContainerCreateBody, ContainerInspectResponse, ContainerSummaryNetworkSettings, HostConfig,
};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, ListContainersOptionsBuilder, LogsOptionsBuilder,
    RemoveContainerOptionsBuilder, StopContainerOptionsBuilder,
};
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use super::{DockerEngine, fail};
use crate::runtime::{
    Backend, BindSpec, ContainerInfo, ContainerSpec, ContainerSummary, EngineError, ExitStatus,
};

impl DockerEngine {
    /// Creates and starts; a container that fails to start is removed again.
    pub async fn create_and_start(&self, spec: &ContainerSpec) -> Result<String, EngineError> {
        let b = self.confirmed_backend().await;
        let binds = spec.binds.iter().map(bind_string).collect();
        let extra_hosts = self.extra_hosts(b, spec).await?;
        let host = HostConfig {
            binds: Some(binds),
            extra_hosts: Some(extra_hosts),
            dns: (!spec.dns.is_empty()).then(|| spec.dns.clone()),
            memory: spec.memory_bytes,
            nano_cpus: spec.nano_cpus,
            pids_limit: spec.pids_limit,
            cap_drop: Some(spec.cap_drop.clone()),
            security_opt: Some(spec.security_opt.clone()),
            privileged: Some(false),
            init: spec.init.then_some(true),
            readonly_rootfs: spec.read_only_rootfs.then_some(true),
            tmpfs: (!spec.tmpfs.is_empty())
                .then(|| spec.tmpfs.clone().into_iter().collect::<HashMap<_, _>>()),
            network_mode: spec.network.clone(),
            ..Default::default()
        };
        let body = ContainerCreateBody {
            image: Some(spec.image.clone()),
            cmd: (!spec.cmd.is_empty()).then(|| spec.cmd.clone()),
            env: Some(spec.env.clone()),
            labels: Some(spec.labels.clone().into_iter().collect()),
            user: spec.user.clone(),
            working_dir: spec.working_dir.clone(),
            host_config: Some(host),
            ..Default::default()
        };
        let opts = CreateContainerOptionsBuilder::default()
            .name(&spec.name)
            .build();
        let created = self
            .client()
            .create_container(Some(opts), body)
            .await
            .map_err(|e| fail(b, "create the container", &spec.image, e))?;
        if let Err(e) = self.client().start_container(&created.id, None).await {
            let _ = self.remove(&created.id).await;
            return Err(fail(b, "start the container", &spec.name, e));
        }
        Ok(created.id)
    }

    /// Docker maps the address `host-gateway` itself; Podman (4.x) writes it into
    /// /etc/hosts verbatim, so it gets the network's gateway address instead.
    async fn extra_hosts(
        &self,
        b: Backend,
        spec: &ContainerSpec,
    ) -> Result<Vec<String>, EngineError> {
        if b != Backend::Podman
            || !spec
                .extra_hosts
                .iter()
                .any(|h| h.ends_with(":host-gateway"))
        {
            return Ok(spec.extra_hosts.clone());
        }
        let net = spec.network.as_deref().unwrap_or("podman");
        let gw = self
            .inspect_network(net)
            .await?
            .gateway
            .ok_or_else(|| EngineError::Failed {
                backend: b,
                action: "find the host's address for host-gateway",
                message: format!("network {net} has no IPv4 gateway"),
            })?;
        Ok(spec
            .extra_hosts
            .iter()
            .map(|h| match h.strip_suffix(":host-gateway") {
                Some(name) => format!("{name}:{gw}"),
                None => h.clone(),
            })
            .collect())
    }

    /// Waits until the container is no longer running.
    pub async fn wait(&self, id: &str) -> Result<ExitStatus, EngineError> {
        let mut w = self.client().wait_container(id, None);
        match w.next().await {
            Some(Ok(r)) => Ok(ExitStatus {
                code: Some(r.status_code),
            }),
            // bollard reports a non-zero exit as an error carrying the code.
            Some(Err(bollard::errors::Error::DockerContainerWaitError { code, .. })) => {
                Ok(ExitStatus { code: Some(code) })
            }
            Some(Err(e)) => Err(fail(self.backend(), "wait for the container", id, e)),
            None => Ok(ExitStatus { code: None }),
        }
    }

    /// SIGTERM, then SIGKILL after `grace`; a container already stopped or gone is fine.
    pub async fn stop(&self, id: &str, grace: Duration) -> Result<(), EngineError> {
        let t = i32::try_from(grace.as_secs()).unwrap_or(i32::MAX);
        let opts = StopContainerOptionsBuilder::default().t(t).build();
        match self.client().stop_container(id, Some(opts)).await {
            Ok(())
            | Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 304 | 404,
                ..
            }) => Ok(()),
            Err(e) => Err(fail(self.backend(), "stop the container", id, e)),
        }
    }

    /// Force-removes with its anonymous volumes; a container already gone is fine.
    pub async fn remove(&self, id: &str) -> Result<(), EngineError> {
        let opts = RemoveContainerOptionsBuilder::default()
            .force(true)
            .v(true)
            .build();
        match self.client().remove_container(id, Some(opts)).await {
            Ok(()) => Ok(()),
            Err(e) => match fail(self.backend(), "remove the container", id, e) {
                EngineError::NotFound { .. } => Ok(()),
                // Podman and Docker both say so while an earlier removal is under way.
                EngineError::Failed { message, .. } if message.contains("already in progress") => {
                    Ok(())
                }
                other => Err(other),
            },
        }
    }

    /// Containers carrying `label` (`KEY=VALUE`); `all` includes stopped ones.
    pub async fn list(&self, label: &str, all: bool) -> Result<Vec<ContainerSummary>, EngineError> {
        let filters = HashMap::from([("label".to_string(), vec![label.to_string()])]);
        let opts = ListContainersOptionsBuilder::default()
            .all(all)
            .filters(&filters)
            .build();
        let client = self.client();
        let list = past_podman_cleanup(|| client.list_containers(Some(opts.clone())))
            .await
            .map_err(|e| fail(self.backend(), "list containers", label, e))?;
        Ok(list
            .into_iter()
            .map(|c| ContainerSummary {
                addresses: addresses(c.network_settings.as_ref()),
                id: c.id.unwrap_or_default(),
                name: c
                    .names
                    .and_then(|n| n.into_iter().next())
                    .unwrap_or_default()
                    .trim_start_matches('/')
                    .to_string(),
                image: c.image.unwrap_or_default(),
                labels: c.labels.unwrap_or_default().into_iter().collect(),
                state: c.state.map(|s| s.to_string()).unwrap_or_default(),
                status: c.status.unwrap_or_default(),
            })
            .collect())
    }

    pub async fn inspect(&self, id: &str) -> Result<ContainerInfo, EngineError> {
        let client = self.client();
        let i = past_podman_cleanup(|| client.inspect_container(id, None))
            .await
            .map_err(|e| fail(self.backend(), "inspect the container", id, e))?;
        Ok(info(i))
    }

    /// stdout and stderr as they come; `follow` keeps the stream open until the container ends.
    pub fn logs(&self, id: &str, follow: bool) -> BoxStream<'static, Result<Bytes, EngineError>> {
        let opts = LogsOptionsBuilder::default()
            .follow(follow)
            .stdout(true)
            .stderr(true)
            .build();
        let (b, id_owned) = (self.backend(), id.to_string());
        self.client()
            .logs(id, Some(opts))
            .map(move |r| {
                r.map(|c| c.into_bytes())
                    .map_err(|e| fail(b, "read the container's logs", &id_owned, e))
            })
            .boxed()
    }
}

/// Runs an engine call that returns container states, again while Podman
/// reports one as `stopped`: its Docker-compatible API says so for a container
/// that has exited but whose clean-up (`podman container cleanup`, started by
/// conmon) has not finished, a state the Docker API does not have, so the
/// answer cannot be read. The window lasts milliseconds; after 2 s the error
/// stands.
pub(super) async fn past_podman_cleanup<T, F, Fut>(mut call: F) -> Result<T, bollard::errors::Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, bollard::errors::Error>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    loop {
        match call().await {
            Err(e)
                if e.to_string().contains("unknown variant `stopped`")
                    && tokio::time::Instant::now() < deadline =>
            {
                tracing::debug!("a container is between exit and clean-up (Podman); asking again");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            r => return r,
        }
    }
}

/// Every IPv4 and global IPv6 address the container has on its networks; unparsable or
/// empty entries (a network still being attached) are left out.
pub(super) fn addresses(n: Option<&ContainerSummaryNetworkSettings>) -> Vec<IpAddr> {
    n.and_then(|n| n.networks.as_ref())
        .into_iter()
        .flat_map(|nets| nets.values())
        .flat_map(|e| [e.ip_address.as_deref(), e.global_ipv6_address.as_deref()])
        .flatten()
        .filter_map(|a| a.parse().ok())
        .collect()
}

/// The engine's `HOST:CONTAINER:ro|rw` form.
fn bind_string(b: &BindSpec) -> String {
    format!(
        "{}:{}:{}",
        b.host.display(),
        b.container,
        if b.read_only { "ro" } else { "rw" }
    )
}

fn info(i: ContainerInspectResponse) -> ContainerInfo {
    let state = i.state.unwrap_or_default();
    let host = i.host_config.unwrap_or_default();
    let config = i.config.unwrap_or_default();
    let binds = i
        .mounts
        .unwrap_or_default()
        .into_iter()
        .filter(|m| m.typ.as_deref() == Some("bind"))
        .map(|m| BindSpec {
            host: m.source.unwrap_or_default().into(),
            container: m.destination.unwrap_or_default(),
            read_only: m.rw == Some(false),
        })
        .collect();
    ContainerInfo {
        id: i.id.unwrap_or_default(),
        name: i
            .name
            .unwrap_or_default()
            .trim_start_matches('/')
            .to_string(),
        image: config.image.unwrap_or_default(),
        running: state.running.unwrap_or(false),
        exit_code: state.exit_code.filter(|_| state.running != Some(true)),
        pid: state.pid.filter(|p| *p > 0),
        env: config.env.unwrap_or_default(),
        labels: config
            .labels
            .unwrap_or_default()
            .into_iter()
            .collect::<BTreeMap<_, _>>(),
        binds,
        privileged: host.privileged == Some(true),
        cap_add: host.cap_add.unwrap_or_default(),
        user: config.user.filter(|u| !u.is_empty()),
        read_only_rootfs: host.readonly_rootfs == Some(true),
    }
}

#[cfg(test)]
mod podman_cleanup_tests {
    use super::past_podman_cleanup;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn stopped() -> bollard::errors::Error {
        bollard::errors::Error::JsonDataError {
            message: "unknown variant `stopped`, expected one of `created`, `running`, `exited`"
                .into(),
            column: 215,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_container_between_exit_and_clean_up_is_asked_about_again() {
        let calls = AtomicU32::new(0);
        let r = past_podman_cleanup(|| {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            async move { if n < 3 { Err(stopped()) } else { Ok(n) } }
        })
        .await;
        assert_eq!(r.unwrap(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn other_errors_and_a_state_that_stays_are_returned() {
        let calls = AtomicU32::new(0);
        let r: Result<(), _> = past_podman_cleanup(|| {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(bollard::errors::Error::APIVersionParseError {}) }
        })
        .await;
        assert!(r.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        let r: Result<(), _> = past_podman_cleanup(|| async { Err(stopped()) }).await;
        assert!(r.unwrap_err().to_string().contains("stopped"));
    }
}
