//! Which running aigo agent container has an address: what the credential
//! proxy asks about a caller nobody admitted in its own process (a run the
//! CLI started while the daemon serves the proxy).

use std::collections::HashMap;
use std::net::IpAddr;

use bollard::Docker;
use bollard::query_parameters::ListContainersOptionsBuilder;

use crate::runs::{LABEL_HOME, LABEL_MANAGED, LABEL_RUN};

/// The run id of the running container labelled as an aigo agent of `home`
/// that has `ip` on one of its networks.
pub async fn agent_run_at(
    docker: &Docker,
    ip: IpAddr,
    home: &str,
) -> Result<Option<String>, bollard::errors::Error> {
    let mut filters = HashMap::new();
    filters.insert(
        "label".to_string(),
        vec![
            format!("{LABEL_MANAGED}=true"),
            format!("{LABEL_HOME}={home}"),
        ],
    );
    filters.insert("status".to_string(), vec!["running".to_string()]);
    let opts = ListContainersOptionsBuilder::default()
        .filters(&filters)
        .build();
    let want = ip.to_string();
    for c in docker.list_containers(Some(opts)).await? {
        let has = c
            .network_settings
            .and_then(|n| n.networks)
            .is_some_and(|nets| {
                nets.values().any(|e| {
                    e.ip_address.as_deref() == Some(want.as_str())
                        || e.global_ipv6_address.as_deref() == Some(want.as_str())
                })
            });
        if has && let Some(run) = c.labels.and_then(|mut l| l.remove(LABEL_RUN)) {
            return Ok(Some(run));
        }
    }
    Ok(None)
}
