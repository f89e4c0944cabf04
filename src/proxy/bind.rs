//! Where the proxy listens by default: only where containers can reach it.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use tokio::net::TcpListener;

use super::{Keystore, Proxy, ProxyError, ProxyOptions};
use crate::config::ProxyConfig;
use crate::runtime::{Backend, RuntimeStatus};
use crate::state::StateDir;

/// What the daemon (and `aigo proxy start`) do before [`super::serve`]: load
/// mappings and credentials (key from the environment, see
/// [`super::KeySource::from_env`]) and bind `config.bind`, else the default
/// address for this runtime, on `config.port`.
pub async fn prepare(
    state: &StateDir,
    config: &ProxyConfig,
    runtime: &RuntimeStatus,
    opts: ProxyOptions,
) -> Result<(Proxy, TcpListener), ProxyError> {
    let proxy = Proxy::load(state, Keystore::open(state), opts)?;
    let ip = resolve_bind_address(config.bind, runtime);
    let addr = SocketAddr::new(ip, config.port);
    let listener = match config.bind {
        Some(_) => super::bind(addr).await?,
        // The detected bridge gateway (Podman's default network, too, comes
        // up with its first container).
        None => super::bind_gateway(addr).await?,
    };
    Ok((proxy, listener))
}

/// [`prepare`] for the agents' network: the proxy listens on its gateway
/// `addr`, which Podman brings up only with the network's first container.
pub async fn prepare_at_gateway(
    state: &StateDir,
    addr: SocketAddr,
    opts: ProxyOptions,
) -> Result<(Proxy, TcpListener), ProxyError> {
    let proxy = Proxy::load(state, Keystore::open(state), opts)?;
    let listener = super::bind_gateway(addr).await?;
    Ok((proxy, listener))
}

/// The address to bind when none is configured. Loopback on macOS and WSL
/// (Docker Desktop forwards `host-gateway` to the host's loopback); the
/// bridge gateway on Linux and for Apple Container, so the proxy is reachable
/// from containers but not from the network. Never the wildcard address:
/// that must be asked for explicitly. Falls back to loopback, with a warning,
/// when the gateway is unknown.
pub fn default_bind_address(status: &RuntimeStatus) -> IpAddr {
    let loopback = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let gateway = status
        .networking
        .host_gateway
        .as_deref()
        .and_then(|g| g.parse::<IpAddr>().ok())
        .filter(|ip| !ip.is_unspecified());
    let apple = status.backend == Some(Backend::AppleContainer);
    if !apple && (cfg!(target_os = "macos") || cfg!(windows) || is_wsl()) {
        return loopback;
    }
    match gateway {
        Some(ip) => ip,
        None => {
            tracing::warn!(
                "no container bridge gateway detected; the credential proxy binds to loopback, which containers may not reach"
            );
            loopback
        }
    }
}

/// The configured address when there is one, else [`default_bind_address`].
pub fn resolve_bind_address(configured: Option<IpAddr>, status: &RuntimeStatus) -> IpAddr {
    match configured {
        Some(ip) => {
            if ip.is_unspecified() {
                tracing::warn!(%ip, "the credential proxy listens on every interface, as configured");
            }
            ip
        }
        None => default_bind_address(status),
    }
}

fn is_wsl() -> bool {
    std::env::var_os("WSL_DISTRO_NAME").is_some()
        || std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|r| r.to_ascii_lowercase().contains("microsoft"))
            .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::Networking;

    fn status(backend: Backend, gw: Option<&str>) -> RuntimeStatus {
        RuntimeStatus {
            available: true,
            backend: Some(backend),
            version: None,
            networking: Networking {
                host_gateway: gw.map(str::to_string),
                extra_run_args: vec![],
                ..Default::default()
            },
            message: String::new(),
        }
    }

    #[test]
    fn never_the_wildcard_by_default() {
        for gw in [Some("0.0.0.0"), Some("host-gateway"), None] {
            let ip = default_bind_address(&status(Backend::Docker, gw));
            assert!(ip.is_loopback(), "{gw:?} gave {ip}");
        }
    }

    #[test]
    fn linux_docker_uses_the_bridge_gateway() {
        if cfg!(target_os = "linux") && !is_wsl() {
            let ip = default_bind_address(&status(Backend::Docker, Some("172.17.0.1")));
            assert_eq!(ip.to_string(), "172.17.0.1");
        }
    }

    #[test]
    fn explicit_wins() {
        let s = status(Backend::Docker, Some("172.17.0.1"));
        let any: IpAddr = "0.0.0.0".parse().expect("ip");
        assert_eq!(resolve_bind_address(Some(any), &s), any);
    }
}
