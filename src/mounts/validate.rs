//! The validator: one host path + container path in, a verdict with its reason out.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::MountAllowlist;

/// Where extra mounts appear inside the container.
pub const CONTAINER_EXTRA_DIR: &str = "/workspace/extra";

/// A mount to check. `read_only: None` means "not asked": read-only is the default.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MountRequest {
    pub host_path: String,
    #[serde(default)]
    pub container_path: Option<String>,
    #[serde(default)]
    pub read_only: Option<bool>,
    /// Group asking; `None` or the main group may get read-write.
    #[serde(default)]
    pub group: Option<String>,
}

/// The verdict, as `aigo mount validate --json` and the API return it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MountValidation {
    pub allowed: bool,
    pub reason: String,
    pub real_host_path: Option<String>,
    pub container_path: Option<String>,
    pub read_only: bool,
}

impl MountValidation {
    fn deny(reason: impl Into<String>, real: Option<&Path>) -> Self {
        Self {
            allowed: false,
            reason: reason.into(),
            real_host_path: real.map(|p| p.display().to_string()),
            container_path: None,
            read_only: true,
        }
    }
}

/// Checks `req` against `list`. `is_main` says whether the asking group is the main one.
///
/// Order matters for the reason users see: path syntax, then existence, then
/// blocked patterns (on the literal and the canonical path), then the roots, then
/// the container path. Any failure denies.
pub fn validate(list: &MountAllowlist, req: &MountRequest, is_main: bool) -> MountValidation {
    let host = Path::new(&req.host_path);
    if req.host_path.is_empty() || !host.is_absolute() {
        return MountValidation::deny(
            format!("Host path must be absolute: {:?}", req.host_path),
            None,
        );
    }
    if let Some(c) = req.host_path.chars().find(|c| *c == ':' || *c == ',') {
        return MountValidation::deny(
            format!("Host path contains {c:?}, which container runtimes treat as a separator"),
            None,
        );
    }
    let patterns = list.effective_blocked_patterns();
    if let Some((pat, comp)) = blocked_component(host, &patterns) {
        return MountValidation::deny(blocked_reason(&pat, &comp), None);
    }
    let real = match std::fs::canonicalize(host) {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return MountValidation::deny(
                format!("Host path does not exist: {}", req.host_path),
                None,
            );
        }
        Err(e) => {
            return MountValidation::deny(
                format!("Cannot resolve host path {}: {e}", req.host_path),
                None,
            );
        }
    };
    if let Some((pat, comp)) = blocked_component(&real, &patterns) {
        return MountValidation::deny(blocked_reason(&pat, &comp), Some(&real));
    }
    let Some((root_real, root)) = best_root(list, &real) else {
        return MountValidation::deny("Path not under any allowed root", Some(&real));
    };
    let container_path = match container_path(req.container_path.as_deref(), &real) {
        Ok(p) => p,
        Err(why) => return MountValidation::deny(why, Some(&real)),
    };
    let wants_rw = req.read_only == Some(false);
    let mut notes = Vec::new();
    if wants_rw && !root.allow_read_write {
        notes.push("read-only: the root does not allow read-write");
    }
    if wants_rw && !is_main && list.non_main_read_only {
        notes.push("read-only: non-main groups mount read-only");
    }
    let read_only = !wants_rw || !notes.is_empty();
    let mut reason = format!("Allowed under root {}", root_real.display());
    for n in notes {
        reason.push_str("; ");
        reason.push_str(n);
    }
    MountValidation {
        allowed: true,
        reason,
        real_host_path: Some(real.display().to_string()),
        container_path: Some(container_path),
        read_only,
    }
}

fn blocked_reason(pattern: &str, component: &str) -> String {
    format!("Path contains blocked pattern {pattern:?} (in path component {component:?})")
}

/// Finds the first pattern that occurs in any component (case-insensitive, since
/// macOS and Windows filesystems are: `.SSH` is `.ssh` there). A pattern with a
/// `/` is matched against the whole path instead.
pub(super) fn blocked_component(path: &Path, patterns: &[String]) -> Option<(String, String)> {
    let whole = path.to_string_lossy().to_lowercase();
    for pat in patterns {
        let p = pat.to_lowercase();
        if p.is_empty() {
            continue;
        }
        if p.contains('/') {
            if whole.contains(&p) {
                return Some((pat.clone(), path.display().to_string()));
            }
            continue;
        }
        for comp in path.components() {
            if let Component::Normal(c) = comp {
                let c = c.to_string_lossy();
                if c.to_lowercase().contains(&p) {
                    return Some((pat.clone(), c.into_owned()));
                }
            }
        }
    }
    None
}

/// The most specific allowed root containing `real`, compared canonical to canonical
/// and component-wise (so `/data/ab` is not under `/data/a`).
fn best_root<'a>(
    list: &'a MountAllowlist,
    real: &Path,
) -> Option<(PathBuf, &'a super::AllowedRoot)> {
    list.canonical_roots()
        .into_iter()
        .filter_map(|(c, r)| c.map(|c| (c, r)))
        .filter(|(c, _)| real.starts_with(c))
        .max_by_key(|(c, _)| c.components().count())
}

/// The container path: relative to `/workspace/extra` (or given absolute under
/// it), defaulting to the host directory's name; no `..`, `.`, `:` or `,`.
fn container_path(given: Option<&str>, real: &Path) -> Result<String, String> {
    let rel = match given {
        None | Some("") => real
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                "Cannot derive a container path from the host path; pass one".to_string()
            })?,
        Some(g) if g.starts_with('/') => {
            let rest = g
                .strip_prefix(CONTAINER_EXTRA_DIR)
                .and_then(|r| r.strip_prefix('/'))
                .ok_or_else(|| {
                    format!("Container path must be under {CONTAINER_EXTRA_DIR}/: {g:?}")
                })?;
            rest.to_string()
        }
        Some(g) => g.to_string(),
    };
    let rel = rel.trim_end_matches('/');
    if rel.is_empty() {
        return Err(format!(
            "Container path must name a directory under {CONTAINER_EXTRA_DIR}/"
        ));
    }
    if let Some(c) = rel
        .chars()
        .find(|c| *c == ':' || *c == ',' || c.is_control())
    {
        return Err(format!(
            "Container path contains {c:?}, which is not allowed"
        ));
    }
    for part in rel.split('/') {
        match part {
            "" => return Err(format!("Container path has an empty component: {rel:?}")),
            "." | ".." => return Err(format!("Container path must not contain {part:?}: {rel:?}")),
            _ => {}
        }
    }
    Ok(format!("{CONTAINER_EXTRA_DIR}/{rel}"))
}
