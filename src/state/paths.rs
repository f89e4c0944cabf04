//! Where the state directory is, and the name of every file in it.

use std::path::{Path, PathBuf};

use super::StateError;

/// Environment variable that overrides the state directory.
pub const HOME_ENV: &str = "AIGO_HOME";

/// The resolved state directory. Cheap to clone; holds no open files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateDir {
    root: PathBuf,
}

impl StateDir {
    /// `--home` wins, then `AIGO_HOME`, then the platform data directory
    /// (`~/.local/share/aigo` on Linux, `~/Library/Application Support/dev.aigo.aigo` on macOS).
    pub fn resolve(flag: Option<&Path>) -> Result<Self, StateError> {
        if let Some(p) = flag {
            return Ok(Self::at(p));
        }
        if let Some(p) = std::env::var_os(HOME_ENV).filter(|v| !v.is_empty()) {
            return Ok(Self::at(p));
        }
        directories::ProjectDirs::from("dev", "aigo", "aigo")
            .map(|d| Self::at(d.data_dir()))
            .ok_or(StateError::NoHome)
    }

    /// A state directory at exactly `root` (made absolute against the current dir).
    pub fn at(root: impl AsRef<Path>) -> Self {
        let root = root.as_ref();
        let root = if root.is_absolute() {
            root.to_path_buf()
        } else {
            std::env::current_dir()
                .map(|c| c.join(root))
                .unwrap_or_else(|_| root.to_path_buf())
        };
        Self { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn config(&self) -> PathBuf {
        self.root.join("config.toml")
    }
    pub fn mounts(&self) -> PathBuf {
        self.root.join("mounts.toml")
    }
    pub fn proxy(&self) -> PathBuf {
        self.root.join("proxy.toml")
    }
    pub fn groups(&self) -> PathBuf {
        self.root.join("groups.toml")
    }
    pub fn schedules(&self) -> PathBuf {
        self.root.join("schedules.toml")
    }
    pub fn channels(&self) -> PathBuf {
        self.root.join("channels.toml")
    }
    pub fn audit(&self) -> PathBuf {
        self.root.join("audit.jsonl")
    }
    pub fn logs_dir(&self) -> PathBuf {
        self.root.join("logs")
    }
    /// The daemon's log file, read by `aigo logs`.
    pub fn log_file(&self) -> PathBuf {
        self.logs_dir().join("aigo.log")
    }
    pub fn runs_dir(&self) -> PathBuf {
        self.root.join("runs")
    }
    pub fn sessions_dir(&self) -> PathBuf {
        self.root.join("sessions")
    }
    /// Written by a running daemon so the CLI can find it.
    pub fn daemon_info(&self) -> PathBuf {
        self.root.join("daemon.json")
    }
    /// Held (locked) by the running daemon for its whole life.
    pub fn daemon_lock_target(&self) -> PathBuf {
        self.root.join("daemon")
    }
}
