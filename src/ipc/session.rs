//! One session's share of a router round: open its IPC directories through
//! handles (a link where a directory should be quarantines the session), take
//! at most its quota of the oldest files from `messages/` then `tasks/`, and
//! deliver, record, apply or quarantine each.

use std::sync::atomic::Ordering;

use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use super::dirfd::{DirHandle, ReadError};
use super::layout::{OpenSession, Sub};
use super::router::{Backlog, Router};
use super::sink::TaskRefusal;
use super::{IpcError, MessageKind, OutboundMessage, TaskRequest, quarantine};
use crate::audit::NewEvent;
use crate::groups::{Groups, Jid};

/// How long a `*.tmp` file may sit before it counts as abandoned, not in progress.
const TMP_GRACE: std::time::Duration = std::time::Duration::from_secs(60);

/// The host-owned file (beside `ipc/`) where replies without a chat are kept.
pub const REPLIES_FILE: &str = "replies.jsonl";

/// One file's fate, for the audit batch.
enum Fate {
    Done,
    Quarantine(String),
    Violation(String, serde_json::Value),
}

/// A `messages/` file as an agent writes it: `chatJid` must be present, and
/// `null` means a reply for the run's own log or terminal.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AgentMessage {
    #[serde(rename = "type")]
    _kind: MessageKind,
    #[serde(deserialize_with = "nullable")]
    chat_jid: Option<String>,
    text: String,
}

/// `Option` without serde's "missing means None": the field must be written.
fn nullable<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(d)
}

impl Router {
    /// Handles up to `quota` files of the session; `true` when more wait.
    pub(super) async fn process_session(
        &self,
        groups: &Groups,
        group: &str,
        session: &str,
        backlog: &mut Backlog,
        quota: usize,
        cancel: &CancellationToken,
    ) -> bool {
        let Ok(dirs) = super::session_dirs(&self.state, group, session) else {
            tracing::warn!(
                group,
                session,
                "ignoring a session directory with an invalid name"
            );
            return false;
        };
        let s = match OpenSession::open(&dirs, false).and_then(|s| s.check_all().map(|()| s)) {
            Ok(s) => s,
            Err(e) => {
                self.session_failed(e);
                return false;
            }
        };
        let mut left = quota;
        let mut more = false;
        let mut moved = 0;
        let mut audit = Vec::new();
        for kind in [Sub::Messages, Sub::Tasks] {
            let dir = match s.sub(kind) {
                Ok(Some(d)) => d,
                Ok(None) => continue,
                Err(e) => {
                    self.session_failed(e);
                    return false;
                }
            };
            let queue = match kind {
                Sub::Messages => &mut backlog.messages,
                _ => &mut backlog.tasks,
            };
            if queue.is_empty() {
                let mut names = pending(&dir);
                names.sort();
                *queue = names.into();
            }
            let take = queue.len().min(left);
            let names: Vec<String> = queue.drain(..take).collect();
            // A drained listing may have missed files written since: look
            // again next round (an empty listing then ends the session's turn).
            more |= !names.is_empty();
            left -= names.len();
            let r = match kind {
                Sub::Messages => {
                    self.messages(&s, &dir, groups, names, cancel, &mut audit)
                        .await
                }
                _ => self.tasks(&s, &dir, names, cancel, &mut audit).await,
            };
            match r {
                Ok(n) => moved += n,
                Err(e) => {
                    self.session_failed(e);
                    more = false;
                    break;
                }
            }
        }
        if !audit.is_empty()
            && let Err(e) = self.audit.record_batch(audit)
        {
            tracing::error!(error = %e, "cannot write audit events");
        }
        // Without progress (files that cannot be moved: the agent made its
        // folder read-only, say) the session waits for its next event instead
        // of spinning.
        more && moved > 0 && !cancel.is_cancelled()
    }

    fn session_failed(&self, e: IpcError) {
        match e {
            IpcError::Unsafe { .. } => {
                self.stats.violations.fetch_add(1, Ordering::Relaxed);
            }
            IpcError::Quarantined {
                group,
                session,
                reason,
                ..
            } => super::violation::renotify(&group, &session, &reason),
            IpcError::NotInitialised { .. } => {}
            e => tracing::warn!(error = %e, "cannot process an IPC session"),
        }
    }

    async fn messages(
        &self,
        s: &OpenSession,
        dir: &DirHandle,
        groups: &Groups,
        names: Vec<String>,
        cancel: &CancellationToken,
        audit: &mut Vec<NewEvent>,
    ) -> Result<usize, IpcError> {
        let mut moved = 0;
        for name in names {
            if cancel.is_cancelled() {
                break;
            }
            let fate =
                match dir.read_file(&name, self.limits.file_bytes(self.limits.max_message_bytes)) {
                    Err(ReadError::Gone) => continue,
                    Err(ReadError::Refused(why)) => {
                        Fate::Quarantine(name_setting(why, "max_message_bytes"))
                    }
                    Ok(bytes) => self.message(s, groups, &bytes).await,
                };
            moved += usize::from(self.settle(s, dir, Sub::Messages, &name, fate, audit)?);
        }
        Ok(moved)
    }

    async fn message(&self, s: &OpenSession, groups: &Groups, bytes: &[u8]) -> Fate {
        let group = s.dirs.group.as_str();
        let msg: AgentMessage = match serde_json::from_slice(bytes) {
            Ok(m) => m,
            Err(e) => return Fate::Quarantine(format!("not a valid message: {e}")),
        };
        if msg.text.len() > self.limits.max_message_bytes {
            return Fate::Quarantine(format!(
                "message text is {} bytes; the limit is {} ([ipc] max_message_bytes in config.toml)",
                msg.text.len(),
                self.limits.max_message_bytes
            ));
        }
        let Some(jid) = msg.chat_jid else {
            return self.reply(s, &msg.text);
        };
        if let Err(e) = Jid::parse(&jid) {
            return Fate::Quarantine(e.to_string());
        }
        if !groups.may_send(group, &jid) {
            return Fate::Violation(
                format!("group {group:?} may not send to {jid}"),
                serde_json::json!({"chatJid": jid, "textBytes": msg.text.len()}),
            );
        }
        let out = OutboundMessage::new(jid, msg.text);
        match self.messages.deliver(group, &out).await {
            Ok(()) => {
                self.stats.delivered.fetch_add(1, Ordering::Relaxed);
                tracing::info!(group, chat = %out.chat_jid, "message delivered");
                Fate::Done
            }
            Err(e) => Fate::Quarantine(format!("delivery to {} failed: {e}", out.chat_jid)),
        }
    }

    /// A reply with no chat: appended to the session's host-owned `replies.jsonl`.
    fn reply(&self, s: &OpenSession, text: &str) -> Fate {
        let line = serde_json::json!({
            "ts": jiff::Timestamp::now(),
            "group": s.dirs.group,
            "session": s.dirs.session,
            "text": text,
        });
        match s
            .home
            .append_line(REPLIES_FILE, line.to_string().as_bytes())
        {
            Ok(()) => {
                self.stats.replies.fetch_add(1, Ordering::Relaxed);
                tracing::info!(group = %s.dirs.group, session = %s.dirs.session, "reply recorded");
                Fate::Done
            }
            Err(e) => Fate::Quarantine(format!("cannot record the reply: {e}")),
        }
    }

    /// Reads and checks up to the quota of task files, then hands the accepted
    /// ones to the sink as one batch (one schedule write per round, not per file).
    async fn tasks(
        &self,
        s: &OpenSession,
        dir: &DirHandle,
        names: Vec<String>,
        cancel: &CancellationToken,
        audit: &mut Vec<NewEvent>,
    ) -> Result<usize, IpcError> {
        let mut moved = 0;
        let mut batch = Vec::new();
        for name in names {
            if cancel.is_cancelled() {
                return Ok(moved);
            }
            let req =
                match dir.read_file(&name, self.limits.file_bytes(self.limits.max_prompt_bytes)) {
                    Err(ReadError::Gone) => continue,
                    Err(ReadError::Refused(why)) => Err(name_setting(why, "max_prompt_bytes")),
                    Ok(bytes) => self.task_request(&bytes),
                };
            match req {
                Ok(req) => batch.push((name, req)),
                Err(why) => {
                    let fate = Fate::Quarantine(why);
                    moved += usize::from(self.settle(s, dir, Sub::Tasks, &name, fate, audit)?);
                }
            }
        }
        if batch.is_empty() || cancel.is_cancelled() {
            return Ok(moved);
        }
        let (names, reqs): (Vec<String>, Vec<TaskRequest>) = batch.into_iter().unzip();
        let results = self.tasks.apply_batch(&s.dirs.group, reqs).await;
        if results.iter().any(Result::is_ok) {
            self.refresh_snapshot(s);
        }
        for (name, result) in names.into_iter().zip(results) {
            let fate = match result {
                Ok(summary) => {
                    self.stats.tasks_applied.fetch_add(1, Ordering::Relaxed);
                    tracing::info!(group = %s.dirs.group, %summary, "task request applied");
                    Fate::Done
                }
                Err(TaskRefusal::Invalid(why)) => Fate::Quarantine(why),
                Err(TaskRefusal::Unauthorized(why)) => {
                    Fate::Violation(why, serde_json::json!({"kind": "task"}))
                }
            };
            moved += usize::from(self.settle(s, dir, Sub::Tasks, &name, fate, audit)?);
        }
        Ok(moved)
    }

    /// Rewrites the session's task snapshot after its requests changed the
    /// schedules; a failure leaves the older snapshot (the run's own refresh
    /// follows the schedules file) and is only logged.
    fn refresh_snapshot(&self, s: &OpenSession) {
        let Some(snap) = self.tasks.snapshot(&s.dirs.group) else {
            return;
        };
        let written = serde_json::to_vec(&snap)
            .map_err(|e| IpcError::Encode(e.to_string()))
            .and_then(|b| super::write::write_snapshot_in(s, &b));
        if let Err(e) = written {
            tracing::warn!(group = %s.dirs.group, session = %s.dirs.session, error = %e, "cannot refresh the task snapshot");
        }
    }

    fn task_request(&self, bytes: &[u8]) -> Result<TaskRequest, String> {
        let req: TaskRequest =
            serde_json::from_slice(bytes).map_err(|e| format!("not a valid task request: {e}"))?;
        let prompt = match &req {
            TaskRequest::ScheduleTask(body) => body.get("prompt"),
            TaskRequest::UpdateTask { changes, .. } => changes.get("prompt"),
            _ => None,
        };
        let len = prompt.and_then(|p| p.as_str()).map_or(0, str::len);
        if len > self.limits.max_prompt_bytes {
            return Err(format!(
                "prompt is {len} bytes; the limit is {} ([ipc] max_prompt_bytes in config.toml)",
                self.limits.max_prompt_bytes
            ));
        }
        Ok(req)
    }

    /// Removes a handled file, or quarantines it with its audit entry; `false`
    /// when it is still there (the agent made its folder read-only, say).
    fn settle(
        &self,
        s: &OpenSession,
        dir: &DirHandle,
        kind: Sub,
        name: &str,
        fate: Fate,
        audit: &mut Vec<NewEvent>,
    ) -> Result<bool, IpcError> {
        let group = s.dirs.group.as_str();
        match fate {
            Fate::Done => {
                if let Err(e) = dir.unlink(name) {
                    tracing::warn!(file = %name, error = %e, "handled but cannot remove");
                    return Ok(false);
                }
                Ok(true)
            }
            Fate::Quarantine(reason) => {
                self.stats.quarantined.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(group, file = %name, %reason, "quarantined IPC file");
                let moved = quarantine::to_errors(s, dir, name, &reason)?;
                audit.push(NewEvent::quarantined(
                    group,
                    &format!("{}/{name}", kind.name()),
                    &reason,
                ));
                Ok(moved)
            }
            Fate::Violation(reason, details) => {
                self.stats.violations.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(group, file = %name, %reason, "IPC violation");
                let moved = quarantine::to_errors(s, dir, name, &reason)?;
                audit.push(NewEvent::ipc_violation(group, reason, details));
                Ok(moved)
            }
        }
    }
}

/// Says which setting an "oversized" refusal comes from.
fn name_setting(why: String, key: &str) -> String {
    if why.starts_with("oversized") {
        format!("{why} (twice [ipc] {key} in config.toml, plus 16 KiB)")
    } else {
        why
    }
}

/// Names to handle: not a `*.tmp` still being written (one older than
/// [`TMP_GRACE`] is abandoned, and handled, so quarantined). Other names,
/// dotfiles included, are handled: nothing an agent leaves is ignored.
fn pending(dir: &DirHandle) -> Vec<String> {
    let names = match dir.list() {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(dir = %dir.path().display(), error = %e, "cannot list");
            return Vec::new();
        }
    };
    names
        .into_iter()
        .filter(|n| {
            !n.ends_with(".tmp")
                || dir
                    .modified(n)
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age >= TMP_GRACE)
        })
        .collect()
}
