//! Crash-safe writes: a reader sees the old file or the new one, never a torn one.

use std::fs;
use std::io::Write;
use std::path::Path;

use super::StateError;

/// Writes `bytes` to `path` through a temp file in the same directory, fsyncs it,
/// renames it over the target and fsyncs the directory so the rename survives a
/// power cut. Files are created 0600 on Unix: state may describe secrets' locations.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StateError> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(dir).map_err(|e| StateError::io(dir, "create directory", e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| StateError::io(dir, "create temp file in", e))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| StateError::io(tmp.path(), "write", e))?;
    tmp.persist(path)
        .map_err(|e| StateError::io(path, "replace", e.error))?;
    if let Ok(d) = fs::File::open(dir) {
        // Not every filesystem supports fsync on a directory; the rename itself is done.
        let _ = d.sync_all();
    }
    Ok(())
}
