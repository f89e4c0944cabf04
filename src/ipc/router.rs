//! The router component: picks up what agents write to `messages/` and `tasks/`,
//! authorizes it by the directory it was found in (never by its content), then
//! delivers, applies or quarantines it.
//!
//! Work is done in rounds: each group with pending files gets at most
//! `[ipc] files_per_round` of them handled (shared by its sessions), then the
//! next group gets its turn, so one group's flood never delays another's
//! delivery by more than one round. Filesystem events mark sessions as having
//! work; a full scan at start finds what arrived while the daemon was down.
//! Cancellation is checked between files, so a stop request is honoured within
//! one file's work.

use std::collections::{BTreeMap, VecDeque};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use notify::Watcher;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::IpcLimits;
use super::dirfd::DirHandle;
use super::layout::check_session_id;
use super::sink::{MessageSink, TaskSink};
use crate::audit::AuditLog;
use crate::groups::Groups;
use crate::state::StateDir;

/// Counters the API and tests read.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouterStats {
    pub delivered: AtomicU64,
    /// Messages with a null `chatJid`, recorded in the session's `replies.jsonl`.
    pub replies: AtomicU64,
    pub tasks_applied: AtomicU64,
    pub quarantined: AtomicU64,
    pub violations: AtomicU64,
    pub rounds: AtomicU64,
}

pub struct Router {
    pub(super) state: StateDir,
    pub(super) audit: AuditLog,
    pub(super) messages: Arc<dyn MessageSink>,
    pub(super) tasks: Arc<dyn TaskSink>,
    pub(super) limits: IpcLimits,
    pub stats: RouterStats,
}

/// Sessions with files waiting, by group, each with the names listed but not
/// handled yet (listed once and drained over rounds, so a deep backlog is not
/// listed and sorted again every round).
type Work = BTreeMap<String, BTreeMap<String, Backlog>>;

#[derive(Debug, Default)]
pub(super) struct Backlog {
    pub messages: VecDeque<String>,
    pub tasks: VecDeque<String>,
}

impl Router {
    pub fn new(
        state: StateDir,
        audit: AuditLog,
        messages: Arc<dyn MessageSink>,
        tasks: Arc<dyn TaskSink>,
    ) -> Arc<Self> {
        Self::with_limits(state, audit, messages, tasks, IpcLimits::default())
    }

    pub fn with_limits(
        state: StateDir,
        audit: AuditLog,
        messages: Arc<dyn MessageSink>,
        tasks: Arc<dyn TaskSink>,
        limits: IpcLimits,
    ) -> Arc<Self> {
        Arc::new(Self {
            state,
            audit,
            messages,
            tasks,
            limits,
            stats: RouterStats::default(),
        })
    }

    /// Runs until cancelled: a full scan, then rounds while any session has
    /// work, sleeping on filesystem events otherwise.
    pub async fn run(self: Arc<Self>, cancel: CancellationToken) -> Result<(), notify::Error> {
        let root = self.state.sessions_dir();
        std::fs::create_dir_all(&root).map_err(|e| notify::Error::io(e).add_path(root.clone()))?;
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        // Never follow links: an agent's symlinked folder must not make us
        // watch (or walk) the directory it points to.
        let config = notify::Config::default().with_follow_symlinks(false);
        let mut watcher = notify::RecommendedWatcher::new(
            move |ev: notify::Result<notify::Event>| {
                let _ = tx.send(ev);
            },
            config,
        )?;
        watcher.watch(&root, notify::RecursiveMode::Recursive)?;
        let mut work = self.discover(None);
        loop {
            if work.is_empty() {
                let ev = tokio::select! {
                    () = cancel.cancelled() => return Ok(()),
                    ev = rx.recv() => match ev { Some(ev) => ev, None => return Ok(()) },
                };
                self.note(&root, ev, &mut work);
            }
            while let Ok(ev) = rx.try_recv() {
                self.note(&root, ev, &mut work);
            }
            if cancel.is_cancelled() {
                return Ok(());
            }
            self.round(&mut work, &cancel).await;
            // Let the API and other components in between rounds.
            tokio::task::yield_now().await;
        }
    }

    /// Marks the session an event touches as having work; an event the watcher
    /// could not attribute asks for a full scan.
    fn note(&self, root: &Path, ev: notify::Result<notify::Event>, work: &mut Work) {
        let ev = match ev {
            Ok(ev) if !ev.need_rescan() => ev,
            _ => return merge(work, self.discover(None)),
        };
        if ev.kind.is_access() || ev.kind.is_remove() {
            return;
        }
        for p in &ev.paths {
            let Ok(rel) = p.strip_prefix(root) else {
                continue;
            };
            let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
            match (parts.next(), parts.next()) {
                (Some(g), Some(s)) if check_session_id(&s).is_ok() => {
                    work.entry(g.into_owned())
                        .or_default()
                        .entry(s.into_owned())
                        .or_default();
                }
                (Some(g), None) => merge(work, self.discover(Some(&g))),
                _ => {}
            }
        }
    }

    /// Every session (of `only` group, or of all), as work to look at.
    fn discover(&self, only: Option<&str>) -> Work {
        let root = self.state.sessions_dir();
        let mut work = Work::new();
        let groups = match only {
            Some(g) => vec![g.to_string()],
            None => subdirs(&root),
        };
        for group in groups {
            let sessions: BTreeMap<String, Backlog> = subdirs(&root.join(&group))
                .into_iter()
                .map(|s| (s, Backlog::default()))
                .collect();
            if !sessions.is_empty() {
                work.insert(group, sessions);
            }
        }
        work
    }

    /// One round: each group with work gets its share, then the next.
    async fn round(&self, work: &mut Work, cancel: &CancellationToken) {
        self.stats
            .rounds
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let groups = Groups::load(&self.state).unwrap_or_else(|e| {
            // Deny by default: with no readable groups nobody but `main` may send.
            tracing::error!(error = %e, "groups.toml does not load; treating every group as non-main without chats");
            Groups::default()
        });
        let budget = self.limits.files_per_round.max(1);
        for (group, sessions) in work.iter_mut() {
            let share = (budget / sessions.len().max(1)).max(1);
            let mut done = Vec::new();
            for (session, backlog) in sessions.iter_mut() {
                if cancel.is_cancelled() {
                    return;
                }
                if !self
                    .process_session(&groups, group, session, backlog, share, cancel)
                    .await
                {
                    done.push(session.clone());
                }
            }
            for s in done {
                sessions.remove(&s);
            }
        }
        work.retain(|_, s| !s.is_empty());
    }

    /// Processes every session's `messages/` and `tasks/` until nothing is left
    /// (rounds as in [`Self::run`]); for tests and one-off callers.
    pub async fn scan_all(&self) {
        let cancel = CancellationToken::new();
        let mut work = self.discover(None);
        while !work.is_empty() {
            self.round(&mut work, &cancel).await;
        }
    }
}

fn merge(work: &mut Work, more: Work) {
    for (g, sessions) in more {
        let w = work.entry(g).or_default();
        for (s, b) in sessions {
            w.entry(s).or_insert(b);
        }
    }
}

/// Names of the real directories in `dir` (host-owned: `sessions/` and its
/// group folders); links are not followed.
fn subdirs(dir: &Path) -> Vec<String> {
    let Ok(d) = DirHandle::open_path(dir) else {
        return Vec::new();
    };
    let mut v: Vec<String> = d
        .list()
        .unwrap_or_default()
        .into_iter()
        .filter(|n| {
            d.kind_of(n)
                .ok()
                .flatten()
                .is_some_and(|t| t == rustix::fs::FileType::Directory)
        })
        .collect();
    v.sort();
    v
}
