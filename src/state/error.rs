//! Errors of the state layer: every variant names the file and what was being done.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot {action} {path}: {source}")]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path}:{line}:{column}: invalid TOML: {message}\n  the file was left untouched; fix it by hand or move it away to start fresh"
    )]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{path} has schema_version {found}, but this aigo understands up to {supported}; upgrade aigo (the file was left untouched)"
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("cannot serialize {path}: {message}")]
    Serialize { path: PathBuf, message: String },
    #[error("cannot find a home directory for aigo's state; set AIGO_HOME or pass --home DIR")]
    NoHome,
}

impl StateError {
    pub(crate) fn io(
        path: impl Into<PathBuf>,
        action: &'static str,
        source: std::io::Error,
    ) -> Self {
        Self::Io {
            path: path.into(),
            action,
            source,
        }
    }
}
