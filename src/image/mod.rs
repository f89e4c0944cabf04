//! The agent runner image: the embedded default build context, builds with progress, build
//! history, and image status (including staleness).
//!
//! Owns `container/` (embedded with `include_str!`), the `dev.aigo.*` image labels and the
//! `builds/` directory of the state dir (`<id>.json` records written atomically, `<id>.log`
//! build logs, `digests.json` (the context files' digest cache) and the `build.lock` that
//! makes one build run at a time per state dir).
//! The CLI builds in the foreground with [`begin`] + [`ActiveBuild::run`]; the daemon uses the
//! shared [`ImageBuilds`] manager, which runs the same code on a tokio task.

mod begin;
mod build;
mod context;
mod digests;
mod embedded;
mod hint;
mod history;
mod ignore;
mod manager;
mod pack;
mod status;
mod upload;

use std::path::PathBuf;

pub use begin::begin;
pub use build::{ActiveBuild, BuildEvent};
pub use context::{BuildContext, ContextSource};
pub use digests::{DigestCache, RACY_WINDOW};
pub use embedded::{DEFAULT_CONTEXT_FILES, EmbeddedFile};
pub use history::{
    BuildId, BuildProgress, BuildRecord, BuildState, history, list_builds, load_build, log_tail,
};
pub use manager::ImageBuilds;
pub use status::{ImageState, ImageStatus, status};

use crate::state::StateError;

/// Label holding the hash of the build context (files, Dockerfile path, build args), prefixed
/// with where it came from: `embedded:sha256:…` (this aigo's default) or `directory:sha256:…`.
/// One label, because the classic builder turns each label into a step of its own.
pub const LABEL_CONTEXT_HASH: &str = "dev.aigo.context-hash";

/// What to build. The API's body for `POST /api/v1/container/image/build`.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct BuildRequest {
    /// Defaults to `config.toml`'s `image_tag` (`aigo-agent-runner:latest`); the caller fills it.
    pub image_tag: String,
    /// A directory on the host; `None` builds the embedded default.
    #[schema(value_type = Option<String>)]
    pub context: Option<PathBuf>,
    /// Path of the Dockerfile inside the context (default `Dockerfile`).
    pub dockerfile: Option<String>,
    pub no_cache: bool,
    /// `--build-arg K=V`. Only a digest of the values is stored in the build history.
    pub build_args: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("a build is already running (build {id}); wait for it or check `aigo image status`")]
    AlreadyBuilding { id: BuildId },
    #[error("no container runtime available to build with; see `aigo runtime`")]
    NoRuntime,
    #[error("cannot {action} {path}: {source}")]
    Context {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid build request: {0}")]
    Invalid(String),
    #[error("the engine failed to {action}: {message}")]
    Engine {
        action: &'static str,
        message: String,
    },
    #[error(transparent)]
    State(#[from] StateError),
}

impl ImageError {
    /// The HTTP status an API handler should answer with.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::AlreadyBuilding { .. } => 409,
            Self::NoRuntime => 503,
            Self::Invalid(_) | Self::Context { .. } => 400,
            Self::Engine { .. } => 502,
            Self::State(_) => 500,
        }
    }

    /// The `error` code of the API's `{error, message}` body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadyBuilding { .. } => "build_in_progress",
            Self::NoRuntime => "runtime_unavailable",
            Self::Invalid(_) | Self::Context { .. } => "invalid_request",
            Self::Engine { .. } => "engine_error",
            Self::State(_) => "state_error",
        }
    }

    pub(crate) fn context(
        path: impl Into<PathBuf>,
        action: &'static str,
        source: std::io::Error,
    ) -> Self {
        Self::Context {
            path: path.into(),
            action,
            source,
        }
    }
}
