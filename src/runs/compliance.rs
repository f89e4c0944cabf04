//! The periodic security audit of running aigo containers: the environment holds
//! only the placeholder, the mounts are what was validated at start, and the
//! container is not privileged.

use bollard::Docker;
use serde::Serialize;

use super::{RunError, list_running, load_record};
use crate::proxy::DEFAULT_PLACEHOLDER;
use crate::state::StateDir;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ComplianceReport {
    pub container: String,
    pub group: String,
    pub run: String,
    pub checked: usize,
    pub failed: Vec<String>,
}

/// Checks every running aigo container. `secrets` are the real credentials
/// (compared, never reported): none may appear in a container's environment.
pub async fn check_running(
    state: &StateDir,
    docker: &Docker,
    secrets: &[String],
) -> Result<Vec<ComplianceReport>, RunError> {
    let mut out = Vec::new();
    for c in list_running(docker, false).await? {
        let info = docker
            .inspect_container(&c.id, None)
            .await
            .map_err(|e| RunError::engine("inspect container", e))?;
        let mut failed = Vec::new();
        let env = info
            .config
            .as_ref()
            .and_then(|c| c.env.clone())
            .unwrap_or_default();
        match env
            .iter()
            .find_map(|e| e.strip_prefix("ANTHROPIC_API_KEY="))
        {
            Some(v) if v == DEFAULT_PLACEHOLDER => {}
            Some(_) => {
                failed.push("env: ANTHROPIC_API_KEY is not the proxy placeholder".to_string())
            }
            None => failed.push("env: ANTHROPIC_API_KEY is missing".to_string()),
        }
        if env.iter().any(|e| {
            secrets
                .iter()
                .any(|s| !s.is_empty() && e.contains(s.as_str()))
        }) {
            failed.push("env: holds a real credential".to_string());
        }
        let host = info.host_config.clone().unwrap_or_default();
        if host.privileged == Some(true) {
            failed.push("privileged".to_string());
        }
        if host.cap_add.as_ref().is_some_and(|c| !c.is_empty()) {
            failed.push("capabilities added".to_string());
        }
        match load_record(state, &c.run) {
            Ok(rec) => {
                let mut want: Vec<String> = rec.binds.iter().map(super::Bind::to_engine).collect();
                let mut have = host.binds.clone().unwrap_or_default();
                want.sort();
                have.sort();
                if want != have {
                    failed.push("mounts differ from those validated at start".to_string());
                }
            }
            Err(_) => failed.push("no run record: mounts cannot be verified".to_string()),
        }
        out.push(ComplianceReport {
            container: c.name,
            group: c.group,
            run: c.run,
            checked: 5,
            failed,
        });
    }
    Ok(out)
}
