//! The mount allowlist: which host directories an agent container may see.
//!
//! Owns `mounts.toml` (allowed roots, extra blocked patterns, `non_main_read_only`)
//! and the validator. Validation works on the canonical (symlink-resolved) path,
//! denies by default, and always applies [`DEFAULT_BLOCKED_PATTERNS`] whatever the
//! file says. No I/O here beyond reading the allowlist and `canonicalize`.

mod model;
mod ops;
mod validate;

pub use model::{
    AllowedRoot, AllowlistBody, AllowlistView, DEFAULT_BLOCKED_PATTERNS, MountAllowlist, RootSpec,
    RootView,
};
pub use ops::{
    MountError, add_root, get_allowlist, list_roots, remove_root, set_allowlist, validate_mount,
};
pub use validate::{CONTAINER_EXTRA_DIR, MountRequest, MountValidation, validate};
