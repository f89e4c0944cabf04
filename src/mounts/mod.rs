//! The mount allowlist: which host directories an agent container may see.
//!
//! Owns `mounts.toml` (allowed roots, extra blocked patterns, `non_main_read_only`)
//! and the validator. Validation works on the canonical (symlink-resolved) path,
//! denies by default, and always applies [`DEFAULT_BLOCKED_PATTERNS`] whatever the
//! file says. Also owns what no mount may expose ([`Protected`]), the bounded
//! scan that masks secrets inside a mounted directory, and file identities
//! (device + inode) checked again once the container runs.

mod identity;
mod masks;
mod model;
mod ops;
mod pattern;
mod protected;
mod roots;
mod scan;
mod set;
mod validate;

pub use identity::{FileId, Handle, open_handle, open_identity};
pub use masks::{MaskSources, mask_sources};
pub use model::{
    AllowedRoot, AllowlistBody, AllowlistChanges, AllowlistView, DEFAULT_BLOCKED_PATTERNS,
    MountAllowlist, RootInput, RootSpec, RootView,
};
pub use ops::{MountError, add_root, get_allowlist, list_roots, remove_root, validate_mount};
pub use protected::Protected;
pub use roots::too_broad;
pub use scan::{Mask, SCAN_MAX_DEPTH, SCAN_MAX_ENTRIES, ScanBudget};
pub use set::set_allowlist;
pub use validate::{CONTAINER_EXTRA_DIR, MountRequest, MountValidation, validate, validate_with};
