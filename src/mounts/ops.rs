//! Allowlist operations shared by `aigo mount …` and the API.

use std::path::{Path, PathBuf};

use super::model::RootView;
use super::{
    AllowedRoot, AllowlistBody, AllowlistView, MountAllowlist, MountRequest, MountValidation,
    RootSpec,
};
use crate::state::{StateDir, StateError, load_toml, update_toml};

#[derive(Debug, thiserror::Error)]
pub enum MountError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error("allowed root {path} does not exist or cannot be resolved: {source}")]
    RootMissing {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("allowed root must be an absolute path, got {0:?}")]
    RootNotAbsolute(String),
    #[error("refusing root {path}: it contains the blocked pattern {pattern:?}")]
    RootBlocked { path: String, pattern: String },
    #[error(
        "refusing root {0}: it would allow every path on the host; add the specific directories agents need"
    )]
    RootTooBroad(String),
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
/// cannot be swapped later to point elsewhere.
pub fn add_root(
    state: &StateDir,
    path: &Path,
    allow_read_write: bool,
    description: Option<String>,
) -> Result<RootView, MountError> {
    let real = std::fs::canonicalize(path).map_err(|source| MountError::RootMissing {
        path: path.to_path_buf(),
        source,
    })?;
    let real_s = real.display().to_string();
    check_root(&real_s)?;
    let root = AllowedRoot {
        path: real_s,
        allow_read_write,
        description,
    };
    update_toml(&state.mounts(), |list: &mut MountAllowlist| {
        list.allowed_roots.retain(|r| r.path != root.path);
        list.allowed_roots.push(root.clone());
        Ok::<_, MountError>(())
    })?;
    tracing::info!(root = %root.path, read_write = allow_read_write, "added allowed root");
    Ok(RootView::from(&root))
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

/// Replaces the allowlist (the reference's `PUT …/mount/allowlist`). Roots that
/// do not exist are kept, as written, with a warning: they match nothing until
/// they exist. Default patterns are not stored: they are always in force.
pub fn set_allowlist(state: &StateDir, body: AllowlistBody) -> Result<AllowlistView, MountError> {
    let mut roots = Vec::new();
    let mut warnings = Vec::new();
    for spec in body.allowed_roots {
        let mut root: AllowedRoot = match spec {
            RootSpec::Path(p) => AllowedRoot {
                path: p,
                allow_read_write: false,
                description: None,
            },
            RootSpec::Full(v) => v.into(),
        };
        if !Path::new(&root.path).is_absolute() {
            return Err(MountError::RootNotAbsolute(root.path));
        }
        match std::fs::canonicalize(&root.path) {
            Ok(real) => root.path = real.display().to_string(),
            Err(_) => warnings.push(format!(
                "{} does not exist; it matches nothing until it does",
                root.path
            )),
        }
        check_root(&root.path)?;
        roots.retain(|r: &AllowedRoot| r.path != root.path);
        roots.push(root);
    }
    let extra: Vec<String> = body
        .blocked_patterns
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty() && !super::DEFAULT_BLOCKED_PATTERNS.contains(&p.as_str()))
        .collect();
    let view = update_toml(&state.mounts(), |list: &mut MountAllowlist| {
        list.allowed_roots = roots;
        list.blocked_patterns = extra;
        if let Some(v) = body.non_main_read_only {
            list.non_main_read_only = v;
        }
        Ok::<_, MountError>(AllowlistView::from(&*list))
    })?;
    tracing::info!(roots = view.allowed_roots.len(), "allowlist replaced");
    Ok(AllowlistView { warnings, ..view })
}

/// Validates one mount request against the stored allowlist.
pub fn validate_mount(
    state: &StateDir,
    req: &MountRequest,
    is_main: bool,
) -> Result<MountValidation, MountError> {
    let list: MountAllowlist = load_toml(&state.mounts())?;
    let v = super::validate(&list, req, is_main);
    if v.allowed {
        tracing::debug!(host = %req.host_path, "mount allowed");
    } else {
        tracing::info!(host = %req.host_path, reason = %v.reason, "mount rejected");
    }
    Ok(v)
}

fn check_root(path: &str) -> Result<(), MountError> {
    let p = Path::new(path);
    if p.parent().is_none() {
        return Err(MountError::RootTooBroad(path.to_string()));
    }
    let pats = MountAllowlist::default().effective_blocked_patterns();
    match super::validate::blocked_component(p, &pats) {
        Some((pattern, _)) => Err(MountError::RootBlocked {
            path: path.to_string(),
            pattern,
        }),
        None => Ok(()),
    }
}
