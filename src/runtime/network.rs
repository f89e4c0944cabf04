//! The agents' network through the [`Engine`]: create it (internal, no
//! inter-container traffic) or find it, remove it, and say which aigo container
//! holds an address on it. The policy around it lives in `crate::network`.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use super::{Engine, EngineError, NetworkSpec};
use crate::network::NetworkError;

/// What aigo needs to know about the agents' network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentNetwork {
    pub name: String,
    pub id: String,
    /// The host's address on the network: where the proxy and gateway listen.
    pub gateway: IpAddr,
    pub subnet: String,
    /// The Linux bridge interface, when the engine says (Docker does) and it is
    /// really on this host.
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
pub async fn ensure_network(eng: &Engine, name: &str) -> Result<AgentNetwork, NetworkError> {
    // Engines before Docker API 1.44 create a second network of the same name
    // when two creates race, after which the name is ambiguous. Runs this
    // process starts at once (the daemon's schedules, a burst of API calls)
    // find or create it one at a time; across processes, see `settle`.
    static CREATING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _one = CREATING.lock().await;
    match inspect(eng, name, name).await {
        Ok(Some(n)) => return Ok(n),
        Ok(None) => {}
        // Ambiguous (an earlier race left two): use the one every aigo process picks.
        Err(e) => return settle(eng, name, None).await?.ok_or(e),
    }
    let spec = NetworkSpec {
        name: name.to_string(),
        internal: true,
        isolated: true,
        labels: BTreeMap::from([(crate::runs::LABEL_MANAGED.to_string(), "true".to_string())]),
        subnet: None,
    };
    let ours = match eng.create_network(&spec).await {
        Ok(id) => {
            tracing::info!(network = name, "created the agents' internal network");
            id
        }
        // Another aigo process may have created it first: use theirs if it is there.
        Err(e) => {
            return match inspect(eng, name, name).await {
                Ok(Some(n)) => Ok(n),
                _ => Err(engine("create", name, e)),
            };
        }
    };
    settle(eng, name, Some(&ours))
        .await?
        .ok_or_else(|| engine("inspect", name, "created but not found"))
}

/// The network of that name every aigo process agrees on: the earliest
/// created (then the lowest id). A process that created a later one (it raced
/// another) removes its own. Whoever creates second sees the first's, so all
/// processes end up on one network.
pub async fn settle(
    eng: &Engine,
    name: &str,
    ours: Option<&str>,
) -> Result<Option<AgentNetwork>, NetworkError> {
    let mut all = eng
        .networks_named(name)
        .await
        .map_err(|e| engine("list", name, e))?;
    all.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
    let Some(first) = all.first() else {
        return Ok(None);
    };
    if let Some(ours) = ours.filter(|o| *o != first.id) {
        tracing::info!(
            network = name,
            "another process created the agents' network too; using the first"
        );
        if let Err(e) = eng.remove_network(ours).await {
            tracing::warn!(network = name, error = %e, "cannot remove the second network");
        }
    }
    inspect(eng, &first.id, name).await
}

/// The network `key` (a name or an id), called `name`.
async fn inspect(
    eng: &Engine,
    key: &str,
    name: &str,
) -> Result<Option<AgentNetwork>, NetworkError> {
    let n = match eng.inspect_network(key).await {
        Ok(n) => n,
        Err(EngineError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(engine("inspect", name, e)),
    };
    if !n.internal {
        return Err(NetworkError::NotInternal(name.to_string()));
    }
    let no_gateway = || NetworkError::NoGateway {
        network: name.to_string(),
    };
    let subnet = n.subnet.ok_or_else(no_gateway)?;
    let gateway = n
        .gateway
        .as_deref()
        .and_then(|g| g.parse::<IpAddr>().ok())
        .ok_or_else(no_gateway)?;
    // Use the engine's bridge name only when the interface is really here (a
    // rootless engine keeps it in its own namespace); else the fence matches
    // the subnet instead.
    let bridge = n.bridge.filter(|b| on_this_host(b));
    Ok(Some(AgentNetwork {
        name: name.to_string(),
        id: n.id,
        gateway,
        subnet,
        bridge,
    }))
}

/// Whether the engine's default bridge (where containers go when egress is
/// open) is an interface of this host, so the proxy sees each container's own
/// address. `false` when the engine does not say (a VM, a rootless engine,
/// Apple Container): then only a token tells containers apart.
pub async fn default_bridge_is_local(eng: &Engine) -> bool {
    if eng.backend() == super::Backend::AppleContainer {
        return false;
    }
    let name = eng.backend().default_network();
    match eng.inspect_network(name).await {
        Ok(n) => n.bridge.is_some_and(|b| on_this_host(&b)),
        Err(e) => {
            tracing::debug!(network = name, error = %e, "cannot inspect the default network");
            false
        }
    }
}

/// Whether the bridge interface `name` is in this host's network namespace (a
/// VM's or a rootless engine's is not).
fn on_this_host(name: &str) -> bool {
    std::path::Path::new("/sys/class/net").join(name).exists()
}

/// Removes the network (tests, uninstall); a missing one is fine.
pub async fn remove_network(eng: &Engine, name: &str) -> Result<(), NetworkError> {
    eng.remove_network(name)
        .await
        .map_err(|e| engine("remove", name, e))
}

/// The aigo container with address `ip` on the network, if any (`None` too
/// when the engine cannot say: attribution is best effort).
pub async fn peer_at(eng: &Engine, network: &str, ip: IpAddr) -> Option<NetworkPeer> {
    match eng
        .container_at(network, ip, crate::runs::LABEL_MANAGED)
        .await
    {
        Ok(found) => found.map(|c| NetworkPeer {
            container: c.name,
            labels: c.labels.into_iter().collect(),
        }),
        Err(e) => {
            tracing::debug!(error = %e, %ip, network, "cannot attribute a caller");
            None
        }
    }
}
