//! Which running aigo agent container has an address: what the credential
//! proxy asks about a caller nobody admitted in its own process (a run the
//! CLI started while the daemon serves the proxy).

use std::net::IpAddr;

use super::{Engine, EngineError};
use crate::runs::{LABEL_HOME, LABEL_MANAGED, LABEL_RUN};

/// The run id of the running container labelled as an aigo agent of `home`
/// that has `ip` on one of its networks. Always `None` on engines that report
/// no container addresses (Apple Container: see `ContainerSummary::addresses`).
pub async fn agent_run_at(
    engine: &Engine,
    ip: IpAddr,
    home: &str,
) -> Result<Option<String>, EngineError> {
    // Running containers only (`all = false`); the home label narrows the list
    // on the engine, the managed label is checked here (the list takes one label).
    let list = engine.list(&format!("{LABEL_HOME}={home}"), false).await?;
    Ok(list
        .into_iter()
        .filter(|c| c.labels.get(LABEL_MANAGED).map(String::as_str) == Some("true"))
        .find(|c| c.addresses.contains(&ip))
        .and_then(|mut c| c.labels.remove(LABEL_RUN)))
}
