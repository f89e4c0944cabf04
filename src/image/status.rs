//! `ready | building | failed | missing | outdated` for one tag: the build history says whether
//! a build runs or failed; the engine says whether the image exists and carries the context
//! hash it would get if it were built now.

use jiff::Timestamp;
use serde::Serialize;

use super::context::{BuildContext, ContextSource, context_hash};
use super::digests::DigestCache;
use super::history::{self, BuildId, BuildProgress, BuildRecord, BuildState};
use super::{ImageError, LABEL_CONTEXT_HASH};
use crate::runtime::{Engine, ImageInfo};
use crate::state::StateDir;

/// How many log lines `output` carries.
pub const OUTPUT_LINES: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImageState {
    Ready,
    Building,
    Failed,
    Missing,
    Outdated,
}

/// `GET /api/v1/container/image/status` and `aigo image status --json`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImageStatus {
    pub status: ImageState,
    pub image_tag: String,
    pub image_id: Option<String>,
    /// Bytes.
    pub size: Option<i64>,
    pub created: Option<String>,
    /// The latest build of this tag.
    pub build_id: Option<BuildId>,
    /// Set while building.
    pub progress: Option<BuildProgress>,
    /// The tail of the latest build's log, and its error when it failed.
    pub output: String,
    /// One sentence for people.
    pub message: String,
    /// The context hash the image should carry (when aigo can tell).
    pub context_hash: Option<String>,
    /// The context hash the image carries.
    pub image_context_hash: Option<String>,
}

/// The status of `tag`. Without an engine, only the history is consulted.
pub async fn status(
    state: &StateDir,
    engine: Option<&Engine>,
    tag: &str,
) -> Result<ImageStatus, ImageError> {
    let builds: Vec<BuildRecord> = history::list_builds(state)?
        .into_iter()
        .filter(|r| r.image_tag == tag)
        .collect();
    let last = builds.first();
    let image = match engine {
        Some(e) => inspect(e, tag).await?,
        None => None,
    };
    let mut st = ImageStatus {
        status: ImageState::Missing,
        image_tag: tag.to_string(),
        image_id: image.as_ref().map(|i| i.id.clone()),
        size: image.as_ref().and_then(|i| i.size),
        created: image.as_ref().and_then(|i| i.created.clone()),
        build_id: last.map(|r| r.id.clone()),
        progress: None,
        output: last.map(|r| output(state, r)).unwrap_or_default(),
        message: String::new(),
        context_hash: None,
        image_context_hash: image
            .as_ref()
            .and_then(|i| i.labels.get(LABEL_CONTEXT_HASH).cloned()),
    };
    if let Some(r) = last.filter(|r| r.status == BuildState::Building) {
        st.status = ImageState::Building;
        st.progress = Some(r.progress.clone());
        st.message = match r.progress.total_steps {
            0 => "Building: sending the context to the engine".into(),
            n => format!(
                "Building: step {}/{n}: {}",
                r.progress.current_step, r.progress.step
            ),
        };
        return Ok(st);
    }
    let created = st
        .created
        .as_deref()
        .and_then(|c| c.parse::<Timestamp>().ok());
    if let Some(r) = last.filter(|r| r.status == BuildState::Failed) {
        // A failed build counts until an image newer than it shows up (built by other means).
        if created.is_none_or(|c| c < r.started_at) {
            st.status = ImageState::Failed;
            st.message = format!(
                "The last build failed: {}",
                r.error.as_deref().unwrap_or("unknown error")
            );
            return Ok(st);
        }
    }
    let Some(image) = image else {
        st.message = if engine.is_some() {
            format!("Image {tag} not found; build it with `aigo image build`")
        } else {
            "No container runtime available; cannot inspect the image".into()
        };
        return Ok(st);
    };
    st.context_hash = expected_hash(state, &image, &builds);
    st.status = match (&st.context_hash, &st.image_context_hash) {
        (Some(want), Some(have)) if want != have => ImageState::Outdated,
        _ => ImageState::Ready,
    };
    st.message = match (st.status, &st.context_hash) {
        (ImageState::Outdated, _) => {
            "Image outdated: its build context changed since it was built; rebuild it with `aigo image build`".into()
        }
        (_, None) => "Image ready (not built by this aigo from a known context, so staleness is unknown)".into(),
        _ => "Image ready".into(),
    };
    Ok(st)
}

async fn inspect(engine: &Engine, tag: &str) -> Result<Option<ImageInfo>, ImageError> {
    match engine.inspect_image(tag).await {
        Ok(i) => Ok(Some(i)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(ImageError::Engine {
            action: "inspect the image",
            message: e.message(),
        }),
    }
}

/// What the image's label should say if it were built now: from this aigo's embedded context
/// (label `embedded:…`), or from the directory of the latest successful build.
fn expected_hash(state: &StateDir, img: &ImageInfo, builds: &[BuildRecord]) -> Option<String> {
    let last_ok = builds.iter().find(|r| r.status == BuildState::Succeeded);
    match img.labels.get(LABEL_CONTEXT_HASH)?.split_once(':')?.0 {
        "embedded" => {
            // Build args given to the last embedded build (e.g. a pinned Claude Code version).
            let (dockerfile, args) = last_ok
                .filter(|r| r.context.is_none())
                .map(|r| (r.dockerfile.as_str(), r.build_args_digest.clone()))
                .unwrap_or((
                    "Dockerfile",
                    super::context::args_digest(&Default::default()),
                ));
            let ctx = BuildContext::embedded();
            Some(context_hash(
                &ctx.source,
                ctx.files_digest(),
                dockerfile,
                &args,
            ))
        }
        _ => {
            let r = last_ok?;
            let dir = r.context.as_deref()?;
            let mut cache = DigestCache::load(state);
            let digest = BuildContext::digest_dir(dir, &r.dockerfile, &mut cache).ok()?;
            cache.save();
            Some(context_hash(
                &ContextSource::Directory(dir.to_path_buf()),
                &digest,
                &r.dockerfile,
                &r.build_args_digest,
            ))
        }
    }
}

fn output(state: &StateDir, r: &BuildRecord) -> String {
    let mut out = history::log_tail(state, &r.id, OUTPUT_LINES);
    if let Some(e) = &r.error {
        // The log's last line already is the error when the builder wrote it.
        if !out.ends_with(e.as_str()) {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str("ERROR: ");
            out.push_str(e);
        }
    }
    out
}
