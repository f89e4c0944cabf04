//! The default build context, compiled into the binary from `container/`.

/// One file of the embedded context.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedFile {
    pub path: &'static str,
    pub contents: &'static str,
    pub mode: u32,
}

/// The files of `container/` (its README is documentation, not context) that make up `aigo-agent-runner:latest`. Changing any of them
/// changes the context hash, so images built by an older aigo report `outdated`.
pub const DEFAULT_CONTEXT_FILES: &[EmbeddedFile] = &[
    EmbeddedFile {
        path: "Dockerfile",
        contents: include_str!("../../container/Dockerfile"),
        mode: 0o644,
    },
    EmbeddedFile {
        path: "agent-runner.sh",
        contents: include_str!("../../container/agent-runner.sh"),
        mode: 0o755,
    },
];
