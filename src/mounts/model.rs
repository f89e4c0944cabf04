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
    /// Canonical forms of `allowed_roots`, resolved once per loaded allowlist.
    #[serde(skip)]
    canonical_roots: std::sync::OnceLock<Vec<Option<std::path::PathBuf>>>,
}

impl Default for MountAllowlist {
    fn default() -> Self {
        Self {
            schema_version: 1,
            allowed_roots: Vec::new(),
            blocked_patterns: Vec::new(),
            non_main_read_only: true,
            canonical_roots: std::sync::OnceLock::new(),
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
}

impl From<&AllowedRoot> for RootView {
    fn from(r: &AllowedRoot) -> Self {
        Self {
            path: r.path.clone(),
            allow_read_write: r.allow_read_write,
            description: r.description.clone(),
        }
    }
}

impl From<RootView> for AllowedRoot {
    fn from(r: RootView) -> Self {
        Self {
            path: r.path,
            allow_read_write: r.allow_read_write,
            description: r.description,
        }
    }
}

impl MountAllowlist {
    /// Each root's canonical path (`None` when it does not resolve). Cached: a
    /// validation then costs one `canonicalize` of the host path, not one per root.
    /// Safe to cache because the host path is canonical too: a canonical path that
    /// starts with a root's old canonical path is physically inside it.
    pub fn canonical_roots(&self) -> Vec<(Option<std::path::PathBuf>, &AllowedRoot)> {
        let cached = self.canonical_roots.get_or_init(|| {
            self.allowed_roots
                .iter()
                .map(|r| std::fs::canonicalize(&r.path).ok())
                .collect()
        });
        cached
            .iter()
            .zip(&self.allowed_roots)
            // A root that did not exist when loaded may exist now.
            .map(|(c, r)| (c.clone().or_else(|| std::fs::canonicalize(&r.path).ok()), r))
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
/// aigo also accepts `{path, allowReadWrite, description}`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(untagged)]
pub enum RootSpec {
    Path(String),
    Full(RootView),
}

/// The body of `PUT /api/v1/container/mount/allowlist` and `aigo mount allowlist set`.
#[derive(Debug, Clone, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AllowlistBody {
    pub allowed_roots: Vec<RootSpec>,
    #[serde(default)]
    pub blocked_patterns: Vec<String>,
    #[serde(default)]
    pub non_main_read_only: Option<bool>,
}

/// What `GET …/mount/allowlist` and `aigo mount allowlist show --json` return.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AllowlistView {
    pub allowed_roots: Vec<RootView>,
    /// Every pattern in force: the defaults plus the user's.
    pub blocked_patterns: Vec<String>,
    pub non_main_read_only: bool,
    /// Present after a `set`: roots that do not exist (yet) and so match nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl From<&MountAllowlist> for AllowlistView {
    fn from(a: &MountAllowlist) -> Self {
        Self {
            allowed_roots: a.allowed_roots.iter().map(RootView::from).collect(),
            blocked_patterns: a.effective_blocked_patterns(),
            non_main_read_only: a.non_main_read_only,
            warnings: Vec::new(),
        }
    }
}
