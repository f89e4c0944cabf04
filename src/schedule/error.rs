//! Errors of the schedule module.

use std::path::PathBuf;

use crate::state::StateError;

/// Why an expression, duration, timestamp or zone was refused: which field and
/// what was expected. `field` is `None` when the whole expression is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", field.map(|f| format!("{f} field: ")).unwrap_or_default())]
pub struct CronError {
    pub field: Option<&'static str>,
    pub message: String,
}

impl CronError {
    pub fn new(field: Option<&'static str>, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error(transparent)]
    State(#[from] StateError),
    // Not `#[from]`: that would make the reason the source too and print it twice.
    #[error("invalid schedule: {0}")]
    Invalid(CronError),
    #[error("{0}")]
    BadRequest(String),
    #[error("no schedule {0:?} (see `aigo schedule list`)")]
    NotFound(String),
    #[error(
        "group {group:?} already has {limit} schedules, the limit for a non-main group ([ipc] max_schedules_per_group in config.toml); cancel one first"
    )]
    GroupLimit { group: String, limit: usize },
    #[error(
        "there are already {limit} schedules, the most agents may create ([ipc] max_schedules_total in config.toml); cancel some first"
    )]
    TotalLimit { limit: usize },
    #[error("{0:?} names more than one schedule ({1}); use the id")]
    AmbiguousName(String, String),
    #[error("cannot {action} {path}: {source}")]
    Log {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
}

impl From<CronError> for ScheduleError {
    fn from(e: CronError) -> Self {
        Self::Invalid(e)
    }
}
