//! The persistent outbound queue: one directory per channel
//! (`<state>/channels/outbox/<kind>/`), one file per agent reply, named so
//! that names sort in creation order (`<13-digit epoch ms>-<pid>-<seq>.json`).
//! A reply is written here (atomically) before the router is told it was
//! taken, and removed only once the service accepted every piece, so a daemon
//! restart, a hub rebuild or a long outage loses nothing. How many pieces were
//! already sent is recorded after each one, so a retry never repeats a piece.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use super::ChannelKind;
use crate::state::{StateDir, StateError, write_atomic};

/// One queued reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Queued {
    pub group: String,
    pub chat_jid: String,
    pub text: String,
    /// Pieces (after splitting to the service's limit) the service accepted.
    #[serde(default)]
    pub pieces_sent: usize,
    /// Failed tries so far (for the log and the give-up report).
    #[serde(default)]
    pub attempts: u32,
    pub queued_at: jiff::Timestamp,
}

/// One channel's queue directory.
#[derive(Debug, Clone)]
pub struct Outbox {
    dir: PathBuf,
}

/// Process-wide, so two hubs (before and after a rebuild) never pick one name.
static SEQ: AtomicU64 = AtomicU64::new(0);

/// Where the channels keep their state (outbox, Telegram's offset…).
pub fn state_dir(state: &StateDir) -> PathBuf {
    state.root().join("channels")
}

impl Outbox {
    pub fn new(state: &StateDir, kind: ChannelKind) -> Self {
        Self {
            dir: state_dir(state).join("outbox").join(kind.as_str()),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes a new entry; returns its name.
    pub fn push(&self, q: &Queued) -> Result<String, StateError> {
        let name = format!(
            "{:013}-{}-{:06}.json",
            jiff::Timestamp::now().as_millisecond().max(0),
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        );
        self.save(&name, q)?;
        Ok(name)
    }

    /// Rewrites an entry (progress after a piece or a failed try).
    pub fn save(&self, name: &str, q: &Queued) -> Result<(), StateError> {
        let path = self.dir.join(name);
        let bytes = serde_json::to_vec(q).map_err(|e| StateError::Serialize {
            path: path.clone(),
            message: e.to_string(),
        })?;
        write_atomic(&path, &bytes)
    }

    pub fn remove(&self, name: &str) -> Result<(), StateError> {
        let path = self.dir.join(name);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(StateError::io(&path, "remove", e))
            }
            _ => Ok(()),
        }
    }

    /// Every entry, oldest first. A file that does not parse is renamed to
    /// `NAME.corrupt` (kept for a look, never retried, never overwritten).
    pub fn pending(&self) -> Vec<(String, Queued)> {
        let Ok(rd) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = rd
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json") && !n.starts_with('.'))
            .collect();
        names.sort();
        let mut out = Vec::new();
        for name in names {
            let path = self.dir.join(&name);
            match std::fs::read(&path)
                .map_err(|e| e.to_string())
                .and_then(|b| serde_json::from_slice::<Queued>(&b).map_err(|e| e.to_string()))
            {
                Ok(q) => out.push((name, q)),
                Err(e) => {
                    tracing::error!(file = %path.display(), error = %e, "unreadable outbound queue entry; set aside as .corrupt");
                    let _ = std::fs::rename(&path, self.dir.join(format!("{name}.corrupt")));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_persist_in_order_and_corrupt_ones_are_set_aside() {
        let home = tempfile::tempdir().unwrap();
        let ob = Outbox::new(&StateDir::at(home.path()), ChannelKind::Telegram);
        let q = |t: &str| Queued {
            group: "main".into(),
            chat_jid: "tg:1".into(),
            text: t.into(),
            pieces_sent: 0,
            attempts: 0,
            queued_at: jiff::Timestamp::now(),
        };
        let a = ob.push(&q("one")).unwrap();
        let b = ob.push(&q("two")).unwrap();
        std::fs::write(ob.dir().join("0000000000000-1-000000.json"), b"{").unwrap();
        let mut two = q("two");
        two.pieces_sent = 1;
        ob.save(&b, &two).unwrap();
        let p = ob.pending();
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].0.as_str(), p[0].1.text.as_str()), (a.as_str(), "one"));
        assert_eq!(p[1].1.pieces_sent, 1);
        assert!(
            ob.dir()
                .join("0000000000000-1-000000.json.corrupt")
                .exists()
        );
        ob.remove(&a).unwrap();
        ob.remove(&a).unwrap();
        assert_eq!(ob.pending().len(), 1);
    }
}
