//! The host fence: an nftables table that, on the agents' bridge, accepts only
//! the credential proxy's and the egress gateway's ports on the network's
//! gateway address and drops everything else addressed to the host.
//!
//! Why a firewall rule rather than binding host services away: an internal
//! Docker network has no route off the host, but the host itself answers on
//! every address (docker0's, the LAN's) to any service bound to 0.0.0.0, and
//! aigo cannot rebind other people's services. The rule needs root (or
//! CAP_NET_ADMIN) and the `nft` tool; without them nothing is installed, the
//! daemon, `aigo runtime` and every run start say the host is NOT fenced, and
//! the printed rule is what an administrator installs instead.

use serde::Serialize;

use crate::runtime::AgentNetwork;

/// Whether the fence is in force for a network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum FenceStatus {
    /// The table is loaded.
    Installed { table: String },
    /// `[network] fence = false` in config.toml.
    Disabled,
    /// Could not be installed (not root, no nft): the reason and the rules.
    Failed { reason: String, rules: String },
}

impl FenceStatus {
    pub fn is_installed(&self) -> bool {
        matches!(self, Self::Installed { .. })
    }

    /// A warning for logs and run start, or `None` when fenced.
    pub fn warning(&self) -> Option<String> {
        match self {
            Self::Installed { .. } => None,
            Self::Disabled => Some(
                "the host is NOT fenced from agents ([network] fence = false): host services bound to 0.0.0.0 are reachable from agent containers".into(),
            ),
            Self::Failed { reason, .. } => Some(format!(
                "the host is NOT fenced from agents: {reason}; host services bound to 0.0.0.0 are reachable from agent containers. \
                 Run the daemon as root with nft installed, or load the rules of `aigo network fence` as root"
            )),
        }
    }
}

/// The nftables table name for a network (letters, digits, `_` only).
pub fn fence_table(network: &str) -> String {
    let clean: String = network
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("aigo_{clean}")
}

/// The ruleset, replacing any earlier version of the table in one transaction.
pub fn ruleset(net: &AgentNetwork, ports: &[u16]) -> String {
    let table = fence_table(&net.name);
    let from = match &net.bridge {
        Some(b) => format!("iifname \"{b}\""),
        None => format!("ip saddr {}", net.subnet),
    };
    let ports: Vec<String> = ports.iter().map(u16::to_string).collect();
    format!(
        "table inet {table} {{}}\n\
         delete table inet {table}\n\
         table inet {table} {{\n\
         \tchain input {{\n\
         \t\ttype filter hook input priority filter - 5; policy accept;\n\
         \t\t{from} ct state established,related accept\n\
         \t\t{from} ip daddr {gw} tcp dport {{ {ports} }} accept\n\
         \t\t{from} drop\n\
         \t}}\n\
         }}\n",
        gw = net.gateway,
        ports = ports.join(", "),
    )
}

/// Loads the fence for `net`, admitting `ports` on its gateway address.
pub async fn apply_fence(net: &AgentNetwork, ports: &[u16], enabled: bool) -> FenceStatus {
    if !enabled {
        return FenceStatus::Disabled;
    }
    let rules = ruleset(net, ports);
    match nft(&["-f", "-"], Some(&rules)).await {
        Ok(()) => {
            tracing::debug!(network = %net.name, ?ports, "host fence installed");
            FenceStatus::Installed {
                table: fence_table(&net.name),
            }
        }
        Err(reason) => FenceStatus::Failed { reason, rules },
    }
}

/// Removes a network's fence (after the network itself is removed).
pub async fn remove_fence(network: &str) -> Result<(), String> {
    nft(&["delete", "table", "inet", &fence_table(network)], None).await
}

async fn nft(args: &[&str], stdin: Option<&str>) -> Result<(), String> {
    use tokio::io::AsyncWriteExt;
    let mut cmd = tokio::process::Command::new("nft");
    cmd.args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            "the nft tool is not installed (apt-get install nftables)".to_string()
        } else {
            format!("cannot run nft: {e}")
        }
    })?;
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.unwrap_or("").as_bytes()).await;
    }
    let out = child
        .wait_with_output()
        .await
        .map_err(|e| format!("nft failed: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    if err.contains("Operation not permitted") || err.contains("Permission denied") {
        Err("nft needs root (or CAP_NET_ADMIN) to load the fence".into())
    } else {
        Err(format!("nft refused the fence: {err}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_admit_only_the_given_ports_on_the_gateway() {
        let net = AgentNetwork {
            name: "aigo-agents".into(),
            id: "abc".into(),
            gateway: "172.18.0.1".parse().expect("ip"),
            subnet: "172.18.0.0/16".into(),
            bridge: Some("br-abc".into()),
        };
        let r = ruleset(&net, &[3001, 3128]);
        assert!(r.contains("table inet aigo_aigo_agents {"), "{r}");
        assert!(
            r.contains("iifname \"br-abc\" ip daddr 172.18.0.1 tcp dport { 3001, 3128 } accept"),
            "{r}"
        );
        assert!(r.contains("iifname \"br-abc\" drop"), "{r}");
    }
}
