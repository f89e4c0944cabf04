//! The router component: picks up what agents write to `messages/` and `tasks/`,
//! authorizes it by the directory it was found in (never by its content), then
//! delivers, applies or quarantines it. Driven by filesystem events; a full scan
//! at start delivers what arrived while the daemon was down.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use notify::Watcher;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::inbox::read_bounded;
use super::sink::{MessageSink, TaskRefusal, TaskSink};
use super::{OutboundMessage, TaskRequest};
use crate::audit::{AuditLog, NewEvent};
use crate::groups::{Groups, Jid};
use crate::state::StateDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Messages,
    Tasks,
}

impl Kind {
    fn dir(self) -> &'static str {
        match self {
            Kind::Messages => "messages",
            Kind::Tasks => "tasks",
        }
    }
}

/// Counters the API and tests read.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouterStats {
    pub delivered: AtomicU64,
    pub tasks_applied: AtomicU64,
    pub quarantined: AtomicU64,
    pub violations: AtomicU64,
}

pub struct Router {
    state: StateDir,
    audit: AuditLog,
    messages: Arc<dyn MessageSink>,
    tasks: Arc<dyn TaskSink>,
    pub stats: RouterStats,
}

/// One file's fate, for the audit batch.
enum Fate {
    Done,
    Quarantine(String),
    Violation(String, serde_json::Value),
}

impl Router {
    pub fn new(
        state: StateDir,
        audit: AuditLog,
        messages: Arc<dyn MessageSink>,
        tasks: Arc<dyn TaskSink>,
    ) -> Arc<Self> {
        Arc::new(Self {
            state,
            audit,
            messages,
            tasks,
            stats: RouterStats::default(),
        })
    }

    /// Runs until cancelled: a full scan, then one pass per burst of events.
    pub async fn run(self: Arc<Self>, cancel: CancellationToken) -> Result<(), notify::Error> {
        let root = self.state.sessions_dir();
        std::fs::create_dir_all(&root).map_err(|e| notify::Error::io(e).add_path(root.clone()))?;
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
            let _ = tx.send(ev);
        })?;
        watcher.watch(&root, notify::RecursiveMode::Recursive)?;
        self.scan_all().await;
        loop {
            let first = tokio::select! {
                () = cancel.cancelled() => return Ok(()),
                ev = rx.recv() => match ev { Some(ev) => ev, None => return Ok(()) },
            };
            let mut dirty = BTreeSet::new();
            let mut full = self.note(&root, first, &mut dirty);
            while let Ok(ev) = rx.try_recv() {
                full |= self.note(&root, ev, &mut dirty);
            }
            if full {
                self.scan_all().await;
            } else {
                for (group, session, kind) in dirty {
                    self.process_dir(&group, &session, kind).await;
                }
            }
        }
    }

    /// Records which session dirs an event touches; `true` asks for a full scan
    /// (lost events, or a new directory whose files may predate its watch).
    fn note(
        &self,
        root: &Path,
        ev: notify::Result<notify::Event>,
        dirty: &mut BTreeSet<(String, String, Kind)>,
    ) -> bool {
        let Ok(ev) = ev else { return true };
        if ev.need_rescan() {
            return true;
        }
        if ev.kind.is_access() || ev.kind.is_remove() {
            return false;
        }
        let mut full = false;
        for p in &ev.paths {
            let Ok(rel) = p.strip_prefix(root) else {
                continue;
            };
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.len() >= 5 && parts[2] == "ipc" {
                let kind = match parts[3].as_str() {
                    "messages" => Kind::Messages,
                    "tasks" => Kind::Tasks,
                    _ => continue,
                };
                dirty.insert((parts[0].clone(), parts[1].clone(), kind));
            } else if parts.len() < 5 && ev.kind.is_create() {
                full = true;
            }
        }
        full
    }

    /// Processes every session's `messages/` and `tasks/`.
    pub async fn scan_all(&self) {
        let root = self.state.sessions_dir();
        for group in subdirs(&root) {
            for session in subdirs(&root.join(&group)) {
                for kind in [Kind::Messages, Kind::Tasks] {
                    self.process_dir(&group, &session, kind).await;
                }
            }
        }
    }

    async fn process_dir(&self, group: &str, session: &str, kind: Kind) {
        let Ok(dirs) = super::session_dirs(&self.state, group, session) else {
            tracing::warn!(
                group,
                session,
                "ignoring a session directory with an invalid name"
            );
            return;
        };
        let dir = match kind {
            Kind::Messages => &dirs.messages,
            Kind::Tasks => &dirs.tasks,
        };
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut names: Vec<String> = rd
            .filter_map(Result::ok)
            .filter(|e| !in_progress(e))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        if names.is_empty() {
            return;
        }
        names.sort();
        let groups = Groups::load(&self.state).unwrap_or_else(|e| {
            // Deny by default: with no readable groups nobody but `main` may send.
            tracing::error!(error = %e, "groups.toml does not load; treating every group as non-main without chats");
            Groups::default()
        });
        let mut audit = Vec::new();
        for name in names {
            let path = dir.join(&name);
            let fate = match read_bounded(&path) {
                Err(why) => Fate::Quarantine(why),
                Ok(bytes) => match kind {
                    Kind::Messages => self.message(&groups, group, &bytes).await,
                    Kind::Tasks => self.task(group, &bytes).await,
                },
            };
            match fate {
                Fate::Done => {
                    if let Err(e) = std::fs::remove_file(&path) {
                        tracing::warn!(file = %path.display(), error = %e, "delivered but cannot remove");
                    }
                }
                Fate::Quarantine(reason) => {
                    self.stats.quarantined.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(group, file = %name, %reason, "quarantined IPC file");
                    quarantine(&dirs.errors, &path, &name, &reason);
                    audit.push(NewEvent::quarantined(
                        group,
                        &format!("{}/{name}", kind.dir()),
                        &reason,
                    ));
                }
                Fate::Violation(reason, details) => {
                    self.stats.violations.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(group, file = %name, %reason, "IPC violation");
                    quarantine(&dirs.errors, &path, &name, &reason);
                    audit.push(NewEvent::ipc_violation(group, reason, details));
                }
            }
        }
        if !audit.is_empty()
            && let Err(e) = self.audit.record_batch(audit)
        {
            tracing::error!(error = %e, "cannot write audit events");
        }
    }

    async fn message(&self, groups: &Groups, group: &str, bytes: &[u8]) -> Fate {
        let msg: OutboundMessage = match serde_json::from_slice(bytes) {
            Ok(m) => m,
            Err(e) => return Fate::Quarantine(format!("not a valid message: {e}")),
        };
        if let Err(e) = Jid::parse(&msg.chat_jid) {
            return Fate::Quarantine(e.to_string());
        }
        if !groups.may_send(group, &msg.chat_jid) {
            return Fate::Violation(
                format!("group {group:?} may not send to {}", msg.chat_jid),
                serde_json::json!({"chatJid": msg.chat_jid, "textBytes": msg.text.len()}),
            );
        }
        match self.messages.deliver(group, &msg).await {
            Ok(()) => {
                self.stats.delivered.fetch_add(1, Ordering::Relaxed);
                tracing::info!(group, chat = %msg.chat_jid, "message delivered");
                Fate::Done
            }
            Err(e) => Fate::Quarantine(format!("delivery to {} failed: {e}", msg.chat_jid)),
        }
    }

    async fn task(&self, group: &str, bytes: &[u8]) -> Fate {
        let req: TaskRequest = match serde_json::from_slice(bytes) {
            Ok(r) => r,
            Err(e) => return Fate::Quarantine(format!("not a valid task request: {e}")),
        };
        match self.tasks.apply(group, req).await {
            Ok(summary) => {
                self.stats.tasks_applied.fetch_add(1, Ordering::Relaxed);
                tracing::info!(group, %summary, "task request applied");
                Fate::Done
            }
            Err(TaskRefusal::Invalid(why)) => Fate::Quarantine(why),
            Err(TaskRefusal::Unauthorized(why)) => {
                Fate::Violation(why, serde_json::json!({"kind": "task"}))
            }
        }
    }
}

/// How long a `*.tmp` file may sit before it counts as abandoned, not in progress.
const TMP_GRACE: std::time::Duration = std::time::Duration::from_secs(60);

/// A `*.tmp` file being written (atomic write: tmp, then rename) is left alone;
/// one older than [`TMP_GRACE`] is processed, and so quarantined, like any other.
fn in_progress(e: &std::fs::DirEntry) -> bool {
    e.file_name().to_string_lossy().ends_with(".tmp")
        && e.metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_none_or(|age| age < TMP_GRACE)
}

fn subdirs(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Moves the file (or whatever it is: a link is moved, not followed) into
/// `errors/` under a unique name, with a `.reason.json` beside it.
fn quarantine(errors: &Path, path: &Path, name: &str, reason: &str) {
    let _ = std::fs::create_dir_all(errors);
    let stamp = jiff::Timestamp::now().as_nanosecond();
    let dest: PathBuf = errors.join(format!("{stamp}-{name}"));
    if let Err(e) = std::fs::rename(path, &dest) {
        tracing::error!(file = %path.display(), error = %e, "cannot quarantine");
        return;
    }
    let note = serde_json::json!({"file": name, "reason": reason, "ts": jiff::Timestamp::now()});
    let mut reason_path = dest.into_os_string();
    reason_path.push(".reason.json");
    let _ = crate::state::write_atomic(Path::new(&reason_path), note.to_string().as_bytes());
}
