//! Reading one file an agent left, defensively: never follow a symlink, never
//! block on a FIFO, never read more than the size limit.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Largest IPC file the router reads; larger ones are quarantined unread.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Reads `path` if it is a regular file no larger than [`MAX_FILE_BYTES`];
/// otherwise says why not (the caller quarantines it).
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let file = open_nofollow(path)?;
    let meta = file.metadata().map_err(|e| format!("cannot stat: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "oversized: {} bytes, the limit is {MAX_FILE_BYTES}",
            meta.len()
        ));
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read: {e}"))?;
    if buf.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "oversized: grew past {MAX_FILE_BYTES} bytes while read"
        ));
    }
    Ok(buf)
}

#[cfg(unix)]
fn open_nofollow(path: &Path) -> Result<File, String> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => "a symlink (IPC files must be regular files)".to_string(),
            _ => format!("cannot open: {e}"),
        })
}

#[cfg(not(unix))]
fn open_nofollow(path: &Path) -> Result<File, String> {
    if std::fs::symlink_metadata(path)
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false)
    {
        return Err("a symlink (IPC files must be regular files)".into());
    }
    File::open(path).map_err(|e| format!("cannot open: {e}"))
}
