//! Engine calls for the agents' network: create it (internal, no inter-container
//! traffic) or find it, remove it, and say which aigo container holds an
//! address on it. The policy around it lives in `crate::network`.

use std::collections::HashMap;
use std::net::IpAddr;

use bollard::Docker;
use bollard::models::NetworkCreateRequest;
use bollard::query_parameters::ListContainersOptionsBuilder;

use crate::network::NetworkError;

/// What aigo needs to know about the agents' network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentNetwork {
    pub name: String,
    pub id: String,
    /// The host's address on the network: where the proxy and gateway listen.
    pub gateway: IpAddr,
    pub subnet: String,
    /// The Linux bridge interface, when the engine says (Docker does).
    pub bridge: Option<String>,
}

/// The aigo container holding an address on the network.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkPeer {
    pub container: String,
    pub labels: HashMap<String, String>,
}

fn engine(action: &'static str, network: &str, e: impl std::fmt::Display) -> NetworkError {
    NetworkError::Engine {
        action,
        network: network.to_string(),
        message: e.to_string(),
    }
}

/// Finds the network, creating it when missing: `Internal` (no route off the
/// host) and with inter-container traffic off, so agents cannot reach each other.
/// An existing network of that name that is not internal is refused, never used.
pub async fn ensure_network(docker: &Docker, name: &str) -> Result<AgentNetwork, NetworkError> {
    match inspect(docker, name).await {
        Ok(Some(n)) => return Ok(n),
        Ok(None) => {}
        Err(e) => return Err(e),
    }
    let req = NetworkCreateRequest {
        name: name.to_string(),
        driver: Some("bridge".into()),
        internal: Some(true),
        attachable: Some(false),
        options: Some(HashMap::from([(
            "com.docker.network.bridge.enable_icc".to_string(),
            "false".to_string(),
        )])),
        labels: Some(HashMap::from([(
            crate::runs::LABEL_MANAGED.to_string(),
            "true".to_string(),
        )])),
        ..Default::default()
    };
    match docker.create_network(req).await {
        Ok(_) => tracing::info!(network = name, "created the agents' internal network"),
        // Another aigo process created it first: use theirs.
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 409, ..
        }) => {}
        Err(e) => return Err(engine("create", name, e)),
    }
    inspect(docker, name)
        .await?
        .ok_or_else(|| engine("inspect", name, "created but not found"))
}

async fn inspect(docker: &Docker, name: &str) -> Result<Option<AgentNetwork>, NetworkError> {
    let n = match docker.inspect_network(name, None).await {
        Ok(n) => n,
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 404, ..
        }) => return Ok(None),
        Err(e) => return Err(engine("inspect", name, e)),
    };
    if n.internal != Some(true) {
        return Err(NetworkError::NotInternal(name.to_string()));
    }
    let id = n.id.unwrap_or_default();
    let (gateway, subnet) = n
        .ipam
        .and_then(|i| i.config)
        .unwrap_or_default()
        .into_iter()
        .find_map(|c| {
            let subnet = c.subnet.filter(|s| !s.contains(':'))?;
            let gw = c
                .gateway
                .and_then(|g| g.parse::<IpAddr>().ok())
                .or_else(|| first_host(&subnet))?;
            Some((gw, subnet))
        })
        .ok_or_else(|| NetworkError::NoGateway {
            network: name.to_string(),
        })?;
    // Docker names a user bridge `br-<id12>` unless told otherwise; use that
    // only when the interface is really there (Podman names its own), else
    // the fence matches the subnet instead.
    let bridge = n
        .options
        .as_ref()
        .and_then(|o| o.get("com.docker.network.bridge.name").cloned())
        .or_else(|| id.get(..12).map(|short| format!("br-{short}")))
        .filter(|b| std::path::Path::new("/sys/class/net").join(b).exists());
    Ok(Some(AgentNetwork {
        name: name.to_string(),
        id,
        gateway,
        subnet,
        bridge,
    }))
}

fn first_host(subnet: &str) -> Option<IpAddr> {
    let (net, _) = subnet.split_once('/')?;
    let ip: std::net::Ipv4Addr = net.parse().ok()?;
    Some(IpAddr::V4(u32::from(ip).checked_add(1)?.into()))
}

/// Removes the network (tests, uninstall); a missing one is fine.
pub async fn remove_network(docker: &Docker, name: &str) -> Result<(), NetworkError> {
    match docker.remove_network(name).await {
        Ok(())
        | Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 404, ..
        }) => Ok(()),
        Err(e) => Err(engine("remove", name, e)),
    }
}

/// The aigo container with address `ip` on the network, if any.
pub async fn peer_at(docker: &Docker, network: &str, ip: IpAddr) -> Option<NetworkPeer> {
    let filters = HashMap::from([
        ("network".to_string(), vec![network.to_string()]),
        (
            "label".to_string(),
            vec![format!("{}=true", crate::runs::LABEL_MANAGED)],
        ),
    ]);
    let opts = ListContainersOptionsBuilder::default()
        .filters(&filters)
        .build();
    let list = docker.list_containers(Some(opts)).await.ok()?;
    list.into_iter().find_map(|c| {
        let on = c
            .network_settings
            .as_ref()?
            .networks
            .as_ref()?
            .get(network)?;
        let addr: IpAddr = on.ip_address.as_deref()?.parse().ok()?;
        (addr == ip).then(|| NetworkPeer {
            container: c
                .names
                .and_then(|n| n.into_iter().next())
                .unwrap_or_default()
                .trim_start_matches('/')
                .to_string(),
            labels: c.labels.unwrap_or_default(),
        })
    })
}
