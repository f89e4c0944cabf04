//! How the credential proxy knows a run: by its container's address on the
//! agents' network, or by a per-run token where addresses say nothing. The run
//! service decides before the container exists (the token goes into its
//! environment), admits the run to the proxy of this process when there is one
//! (the daemon's), and records the identity with the run. The admission ends
//! with the run: [`Admission`] removes it when dropped, whatever way the run
//! ended (a proxy in another process finds runs on the engine instead, see
//! `runtime::callers`, and stops finding them once their container stops).

use std::net::IpAddr;
use std::sync::Arc;

use crate::network::Prepared;
use crate::proxy::{CallerIdentity, Callers, RunToken};
use crate::runtime::{Backend, Engine};

/// Whether a run on `engine` needs a token: the proxy cannot tell its
/// container by address. On Apple Container every container reaches the host
/// from one address; where the agents' bridge is not on this host the engine
/// runs in a VM (Docker Desktop, Colima, a Podman machine) or in a namespace
/// of its own (rootless), and the proxy sees the VM's or the host's address.
/// With egress open (`prepared` is `None`) the same holds of the engine's
/// default bridge.
pub(super) async fn needs_token(engine: &Engine, prepared: Option<&Prepared>) -> bool {
    match prepared {
        _ if engine.backend() == Backend::AppleContainer => true,
        Some(p) => p.network.bridge.is_none(),
        None => !crate::runtime::default_bridge_is_local(engine).await,
    }
}

/// A run admitted to the proxy of this process; removed when dropped.
pub struct Admission {
    callers: Arc<Callers>,
    run: String,
}

impl Admission {
    /// The credential mappings the run has used through this process's proxy.
    pub fn used(&self) -> Vec<String> {
        self.callers.used_by(&self.run)
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        self.callers.remove(&self.run);
    }
}

/// Admits run `run` to `callers` (when this process serves the proxy) by its
/// token, or by the address of its started container; returns what to record.
pub(super) async fn admit(
    engine: &Engine,
    callers: Option<&Arc<Callers>>,
    run: &str,
    token: Option<&RunToken>,
) -> (Option<CallerIdentity>, Option<Admission>) {
    let identity = match (token, callers) {
        (Some(t), Some(c)) => c.admit_run_token(t, run, None),
        (Some(_), None) => CallerIdentity::Token { mapping: None },
        (None, _) => {
            let Some(address) = address_of(engine, run).await else {
                return (None, None);
            };
            match callers {
                Some(c) => c.admit(address, run, None),
                None => CallerIdentity::Address {
                    address,
                    mapping: None,
                },
            }
        }
    };
    let admission = callers.map(|c| Admission {
        callers: c.clone(),
        run: run.to_string(),
    });
    (Some(identity), admission)
}

/// The started container's address (it is on one network: the agents' or,
/// with egress open, the engine's default bridge).
async fn address_of(engine: &Engine, run: &str) -> Option<IpAddr> {
    let label = format!("{}={run}", super::LABEL_RUN);
    match engine.list(&label, false).await {
        Ok(list) => list
            .into_iter()
            .flat_map(|c| c.addresses)
            .min_by_key(|a| !a.is_ipv4()),
        Err(e) => {
            tracing::warn!(run, error = %e, "cannot read the container's address");
            None
        }
    }
}
