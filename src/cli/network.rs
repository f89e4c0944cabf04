//! `aigo network allow|deny|list|fence`: the egress allowlist in `network.toml`
//! and the host fence's rules.

use clap::Subcommand;

use super::{Outcome, output};
use crate::config::Config;
use crate::network::{self, Egress, NetworkView};
use crate::state::StateDir;

#[derive(Debug, Subcommand)]
pub enum NetworkCmd {
    /// Let agents reach hosts through the egress gateway ([network] egress = "allowlist"):
    /// api.example.com, *.example.com, an IP address or a CIDR range
    Allow {
        /// Host names, *.domain wildcards, IP addresses or CIDR ranges to allow
        #[arg(required = true, value_name = "HOST")]
        hosts: Vec<String>,
    },
    /// Remove hosts from the egress allowlist
    Deny {
        /// Entries to remove, as `aigo network list` shows them
        #[arg(required = true, value_name = "HOST")]
        hosts: Vec<String>,
    },
    /// The egress mode and the allowlist
    List {
        /// Print JSON ({egress, network, allow}) instead of text
        #[arg(long)]
        json: bool,
        /// Print only the allowlist entries, one per line
        #[arg(short, long, conflicts_with = "json")]
        quiet: bool,
    },
    /// Print the nftables rules that fence the host from the agents' network
    /// (what the daemon loads as root; load them yourself when it cannot)
    Fence,
}

pub async fn run(state: &StateDir, cmd: NetworkCmd) -> anyhow::Result<Outcome> {
    let config = Config::load(state)?;
    match cmd {
        NetworkCmd::Allow { hosts } => {
            let list = network::allow(state, &hosts)?;
            println!("egress allowlist: {}", list.join(" "));
            if config.network.egress != Egress::Allowlist {
                eprintln!(
                    "note: [network] egress is {:?}; the allowlist applies with egress = \"allowlist\" in config.toml",
                    config.network.egress.as_str()
                );
            }
        }
        NetworkCmd::Deny { hosts } => {
            let list = network::deny(state, &hosts)?;
            if list.is_empty() {
                println!("egress allowlist: (empty)");
            } else {
                println!("egress allowlist: {}", list.join(" "));
            }
        }
        NetworkCmd::List { json, quiet } => {
            let view = NetworkView::load(state, &config)?;
            if json {
                output::print_json(&view)?;
            } else if quiet {
                for a in &view.allow {
                    println!("{a}");
                }
            } else {
                println!("{}", view.egress.describe());
                println!("agents' network: {}", view.network);
                if view.allow.is_empty() {
                    println!("egress allowlist: (empty)");
                }
                for a in &view.allow {
                    println!("  {a}");
                }
            }
        }
        NetworkCmd::Fence => return fence(&config).await,
    }
    Ok(Outcome::Success)
}

async fn fence(config: &Config) -> anyhow::Result<Outcome> {
    if config.network.egress == Egress::Open {
        println!("{}", Egress::Open.describe());
        return Ok(Outcome::Negative);
    }
    let engine = crate::runtime::connect(config)
        .await
        .map_err(|e| anyhow::anyhow!("the fence needs the agents' network, and {e}"))?;
    let net = crate::runtime::ensure_network(&engine, &config.network.name).await?;
    let mut ports = vec![config.proxy.port];
    if config.network.egress == Egress::Allowlist {
        ports.push(config.network.gateway_port);
    }
    print!("{}", network::fence_rules(&net, &ports));
    Ok(Outcome::Success)
}
