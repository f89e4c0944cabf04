//! Networks on a Docker-API engine: create (internal or not), inspect, remove.

use std::collections::HashMap;
use std::net::IpAddr;

use bollard::models::{Ipam, IpamConfig, NetworkCreateRequest};
use bollard::query_parameters::{ListContainersOptionsBuilder, ListNetworksOptionsBuilder};

use super::{DockerEngine, fail};
use crate::runtime::{ContainerSummary, EngineError, NetworkEntry, NetworkInfo, NetworkSpec};

impl DockerEngine {
    /// Creates a bridge network; returns its id.
    pub async fn create_network(&self, spec: &NetworkSpec) -> Result<String, EngineError> {
        let req = NetworkCreateRequest {
            name: spec.name.clone(),
            driver: Some("bridge".into()),
            internal: Some(spec.internal),
            labels: Some(spec.labels.clone().into_iter().collect()),
            options: spec.isolated.then(|| {
                HashMap::from([(
                    "com.docker.network.bridge.enable_icc".to_string(),
                    "false".to_string(),
                )])
            }),
            ipam: spec.subnet.as_ref().map(|s| Ipam {
                config: Some(vec![IpamConfig {
                    subnet: Some(s.clone()),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        };
        let r = self
            .client()
            .create_network(req)
            .await
            .map_err(|e| fail(self.backend(), "create the network", &spec.name, e))?;
        Ok(r.id)
    }

    pub async fn inspect_network(&self, name: &str) -> Result<NetworkInfo, EngineError> {
        let n = self
            .client()
            .inspect_network(name, None)
            .await
            .map_err(|e| fail(self.backend(), "inspect the network", name, e))?;
        // The first IPv4 pool: its gateway, or the subnet's first host where older engines
        // leave the gateway out.
        let pool = n
            .ipam
            .and_then(|i| i.config)
            .unwrap_or_default()
            .into_iter()
            .find(|c| c.subnet.as_deref().is_some_and(|s| !s.contains(':')));
        let subnet = pool.as_ref().and_then(|c| c.subnet.clone());
        let gateway = pool
            .and_then(|c| c.gateway)
            .or_else(|| subnet.as_deref().and_then(super::first_host));
        let id = n.id.unwrap_or_default();
        // Docker names a user bridge `br-<id12>` unless told otherwise (Podman names its own).
        let bridge = n
            .options
            .as_ref()
            .and_then(|o| o.get("com.docker.network.bridge.name").cloned())
            .or_else(|| id.get(..12).map(|short| format!("br-{short}")));
        Ok(NetworkInfo {
            bridge,
            id,
            name: n.name.unwrap_or_default(),
            internal: n.internal.unwrap_or(false),
            subnet,
            gateway,
            labels: n.labels.unwrap_or_default().into_iter().collect(),
        })
    }

    /// Every network named exactly `name` (the engine's filter matches parts of names).
    pub async fn networks_named(&self, name: &str) -> Result<Vec<NetworkEntry>, EngineError> {
        let filters = HashMap::from([("name".to_string(), vec![name.to_string()])]);
        let opts = ListNetworksOptionsBuilder::default()
            .filters(&filters)
            .build();
        let list = self
            .client()
            .list_networks(Some(opts))
            .await
            .map_err(|e| fail(self.backend(), "list networks", name, e))?;
        Ok(list
            .into_iter()
            .filter(|n| n.name.as_deref() == Some(name))
            .filter_map(|n| {
                Some(NetworkEntry {
                    id: n.id?,
                    created: n.created.and_then(|c| c.parse().ok()),
                })
            })
            .collect())
    }

    /// Removes a network; one already gone is fine.
    pub async fn remove_network(&self, name: &str) -> Result<(), EngineError> {
        match self.client().remove_network(name).await {
            Ok(()) => Ok(()),
            Err(e) => match fail(self.backend(), "remove the network", name, e) {
                EngineError::NotFound { .. } => Ok(()),
                other => Err(other),
            },
        }
    }

    /// The container labelled `label=true` that holds address `ip` on `network`.
    pub async fn container_at(
        &self,
        network: &str,
        ip: IpAddr,
        label: &str,
    ) -> Result<Option<ContainerSummary>, EngineError> {
        let filters = HashMap::from([
            ("network".to_string(), vec![network.to_string()]),
            ("label".to_string(), vec![format!("{label}=true")]),
        ]);
        let opts = ListContainersOptionsBuilder::default()
            .filters(&filters)
            .build();
        let client = self.client();
        let list =
            super::containers::past_podman_cleanup(|| client.list_containers(Some(opts.clone())))
                .await
                .map_err(|e| fail(self.backend(), "list containers", network, e))?;
        Ok(list.into_iter().find_map(|c| {
            let on = c
                .network_settings
                .as_ref()?
                .networks
                .as_ref()?
                .get(network)?;
            let addr: IpAddr = on.ip_address.as_deref()?.parse().ok()?;
            (addr == ip).then(|| ContainerSummary {
                addresses: super::containers::addresses(c.network_settings.as_ref()),
                id: c.id.clone().unwrap_or_default(),
                name: c
                    .names
                    .clone()
                    .and_then(|n| n.into_iter().next())
                    .unwrap_or_default()
                    .trim_start_matches('/')
                    .to_string(),
                image: c.image.clone().unwrap_or_default(),
                labels: c.labels.clone().unwrap_or_default().into_iter().collect(),
                state: c.state.map(|s| s.to_string()).unwrap_or_default(),
                status: c.status.clone().unwrap_or_default(),
            })
        }))
    }
}
