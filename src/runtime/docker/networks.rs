//! Networks on a Docker-API engine: create (internal or not), inspect, remove.

use bollard::models::{Ipam, IpamConfig, NetworkCreateRequest};

use super::{DockerEngine, fail};
use crate::runtime::{EngineError, NetworkInfo, NetworkSpec};

impl DockerEngine {
    /// Creates a bridge network; returns its id.
    pub async fn create_network(&self, spec: &NetworkSpec) -> Result<String, EngineError> {
        let req = NetworkCreateRequest {
            name: spec.name.clone(),
            driver: Some("bridge".into()),
            internal: Some(spec.internal),
            labels: Some(spec.labels.clone().into_iter().collect()),
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
        Ok(NetworkInfo {
            id: n.id.unwrap_or_default(),
            name: n.name.unwrap_or_default(),
            internal: n.internal.unwrap_or(false),
            subnet,
            gateway,
            labels: n.labels.unwrap_or_default().into_iter().collect(),
        })
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
}
