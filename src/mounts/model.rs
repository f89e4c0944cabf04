//! The allowlist as stored in `mounts.toml` and as shown over the API.

use serde::{Deserialize, Serialize};

/// Always blocked, even when a user's `blocked_patterns` leaves them out.
pub const DEFAULT_BLOCKED_PATTERNS: &[&str] = &[
    ".ssh",
    ".gnupg",
    ".gpg",
    ".env",
    ".aws",
    ".azure",
    ".gcloud",
    ".docker",
    ".kube",
    ".netrc",
    ".npmrc",
    ".pypirc",
    "credentials",
    "id_rsa",
    "id_ed25519",
    "private_key",
    ".secret",
    // Real credential locations (component sequences match consecutive components).
    ".config/gcloud",
    ".config/gh",
    ".git-credentials",
    ".password-store",
    ".local/share/keyrings",
    ".terraform.d",
    ".vault-token",
    // Container engine sockets, wherever they sit.
    "docker.sock",
    "podman.sock",
    "containerd.sock",
];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct MountAllowlist {
    pub schema_version: u32,
    pub allowed_roots: Vec<AllowedRoot>,
    /// Patterns blocked in addition to the defaults.
    pub blocked_patterns: Vec<String>,
    /// Non-main groups get read-only mounts whatever they ask for.
    pub non_main_read_only: bool,
}

impl Default for MountAllowlist {
    fn default() -> Self {
        Self {
            schema_version: 1,
            allowed_roots: Vec::new(),
            blocked_patterns: Vec::new(),
            non_main_read_only: true,
        }
    }
}

crate::versioned!(MountAllowlist, 1);

/// A root as stored in `mounts.toml` (snake_case keys).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AllowedRoot {
    pub path: String,
    #[serde(default)]
    pub allow_read_write: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Stored before it exists: matches nothing until it does, and is checked
    /// (canonical path, too broad, blocked) at every validation from then on.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pending: bool,
}

/// A root as the API and `--json` show it (camelCase keys).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RootView {
    pub path: String,
    #[serde(default, alias = "allow_read_write")]
    pub allow_read_write: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `true`: the root may not exist yet (see [`AllowedRoot::pending`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pending: bool,
}

impl From<&AllowedRoot> for RootView {
    fn from(r: &AllowedRoot) -> Self {
        Self {
            path: r.path.clone(),
            allow_read_write: r.allow_read_write,
            description: r.description.clone(),
            pending: r.pending,
        }
    }
}

impl From<RootView> for AllowedRoot {
    fn from(r: RootView) -> Self {
        Self {
            path: r.path,
            allow_read_write: r.allow_read_write,
            description: r.description,
            pending: r.pending,
        }
    }
}

impl MountAllowlist {
    /// Each usable root with its canonical path, resolved now (never cached: a
    /// root replaced by a symlink, or a pending root that appeared, is judged as
    /// it is at this validation). A root that does not resolve matches nothing;
    /// one that resolves somewhere refused as a root is returned in `Err` with
    /// the reason.
    pub fn resolved_roots(&self) -> Vec<(&AllowedRoot, Result<std::path::PathBuf, String>)> {
        let pats = super::pattern::compile(
            &DEFAULT_BLOCKED_PATTERNS
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        );
        self.allowed_roots
            .iter()
            .filter_map(|r| {
                let real = std::fs::canonicalize(&r.path).ok()?;
                Some(match super::roots::refusal(&real, &pats) {
                    Some(why) => (r, Err(format!("root {} skipped: {why}", r.path))),
                    None => (r, Ok(real)),
                })
            })
            .collect()
    }

    /// The defaults followed by the user's extra patterns, without repeats.
    pub fn effective_blocked_patterns(&self) -> Vec<String> {
        let mut out: Vec<String> = DEFAULT_BLOCKED_PATTERNS
            .iter()
            .map(|s| s.to_string())
            .collect();
        for p in &self.blocked_patterns {
            if !out.iter().any(|o| o == p) {
                out.push(p.clone());
            }
        }
        out
    }
}

/// A root in a `PUT …/mount/allowlist` body: the reference sends bare strings,
/// aigo also accepts `{path, allowReadWrite, description, pending}`. What a
/// root does not say (a bare string says nothing but its path) is kept from
/// the stored root of the same path.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(untagged)]
pub enum RootSpec {
    Path(String),
    Full(RootInput),
}

/// A root with its settings in a `PUT …/mount/allowlist` body.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RootInput {
    pub path: String,
    /// Absent: as stored (a new root: read-only).
    #[serde(default, alias = "allow_read_write")]
    pub allow_read_write: Option<bool>,
    /// Absent: as stored (a new root: none).
    #[serde(default)]
    pub description: Option<String>,
    /// `true`: the root may not exist yet (see [`AllowedRoot::pending`]).
    #[serde(default)]
    pub pending: bool,
}

/// The body of `PUT /api/v1/container/mount/allowlist` and `aigo mount allowlist set`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AllowlistBody {
    /// Merged by path into the stored roots (`replace`: these become the roots).
    pub allowed_roots: Vec<RootSpec>,
    /// Patterns blocked besides the defaults (which are always in force): added
    /// to the stored ones (`replace`: these become the extra patterns).
    #[serde(default)]
    pub blocked_patterns: Vec<String>,
    #[serde(default)]
    pub non_main_read_only: Option<bool>,
    /// Remove the roots and patterns the body does not list (default: keep them).
    #[serde(default)]
    pub replace: bool,
}

/// What a `set` changed, by root path (and extra pattern).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AllowlistChanges {
    /// Roots that were not allowed before.
    pub added: Vec<String>,
    /// Roots whose read-write flag, description or pending state changed.
    pub updated: Vec<String>,
    /// Roots no longer allowed (only with `replace`).
    pub removed: Vec<String>,
    pub added_patterns: Vec<String>,
    pub removed_patterns: Vec<String>,
}

impl AllowlistChanges {
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// What `GET …/mount/allowlist` and `aigo mount allowlist show --json` return.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AllowlistView {
    pub allowed_roots: Vec<RootView>,
    /// Every pattern in force: the defaults plus the user's.
    pub blocked_patterns: Vec<String>,
    pub non_main_read_only: bool,
    /// Present after a `set`: pending roots that do not exist yet and so match nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Present after a `set`: what it changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<AllowlistChanges>,
}

impl From<&MountAllowlist> for AllowlistView {
    fn from(a: &MountAllowlist) -> Self {
        Self {
            allowed_roots: a.allowed_roots.iter().map(RootView::from).collect(),
            blocked_patterns: a.effective_blocked_patterns(),
            non_main_read_only: a.non_main_read_only,
            warnings: Vec::new(),
            changes: None,
        }
    }
}
