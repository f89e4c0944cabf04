//! What a run's container gets from the network policy: which network, what
//! `host-gateway` resolves to, and the proxy environment. The run service calls
//! [`prepare`] (engine side: the network and its fence) then
//! [`container_settings`] (pure).

use super::{Egress, FenceStatus, NetworkError, apply_fence};
use crate::config::Config;
use crate::runtime::AgentNetwork;

/// The container's network settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerNetwork {
    /// The network to attach to; `None`: the engine's default bridge.
    pub network: Option<String>,
    pub env: Vec<(String, String)>,
    /// `NAME:ADDRESS` entries for the container's /etc/hosts.
    pub extra_hosts: Vec<String>,
}

/// The agents' network, ready for containers, and whether the host is fenced.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub network: AgentNetwork,
    pub fence: FenceStatus,
}

/// Creates (or finds) the agents' network and loads its host fence, admitting
/// the proxy's port and, in allowlist mode, the egress gateway's. `None` when
/// egress is open (containers use the engine's default bridge).
pub async fn prepare(
    engine: &crate::runtime::Engine,
    config: &Config,
) -> Result<Option<Prepared>, NetworkError> {
    let n = &config.network;
    if n.egress == Egress::Open {
        return Ok(None);
    }
    let network = crate::runtime::ensure_network(engine, &n.name).await?;
    let mut ports = vec![config.proxy.port];
    if n.egress == Egress::Allowlist {
        ports.push(n.gateway_port);
    }
    let fence = apply_fence(&network, &ports, n.fence).await;
    if let Some(w) = fence.warning() {
        tracing::warn!(network = %network.name, "{w}");
    }
    Ok(Some(Prepared { network, fence }))
}

/// The settings for `config`'s egress mode on the prepared network.
pub fn container_settings(config: &Config, prepared: Option<&AgentNetwork>) -> ContainerNetwork {
    let Some(net) = prepared.filter(|_| config.network.egress != Egress::Open) else {
        return ContainerNetwork {
            network: None,
            env: Vec::new(),
            extra_hosts: vec!["host-gateway:host-gateway".into()],
        };
    };
    // Claude Code's switch for telemetry and update checks, which would only fail.
    let mut env = vec![(
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC".to_string(),
        "1".to_string(),
    )];
    if config.network.egress == Egress::Allowlist {
        let url = format!("http://host-gateway:{}", config.network.gateway_port);
        // Both spellings: curl reads only the lowercase http_proxy, Node tools
        // mostly the uppercase ones. The proxy itself is reached directly.
        for k in ["HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"] {
            env.push((k.to_string(), url.clone()));
        }
        for k in ["NO_PROXY", "no_proxy"] {
            env.push((
                k.to_string(),
                "host-gateway,localhost,127.0.0.1".to_string(),
            ));
        }
    }
    ContainerNetwork {
        network: Some(net.name.clone()),
        env,
        extra_hosts: vec![format!("host-gateway:{}", net.gateway)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net() -> AgentNetwork {
        AgentNetwork {
            name: "aigo-agents".into(),
            id: "x".into(),
            gateway: "172.18.0.1".parse().expect("ip"),
            subnet: "172.18.0.0/16".into(),
            bridge: None,
        }
    }

    #[test]
    fn each_mode_gets_its_network_and_env() {
        let mut c = Config::default();
        let s = container_settings(&c, Some(&net()));
        assert_eq!(s.network.as_deref(), Some("aigo-agents"));
        assert_eq!(s.extra_hosts, vec!["host-gateway:172.18.0.1"]);
        assert!(
            s.env
                .iter()
                .any(|(k, v)| k == "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC" && v == "1")
        );
        assert!(!s.env.iter().any(|(k, _)| k == "HTTPS_PROXY"));

        c.network.egress = Egress::Allowlist;
        let s = container_settings(&c, Some(&net()));
        assert!(
            s.env
                .contains(&("HTTPS_PROXY".into(), "http://host-gateway:3128".into()))
        );
        assert!(
            s.env
                .iter()
                .any(|(k, v)| k == "NO_PROXY" && v.contains("host-gateway"))
        );

        c.network.egress = Egress::Open;
        let s = container_settings(&c, Some(&net()));
        assert_eq!(s.network, None);
        assert!(s.env.is_empty());
        assert_eq!(s.extra_hosts, vec!["host-gateway:host-gateway"]);
    }
}
