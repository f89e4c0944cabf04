//! Where the router sends what it accepted: chat messages to the channel layer,
//! task requests to the scheduler. Traits, so the router is tested without either.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use super::{OutboundMessage, TaskRequest};

pub type BoxFut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Delivers an authorized message to its chat. Retries belong to the channel; an
/// `Err` here is final and the router quarantines the file with the reason.
pub trait MessageSink: Send + Sync {
    fn deliver<'a>(
        &'a self,
        group: &'a str,
        msg: &'a OutboundMessage,
    ) -> BoxFut<'a, Result<(), String>>;
}

/// Applies a task request from `group`; the sink checks the group may touch the task.
pub trait TaskSink: Send + Sync {
    fn apply<'a>(
        &'a self,
        group: &'a str,
        req: TaskRequest,
    ) -> BoxFut<'a, Result<String, TaskRefusal>>;

    /// Applies a round's requests from `group`, one result per request in
    /// order. Override to make the batch cheaper than its parts (one write).
    fn apply_batch<'a>(
        &'a self,
        group: &'a str,
        reqs: Vec<TaskRequest>,
    ) -> BoxFut<'a, Vec<Result<String, TaskRefusal>>> {
        Box::pin(async move {
            let mut out = Vec::with_capacity(reqs.len());
            for req in reqs {
                out.push(self.apply(group, req).await);
            }
            out
        })
    }

    /// The task snapshot a session of `group` sees now ([`super::TASKS_SNAPSHOT`]).
    /// The router writes it into the session after applying the session's
    /// requests and before answering them, so the agent's next `list_tasks`
    /// shows what it just changed. `None`: nothing to write.
    fn snapshot(&self, _group: &str) -> Option<serde_json::Value> {
        None
    }
}

/// Why a task request was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskRefusal {
    /// The group may not do this (audited as a violation).
    Unauthorized(String),
    /// The request is wrong (quarantined with the reason).
    Invalid(String),
}

/// The channel used until chat channels are configured: appends each delivery to
/// `logs/deliveries.jsonl`, so an operator (and a test) can see what went out.
pub struct LogChannel {
    path: PathBuf,
}

impl LogChannel {
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }
}

impl MessageSink for LogChannel {
    fn deliver<'a>(
        &'a self,
        group: &'a str,
        msg: &'a OutboundMessage,
    ) -> BoxFut<'a, Result<(), String>> {
        Box::pin(async move {
            use std::io::Write;
            let line = serde_json::json!({
                "ts": jiff::Timestamp::now(),
                "group": group,
                "chatJid": msg.chat_jid,
                "text": msg.text,
            });
            if let Some(dir) = self.path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            }
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .map_err(|e| format!("{}: {e}", self.path.display()))?;
            writeln!(f, "{line}").map_err(|e| format!("{}: {e}", self.path.display()))
        })
    }
}
