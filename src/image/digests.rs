//! The digest cache: SHA-256 digests of build-context files, keyed by path and stat data
//! (size, mtime, ctime, inode, device), persisted in `builds/digests.json` (written
//! atomically) so unchanged files are not hashed again on every build or status check.
//!
//! Caveat, as with git's index: a file whose content changes while size, mtime, ctime, inode
//! and device all stay the same is not re-hashed. ctime cannot be set back by users, so this
//! takes a clock jump or a filesystem that does not keep it. Files changed in the last
//! [`RACY_WINDOW`] are always hashed and never cached ("racy git": a second change within the
//! filesystem's timestamp granularity would leave the stat data unchanged).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::state::{StateDir, write_atomic};

/// Files modified (or whose inode changed) this recently are hashed every time.
pub const RACY_WINDOW: Duration = Duration::from_secs(2);

const SCHEMA_VERSION: u32 = 1;

/// In the `builds/` directory, next to the build records (which the history skips it from).
pub(super) const FILE_NAME: &str = "digests.json";

/// What `stat` says about a file; any difference means "hash it again".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Stamp {
    size: u64,
    mtime_ns: i64,
    ctime_ns: i64,
    ino: u64,
    dev: u64,
}

impl Stamp {
    pub(super) fn of(meta: &std::fs::Metadata) -> Self {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ns = |s: i64, n: i64| s.saturating_mul(1_000_000_000).saturating_add(n);
            Self {
                size: meta.len(),
                mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
                ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
                ino: meta.ino(),
                dev: meta.dev(),
            }
        }
        #[cfg(not(unix))]
        {
            let mtime_ns = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i64);
            Self {
                size: meta.len(),
                mtime_ns,
                ctime_ns: mtime_ns,
                ino: 0,
                dev: 0,
            }
        }
    }

    pub(super) fn size(&self) -> u64 {
        self.size
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Entry {
    #[serde(flatten)]
    stamp: Stamp,
    sha256: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct CacheFile {
    schema_version: u32,
    /// Absolute path of the file → its stat data and digest.
    files: BTreeMap<PathBuf, Entry>,
}

/// Digests of context files that are known not to have changed. Load it, use it for one or
/// more contexts, then [`DigestCache::save`] it.
#[derive(Debug)]
pub struct DigestCache {
    /// `None`: not persisted (disabled, or the file on disk is unreadable and left alone).
    path: Option<PathBuf>,
    files: BTreeMap<PathBuf, Entry>,
    /// Files looked up since loading: entries under a walked root that were not seen are
    /// dropped on save (deleted or ignored files).
    seen: HashSet<PathBuf>,
    roots: Vec<PathBuf>,
    dirty: bool,
    now: SystemTime,
}

impl DigestCache {
    /// The state dir's cache. Never fails: a missing file is an empty cache; a corrupt or
    /// unreadable one is logged, not used and not overwritten.
    pub fn load(state: &StateDir) -> Self {
        let path = super::history::builds_dir(state).join(FILE_NAME);
        let (files, keep) = match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice::<CacheFile>(&bytes) {
                Ok(f) if f.schema_version == SCHEMA_VERSION => (f.files, true),
                Ok(f) => {
                    tracing::warn!(path = %path.display(), version = f.schema_version, "digest cache from another aigo version; not using it");
                    (BTreeMap::new(), false)
                }
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "digest cache is corrupt; not using it (delete it to rebuild it)");
                    (BTreeMap::new(), false)
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (BTreeMap::new(), true),
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "cannot read the digest cache; not using it");
                (BTreeMap::new(), false)
            }
        };
        Self {
            path: keep.then_some(path),
            files,
            seen: HashSet::new(),
            roots: Vec::new(),
            dirty: false,
            now: SystemTime::now(),
        }
    }

    /// A cache that remembers nothing: every file is hashed.
    pub fn disabled() -> Self {
        Self {
            path: None,
            files: BTreeMap::new(),
            seen: HashSet::new(),
            roots: Vec::new(),
            dirty: false,
            now: SystemTime::now(),
        }
    }

    /// The cache as seen at `now` (tests: files written a moment ago are then not "racy").
    #[cfg(test)]
    pub(super) fn at(mut self, now: SystemTime) -> Self {
        self.now = now;
        self
    }

    /// Called once per walked context root (absolute, canonical).
    pub(super) fn walking(&mut self, root: &Path) {
        self.roots.push(root.to_path_buf());
    }

    /// The digest of `path` if the cache vouches for it.
    pub(super) fn lookup(&mut self, path: &Path, stamp: &Stamp) -> Option<[u8; 32]> {
        self.seen.insert(path.to_path_buf());
        if self.racy(stamp) {
            return None;
        }
        let e = self.files.get(path).filter(|e| e.stamp == *stamp)?;
        let mut out = [0u8; 32];
        hex::decode_to_slice(&e.sha256, &mut out).ok()?;
        Some(out)
    }

    /// Remembers a digest computed from the file's content (read after `stamp` was taken).
    pub(super) fn insert(&mut self, path: &Path, stamp: Stamp, digest: &[u8; 32]) {
        self.seen.insert(path.to_path_buf());
        if self.racy(&stamp) {
            // A change later within the same timestamp could keep the stat data identical.
            if self.files.remove(path).is_some() {
                self.dirty = true;
            }
            return;
        }
        self.files.insert(
            path.to_path_buf(),
            Entry {
                stamp,
                sha256: hex::encode(digest),
            },
        );
        self.dirty = true;
    }

    fn racy(&self, stamp: &Stamp) -> bool {
        let newest = stamp.mtime_ns.max(stamp.ctime_ns);
        let now = self
            .now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i64);
        newest > now.saturating_sub(RACY_WINDOW.as_nanos() as i64)
    }

    /// Writes the cache if it changed. Failing to write only costs speed, so it is logged.
    pub fn save(&mut self) {
        let Some(path) = &self.path else { return };
        let before = self.files.len();
        let (seen, roots) = (&self.seen, &self.roots);
        self.files
            .retain(|p, _| seen.contains(p) || !roots.iter().any(|r| p.starts_with(r)));
        if !self.dirty && self.files.len() == before {
            return;
        }
        let file = CacheFile {
            schema_version: SCHEMA_VERSION,
            files: std::mem::take(&mut self.files),
        };
        let res = serde_json::to_vec(&file)
            .map_err(|e| e.to_string())
            .and_then(|bytes| write_atomic(path, &bytes).map_err(|e| e.to_string()));
        self.files = file.files;
        match res {
            Ok(()) => self.dirty = false,
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "cannot save the digest cache")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::DigestCache;
    use crate::image::BuildContext;
    use crate::state::StateDir;

    type R = Result<(), Box<dyn std::error::Error>>;

    fn later() -> SystemTime {
        SystemTime::now() + Duration::from_secs(60)
    }

    #[test]
    fn the_cache_does_not_hide_a_changed_file() -> R {
        let home = tempfile::tempdir()?;
        let state = StateDir::at(home.path().join("state"));
        let ctx = home.path().join("ctx");
        std::fs::create_dir_all(ctx.join("sub"))?;
        std::fs::write(ctx.join("Dockerfile"), "FROM scratch\n")?;
        std::fs::write(ctx.join("sub/a.txt"), "aaaa")?;
        let a_file = ctx.join("sub/a.txt").canonicalize()?;
        let mtime = std::fs::metadata(&a_file)?.modified()?;
        let plain = |c: &mut DigestCache| BuildContext::digest_dir(&ctx, "Dockerfile", c);

        let d1 = plain(&mut DigestCache::disabled())?;
        let mut cache = DigestCache::load(&state).at(later());
        let packed = BuildContext::from_dir(&ctx, "Dockerfile", &mut cache)?;
        assert_eq!(
            packed.files_digest(),
            d1,
            "cached digests make the same hash"
        );
        cache.save();
        let saved = std::fs::read_to_string(state.root().join("builds/digests.json"))?;
        assert!(saved.contains("a.txt"), "{saved}");
        assert!(
            crate::image::list_builds(&state)?.is_empty(),
            "not a build record"
        );

        // Read back: the hash comes from the cache (hash-only and packed agree).
        let mut cache = DigestCache::load(&state).at(later());
        assert_eq!(plain(&mut cache)?, d1);
        let stamp = super::Stamp::of(&std::fs::metadata(&a_file)?);
        assert!(cache.lookup(&a_file, &stamp).is_some(), "cache hit");
        // Files left on disk when packing with cache hits make the same tar, also when a file
        // read now (not in the cache) follows one left on disk.
        std::fs::write(ctx.join("sub/b.txt"), "b")?;
        let packed = BuildContext::from_dir(&ctx, "Dockerfile", &mut cache)?;
        let plain_tar = BuildContext::from_dir(&ctx, "Dockerfile", &mut DigestCache::disabled())?;
        assert_eq!(packed.to_tar()?, plain_tar.to_tar()?);
        assert_eq!(packed.tar_size(), plain_tar.tar_size());

        // Same size, same mtime, new content: ctime (and the racy window) still give it away.
        std::fs::write(&a_file, "bbbb")?;
        std::fs::File::options()
            .write(true)
            .open(&a_file)?
            .set_modified(mtime)?;
        assert_eq!(std::fs::metadata(&a_file)?.modified()?, mtime);
        let mut cache = DigestCache::load(&state).at(later());
        let d2 = plain(&mut cache)?;
        assert_ne!(d2, d1, "a changed file changes the hash");
        assert_eq!(d2, plain(&mut DigestCache::disabled())?);
        let packed = BuildContext::from_dir(&ctx, "Dockerfile", &mut cache)?;
        assert_eq!(packed.files_digest(), d2);
        cache.save();

        // A removed file leaves the cache on the next save.
        std::fs::remove_file(&a_file)?;
        let mut cache = DigestCache::load(&state).at(later());
        assert_ne!(plain(&mut cache)?, d2);
        cache.save();
        let saved = std::fs::read_to_string(state.root().join("builds/digests.json"))?;
        assert!(
            !saved.contains("a.txt") && saved.contains("Dockerfile"),
            "{saved}"
        );
        Ok(())
    }

    #[test]
    fn files_changed_just_now_are_not_cached() -> R {
        let home = tempfile::tempdir()?;
        let state = StateDir::at(home.path().join("state"));
        std::fs::write(home.path().join("Dockerfile"), "FROM scratch\n")?;
        let mut cache = DigestCache::load(&state);
        BuildContext::digest_dir(home.path(), "Dockerfile", &mut cache)?;
        cache.save();
        let mut cache = DigestCache::load(&state);
        let f = home.path().join("Dockerfile").canonicalize()?;
        let stamp = super::Stamp::of(&std::fs::metadata(&f)?);
        assert!(cache.lookup(&f, &stamp).is_none());
        Ok(())
    }

    #[test]
    fn a_corrupt_cache_is_left_alone() -> R {
        let home = tempfile::tempdir()?;
        let state = StateDir::at(home.path().join("state"));
        let path = state.root().join("builds/digests.json");
        std::fs::create_dir_all(path.parent().unwrap_or(home.path()))?;
        std::fs::write(&path, "{not json")?;
        let ctx = home.path().join("ctx");
        std::fs::create_dir(&ctx)?;
        std::fs::write(ctx.join("Dockerfile"), "FROM scratch\n")?;
        let mut cache = DigestCache::load(&state).at(later());
        BuildContext::digest_dir(&ctx, "Dockerfile", &mut cache)?;
        cache.save();
        assert_eq!(std::fs::read_to_string(&path)?, "{not json");
        Ok(())
    }
}
