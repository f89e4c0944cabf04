//! What to do when a build failed for lack of a registry: the default image
//! starts `FROM node:…` on Docker Hub and installs Claude Code from npm, so an
//! engine that cannot reach them cannot build it. The hint names the way out,
//! a custom context built from an image the engine already has.

use std::path::Path;

/// Phrases engines use when a base image or package could not be fetched
/// (BuildKit, the classic builder, Podman/Buildah), lower-case.
const UNREACHABLE: &[&str] = &[
    "registry",
    "failed to do request",
    "pull access denied",
    "failed to resolve source metadata",
    "load metadata for",
    "manifest unknown",
    "no such host",
    "temporary failure in name resolution",
    "network is unreachable",
];

/// `error` with the way out appended when it says the engine could not fetch
/// something over the network.
pub(super) fn with_hint(error: String, context: Option<&Path>) -> String {
    let lower = error.to_lowercase();
    if !UNREACHABLE.iter().any(|p| lower.contains(p)) {
        return error;
    }
    let hint = match context {
        None => "the default image needs a registry (its base image node:22-bookworm-slim \
             comes from Docker Hub, Claude Code from npm). Without one, build a custom \
             image: `aigo image context DIR` writes the default context to DIR; change its \
             Dockerfile to start FROM an image this engine already has (`docker images`) \
             and drop what it cannot download; then `aigo image build --context DIR`"
            .to_string(),
        Some(dir) => format!(
            "the build needed a registry or the network. Start {}'s Dockerfile FROM an \
             image this engine already has (`docker images`) and drop steps that \
             download, then `aigo image build --context {}` again",
            dir.display(),
            dir.display()
        ),
    };
    format!("{error}\nhint: {hint}")
}

#[cfg(test)]
mod tests {
    use super::with_hint;

    #[test]
    fn registry_failures_get_the_custom_image_hint_and_others_do_not() {
        let no_registry = "failed to solve with frontend dockerfile.v0: failed to create LLB \
            definition: failed to do request: Head \"https://registry-1.docker.io/v2/library/node/manifests/22-bookworm-slim\": \
            dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host";
        let out = with_hint(no_registry.into(), None);
        assert!(out.starts_with(no_registry));
        assert!(out.contains("`aigo image context DIR`"), "{out}");
        assert!(out.contains("`aigo image build --context DIR`"), "{out}");
        let out = with_hint(no_registry.into(), Some(std::path::Path::new("/src/img")));
        assert!(out.contains("--context /src/img"), "{out}");
        let other = "The command '/bin/sh -c false' returned a non-zero code: 1";
        assert_eq!(with_hint(other.into(), None), other);
    }
}
