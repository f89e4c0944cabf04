//! The host-owned empty file and directory that masks are bound from:
//! `masks/empty-file` (0444) and `masks/empty-dir/` (0555) in the state
//! directory, created on first use and checked to still be empty before each run.

use std::path::{Path, PathBuf};

use super::identity::{FileId, open_identity};

/// Where masks come from, with their identities (checked in the container too).
#[derive(Debug, Clone)]
pub struct MaskSources {
    pub file: PathBuf,
    pub file_id: FileId,
    pub dir: PathBuf,
    pub dir_id: FileId,
}

/// Creates (or checks) the mask sources under `state_root/masks`.
pub fn mask_sources(state_root: &Path) -> std::io::Result<MaskSources> {
    let base = std::fs::canonicalize(state_root)?.join("masks");
    std::fs::create_dir_all(&base)?;
    let file = base.join("empty-file");
    let dir = base.join("empty-dir");
    match std::fs::symlink_metadata(&file) {
        Ok(m) if m.is_file() && m.len() == 0 => {}
        Ok(_) => return Err(not_empty(&file)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::write(&file, b"")?;
        }
        Err(e) => return Err(e),
    }
    match std::fs::symlink_metadata(&dir) {
        Ok(m) if m.is_dir() => {
            if std::fs::read_dir(&dir)?.next().is_some() {
                return Err(not_empty(&dir));
            }
        }
        Ok(_) => return Err(not_empty(&dir)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir(&dir)?,
        Err(e) => return Err(e),
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444))?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555))?;
    }
    Ok(MaskSources {
        file_id: open_identity(&file)?,
        dir_id: open_identity(&dir)?,
        file,
        dir,
    })
}

fn not_empty(p: &Path) -> std::io::Error {
    std::io::Error::other(format!(
        "{} must be an empty {} (it masks secrets in containers); remove it and aigo recreates it",
        p.display(),
        if p.ends_with("empty-dir") {
            "directory"
        } else {
            "file"
        }
    ))
}
