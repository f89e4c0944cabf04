//! Build contexts: read (a directory honouring `.dockerignore`, or the embedded default),
//! hashed for the `dev.aigo.context-hash` label, and packed as the tar the engine expects.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::ImageError;
use super::digests::{DigestCache, Stamp};
use super::embedded::DEFAULT_CONTEXT_FILES;
use super::ignore::Ignore;
use super::pack::{Kind, Packer, Segment};

/// The modification time given to embedded files (the engine's cache ignores it).
const EMBEDDED_MTIME: u64 = 1_700_000_000;

/// Where a context came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextSource {
    Embedded,
    Directory(PathBuf),
}

/// A build context packed as the tar the engine expects, with its digest. Files the digest
/// cache vouched for are still on disk: they are read while the tar is sent.
#[derive(Debug, Clone)]
pub struct BuildContext {
    pub source: ContextSource,
    pub(super) body: Vec<Segment>,
    /// Paths of the regular files and symlinks, to check that the Dockerfile is there.
    pub(super) files: Vec<String>,
    pub(super) entries: usize,
    pub(super) digest: String,
}

impl BuildContext {
    /// `None` is the embedded default; a directory is read with its `.dockerignore`
    /// (`dockerfile` and `.dockerignore` themselves are always sent, as the Docker CLI does).
    /// Files `cache` vouches for are not hashed again; the caller saves the cache.
    pub fn load(
        dir: Option<&Path>,
        dockerfile: &str,
        cache: &mut DigestCache,
    ) -> Result<Self, ImageError> {
        match dir {
            None => Ok(Self::embedded()),
            Some(d) => Self::from_dir(d, dockerfile, cache),
        }
    }

    pub fn embedded() -> Self {
        let mut p = Packer::new();
        let mut files: Vec<_> = DEFAULT_CONTEXT_FILES.iter().collect();
        files.sort_by_key(|f| f.path);
        for f in files {
            p.add(
                f.path,
                Kind::Data(f.contents.as_bytes()),
                f.mode,
                EMBEDDED_MTIME,
            )
            .expect("packing in-memory files cannot fail");
        }
        p.finish(ContextSource::Embedded)
            .expect("packing in-memory files cannot fail")
    }

    pub fn from_dir(
        dir: &Path,
        dockerfile: &str,
        cache: &mut DigestCache,
    ) -> Result<Self, ImageError> {
        Self::read_dir(dir, dockerfile, cache, Packer::deferring())
    }

    /// The [`Self::files_digest`] of a directory context without packing it: files the cache
    /// vouches for are not even read.
    pub fn digest_dir(
        dir: &Path,
        dockerfile: &str,
        cache: &mut DigestCache,
    ) -> Result<String, ImageError> {
        Ok(Self::read_dir(dir, dockerfile, cache, Packer::hash_only())?.digest)
    }

    fn read_dir(
        dir: &Path,
        dockerfile: &str,
        cache: &mut DigestCache,
        mut p: Packer,
    ) -> Result<Self, ImageError> {
        let root = dir
            .canonicalize()
            .map_err(|e| ImageError::context(dir, "open build context", e))?;
        let ignore = match std::fs::read_to_string(root.join(".dockerignore")) {
            Ok(t) => Ignore::parse(&t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ignore::default(),
            Err(e) => return Err(ImageError::context(root.join(".dockerignore"), "read", e)),
        };
        let keep = [dockerfile.trim_start_matches("./"), ".dockerignore"];
        cache.walking(&root);
        let mut w = Walk {
            root: &root,
            ignore: &ignore,
            keep: &keep,
            cache,
            p: &mut p,
        };
        w.dir("")?;
        p.finish(ContextSource::Directory(root))
    }

    pub fn has_file(&self, path: &str) -> bool {
        let path = path.trim_start_matches("./");
        self.files.iter().any(|f| f == path)
    }

    /// Number of entries (files, directories, symlinks).
    pub fn len(&self) -> usize {
        self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// SHA-256 over every entry's path, type, permission bits and content digest, in packing
    /// order.
    pub fn files_digest(&self) -> &str {
        &self.digest
    }

    /// Size of the uncompressed tar in bytes.
    pub fn tar_size(&self) -> u64 {
        self.body
            .iter()
            .map(|s| match s {
                Segment::Bytes(b) => b.len() as u64,
                Segment::File { len, .. } => *len,
            })
            .sum()
    }

    /// The whole tar in memory (reading the files left on disk).
    pub fn to_tar(&self) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(self.tar_size() as usize);
        for s in &self.body {
            match s {
                Segment::Bytes(b) => out.extend_from_slice(b),
                Segment::File { src, len } => {
                    let start = out.len();
                    std::io::Read::read_to_end(&mut std::fs::File::open(src)?, &mut out)?;
                    if (out.len() - start) as u64 != *len {
                        return Err(std::io::Error::other(format!(
                            "{} changed size since it was packed",
                            src.display()
                        )));
                    }
                }
            }
        }
        Ok(out)
    }

    pub(super) fn into_body(self) -> Vec<Segment> {
        self.body
    }
}

struct Walk<'a> {
    root: &'a Path,
    ignore: &'a Ignore,
    keep: &'a [&'a str],
    cache: &'a mut DigestCache,
    p: &'a mut Packer,
}

impl Walk<'_> {
    /// Depth first, children in byte order of their names: a fixed order for the digest.
    fn dir(&mut self, rel: &str) -> Result<(), ImageError> {
        let dir = if rel.is_empty() {
            self.root.to_path_buf()
        } else {
            self.root.join(rel)
        };
        let rd = std::fs::read_dir(&dir).map_err(|e| ImageError::context(&dir, "read", e))?;
        let mut items = Vec::new();
        for item in rd {
            let item = item.map_err(|e| ImageError::context(&dir, "read", e))?;
            items.push((item.file_name().to_string_lossy().into_owned(), item.path()));
        }
        items.sort();
        for (name, full) in items {
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let meta = std::fs::symlink_metadata(&full)
                .map_err(|e| ImageError::context(&full, "stat", e))?;
            let excluded = self.ignore.excluded(&path) && !self.keep.contains(&path.as_str());
            let (mode, mtime) = mode_mtime(&meta);
            let ft = meta.file_type();
            if ft.is_dir() {
                if excluded && !self.ignore.has_negations() {
                    continue;
                }
                if !excluded {
                    self.p.add(&path, Kind::Dir, mode, mtime)?;
                }
                self.dir(&path)?;
            } else if excluded {
                continue;
            } else if ft.is_symlink() {
                let t = std::fs::read_link(&full)
                    .map_err(|e| ImageError::context(&full, "read link", e))?;
                self.p.add(&path, Kind::Symlink(t), mode, mtime)?;
            } else if ft.is_file() {
                let stamp = Stamp::of(&meta);
                let known = self.cache.lookup(&full, &stamp);
                let kind = Kind::File {
                    src: &full,
                    size: stamp.size(),
                    known,
                };
                if let Some(d) = self.p.add(&path, kind, mode, mtime)? {
                    self.cache.insert(&full, stamp, &d);
                }
            }
            // Sockets, fifos and devices are not part of a build context.
        }
        Ok(())
    }
}

fn mode_mtime(meta: &std::fs::Metadata) -> (u32, u64) {
    #[cfg(unix)]
    let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
    #[cfg(not(unix))]
    let mode = if meta.is_dir() { 0o755 } else { 0o644 };
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs())
        .unwrap_or(0);
    (mode, mtime)
}

/// Digest of the build arguments, stored instead of their values (which may be sensitive).
pub fn args_digest(args: &BTreeMap<String, String>) -> String {
    let mut h = Sha256::new();
    for (k, v) in args {
        h.update(k.as_bytes());
        h.update([0]);
        h.update(v.as_bytes());
        h.update([0]);
    }
    hex::encode(h.finalize())
}

/// The value of the `dev.aigo.context-hash` label: what went into the image besides the engine.
pub fn context_hash(
    source: &ContextSource,
    files_digest: &str,
    dockerfile: &str,
    args_digest: &str,
) -> String {
    let kind = match source {
        ContextSource::Embedded => "embedded",
        ContextSource::Directory(_) => "directory",
    };
    let mut h = Sha256::new();
    for part in [files_digest, dockerfile, args_digest] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    format!("{kind}:sha256:{}", hex::encode(h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_ignores_mtime_but_not_content() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n")?;
        std::fs::create_dir(dir.path().join("sub"))?;
        std::fs::write(dir.path().join("sub/a.txt"), "a")?;
        std::fs::write(
            dir.path().join(format!("{}.txt", "n".repeat(150))),
            "long name",
        )?;
        std::fs::write(dir.path().join(".dockerignore"), "*.log\n")?;
        std::fs::write(dir.path().join("x.log"), "noise")?;
        let cache = &mut DigestCache::disabled();
        let a = BuildContext::from_dir(dir.path(), "Dockerfile", cache)?;
        assert!(a.has_file("Dockerfile") && !a.has_file("x.log"));
        std::fs::write(dir.path().join("x.log"), "more noise")?;
        let b = BuildContext::from_dir(dir.path(), "Dockerfile", cache)?;
        assert_eq!(a.files_digest(), b.files_digest());
        std::fs::write(dir.path().join("sub/a.txt"), "b")?;
        let c = BuildContext::from_dir(dir.path(), "Dockerfile", cache)?;
        assert_ne!(a.files_digest(), c.files_digest());
        let mut tar = tar::Archive::new(std::io::Cursor::new(c.to_tar()?));
        let names: Vec<String> = tar
            .entries()?
            .map(|e| Ok(e?.path()?.to_string_lossy().into_owned()))
            .collect::<Result<_, std::io::Error>>()?;
        let long = format!("{}.txt", "n".repeat(150));
        assert_eq!(
            names,
            [".dockerignore", "Dockerfile", &long, "sub/", "sub/a.txt"]
        );
        Ok(())
    }

    #[test]
    fn embedded_context_has_the_runner() {
        let c = BuildContext::embedded();
        assert!(c.has_file("Dockerfile") && c.has_file("runner.js") && c.has_file("mcp-server.js"));
    }
}
