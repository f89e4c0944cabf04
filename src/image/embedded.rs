//! The default build context, compiled into the binary from `container/`.

/// One file of the embedded context.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedFile {
    pub path: &'static str,
    pub contents: &'static str,
    pub mode: u32,
}

/// The files of `container/` that make up `aigo-agent-runner:latest` (its README is
/// documentation, not context). Changing any of them changes the context hash, so images
/// built by an older aigo report `outdated`.
pub const DEFAULT_CONTEXT_FILES: &[EmbeddedFile] = &[
    EmbeddedFile {
        path: "Dockerfile",
        contents: include_str!("../../container/Dockerfile"),
        mode: 0o644,
    },
    EmbeddedFile {
        path: "ipc.js",
        contents: include_str!("../../container/ipc.js"),
        mode: 0o644,
    },
    EmbeddedFile {
        path: "runner.js",
        contents: include_str!("../../container/runner.js"),
        mode: 0o644,
    },
    EmbeddedFile {
        path: "mcp-server.js",
        contents: include_str!("../../container/mcp-server.js"),
        mode: 0o644,
    },
];
