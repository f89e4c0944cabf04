//! `set_allowlist`: the reference's `PUT …/mount/allowlist` and `aigo mount
//! allowlist set`. Roots are merged by (canonical) path into the stored ones,
//! so the reference's body of bare strings cannot silently drop a root's
//! read-write flag or description; `replace` also removes what the body does
//! not list. The answer says what changed.

use super::ops::resolve_root;
use super::{
    AllowedRoot, AllowlistBody, AllowlistChanges, AllowlistView, MountAllowlist, MountError,
    RootSpec,
};
use crate::state::{StateDir, load_toml, update_toml};

/// A root from the body, checked, with the settings it gave (`None`: keep the stored one).
struct Given {
    root: AllowedRoot,
    read_write: Option<bool>,
    description: Option<String>,
}

/// Merges (or with `replace`, replaces) the allowlist. Every root is checked as
/// [`super::add_root`] checks it: one that does not exist is refused unless
/// marked `pending` (a bare string naming a stored pending root stays pending).
/// Default patterns are not stored: they are always in force.
pub fn set_allowlist(state: &StateDir, body: AllowlistBody) -> Result<AllowlistView, MountError> {
    let stored: MountAllowlist = load_toml(&state.mounts())?;
    let mut given: Vec<Given> = Vec::new();
    let mut warnings = Vec::new();
    for spec in body.allowed_roots {
        let (path, read_write, description, pending) = match spec {
            RootSpec::Path(p) => {
                let pending = stored
                    .allowed_roots
                    .iter()
                    .any(|r| r.path == p && r.pending);
                (p, None, None, pending)
            }
            RootSpec::Full(r) => (r.path, r.allow_read_write, r.description, r.pending),
        };
        let root = resolve_root(
            AllowedRoot {
                path,
                allow_read_write: false,
                description: None,
                pending,
            },
            state,
        )?;
        if root.pending {
            warnings.push(format!(
                "{} does not exist yet; it matches nothing until it does",
                root.path
            ));
        }
        given.retain(|g| g.root.path != root.path);
        given.push(Given {
            root,
            read_write,
            description,
        });
    }
    let extra: Vec<String> = body
        .blocked_patterns
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty() && !super::DEFAULT_BLOCKED_PATTERNS.contains(&p.as_str()))
        .collect();
    let view = update_toml(&state.mounts(), |list: &mut MountAllowlist| {
        let before = list.allowed_roots.clone();
        let mut roots = if body.replace {
            Vec::new()
        } else {
            before.clone()
        };
        for g in given {
            let old = before.iter().find(|r| r.path == g.root.path);
            let merged = AllowedRoot {
                allow_read_write: g
                    .read_write
                    .or(old.map(|o| o.allow_read_write))
                    .unwrap_or(false),
                // An empty description clears it.
                description: g
                    .description
                    .or_else(|| old.and_then(|o| o.description.clone()))
                    .filter(|d| !d.is_empty()),
                ..g.root
            };
            match roots.iter_mut().find(|r| r.path == merged.path) {
                Some(r) => *r = merged,
                None => roots.push(merged),
            }
        }
        let mut patterns = if body.replace {
            Vec::new()
        } else {
            list.blocked_patterns.clone()
        };
        for p in extra {
            if !patterns.contains(&p) {
                patterns.push(p);
            }
        }
        let changes = diff(&before, &roots, &list.blocked_patterns, &patterns);
        list.allowed_roots = roots;
        list.blocked_patterns = patterns;
        if let Some(v) = body.non_main_read_only {
            list.non_main_read_only = v;
        }
        Ok::<_, MountError>(AllowlistView {
            changes: Some(changes),
            ..AllowlistView::from(&*list)
        })
    })?;
    tracing::info!(
        roots = view.allowed_roots.len(),
        replace = body.replace,
        "allowlist set"
    );
    Ok(AllowlistView { warnings, ..view })
}

fn diff(
    before: &[AllowedRoot],
    after: &[AllowedRoot],
    patterns_before: &[String],
    patterns_after: &[String],
) -> AllowlistChanges {
    let find = |list: &[AllowedRoot], path: &str| list.iter().find(|r| r.path == path).cloned();
    let mut c = AllowlistChanges::default();
    for r in after {
        match find(before, &r.path) {
            None => c.added.push(r.path.clone()),
            Some(old) if &old != r => c.updated.push(r.path.clone()),
            Some(_) => {}
        }
    }
    c.removed = before
        .iter()
        .filter(|r| find(after, &r.path).is_none())
        .map(|r| r.path.clone())
        .collect();
    c.added_patterns = patterns_after
        .iter()
        .filter(|p| !patterns_before.contains(p))
        .cloned()
        .collect();
    c.removed_patterns = patterns_before
        .iter()
        .filter(|p| !patterns_after.contains(p))
        .cloned()
        .collect();
    c
}
