//! Blocked patterns and how they match path components.
//!
//! A pattern without `/` matches any single component that contains it
//! (case-insensitive: `.SSH` is `.ssh` on macOS). A pattern with `/` names a
//! component sequence (`.config/gcloud`): it matches where those components
//! appear consecutively and exactly (case-insensitive), so `.config/gh` does not
//! match `.config/ghost`.

use std::path::{Component, Path};

/// One compiled pattern: its lowercased components.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub text: String,
    parts: Vec<String>,
}

impl Pattern {
    /// `None` for a pattern with no component (empty or only slashes).
    pub fn new(text: &str) -> Option<Self> {
        let parts: Vec<String> = text
            .split('/')
            .filter(|p| !p.is_empty())
            .map(str::to_lowercase)
            .collect();
        (!parts.is_empty()).then(|| Self {
            text: text.to_string(),
            parts,
        })
    }

    /// Does the pattern match a sequence ending at the last of `comps`
    /// (lowercased components, outermost first)?
    pub fn matches_end(&self, comps: &[String]) -> bool {
        match self.parts.as_slice() {
            [single] => comps.last().is_some_and(|c| c.contains(single.as_str())),
            parts => {
                comps.len() >= parts.len()
                    && comps[comps.len() - parts.len()..]
                        .iter()
                        .zip(parts)
                        .all(|(c, p)| c == p)
            }
        }
    }
}

pub fn compile(patterns: &[String]) -> Vec<Pattern> {
    patterns.iter().filter_map(|p| Pattern::new(p)).collect()
}

/// Lowercased normal components of `path`.
pub fn components(path: &Path) -> Vec<String> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(c) => Some(c.to_string_lossy().to_lowercase()),
            _ => None,
        })
        .collect()
}

/// The first pattern matching anywhere in `path`, with the component where the
/// match ends (as written, for the message).
pub fn first_match(path: &Path, patterns: &[Pattern]) -> Option<(String, String)> {
    let comps = components(path);
    let originals: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(c) => Some(c.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    for end in 1..=comps.len() {
        if let Some(p) = patterns.iter().find(|p| p.matches_end(&comps[..end])) {
            return Some((p.text.clone(), originals[end - 1].clone()));
        }
    }
    None
}
