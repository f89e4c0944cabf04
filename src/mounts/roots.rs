//! Which directories may be allowed roots. Checked on the canonical path when a
//! root is added and again at every validation (a root may have been replaced by
//! a symlink since, or a pending root may have appeared).

use std::path::{Path, PathBuf};

use super::pattern::{self, Pattern};

/// System trees refused as roots (they, not their subdirectories).
const SYSTEM_TREES: &[&str] = &[
    "/etc",
    "/proc",
    "/sys",
    "/dev",
    "/run",
    "/var/run",
    "/boot",
    "/root",
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib64",
    "/var",
    "/home",
    "/Users",
    "/System",
    "/Library",
    "/private",
    "/private/etc",
    "/private/var",
];

/// Kernel and runtime trees: nothing inside them is a project (they hold
/// process views, devices and engine sockets).
const RUNTIME_TREES: &[&str] = &["/proc", "/sys", "/dev", "/run", "/var/run", "/boot"];

/// Why the canonical path `real` cannot be an allowed root, if so.
pub fn too_broad(real: &Path) -> Option<String> {
    if real.parent().is_none() {
        return Some("it would allow every path on the host".into());
    }
    if let Some(t) = SYSTEM_TREES.iter().find(|t| real == Path::new(t)) {
        return Some(format!("{t} is a system directory"));
    }
    if let Some(t) = RUNTIME_TREES.iter().find(|t| real.starts_with(t)) {
        return Some(format!("it is inside {t}, a kernel or runtime directory"));
    }
    if let Some(home) = home_dir() {
        if real == home {
            return Some("it is your whole home directory".into());
        }
        if home.starts_with(real) {
            return Some(format!(
                "it contains your home directory {}",
                home.display()
            ));
        }
    }
    None
}

/// The reason a root (canonical or, when pending, as written) is refused: too
/// broad, or a blocked pattern in it.
pub fn refusal(real: &Path, patterns: &[Pattern]) -> Option<String> {
    if let Some(why) = too_broad(real) {
        return Some(format!(
            "{} is too broad: {why}; add the specific directories agents need",
            real.display()
        ));
    }
    pattern::first_match(real, patterns)
        .map(|(pat, _)| format!("{} contains the blocked pattern {pat:?}", real.display()))
}

/// The user's home, canonical (a symlinked home still names one directory).
fn home_dir() -> Option<PathBuf> {
    let h = directories::BaseDirs::new()?.home_dir().to_path_buf();
    Some(std::fs::canonicalize(&h).unwrap_or(h))
}
