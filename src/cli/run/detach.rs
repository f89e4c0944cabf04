//! `aigo run --detach`: the daemon runs it. The daemon serves the credential
//! proxy a run needs anyway, and it follows the run's lifecycle (one-shot
//! close, timeouts) after this command has returned.

use http::Method;

use crate::cli::{Outcome, output};
use crate::daemon::DaemonInfo;
use crate::runs::{RunError, RunRecord, RunRequest};
use crate::state::{FileLock, StateDir};

pub async fn run(state: &StateDir, req: RunRequest, json: bool) -> anyhow::Result<Outcome> {
    let running = FileLock::try_acquire(&state.daemon_lock_target())?.is_none();
    let Some(info) = DaemonInfo::read(state).filter(|_| running) else {
        return Err(RunError::NoProxy {
            state: state.root().display().to_string(),
        }
        .into());
    };
    // The daemon validates mounts in its own working directory: send absolute paths.
    let mounts: Vec<serde_json::Value> = req
        .mounts
        .iter()
        .map(|m| {
            let host = std::path::absolute(&m.host)
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| m.host.clone());
            serde_json::json!({"host": host, "name": m.name, "readWrite": m.read_write})
        })
        .collect();
    let body = serde_json::json!({
        "group": req.group,
        "prompt": req.prompt,
        "mounts": mounts,
        "timeoutSecs": req.timeout.map(|d| d.as_secs()),
        "idleTimeoutSecs": req.idle_timeout.map(|d| d.as_secs()),
        "image": req.image,
        "session": req.session,
        "chatJid": req.chat_jid,
        "mode": req.mode,
        "memory": req.memory,
    });
    let token = std::env::var("AIGO_API_TOKEN")
        .ok()
        .filter(|t| !t.is_empty())
        .map(|t| format!("Bearer {t}"));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(t) = &token {
        headers.push(("authorization", t.as_str()));
    }
    let url = format!("http://{}/api/v1/container/runs", info.api_address);
    let reply = crate::channels::HttpClient::new()
        .call(
            Method::POST,
            &url,
            &headers,
            Some(&body),
            std::time::Duration::from_secs(60),
            "daemon API",
        )
        .await
        .map_err(|e| anyhow::anyhow!("cannot reach the daemon at {}: {e}", info.api_address))?;
    if reply.status != 201 {
        let v: serde_json::Value = serde_json::from_slice(&reply.body).unwrap_or_default();
        let msg = v["message"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| String::from_utf8_lossy(&reply.body).into_owned());
        anyhow::bail!("the daemon refused the run ({}): {msg}", reply.status);
    }
    let rec: RunRecord = serde_json::from_slice(&reply.body)
        .map_err(|e| anyhow::anyhow!("the daemon's answer is not a run record: {e}"))?;
    if json {
        output::print_json(&rec)?;
    } else {
        println!("{}", rec.id);
        eprintln!(
            "run {} started in {} for group {}, owned by the daemon (`aigo ps`, `aigo stop {}`)",
            rec.id, rec.container, rec.group, rec.id
        );
    }
    Ok(Outcome::Success)
}
