//! The security audit log: `audit.jsonl`, append-only and hash-chained.
//!
//! Owns the event model, appending (locked, fsynced, chained), querying,
//! export and verification. Each line is one JSON event whose `hash` is the
//! sha256 of its canonical JSON without `hash`, and whose `prevHash` is the
//! previous line's `hash`; ids count up from 1 without gaps. Editing a line
//! breaks its hash, deleting one breaks the link or the ids, and deleting the
//! last lines is caught by the head anchor `audit.jsonl.head` (the last id and
//! hash, rewritten after every append). This is tamper *evidence* against
//! accidents and casual edits, not against someone who can rewrite the whole
//! file and its anchor: export the log, or note `lastHash`, to anchor it elsewhere.
//!
//! Reading: [`query`] filters with AND; `severity` is an exact match (the
//! reference's `?severity=violation` means "the violations"), `min_severity`
//! means "this or worse"; `limit` keeps the newest N matches (default
//! [`DEFAULT_LIMIT`] in the CLI and API), returned oldest first, and `total`
//! counts all matches. The API and `aigo audit --json` both return
//! [`AuditLogResponse`] `{"events":[…],"total":N}`; `aigo audit export` prints a
//! plain array of every event. [`verify`] reports rather than fails: a broken
//! chain is a [`VerifyReport`] with the first bad line and a [`Problem`].
//!
//! Secrets never belong in events: callers put only non-secret facts in
//! `message` and `details`, and [`redact`] scrubs both on every append anyway.

mod append;
mod event;
mod events;
mod log;
mod query;
pub mod redact;
mod tail;
mod verify;

use std::path::PathBuf;

pub use event::{
    AuditEvent, Category, EVENT_SCHEMA_VERSION, GENESIS_HASH, NewEvent, Severity, canonical_json,
    hash_value,
};
pub use log::AuditLog;
pub use query::{
    AuditLogResponse, AuditQuery, AuditQueryParams, DEFAULT_LIMIT, export, parse_since, query,
};
pub use redact::details;
pub use verify::{Problem, VerifyReport, verify, verify_file};

use crate::state::StateError;

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("cannot {action} {path}: {source}")]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    State(#[from] StateError),
    #[error(
        "{path}:{line}: the last line is not an audit event, so nothing can be chained to it; nothing was appended. Run `aigo audit verify`, then move the file aside to start a new log"
    )]
    CorruptTail { path: PathBuf, line: usize },
    #[error("invalid audit query: {0}")]
    BadQuery(String),
    #[error("cannot serialize an audit event: {0}")]
    Serialize(String),
    #[error("audit append failed in the background: {0}")]
    Background(String),
    /// The error of a group commit, shared by every caller in the group.
    #[error(transparent)]
    Batch(std::sync::Arc<AuditError>),
}

impl AuditError {
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
