//! Allowlist operations shared by `aigo mount …` and the API.

use std::path::{Path, PathBuf};

use super::model::RootView;
use super::{AllowedRoot, AllowlistView, MountAllowlist, MountRequest, MountValidation};
use crate::state::{StateDir, StateError, load_toml, update_toml};

#[derive(Debug, thiserror::Error)]
pub enum MountError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error(
        "allowed root {path} does not exist or cannot be resolved; create it first, or mark it pending (`aigo mount add PATH --pending`, `\"pending\": true` in the API body) to allow it once it exists"
    )]
    RootMissing {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("allowed root must be an absolute path, got {0:?}")]
    RootNotAbsolute(String),
    #[error("refusing root {path}: {reason}")]
    RootRefused { path: String, reason: String },
    #[error("{0} is not an allowed root (see `aigo mount list`)")]
    RootNotListed(String),
}

pub fn get_allowlist(state: &StateDir) -> Result<AllowlistView, MountError> {
    let list: MountAllowlist = load_toml(&state.mounts())?;
    Ok(AllowlistView::from(&list))
}

pub fn list_roots(state: &StateDir) -> Result<Vec<RootView>, MountError> {
    Ok(get_allowlist(state)?.allowed_roots)
}

/// Adds (or updates) a root, stored by its canonical path so a symlinked root
/// cannot be swapped later to point elsewhere. A root that does not exist is
/// refused unless `pending`: then it is stored as written (absolute) and
/// matches nothing until it exists.
pub fn add_root(
    state: &StateDir,
    path: &Path,
    allow_read_write: bool,
    description: Option<String>,
    pending: bool,
) -> Result<RootView, MountError> {
    let root = resolve_root(
        AllowedRoot {
            path: path.display().to_string(),
            allow_read_write,
            description,
            pending,
        },
        state,
    )?;
    update_toml(&state.mounts(), |list: &mut MountAllowlist| {
        list.allowed_roots.retain(|r| r.path != root.path);
        list.allowed_roots.push(root.clone());
        Ok::<_, MountError>(())
    })?;
    tracing::info!(root = %root.path, read_write = allow_read_write, pending = root.pending, "added allowed root");
    Ok(RootView::from(&root))
}

/// Checks a root as given and returns it as stored: canonical when it exists
/// (then no longer pending), as written when pending and missing.
pub(super) fn resolve_root(
    mut root: AllowedRoot,
    state: &StateDir,
) -> Result<AllowedRoot, MountError> {
    let given = PathBuf::from(&root.path);
    if !given.is_absolute() {
        return Err(MountError::RootNotAbsolute(root.path));
    }
    let pats = super::pattern::compile(&MountAllowlist::default().effective_blocked_patterns());
    let refuse = |path: &Path, reason: String| MountError::RootRefused {
        path: path.display().to_string(),
        reason,
    };
    match std::fs::canonicalize(&given) {
        Ok(real) => {
            if let Some(why) = super::roots::refusal(&real, &pats) {
                return Err(refuse(&given, why));
            }
            if let Some(why) = super::Protected::for_state(state).check(&real, None)
                && !why.contains("it contains")
            {
                // A root holding the state dir is fine (mounts of it are refused);
                // a root inside it is not.
                return Err(refuse(&given, why));
            }
            root.path = real.display().to_string();
            root.pending = false;
        }
        Err(source) if !root.pending => {
            return Err(MountError::RootMissing {
                path: given,
                source,
            });
        }
        Err(_) => {
            let lexical: PathBuf = given.components().collect();
            if lexical
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
            {
                return Err(refuse(
                    &given,
                    "a pending root must not contain `..`".into(),
                ));
            }
            if let Some(why) = super::roots::refusal(&lexical, &pats) {
                return Err(refuse(&given, why));
            }
            root.path = lexical.display().to_string();
        }
    }
    Ok(root)
}

/// Removes a root given as stored or as any path that resolves to it.
pub fn remove_root(state: &StateDir, path: &Path) -> Result<(), MountError> {
    let given = path.display().to_string();
    let real = std::fs::canonicalize(path)
        .ok()
        .map(|p| p.display().to_string());
    update_toml(&state.mounts(), |list: &mut MountAllowlist| {
        let before = list.allowed_roots.len();
        list.allowed_roots
            .retain(|r| r.path != given && Some(&r.path) != real.as_ref());
        if list.allowed_roots.len() == before {
            return Err(MountError::RootNotListed(given.clone()));
        }
        Ok(())
    })?;
    tracing::info!(root = %given, "removed allowed root");
    Ok(())
}

/// Validates one mount request against the stored allowlist.
pub fn validate_mount(
    state: &StateDir,
    req: &MountRequest,
    is_main: bool,
) -> Result<MountValidation, MountError> {
    let list: MountAllowlist = load_toml(&state.mounts())?;
    let v = super::validate(&list, &super::Protected::for_state(state), req, is_main);
    if v.allowed {
        tracing::debug!(host = %req.host_path, "mount allowed");
    } else {
        tracing::info!(host = %req.host_path, reason = %v.reason, "mount rejected");
    }
    Ok(v)
}
