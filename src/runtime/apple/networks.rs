//! Networks through the `container` CLI (macOS 26+): `network create --label`,
//! `network inspect`, `network delete`.

use super::json::Network;
use super::{AppleEngine, fail};
use crate::runtime::{
    Backend, ContainerSummary, EngineError, NetworkEntry, NetworkInfo, NetworkSpec,
};

impl AppleEngine {
    pub async fn create_network(&self, spec: &NetworkSpec) -> Result<String, EngineError> {
        if spec.internal || spec.isolated || spec.subnet.is_some() {
            // The reference's `network create` takes labels and a name, nothing else.
            return Err(EngineError::Unsupported {
                backend: Backend::AppleContainer,
                action: "create the network",
                why: "`container network create` has no internal mode, inter-container isolation or subnet option".into(),
            });
        }
        let mut args: Vec<String> = vec!["network".into(), "create".into()];
        for (k, v) in &spec.labels {
            args.extend(["--label".into(), format!("{k}={v}")]);
        }
        args.push(spec.name.clone());
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        self.call("create the network", &spec.name, &argv).await?;
        Ok(spec.name.clone())
    }

    pub async fn inspect_network(&self, name: &str) -> Result<NetworkInfo, EngineError> {
        let out = self
            .call("inspect the network", name, &["network", "inspect", name])
            .await?;
        let list: Vec<Network> = serde_json::from_str(&out).map_err(|e| {
            fail(
                "inspect the network",
                name,
                format!("unexpected JSON from the container CLI: {e}"),
            )
        })?;
        list.into_iter()
            .next()
            .map(Network::info)
            .ok_or_else(|| EngineError::NotFound {
                backend: Backend::AppleContainer,
                action: "inspect the network",
                what: name.to_string(),
            })
    }

    /// Apple Container's network names are unique: the one of that name, if any.
    pub async fn networks_named(&self, name: &str) -> Result<Vec<NetworkEntry>, EngineError> {
        match self.inspect_network(name).await {
            Ok(n) => Ok(vec![NetworkEntry {
                id: n.id,
                created: None,
            }]),
            Err(EngineError::NotFound { .. }) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    pub async fn remove_network(&self, name: &str) -> Result<(), EngineError> {
        match self
            .call("remove the network", name, &["network", "delete", name])
            .await
        {
            Ok(_) | Err(EngineError::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Apple's CLI lists no per-network addresses aigo could match a caller against.
    pub async fn container_at(
        &self,
        network: &str,
        _ip: std::net::IpAddr,
        _label: &str,
    ) -> Result<Option<ContainerSummary>, EngineError> {
        Err(EngineError::Unsupported {
            backend: Backend::AppleContainer,
            action: "find the container holding an address",
            why: format!(
                "`container list` reports no addresses on network {network:?} to match against"
            ),
        })
    }
}
