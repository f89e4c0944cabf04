//! The periodic security audit of running aigo containers: the environment holds
//! only the placeholder, the mounts are what was validated at start, and the
//! container is not privileged.

use serde::Serialize;

use super::{LABEL_GROUP, LABEL_MANAGED, LABEL_RUN, RunError, load_record};
use crate::proxy::DEFAULT_PLACEHOLDER;
use crate::runtime::Engine;
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
    engine: &Engine,
    secrets: &[String],
) -> Result<Vec<ComplianceReport>, RunError> {
    let mut out = Vec::new();
    let running = engine
        .list(&format!("{LABEL_MANAGED}=true"), false)
        .await
        .map_err(|e| RunError::engine("list containers", e))?;
    for c in running {
        let info = match engine.inspect(&c.id).await {
            Ok(i) => i,
            // Ended between the list and the inspect: nothing left to check.
            Err(e) if e.is_not_found() => continue,
            Err(e) => return Err(RunError::engine("inspect container", e)),
        };
        let label = |k: &str| c.labels.get(k).cloned().unwrap_or_default();
        let (group, run) = (label(LABEL_GROUP), label(LABEL_RUN));
        let mut failed = Vec::new();
        let env = &info.env;
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
        if info.privileged {
            failed.push("privileged".to_string());
        }
        if !info.cap_add.is_empty() {
            failed.push("capabilities added".to_string());
        }
        match load_record(state, &run) {
            Ok(rec) => {
                let mut want: Vec<_> = rec
                    .binds
                    .iter()
                    .map(|b| (b.host.clone(), b.container.clone(), b.read_only))
                    .collect();
                let mut have: Vec<_> = info
                    .binds
                    .iter()
                    .map(|b| (b.host.clone(), b.container.clone(), b.read_only))
                    .collect();
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
            group,
            run,
            checked: 5,
            failed,
        });
    }
    Ok(out)
}
