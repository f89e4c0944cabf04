//! Build contexts: read (a directory honouring `.dockerignore`, or the embedded default),
//! hashed for the `dev.aigo.context-hash` label, and packed as the tar the engine expects.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::ImageError;
use super::embedded::DEFAULT_CONTEXT_FILES;
use super::ignore::Ignore;

/// The modification time given to embedded files (the engine's cache ignores it).
const EMBEDDED_MTIME: u64 = 1_700_000_000;

/// Where a context came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextSource {
    Embedded,
    Directory(PathBuf),
}

/// A build context held in memory, entries sorted by path.
#[derive(Debug, Clone)]
pub struct BuildContext {
    pub source: ContextSource,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    path: String,
    kind: Kind,
    mode: u32,
    mtime: u64,
}

#[derive(Debug, Clone)]
enum Kind {
    Dir,
    File(Vec<u8>),
    Symlink(PathBuf),
}

impl BuildContext {
    /// `None` is the embedded default; a directory is read with its `.dockerignore`
    /// (`dockerfile` and `.dockerignore` themselves are always sent, as the Docker CLI does).
    pub fn load(dir: Option<&Path>, dockerfile: &str) -> Result<Self, ImageError> {
        match dir {
            None => Ok(Self::embedded()),
            Some(d) => Self::from_dir(d, dockerfile),
        }
    }

    pub fn embedded() -> Self {
        let entries = DEFAULT_CONTEXT_FILES
            .iter()
            .map(|f| Entry {
                path: f.path.to_string(),
                kind: Kind::File(f.contents.as_bytes().to_vec()),
                mode: f.mode,
                mtime: EMBEDDED_MTIME,
            })
            .collect();
        Self::sorted(ContextSource::Embedded, entries)
    }

    pub fn from_dir(dir: &Path, dockerfile: &str) -> Result<Self, ImageError> {
        let root = dir
            .canonicalize()
            .map_err(|e| ImageError::context(dir, "open build context", e))?;
        let ignore = match std::fs::read_to_string(root.join(".dockerignore")) {
            Ok(t) => Ignore::parse(&t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ignore::default(),
            Err(e) => return Err(ImageError::context(root.join(".dockerignore"), "read", e)),
        };
        let keep = [dockerfile.trim_start_matches("./"), ".dockerignore"];
        let mut entries = Vec::new();
        walk(&root, "", &ignore, &keep, &mut entries)?;
        Ok(Self::sorted(ContextSource::Directory(root), entries))
    }

    fn sorted(source: ContextSource, mut entries: Vec<Entry>) -> Self {
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        Self { source, entries }
    }

    pub fn has_file(&self, path: &str) -> bool {
        let path = path.trim_start_matches("./");
        self.entries
            .iter()
            .any(|e| e.path == path && !matches!(e.kind, Kind::Dir))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// SHA-256 over every entry's path, type, permission bits and content (not mtimes:
    /// touching a file does not make an image outdated).
    pub fn files_digest(&self) -> String {
        let mut h = Sha256::new();
        for e in &self.entries {
            h.update(e.path.as_bytes());
            h.update([0]);
            h.update((e.mode & 0o7777).to_be_bytes());
            match &e.kind {
                Kind::Dir => h.update(b"d"),
                Kind::File(data) => {
                    h.update(b"f");
                    h.update((data.len() as u64).to_be_bytes());
                    h.update(data);
                }
                Kind::Symlink(t) => {
                    h.update(b"l");
                    h.update(t.to_string_lossy().as_bytes());
                    h.update([0]);
                }
            }
        }
        hex::encode(h.finalize())
    }

    /// The context as an uncompressed tar, owned by root like the Docker CLI sends it.
    pub fn to_tar(&self) -> Result<Vec<u8>, ImageError> {
        let size: usize = self
            .entries
            .iter()
            .map(|e| match &e.kind {
                Kind::File(d) => d.len() + 1024,
                _ => 512,
            })
            .sum();
        let mut b = tar::Builder::new(Vec::with_capacity(size + 1024));
        let err = |e| ImageError::context("<build context>", "pack", e);
        for e in &self.entries {
            let mut h = tar::Header::new_gnu();
            h.set_mode(e.mode & 0o7777);
            h.set_mtime(e.mtime);
            h.set_uid(0);
            h.set_gid(0);
            match &e.kind {
                Kind::Dir => {
                    h.set_entry_type(tar::EntryType::Directory);
                    h.set_size(0);
                    b.append_data(&mut h, format!("{}/", e.path), std::io::empty())
                        .map_err(err)?;
                }
                Kind::File(data) => {
                    h.set_entry_type(tar::EntryType::Regular);
                    h.set_size(data.len() as u64);
                    b.append_data(&mut h, &e.path, data.as_slice())
                        .map_err(err)?;
                }
                Kind::Symlink(target) => {
                    h.set_entry_type(tar::EntryType::Symlink);
                    h.set_size(0);
                    b.append_link(&mut h, &e.path, target).map_err(err)?;
                }
            }
        }
        b.into_inner().map_err(err)
    }
}

fn walk(
    root: &Path,
    rel: &str,
    ignore: &Ignore,
    keep: &[&str],
    out: &mut Vec<Entry>,
) -> Result<(), ImageError> {
    let dir = if rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(rel)
    };
    let rd = std::fs::read_dir(&dir).map_err(|e| ImageError::context(&dir, "read", e))?;
    for item in rd {
        let item = item.map_err(|e| ImageError::context(&dir, "read", e))?;
        let name = item.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let meta = std::fs::symlink_metadata(item.path())
            .map_err(|e| ImageError::context(item.path(), "stat", e))?;
        let excluded = ignore.excluded(&path) && !keep.contains(&path.as_str());
        let ft = meta.file_type();
        if ft.is_dir() {
            if excluded && !ignore.has_negations() {
                continue;
            }
            if !excluded {
                out.push(entry(&path, Kind::Dir, &meta));
            }
            walk(root, &path, ignore, keep, out)?;
        } else if excluded {
            continue;
        } else if ft.is_symlink() {
            let t = std::fs::read_link(item.path())
                .map_err(|e| ImageError::context(item.path(), "read link", e))?;
            out.push(entry(&path, Kind::Symlink(t), &meta));
        } else if ft.is_file() {
            let data =
                std::fs::read(item.path()).map_err(|e| ImageError::context(item.path(), "read", e))?;
            out.push(entry(&path, Kind::File(data), &meta));
        }
        // Sockets, fifos and devices are not part of a build context.
    }
    Ok(())
}

fn entry(path: &str, kind: Kind, meta: &std::fs::Metadata) -> Entry {
    #[cfg(unix)]
    let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
    #[cfg(not(unix))]
    let mode = if matches!(kind, Kind::Dir) { 0o755 } else { 0o644 };
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Entry {
        path: path.to_string(),
        kind,
        mode,
        mtime,
    }
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
        std::fs::write(dir.path().join(".dockerignore"), "*.log\n")?;
        std::fs::write(dir.path().join("x.log"), "noise")?;
        let a = BuildContext::from_dir(dir.path(), "Dockerfile")?;
        assert!(a.has_file("Dockerfile") && !a.has_file("x.log"));
        std::fs::write(dir.path().join("x.log"), "more noise")?;
        let b = BuildContext::from_dir(dir.path(), "Dockerfile")?;
        assert_eq!(a.files_digest(), b.files_digest());
        std::fs::write(dir.path().join("sub/a.txt"), "b")?;
        let c = BuildContext::from_dir(dir.path(), "Dockerfile")?;
        assert_ne!(a.files_digest(), c.files_digest());
        let mut tar = tar::Archive::new(std::io::Cursor::new(c.to_tar()?));
        let names: Vec<String> = tar
            .entries()?
            .map(|e| Ok(e?.path()?.to_string_lossy().into_owned()))
            .collect::<Result<_, std::io::Error>>()?;
        assert_eq!(names, [".dockerignore", "Dockerfile", "sub/", "sub/a.txt"]);
        Ok(())
    }

    #[test]
    fn embedded_context_has_the_runner() {
        let c = BuildContext::embedded();
        assert!(c.has_file("Dockerfile") && c.has_file("agent-runner.sh"));
    }
}
