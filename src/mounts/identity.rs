//! File identities (device + inode), taken from a handle opened without
//! following a final symlink, so what was validated is what gets compared later.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// A file's identity: equal identities are the same file, whatever its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FileId {
    pub dev: u64,
    pub ino: u64,
}

impl FileId {
    #[cfg(unix)]
    pub fn of_meta(m: &std::fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        Self {
            dev: m.dev(),
            ino: m.ino(),
        }
    }

    /// `lstat` identity: a symlink is its own file, never its target.
    #[cfg(unix)]
    pub fn lstat(path: &Path) -> std::io::Result<Self> {
        std::fs::symlink_metadata(path).map(|m| Self::of_meta(&m))
    }
}

/// A handle on a validated file or directory: its identity, whether it is a
/// directory, and a path that reaches exactly it (not whatever the original
/// path names by the time it is used).
#[derive(Debug)]
pub struct Handle {
    pub id: FileId,
    pub is_dir: bool,
    _file: std::fs::File,
    walk: std::path::PathBuf,
}

impl Handle {
    /// A path for reading the handle's directory: on Linux `/proc/self/fd/N`,
    /// which stays on the opened directory when the original path is swapped.
    pub fn walk_path(&self) -> &Path {
        &self.walk
    }
}

/// The identity of `real`, from [`open_handle`].
pub fn open_identity(real: &Path) -> std::io::Result<FileId> {
    open_handle(real).map(|h| h.id)
}

/// Opens the canonical path `real` with `O_PATH | O_NOFOLLOW`. On Linux the
/// handle's own path is read back and must still be `real`: a component swapped
/// for a symlink between `canonicalize` and the open is caught here instead of
/// being trusted.
#[cfg(target_os = "linux")]
pub fn open_handle(real: &Path) -> std::io::Result<Handle> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_PATH | libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(real)?;
    let walk = std::path::PathBuf::from(format!("/proc/self/fd/{}", f.as_raw_fd()));
    let seen = std::fs::read_link(&walk)?;
    if seen != real {
        return Err(std::io::Error::other(format!(
            "{} changed while it was checked (it now resolves to {})",
            real.display(),
            seen.display()
        )));
    }
    let m = f.metadata()?;
    if m.file_type().is_symlink() {
        return Err(std::io::Error::other(format!(
            "{} became a symlink while it was checked",
            real.display()
        )));
    }
    Ok(Handle {
        id: FileId::of_meta(&m),
        is_dir: m.is_dir(),
        _file: f,
        walk,
    })
}

/// Elsewhere: `O_NOFOLLOW` on the final component; the post-start check is what
/// catches a swap on these systems (where it can be made).
#[cfg(all(unix, not(target_os = "linux")))]
pub fn open_handle(real: &Path) -> std::io::Result<Handle> {
    use std::os::unix::fs::OpenOptionsExt;
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(real)?;
    let m = f.metadata()?;
    Ok(Handle {
        id: FileId::of_meta(&m),
        is_dir: m.is_dir(),
        _file: f,
        walk: real.to_path_buf(),
    })
}
