//! Build history in the state dir: `builds/<id>.json` (written atomically on every change of
//! state or step) and `builds/<id>.log` (the engine's output, appended line by line).
//! `builds/build.lock` is held by whichever process is building; a record still saying
//! `building` while nobody holds the lock belongs to a process that died, and is marked failed.

use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::ImageError;
use crate::state::{FileLock, StateDir, StateError, write_atomic};

/// How many builds the history keeps (older records and logs are deleted).
pub const HISTORY_KEEP: usize = 30;
const SCHEMA_VERSION: u32 = 1;

/// A build's id: `YYYYMMDDTHHMMSSmmmZ-xxxxxx` (UTC, milliseconds), so ids sort by start time.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(transparent)]
pub struct BuildId(pub String);

impl std::fmt::Display for BuildId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl BuildId {
    pub(crate) fn generate() -> Self {
        use sha2::{Digest, Sha256};
        let now = Timestamp::now();
        let seed = format!(
            "{}-{}-{:?}",
            now.as_nanosecond(),
            std::process::id(),
            std::thread::current().id()
        );
        let tail = hex::encode(&Sha256::digest(seed.as_bytes())[..3]);
        let millis = now.subsec_millisecond();
        Self(format!(
            "{}{millis:03}Z-{tail}",
            now.strftime("%Y%m%dT%H%M%S")
        ))
    }

    /// Ids come from URLs and file names; only generated-looking ids are accepted.
    pub fn parse(s: &str) -> Option<Self> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        ok.then(|| Self(s.to_string()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BuildState {
    Building,
    Succeeded,
    Failed,
}

/// Where a running build is: `Step 3/7 : RUN …` from the engine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, rename_all = "camelCase")]
pub struct BuildProgress {
    pub current_step: u32,
    pub total_steps: u32,
    /// The step's instruction, e.g. `RUN npm install -g …`.
    pub step: String,
}

/// One build, as stored and as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BuildRecord {
    pub schema_version: u32,
    pub id: BuildId,
    pub image_tag: String,
    pub status: BuildState,
    /// The context directory; `None` for the embedded default.
    #[schema(value_type = Option<String>)]
    pub context: Option<PathBuf>,
    pub dockerfile: String,
    /// Names only: values may be sensitive; their digest is in `buildArgsDigest`.
    pub build_arg_names: Vec<String>,
    pub build_args_digest: String,
    pub no_cache: bool,
    /// The `dev.aigo.context-hash` label given to the image.
    pub context_hash: String,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    pub image_id: Option<String>,
    pub progress: BuildProgress,
    /// The engine's error when the build failed.
    pub error: Option<String>,
}

pub(crate) fn builds_dir(state: &StateDir) -> PathBuf {
    state.root().join("builds")
}

pub(crate) fn record_path(state: &StateDir, id: &BuildId) -> PathBuf {
    builds_dir(state).join(format!("{id}.json"))
}

pub(crate) fn log_path(state: &StateDir, id: &BuildId) -> PathBuf {
    builds_dir(state).join(format!("{id}.log"))
}

pub(crate) fn lock_target(state: &StateDir) -> PathBuf {
    builds_dir(state).join("build")
}

/// Durable save (fsync): for the start and the outcome of a build.
pub(crate) fn save(state: &StateDir, rec: &BuildRecord) -> Result<(), ImageError> {
    let (path, json) = serialize(state, rec)?;
    Ok(write_atomic(&path, &json)?)
}

/// Progress save: still atomic for readers (temp file + rename) but not fsynced, because a
/// lost step after a power cut does not matter and an fsync per Dockerfile step is slow.
pub(crate) fn save_progress(state: &StateDir, rec: &BuildRecord) -> Result<(), ImageError> {
    let (path, json) = serialize(state, rec)?;
    let dir = builds_dir(state);
    let io = |action, e| StateError::Io {
        path: path.clone(),
        action,
        source: e,
    };
    std::fs::create_dir_all(&dir).map_err(|e| io("create the directory of", e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".progress.")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| io("create temp file for", e))?;
    std::io::Write::write_all(&mut tmp, &json).map_err(|e| io("write", e))?;
    tmp.persist(&path).map_err(|e| io("replace", e.error))?;
    Ok(())
}

fn serialize(state: &StateDir, rec: &BuildRecord) -> Result<(PathBuf, Vec<u8>), ImageError> {
    let path = record_path(state, &rec.id);
    let mut rec = rec.clone();
    rec.schema_version = SCHEMA_VERSION;
    let json = serde_json::to_vec_pretty(&rec).map_err(|e| StateError::Serialize {
        path: path.clone(),
        message: e.to_string(),
    })?;
    Ok((path, json))
}

/// One build's record, `None` when there is no such build.
pub fn load_build(state: &StateDir, id: &BuildId) -> Result<Option<BuildRecord>, ImageError> {
    let path = record_path(state, id);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(StateError::Io {
                path,
                action: "read",
                source: e,
            }
            .into());
        }
    };
    let rec: BuildRecord = serde_json::from_slice(&bytes).map_err(|e| {
        ImageError::Invalid(format!(
            "{}: corrupt build record ({e}); the file was left untouched",
            path.display()
        ))
    })?;
    Ok(Some(reconcile(state, rec)?))
}

/// The last `limit` builds (of `tag` when given), newest first: `aigo image
/// history`, `GET /api/v1/container/image/history`.
pub fn history(
    state: &StateDir,
    tag: Option<&str>,
    limit: usize,
) -> Result<Vec<BuildRecord>, ImageError> {
    Ok(list_builds(state)?
        .into_iter()
        .filter(|b| tag.is_none_or(|t| b.image_tag == t))
        .take(limit)
        .collect())
}

/// All builds, newest first. Unreadable records are skipped with a warning, never rewritten.
pub fn list_builds(state: &StateDir) -> Result<Vec<BuildRecord>, ImageError> {
    let dir = builds_dir(state);
    let rd = match std::fs::read_dir(&dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(StateError::Io {
                path: dir,
                action: "read",
                source: e,
            }
            .into());
        }
    };
    let mut ids: Vec<BuildId> = rd
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if name == super::digests::FILE_NAME {
                return None;
            }
            name.strip_suffix(".json").and_then(BuildId::parse)
        })
        .collect();
    ids.sort_by(|a, b| b.cmp(a));
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        match load_build(state, &id) {
            Ok(Some(r)) => out.push(r),
            Ok(None) => {}
            Err(e) => tracing::warn!(build = %id, error = %e, "skipping unreadable build record"),
        }
    }
    Ok(out)
}

/// A record left `building` by a process that is gone becomes `failed`.
fn reconcile(state: &StateDir, rec: BuildRecord) -> Result<BuildRecord, ImageError> {
    if rec.status != BuildState::Building {
        return Ok(rec);
    }
    let Some(_lock) = FileLock::try_acquire(&lock_target(state))? else {
        return Ok(rec);
    };
    // Re-read under the lock: the builder may have finished between our read and the lock.
    let path = record_path(state, &rec.id);
    let fresh: BuildRecord = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(rec);
    if fresh.status != BuildState::Building {
        return Ok(fresh);
    }
    let mut rec = fresh;
    rec.status = BuildState::Failed;
    rec.finished_at = Some(Timestamp::now());
    rec.error =
        Some("interrupted: the aigo process running this build exited before it finished".into());
    save(state, &rec)?;
    Ok(rec)
}

/// The last `max_lines` lines of a build's log (at most the last 64 KiB of it).
pub fn log_tail(state: &StateDir, id: &BuildId, max_lines: usize) -> String {
    const MAX_BYTES: u64 = 64 * 1024;
    let Ok(mut f) = std::fs::File::open(log_path(state, id)) else {
        return String::new();
    };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let start = len.saturating_sub(MAX_BYTES);
    let mut buf = Vec::new();
    if f.seek(SeekFrom::Start(start)).is_err() || f.read_to_end(&mut buf).is_err() {
        return String::new();
    }
    let text = String::from_utf8_lossy(&buf);
    let lines: Vec<&str> = text.lines().collect();
    // A cut in the middle of the file leaves a partial first line: drop it.
    let skip = usize::from(start > 0);
    let from = lines
        .len()
        .saturating_sub(max_lines)
        .max(skip.min(lines.len()));
    lines[from..].join("\n")
}

/// Deletes all but the newest [`HISTORY_KEEP`] builds (never a running one).
pub(crate) fn prune(state: &StateDir) {
    let Ok(all) = list_builds(state) else { return };
    for rec in all.iter().skip(HISTORY_KEEP) {
        if rec.status == BuildState::Building {
            continue;
        }
        let _ = std::fs::remove_file(record_path(state, &rec.id));
        let _ = std::fs::remove_file(log_path(state, &rec.id));
    }
}
