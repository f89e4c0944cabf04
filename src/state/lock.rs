//! Advisory locks between aigo processes (CLI writers, the daemon).

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use super::StateError;

/// An exclusive advisory lock held on `<file>.lock` until dropped. The lock file
/// is never deleted: deleting it would let two writers lock different inodes.
#[derive(Debug)]
pub struct FileLock {
    _file: File,
    path: PathBuf,
}

impl FileLock {
    /// Blocks until the lock is ours.
    pub fn acquire(target: &Path) -> Result<Self, StateError> {
        let (file, path) = open(target)?;
        file.lock().map_err(|e| StateError::io(&path, "lock", e))?;
        Ok(Self { _file: file, path })
    }

    /// Returns `Ok(None)` when another process holds the lock.
    pub fn try_acquire(target: &Path) -> Result<Option<Self>, StateError> {
        let (file, path) = open(target)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Self { _file: file, path })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(StateError::io(&path, "lock", e)),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn open(target: &Path) -> Result<(File, PathBuf), StateError> {
    let mut name = target.as_os_str().to_owned();
    name.push(".lock");
    let path = PathBuf::from(name);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| StateError::io(dir, "create directory", e))?;
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| StateError::io(&path, "open lock file", e))?;
    Ok((file, path))
}
