//! The bounded scan of a directory about to be mounted: every entry whose path
//! matches a blocked pattern, every unix socket, and every file or directory
//! that is something protected under another name (a hard link to the keystore
//! identity, a bind mount of the state directory) is listed to be masked in the
//! container: an empty read-only file or directory is bound over it.
//!
//! Bounds: at most [`SCAN_MAX_ENTRIES`] entries and [`SCAN_MAX_DEPTH`] levels
//! below the mount. A tree beyond either is refused rather than half-scanned:
//! an unscanned corner could hold a `.env`. Symlinks are not followed (inside
//! the container they resolve against the container's own filesystem).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::identity::FileId;
use super::pattern::{self, Pattern};
use super::protected::Protected;

/// Directory levels scanned below a mounted directory.
pub const SCAN_MAX_DEPTH: usize = 16;
/// Entries (files, directories, links) scanned per mounted directory.
pub const SCAN_MAX_ENTRIES: usize = 50_000;

/// How far a scan may go; [`ScanBudget::DEFAULT`] is what validation uses.
#[derive(Debug, Clone, Copy)]
pub struct ScanBudget {
    pub max_depth: usize,
    pub max_entries: usize,
}

impl ScanBudget {
    pub const DEFAULT: Self = Self {
        max_depth: SCAN_MAX_DEPTH,
        max_entries: SCAN_MAX_ENTRIES,
    };
}

/// One entry hidden from the agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Mask {
    /// Where it is in the container.
    pub container_path: String,
    /// A directory (masked by an empty directory) or anything else (an empty file).
    pub directory: bool,
    /// Why: the pattern, "a unix socket" or what it is protected as.
    pub reason: String,
}

/// Scans the canonical directory `real`, read through `walk` (a path that
/// reaches the validated directory itself) and seen at `container`, for what
/// must be masked; `Err` says why the directory cannot be mounted.
pub fn scan(
    real: &Path,
    walk: &Path,
    container: &str,
    patterns: &[Pattern],
    protected: &Protected,
    budget: ScanBudget,
) -> Result<Vec<Mask>, String> {
    let base = pattern::components(real);
    let mut masks = Vec::new();
    let mut seen = 0usize;
    // `walk` follows the handle to the directory itself (its own lstat would
    // describe the /proc link).
    let root_dev = std::fs::metadata(walk)
        .map(|m| FileId::of_meta(&m).dev)
        .map_err(|e| format!("Cannot scan {} for secrets: {e}", real.display()))?;
    // (directory, its device, its components below `real` as written and lowercased)
    let mut stack: Vec<(std::path::PathBuf, u64, Vec<String>, Vec<String>)> =
        vec![(walk.to_path_buf(), root_dev, Vec::new(), Vec::new())];
    while let Some((dir, dir_dev, rel, rel_lower)) = stack.pop() {
        // Messages name the real path, never the handle's /proc path.
        let shown = || real.join(rel.join("/")).display().to_string();
        let rd = std::fs::read_dir(&dir)
            .map_err(|e| format!("Cannot scan {} for secrets: {e}", shown()))?;
        for entry in rd {
            let entry = entry.map_err(|e| format!("Cannot scan {} for secrets: {e}", shown()))?;
            seen += 1;
            if seen > budget.max_entries {
                return Err(format!(
                    "{} has more than {} entries to scan for secrets; choose a narrower directory",
                    real.display(),
                    budget.max_entries
                ));
            }
            let ft = entry
                .file_type()
                .map_err(|e| format!("Cannot scan {}: {e}", shown()))?;
            if ft.is_symlink() {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let mut comps = base.clone();
            comps.extend(rel_lower.iter().cloned());
            comps.push(name.to_lowercase());
            let id = entry_id(&entry, ft.is_dir(), dir_dev);
            let why = if let Some(p) = patterns.iter().find(|p| p.matches_end(&comps)) {
                Some(format!("blocked pattern {:?}", p.text))
            } else if is_socket(&ft) {
                Some("a unix socket".to_string())
            } else {
                id.and_then(|id| {
                    protected
                        .is_protected_id(id)
                        .or_else(|| {
                            ft.is_dir()
                                .then(|| protected.contains_protected(id))
                                .flatten()
                        })
                        .map(|w| format!("{w} under another name"))
                })
            };
            let mut child_rel = rel.clone();
            child_rel.push(name.clone());
            if let Some(reason) = why {
                masks.push(mask(real, container, &child_rel, ft.is_dir(), reason)?);
                continue;
            }
            if ft.is_dir() {
                if child_rel.len() > budget.max_depth {
                    return Err(format!(
                        "{} is nested more than {} levels deep ({}); choose a narrower directory",
                        real.display(),
                        budget.max_depth,
                        real.join(child_rel.join("/")).display()
                    ));
                }
                let mut lower = rel_lower.clone();
                lower.push(name.to_lowercase());
                let dev = id.map_or(dir_dev, |i| i.dev);
                stack.push((entry.path(), dev, child_rel, lower));
            }
        }
    }
    masks.sort_by(|a, b| a.container_path.cmp(&b.container_path));
    Ok(masks)
}

/// A directory's identity from a `stat` (it may be a mount point, whose inode
/// `readdir` does not show); anything else's from `readdir` alone.
#[cfg(unix)]
fn entry_id(entry: &std::fs::DirEntry, is_dir: bool, dir_dev: u64) -> Option<FileId> {
    use std::os::unix::fs::DirEntryExt;
    if is_dir {
        FileId::lstat(&entry.path()).ok()
    } else {
        Some(FileId {
            dev: dir_dev,
            ino: entry.ino(),
        })
    }
}

#[cfg(unix)]
fn is_socket(ft: &std::fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    ft.is_socket()
}

fn mask(
    real: &Path,
    container: &str,
    rel: &[String],
    directory: bool,
    reason: String,
) -> Result<Mask, String> {
    let rel = rel.join("/");
    if let Some(c) = rel
        .chars()
        .find(|c| *c == ':' || *c == ',' || *c == '\u{FFFD}' || c.is_control())
    {
        return Err(format!(
            "{}/{rel} must be hidden from the agent but its name contains {c:?}, which a mount cannot name; rename it or choose a narrower directory",
            real.display()
        ));
    }
    Ok(Mask {
        container_path: format!("{container}/{rel}"),
        directory,
        reason,
    })
}
