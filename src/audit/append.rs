//! The locked append itself: read where the chain ends (or trust the cache),
//! repair a torn tail, seal the events, write them in one go and fsync.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde_json::json;

use super::event::{AuditEvent, Category, EVENT_SCHEMA_VERSION, NewEvent, Severity, hash_value};
use super::tail::{self, Head};
use super::{AuditError, redact};
use crate::state::{FileLock, write_atomic};

/// One per [`super::AuditLog`], behind its mutex.
#[derive(Debug)]
pub(super) struct Writer {
    path: PathBuf,
    cache: Option<Cached>,
}

/// Where this process left the file: trusted only while length and inode match.
#[derive(Debug, Clone)]
struct Cached {
    head: Head,
    len: u64,
    ino: u64,
}

impl Writer {
    pub(super) fn new(path: PathBuf) -> Self {
        Self { path, cache: None }
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `events` (non-empty) under the file lock with one write and one fsync.
    pub(super) fn append(&mut self, events: Vec<NewEvent>) -> Result<Vec<AuditEvent>, AuditError> {
        // Forget the cache first: if anything below fails, the next append re-reads.
        let cached = self.cache.take();
        let path = &self.path;
        let _lock = FileLock::acquire(path)?;
        let mut opts = OpenOptions::new();
        opts.read(true).append(true).create(true);
        tail::private(&mut opts);
        let mut file = opts
            .open(path)
            .map_err(|e| AuditError::io(path, "open", e))?;
        let (len, ino) = stat(&file, path)?;
        let mut internal = Vec::new();
        let mut head = match cached {
            Some(c) if c.len == len && c.ino == ino => c.head,
            _ => self.resync(&mut file, len, &mut internal)?,
        };
        let now = jiff::Timestamp::now();
        let mut buf = String::new();
        let mut out = Vec::with_capacity(events.len());
        let n_internal = internal.len();
        for (i, ev) in internal.into_iter().chain(events).enumerate() {
            let e = seal(ev, &head, now)?;
            buf.push_str(
                &serde_json::to_string(&e).map_err(|e| AuditError::Serialize(e.to_string()))?,
            );
            buf.push('\n');
            head = Head {
                id: e.id,
                hash: e.hash.clone(),
            };
            if i >= n_internal {
                out.push(e);
            }
        }
        // O_APPEND plus the lock: lines from different writers never interleave.
        file.write_all(buf.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(|e| AuditError::io(path, "append to", e))?;
        if len == 0 {
            sync_dir(path);
        }
        tail::write_head(&tail::head_path(path), &head)?;
        let (len, ino) = stat(&file, path)?;
        self.cache = Some(Cached { head, len, ino });
        tracing::debug!(path = %path.display(), events = out.len(), last_id = out.last().map(|e| e.id), "audit events appended");
        Ok(out)
    }

    /// Re-reads the end of the file: repairs a torn last line and notices a log
    /// that is shorter than its head anchor. Both leave an `audit` event behind.
    fn resync(
        &self,
        file: &mut File,
        len: u64,
        internal: &mut Vec<NewEvent>,
    ) -> Result<Head, AuditError> {
        let path = &self.path;
        let t = tail::read_tail(file, path, len)?;
        let mut head = t.head;
        if let Some(at) = t.torn_at
            && let Some(h) = self.repair_torn(file, at, len, &head, internal)?
        {
            head = h;
        }
        let head_file = tail::head_path(path);
        match tail::read_head(&head_file) {
            Ok(Some(anchor))
                if anchor.id > head.id || (anchor.id == head.id && anchor.hash != head.hash) =>
            {
                tracing::error!(path = %path.display(), anchor_id = anchor.id, last_id = head.id, "audit log was shortened or its last line replaced");
                internal.push(
                    NewEvent::new(
                        Severity::Violation,
                        Category::Audit,
                        format!(
                            "audit log tampering: the head anchor records event {} but the log ends at event {}",
                            anchor.id, head.id
                        ),
                    )
                    .details(json!({"anchorId": anchor.id, "anchorHash": anchor.hash, "lastId": head.id, "lastHash": head.hash})),
                );
                // Keep numbering after the anchor: the gap stays visible to `verify`.
                head.id = head.id.max(anchor.id);
            }
            Ok(_) => {}
            Err(reason) => tracing::warn!(%reason, "ignoring the audit head anchor"),
        }
        Ok(head)
    }

    /// A crash mid-append leaves a last line without its newline. If it is in
    /// fact a complete, correctly chained event, only the newline is added;
    /// otherwise its bytes are saved beside the log and cut off.
    fn repair_torn(
        &self,
        file: &mut File,
        at: u64,
        len: u64,
        head: &Head,
        internal: &mut Vec<NewEvent>,
    ) -> Result<Option<Head>, AuditError> {
        let path = &self.path;
        let mut torn = vec![0; (len - at) as usize];
        file.seek(SeekFrom::Start(at))
            .and_then(|_| file.read_exact(&mut torn))
            .map_err(|e| AuditError::io(path, "read", e))?;
        if let Some(h) = complete_event(&torn, head) {
            file.write_all(b"\n")
                .and_then(|()| file.sync_data())
                .map_err(|e| AuditError::io(path, "append to", e))?;
            return Ok(Some(h));
        }
        let saved = PathBuf::from(format!(
            "{}.torn-{}",
            path.display(),
            jiff::Timestamp::now().as_millisecond()
        ));
        write_atomic(&saved, &torn)?;
        file.set_len(at)
            .and_then(|()| file.sync_data())
            .map_err(|e| AuditError::io(path, "truncate the torn last line of", e))?;
        tracing::warn!(path = %path.display(), bytes = torn.len(), saved = %saved.display(), "removed a torn last line from the audit log");
        internal.push(
            NewEvent::new(
                Severity::Warning,
                Category::Audit,
                "recovered the audit log after an interrupted append: the torn last line was moved aside",
            )
            .details(json!({"bytes": torn.len(), "savedTo": saved.display().to_string(), "afterId": head.id})),
        );
        Ok(None)
    }
}

/// Numbers, timestamps, redacts and hashes one event after `head`.
fn seal(ev: NewEvent, head: &Head, ts: jiff::Timestamp) -> Result<AuditEvent, AuditError> {
    let mut e = AuditEvent {
        id: head.id + 1,
        ts,
        severity: ev.severity,
        category: ev.category.as_str().to_string(),
        group: ev.group,
        message: redact::redact_text(&ev.message),
        details: redact::details(ev.details),
        schema_version: EVENT_SCHEMA_VERSION,
        prev_hash: head.hash.clone(),
        hash: String::new(),
    };
    let v = serde_json::to_value(&e).map_err(|e| AuditError::Serialize(e.to_string()))?;
    e.hash = hash_value(&v);
    Ok(e)
}

/// The head after `torn`, if `torn` is a whole event that links to `head`.
fn complete_event(torn: &[u8], head: &Head) -> Option<Head> {
    let v: serde_json::Value = serde_json::from_slice(torn).ok()?;
    let h = tail::parse_head(torn)?;
    let ok = h.id == head.id + 1
        && v.get("prevHash")?.as_str()? == head.hash
        && hash_value(&v) == h.hash
        && serde_json::from_value::<AuditEvent>(v).is_ok();
    ok.then_some(h)
}

fn stat(file: &File, path: &Path) -> Result<(u64, u64), AuditError> {
    let m = file
        .metadata()
        .map_err(|e| AuditError::io(path, "stat", e))?;
    #[cfg(unix)]
    let ino = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let ino = 0;
    Ok((m.len(), ino))
}

/// Makes a newly created log's directory entry durable.
fn sync_dir(path: &Path) {
    if let Some(d) = path.parent().and_then(|d| File::open(d).ok()) {
        let _ = d.sync_all();
    }
}
