//! File identities (device + inode), taken from a handle opened without
//! following a final symlink, so what was validated is what gets compared later.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// A file's identity: equal identities are the same file, whatever its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// Opens the canonical path `real` with `O_PATH | O_NOFOLLOW` and returns the
/// identity of what was opened. On Linux the handle's own path is read back and
/// must still be `real`: a component swapped for a symlink between
/// `canonicalize` and the open is caught here instead of being trusted.
#[cfg(target_os = "linux")]
pub fn open_identity(real: &Path) -> std::io::Result<FileId> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_PATH | libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(real)?;
    let seen = std::fs::read_link(format!("/proc/self/fd/{}", f.as_raw_fd()))?;
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
    Ok(FileId::of_meta(&m))
}

/// Elsewhere: `O_NOFOLLOW` on the final component; the post-start check is what
/// catches a swap on these systems (where it can be made).
#[cfg(all(unix, not(target_os = "linux")))]
pub fn open_identity(real: &Path) -> std::io::Result<FileId> {
    use std::os::unix::fs::OpenOptionsExt;
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(real)?;
    Ok(FileId::of_meta(&f.metadata()?))
}
