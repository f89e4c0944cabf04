//! What the in-container runner tells the host about the session's lifecycle:
//! `events/NAME` files (`started`, `turn`, `error`). The host consumes them
//! (reads, then deletes) in name order, defensively: never through a symlink,
//! never more than the size limit, and a malformed file is reported, not trusted.
//!
//! Kept small on purpose: the `ipc` module's directory-handle readers can
//! replace [`take_events`] without touching its callers.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::inbox::read_bounded;

/// How a finished turn went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnStatus {
    Success,
    Error,
}

/// One file in `events/`, as the IPC contract spells it (camelCase).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum RunnerEvent {
    /// The runner is up and the agent process spawned.
    Started {
        #[serde(default)]
        ts: Option<String>,
    },
    /// The agent finished a turn (one `result` of Claude Code).
    #[serde(rename_all = "camelCase")]
    Turn {
        status: TurnStatus,
        #[serde(default)]
        session_id: Option<String>,
        #[serde(default)]
        duration_ms: Option<u64>,
        #[serde(default)]
        cost_usd: Option<f64>,
        #[serde(default)]
        result: Option<String>,
        #[serde(default)]
        error: Option<String>,
        #[serde(default)]
        ts: Option<String>,
    },
    /// The runner itself failed (agent missing or crashed); it exits non-zero.
    Error {
        message: String,
        #[serde(default)]
        ts: Option<String>,
    },
}

/// A file in `events/` that could not be taken as an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadEvent {
    pub file: String,
    pub reason: String,
}

/// Reads and deletes every finished file in `dir` (ignoring `*.tmp` and `.*`),
/// oldest name first. A missing directory is no events.
pub fn take_events(dir: &Path) -> Vec<Result<RunnerEvent, BadEvent>> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = rd
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && !n.ends_with(".tmp"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let path = dir.join(&name);
            let parsed = read_bounded(&path).and_then(|bytes| {
                serde_json::from_slice::<RunnerEvent>(&bytes)
                    .map_err(|e| format!("not an event: {e}"))
            });
            // Consumed either way: a bad file must not be read again on every wake-up.
            let _ = std::fs::remove_file(&path);
            parsed.map_err(|reason| BadEvent { file: name, reason })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_taken_in_name_order_and_consumed() {
        let d = tempfile::tempdir().expect("tempdir");
        let w = |n: &str, s: &str| std::fs::write(d.path().join(n), s).expect("write");
        w(
            "1700000000002-1.json",
            r#"{"type":"turn","status":"success","sessionId":"s1","durationMs":5,"costUsd":0.01,"result":"hi","error":null,"ts":"x"}"#,
        );
        w("1700000000001-1.json", r#"{"type":"started","ts":"x"}"#);
        w("1700000000003-1.json.tmp", r#"{"type":"started"}"#);
        w("1700000000004-1.json", r#"{"type":"nonsense"}"#);
        let got = take_events(d.path());
        assert_eq!(got.len(), 3);
        assert_eq!(
            got[0],
            Ok(RunnerEvent::Started {
                ts: Some("x".into())
            })
        );
        match &got[1] {
            Ok(RunnerEvent::Turn {
                status,
                session_id,
                result,
                ..
            }) => {
                assert_eq!(*status, TurnStatus::Success);
                assert_eq!(session_id.as_deref(), Some("s1"));
                assert_eq!(result.as_deref(), Some("hi"));
            }
            other => panic!("{other:?}"),
        }
        assert!(got[2].is_err());
        assert!(take_events(d.path()).is_empty(), "consumed");
        assert!(
            d.path().join("1700000000003-1.json.tmp").exists(),
            "tmp left alone"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_event_is_refused_not_followed() {
        let d = tempfile::tempdir().expect("tempdir");
        let secret = d.path().join("secret");
        std::fs::write(&secret, r#"{"type":"started"}"#).expect("write");
        let ev = d.path().join("events");
        std::fs::create_dir(&ev).expect("mkdir");
        std::os::unix::fs::symlink(&secret, ev.join("1-1.json")).expect("symlink");
        let got = take_events(&ev);
        assert!(
            matches!(&got[0], Err(b) if b.reason.contains("symlink")),
            "{got:?}"
        );
        assert!(secret.exists(), "the target is never touched");
    }
}
