//! Which running aigo agent container a caller of the credential proxy is:
//! what the proxy asks about a caller nobody admitted in its own process (a
//! run the CLI started while the daemon serves the proxy), by source address
//! or by the fingerprint of a per-run token.

use std::net::IpAddr;

use super::{Engine, EngineError};
use crate::runs::{LABEL_HOME, LABEL_MANAGED, LABEL_RUN, LABEL_TOKEN};

/// The run id of the running container labelled as an aigo agent of `home`
/// that has `ip`.
///
/// With `network` (egress not open: agents run on the agents' network) only
/// the container's address on that network counts. aigo attaches its agents
/// there and nowhere else, so a labelled container elsewhere (the default
/// bridge, a network of its own) is not one aigo started, and the address it
/// calls from is outside the fenced network: it is refused like any stranger.
/// Without `network` (egress open: agents sit on the engine's default bridge)
/// any of its addresses counts.
///
/// Always `None` on engines that report no container addresses (Apple
/// Container: runs there carry a token instead, see [`agent_run_with_token`]).
pub async fn agent_run_at(
    engine: &Engine,
    ip: IpAddr,
    home: &str,
    network: Option<&str>,
) -> Result<Option<String>, EngineError> {
    if let Some(network) = network {
        let found = match engine.container_at(network, ip, LABEL_MANAGED).await {
            Err(EngineError::Unsupported { .. }) => None,
            other => other?,
        };
        return Ok(found
            .filter(|c| c.labels.get(LABEL_HOME).map(String::as_str) == Some(home))
            .and_then(|mut c| c.labels.remove(LABEL_RUN)));
    }
    // Running containers only (`all = false`); the home label narrows the list
    // on the engine, the managed label is checked here (the list takes one label).
    let list = engine.list(&format!("{LABEL_HOME}={home}"), false).await?;
    Ok(list
        .into_iter()
        .filter(|c| c.labels.get(LABEL_MANAGED).map(String::as_str) == Some("true"))
        .find(|c| c.addresses.contains(&ip))
        .and_then(|mut c| c.labels.remove(LABEL_RUN)))
}

/// The run id of the running aigo agent of `home` whose token has fingerprint
/// `fingerprint` (the container's `aigo.token` label; the token itself is only
/// in the container's environment).
pub async fn agent_run_with_token(
    engine: &Engine,
    fingerprint: &str,
    home: &str,
) -> Result<Option<String>, EngineError> {
    let list = engine
        .list(&format!("{LABEL_TOKEN}={fingerprint}"), false)
        .await?;
    Ok(list
        .into_iter()
        .filter(|c| c.labels.get(LABEL_MANAGED).map(String::as_str) == Some("true"))
        .filter(|c| c.labels.get(LABEL_HOME).map(String::as_str) == Some(home))
        .find(|c| c.labels.get(LABEL_TOKEN).map(String::as_str) == Some(fingerprint))
        .and_then(|mut c| c.labels.remove(LABEL_RUN)))
}
