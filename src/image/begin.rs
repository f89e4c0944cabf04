//! Starting a build: validate the request, pack its context, claim the state dir's build slot
//! (one build at a time) and record the build as `building`.

use std::collections::HashMap;
use std::time::Duration;

use jiff::Timestamp;

use super::build::ActiveBuild;
use super::context::{BuildContext, ContextSource, args_digest, context_hash};
use super::digests::DigestCache;
use super::history::{self, BuildId, BuildProgress, BuildRecord, BuildState};
use super::{BuildRequest, ImageError};
use crate::state::{FileLock, StateDir};

/// Validates `req`, reads its context, claims the state dir's build slot (one build at a time)
/// and records the build as `building`. Fails with [`ImageError::AlreadyBuilding`] when another
/// build, in this process or another, holds the slot.
pub fn begin(state: &StateDir, req: BuildRequest) -> Result<ActiveBuild, ImageError> {
    validate_tag(&req.image_tag)?;
    if let Some(k) = req
        .build_args
        .keys()
        .find(|k| k.is_empty() || k.contains('='))
    {
        return Err(ImageError::Invalid(format!(
            "bad build argument name {k:?}"
        )));
    }
    let dockerfile = req
        .dockerfile
        .clone()
        .unwrap_or_else(|| "Dockerfile".into());
    let t0 = std::time::Instant::now();
    let mut cache = DigestCache::load(state);
    let context = BuildContext::load(req.context.as_deref(), &dockerfile, &mut cache)?;
    cache.save();
    if !context.has_file(&dockerfile) {
        return Err(ImageError::Invalid(format!(
            "the build context has no {dockerfile}"
        )));
    }
    let lock = claim_slot(state)?;
    let args_digest = args_digest(&req.build_args);
    let files_digest = context.files_digest().to_string();
    tracing::debug!(
        entries = context.len(),
        bytes = context.tar_size(),
        ms = t0.elapsed().as_millis() as u64,
        "build context ready"
    );
    let record = BuildRecord {
        schema_version: 1,
        id: BuildId::generate(),
        image_tag: req.image_tag.clone(),
        status: BuildState::Building,
        context: match &context.source {
            ContextSource::Embedded => None,
            ContextSource::Directory(d) => Some(d.clone()),
        },
        context_hash: context_hash(&context.source, &files_digest, &dockerfile, &args_digest),
        dockerfile,
        build_arg_names: req.build_args.keys().cloned().collect(),
        build_args_digest: args_digest,
        no_cache: req.no_cache,
        started_at: Timestamp::now(),
        finished_at: None,
        image_id: None,
        progress: BuildProgress::default(),
        error: None,
    };
    let log_path = history::log_path(state, &record.id);
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log_path)
        .map_err(|e| crate::state::StateError::Io {
            path: log_path,
            action: "create",
            source: e,
        })?;
    // Not fsynced: a build start lost in a power cut loses nothing; the outcome is durable.
    history::save_progress(state, &record)?;
    tracing::info!(build = %record.id, tag = %record.image_tag, "image build started");
    Ok(ActiveBuild {
        state: state.clone(),
        record,
        body: context.into_body(),
        build_args: req.build_args.into_iter().collect::<HashMap<_, _>>(),
        log,
        _lock: lock,
    })
}

pub(super) fn validate_tag(tag: &str) -> Result<(), ImageError> {
    let bad = tag.is_empty()
        || tag.len() > 255
        || tag.starts_with(['-', ':', '/', '.'])
        || !tag
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-/:@".contains(&b));
    if bad {
        return Err(ImageError::Invalid(format!("bad image tag {tag:?}")));
    }
    Ok(())
}

/// The slot is a file lock; a status reader may hold it for a moment, so retry briefly.
fn claim_slot(state: &StateDir) -> Result<FileLock, ImageError> {
    let target = history::lock_target(state);
    for _ in 0..10 {
        if let Some(lock) = FileLock::try_acquire(&target)? {
            return Ok(lock);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let running = history::list_builds(state)?
        .into_iter()
        .find(|r| r.status == BuildState::Building)
        .map(|r| r.id)
        .unwrap_or_else(|| BuildId("unknown".into()));
    Err(ImageError::AlreadyBuilding { id: running })
}
