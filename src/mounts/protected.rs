//! What no mount may expose, whatever the roots say: the state directory, the
//! keystore identity file, the container engine's sockets and aigo's own
//! executable. Each is known by its canonical path and its device + inode, so a
//! mount is refused when it is one of them, lies inside one, or contains one,
//! also through another name for the same directory (a bind mount, a hard link).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::identity::FileId;
use crate::state::StateDir;

/// One protected thing.
#[derive(Debug, Clone)]
struct Entry {
    what: String,
    path: PathBuf,
    id: Option<FileId>,
}

/// The protected set, computed from the state directory and the environment.
#[derive(Debug, Clone, Default)]
pub struct Protected {
    entries: Vec<Entry>,
    /// Identities of every protected entry and all its ancestors: a mount whose
    /// directory has one of these contains something protected.
    containing: HashMap<FileId, usize>,
}

/// Where engines put their sockets (those that exist are protected).
const ENGINE_SOCKETS: &[&str] = &[
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/run/podman/podman.sock",
    "/var/run/podman/podman.sock",
    "/run/containerd/containerd.sock",
    "/var/run/containerd/containerd.sock",
    "/run/crio/crio.sock",
];

impl Protected {
    pub fn for_state(state: &StateDir) -> Self {
        let mut p = Self::default();
        p.add("aigo's state directory", state.root());
        if let crate::proxy::KeySource::IdentityFile(f) = crate::proxy::KeySource::from_env(state) {
            p.add("the keystore identity file", &f);
        }
        for s in ENGINE_SOCKETS {
            p.add("a container engine socket", Path::new(s));
        }
        if let Some(run) = std::env::var_os("XDG_RUNTIME_DIR") {
            let run = PathBuf::from(run);
            p.add("a container engine socket", &run.join("docker.sock"));
            p.add("a container engine socket", &run.join("podman/podman.sock"));
        }
        if let Some(home) = directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf()) {
            for s in [".docker/run/docker.sock", ".colima/default/docker.sock"] {
                p.add("a container engine socket", &home.join(s));
            }
        }
        for var in ["DOCKER_HOST", "CONTAINER_HOST"] {
            if let Some(sock) = std::env::var(var)
                .ok()
                .and_then(|h| h.strip_prefix("unix://").map(PathBuf::from))
            {
                p.add(&format!("the engine socket in {var}"), &sock);
            }
        }
        if let Ok(exe) = std::env::current_exe() {
            p.add("aigo's own executable", &exe);
        }
        p
    }

    /// Adds `path` (canonicalised when it exists; as written otherwise, so a
    /// state directory created later is still covered by its path).
    pub fn add(&mut self, what: &str, path: &Path) {
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let id = FileId::lstat(&real).ok();
        if id.is_none() && !path.is_absolute() {
            return;
        }
        let idx = self.entries.len();
        let mut cur = Some(real.as_path());
        while let Some(dir) = cur {
            if let Ok(a) = FileId::lstat(dir) {
                self.containing.entry(a).or_insert(idx);
            }
            cur = dir.parent();
        }
        self.entries.push(Entry {
            what: what.to_string(),
            path: real,
            id,
        });
    }

    /// Why the canonical path `real` (identity `id`) may not be mounted, if so.
    pub fn check(&self, real: &Path, id: Option<FileId>) -> Option<String> {
        for e in &self.entries {
            if real.starts_with(&e.path) {
                return Some(format!(
                    "Path is protected: it is inside {} ({})",
                    e.what,
                    e.path.display()
                ));
            }
            if e.path.starts_with(real) {
                return Some(format!(
                    "Path is protected: it contains {} ({})",
                    e.what,
                    e.path.display()
                ));
            }
        }
        if let Some(e) = id.and_then(|id| self.containing.get(&id)) {
            let e = &self.entries[*e];
            return Some(format!(
                "Path is protected: it is or contains {} ({}) under another name",
                e.what,
                e.path.display()
            ));
        }
        // Another name for a directory that holds something protected: one of
        // the path's ancestors is a protected entry itself.
        let mut cur = real.parent();
        while let Some(dir) = cur {
            if let Ok(a) = FileId::lstat(dir)
                && let Some(e) = self.entries.iter().find(|e| e.id == Some(a))
            {
                return Some(format!(
                    "Path is protected: it is inside {} ({}) under another name",
                    e.what,
                    e.path.display()
                ));
            }
            cur = dir.parent();
        }
        None
    }

    /// What a file or directory met during a scan is, when it is protected
    /// (the same inode: a hard link, a bind mount).
    pub fn is_protected_id(&self, id: FileId) -> Option<&str> {
        self.entries
            .iter()
            .find(|e| e.id == Some(id))
            .map(|e| e.what.as_str())
    }

    /// For a directory met during a scan: does it contain something protected?
    pub fn contains_protected(&self, id: FileId) -> Option<&str> {
        self.containing
            .get(&id)
            .map(|i| self.entries[*i].what.as_str())
    }
}
