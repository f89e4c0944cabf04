//! The validator: one host path + container path in, a verdict with its reason out.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::MountAllowlist;
use super::identity::{FileId, open_handle};
use super::pattern;
use super::protected::Protected;
use super::scan::{Mask, ScanBudget, scan};

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
    /// Entries inside the mount the agent will not see (empty file or directory
    /// bound over each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub masked: Vec<Mask>,
    /// Identity of the directory validated, from a handle opened without
    /// following symlinks: the container's view is compared with it after start.
    #[serde(skip)]
    pub identity: Option<FileId>,
}

impl MountValidation {
    fn deny(reason: impl Into<String>, real: Option<&Path>) -> Self {
        Self {
            allowed: false,
            reason: reason.into(),
            real_host_path: real.map(|p| p.display().to_string()),
            container_path: None,
            read_only: true,
            masked: Vec::new(),
            identity: None,
        }
    }
}

/// Checks `req` against `list`. `is_main` says whether the asking group is the
/// main one; `protected` is what no mount may expose (see [`Protected`]).
///
/// Order matters for the reason users see: path syntax, then existence, then
/// blocked patterns (on the literal and the canonical path), then the roots,
/// then what is protected, then the container path, then the scan for
/// secrets inside. Any failure denies.
pub fn validate(
    list: &MountAllowlist,
    protected: &Protected,
    req: &MountRequest,
    is_main: bool,
) -> MountValidation {
    validate_with(list, protected, req, is_main, ScanBudget::DEFAULT)
}

/// [`validate`] with another scan budget (a test can then exceed it cheaply).
pub fn validate_with(
    list: &MountAllowlist,
    protected: &Protected,
    req: &MountRequest,
    is_main: bool,
    budget: ScanBudget,
) -> MountValidation {
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
    let patterns = pattern::compile(&list.effective_blocked_patterns());
    if let Some((pat, comp)) = pattern::first_match(host, &patterns) {
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
    if let Some((pat, comp)) = pattern::first_match(&real, &patterns) {
        return MountValidation::deny(blocked_reason(&pat, &comp), Some(&real));
    }
    let real_s = real.to_string_lossy();
    if let Some(c) = real_s.chars().find(|c| *c == ':' || *c == ',') {
        return MountValidation::deny(
            format!(
                "Host path resolves to a path containing {c:?}, which container runtimes treat as a separator"
            ),
            Some(&real),
        );
    }
    let handle = match open_handle(&real) {
        Ok(h) => h,
        Err(e) => {
            return MountValidation::deny(
                format!("Cannot open {}: {e}", real.display()),
                Some(&real),
            );
        }
    };
    let (root_real, root) = match best_root(list, &real) {
        Ok(r) => r,
        Err(why) => return MountValidation::deny(why, Some(&real)),
    };
    let identity = handle.id;
    if let Some(why) = protected.check(&real, Some(identity)) {
        return MountValidation::deny(why, Some(&real));
    }
    let container_path = match container_path(req.container_path.as_deref(), &real) {
        Ok(p) => p,
        Err(why) => return MountValidation::deny(why, Some(&real)),
    };
    // The scan reads the directory through the handle: what it masks is the
    // directory validated, even if the path is swapped meanwhile.
    let masked = if handle.is_dir {
        match scan(
            &real,
            handle.walk_path(),
            &container_path,
            &patterns,
            protected,
            budget,
        ) {
            Ok(m) => m,
            Err(why) => return MountValidation::deny(why, Some(&real)),
        }
    } else {
        Vec::new()
    };
    let wants_rw = req.read_only == Some(false);
    let mut notes = Vec::new();
    if wants_rw && !root.allow_read_write {
        notes.push("read-only: the root does not allow read-write".to_string());
    }
    if wants_rw && !is_main && list.non_main_read_only {
        notes.push("read-only: non-main groups mount read-only".to_string());
    }
    let read_only = !wants_rw || !notes.is_empty();
    if !masked.is_empty() {
        notes.push(format!("{} entries hidden from the agent", masked.len()));
    }
    let mut reason = format!("Allowed under root {}", root_real.display());
    for n in notes {
        reason.push_str("; ");
        reason.push_str(&n);
    }
    MountValidation {
        allowed: true,
        reason,
        real_host_path: Some(real.display().to_string()),
        container_path: Some(container_path),
        read_only,
        masked,
        identity: Some(identity),
    }
}

fn blocked_reason(pattern: &str, component: &str) -> String {
    format!("Path contains blocked pattern {pattern:?} (in path component {component:?})")
}

/// The most specific allowed root containing `real`, compared canonical to canonical
/// and component-wise (so `/data/ab` is not under `/data/a`). Roots are resolved
/// now; the error names roots skipped because of what they resolve to.
fn best_root<'a>(
    list: &'a MountAllowlist,
    real: &Path,
) -> Result<(PathBuf, &'a super::AllowedRoot), String> {
    let mut skipped = Vec::new();
    let mut best: Option<(PathBuf, &super::AllowedRoot)> = None;
    for (root, resolved) in list.resolved_roots() {
        match resolved {
            Ok(c) if real.starts_with(&c) => {
                if best
                    .as_ref()
                    .is_none_or(|(b, _)| c.components().count() > b.components().count())
                {
                    best = Some((c, root));
                }
            }
            Ok(_) => {}
            Err(why) => skipped.push(why),
        }
    }
    best.ok_or_else(|| {
        let mut msg = "Path not under any allowed root".to_string();
        for s in skipped {
            msg.push_str(" (");
            msg.push_str(&s);
            msg.push(')');
        }
        msg
    })
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
