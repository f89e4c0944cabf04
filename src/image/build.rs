//! One build: [`begin`] claims the build slot and records the build; [`ActiveBuild::run`]
//! sends the context to the engine's classic builder (`POST /build`, API 1.41 and later),
//! turns its JSON stream into progress and log lines, and records the outcome.

use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

use bollard::Docker;
use bollard::query_parameters::BuildImageOptionsBuilder;
use futures_util::StreamExt;
use jiff::Timestamp;
use serde::Serialize;

use super::context::{BuildContext, ContextSource, args_digest, context_hash};
use super::history::{self, BuildId, BuildProgress, BuildRecord, BuildState};
use super::{BuildRequest, ImageError, LABEL_CONTEXT_HASH};
use crate::state::{FileLock, StateDir};

/// What a build reports while it runs (one JSON line each with `aigo image build --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "camelCase")]
pub enum BuildEvent {
    /// The engine started a Dockerfile step.
    #[serde(rename_all = "camelCase")]
    Step {
        current_step: u32,
        total_steps: u32,
        step: String,
    },
    /// One line of build output.
    Log { line: String },
}

/// A build that holds the build slot and has a record in the history.
#[derive(Debug)]
pub struct ActiveBuild {
    state: StateDir,
    record: BuildRecord,
    /// The context, packed in `begin` (off the async threads when called from spawn_blocking).
    tar: Vec<u8>,
    build_args: HashMap<String, String>,
    log: std::fs::File,
    _lock: FileLock,
}

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
    let context = BuildContext::load(req.context.as_deref(), &dockerfile)?;
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
        bytes = context.tar().len(),
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
        tar: context.into_tar(),
        build_args: req.build_args.into_iter().collect(),
        log,
        _lock: lock,
    })
}

fn validate_tag(tag: &str) -> Result<(), ImageError> {
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

impl ActiveBuild {
    pub fn id(&self) -> &BuildId {
        &self.record.id
    }

    pub fn record(&self) -> &BuildRecord {
        &self.record
    }

    /// Records the build as failed without running it (e.g. no engine turned up).
    pub fn abandon(mut self, reason: &str) -> BuildRecord {
        let _ = writeln!(self.log, "ERROR: {reason}");
        self.record.status = BuildState::Failed;
        self.record.finished_at = Some(Timestamp::now());
        self.record.error = Some(reason.to_string());
        if let Err(e) = history::save(&self.state, &self.record) {
            tracing::error!(build = %self.record.id, error = %e, "cannot record the build outcome");
        }
        self.record
    }

    /// Runs the build to the end. Never fails: the outcome is the final record (`succeeded`
    /// with the image id, or `failed` with the engine's error), also saved in the history.
    pub async fn run(
        mut self,
        docker: &Docker,
        mut on_event: impl FnMut(&BuildEvent) + Send,
    ) -> BuildRecord {
        let outcome = self.stream(docker, &mut on_event).await;
        let rec = &mut self.record;
        rec.finished_at = Some(Timestamp::now());
        match outcome {
            Ok(id) => {
                rec.status = BuildState::Succeeded;
                rec.image_id = Some(id);
                tracing::info!(build = %rec.id, tag = %rec.image_tag, "image build succeeded");
            }
            Err(msg) => {
                rec.status = BuildState::Failed;
                let _ = writeln!(self.log, "ERROR: {msg}");
                rec.error = Some(msg);
                // info, not warn: the caller reports the failure (the CLI prints it, the API returns it).
                tracing::info!(build = %rec.id, tag = %rec.image_tag, error = ?rec.error, "image build failed");
            }
        }
        if let Err(e) = history::save(&self.state, &self.record) {
            tracing::error!(build = %self.record.id, error = %e, "cannot record the build outcome");
        }
        history::prune(&self.state);
        self.record
    }

    async fn stream(
        &mut self,
        docker: &Docker,
        on_event: &mut (impl FnMut(&BuildEvent) + Send),
    ) -> Result<String, String> {
        let tar = std::mem::take(&mut self.tar);
        let labels = HashMap::from([(
            LABEL_CONTEXT_HASH.to_string(),
            self.record.context_hash.clone(),
        )]);
        let opts = BuildImageOptionsBuilder::new()
            .dockerfile(&self.record.dockerfile)
            .t(&self.record.image_tag)
            .nocache(self.record.no_cache)
            .rm(true)
            .forcerm(true)
            .buildargs(&self.build_args)
            .labels(&labels)
            .build();
        let mut stream = docker.build_image(opts, None, Some(bollard::body_full(tar.into())));
        let mut partial = String::new();
        let mut image_id = None;
        while let Some(item) = stream.next().await {
            let info = match item {
                Ok(i) => i,
                Err(e) => {
                    self.flush_partial(&mut partial, on_event);
                    return Err(engine_message(e));
                }
            };
            if let Some(text) = info.stream {
                partial.push_str(&text);
                while let Some(nl) = partial.find('\n') {
                    let line: String = partial.drain(..=nl).collect();
                    self.line(line.trim_end_matches(['\n', '\r']), on_event);
                }
            }
            if let Some(status) = info.status {
                let line = match info.id {
                    Some(id) => format!("{id}: {status}"),
                    None => status,
                };
                self.line(&line, on_event);
            }
            if let Some(id) = info.aux.and_then(|a| a.id) {
                image_id = Some(id);
            }
        }
        self.flush_partial(&mut partial, on_event);
        if let Some(id) = image_id {
            return Ok(id);
        }
        // Engines that send no `aux` message: ask for the tag.
        match docker.inspect_image(&self.record.image_tag).await {
            Ok(img) => img
                .id
                .ok_or_else(|| "the engine reported no image id".into()),
            Err(e) => Err(format!(
                "the build finished but the image is not there: {}",
                engine_message(e)
            )),
        }
    }

    fn flush_partial(&mut self, partial: &mut String, on_event: &mut impl FnMut(&BuildEvent)) {
        if !partial.trim().is_empty() {
            let line = std::mem::take(partial);
            self.line(line.trim_end(), on_event);
        }
    }

    fn line(&mut self, line: &str, on_event: &mut impl FnMut(&BuildEvent)) {
        let _ = writeln!(self.log, "{line}");
        if let Some(p) = parse_step(line) {
            self.record.progress = p.clone();
            if let Err(e) = history::save_progress(&self.state, &self.record) {
                tracing::warn!(build = %self.record.id, error = %e, "cannot record build progress");
            }
            on_event(&BuildEvent::Step {
                current_step: p.current_step,
                total_steps: p.total_steps,
                step: p.step,
            });
        }
        on_event(&BuildEvent::Log {
            line: line.to_string(),
        });
    }
}

/// `Step 3/7 : RUN apk add git` → step 3 of 7, `RUN apk add git`.
fn parse_step(line: &str) -> Option<BuildProgress> {
    let rest = line.strip_prefix("Step ")?;
    let (nums, text) = rest.split_once(" : ")?;
    let (cur, total) = nums.split_once('/')?;
    Some(BuildProgress {
        current_step: cur.trim().parse().ok()?,
        total_steps: total.trim().parse().ok()?,
        step: text.trim().to_string(),
    })
}

/// The engine's own words: bollard wraps them in its error types.
pub(crate) fn engine_message(e: bollard::errors::Error) -> String {
    use bollard::errors::Error as E;
    match e {
        E::DockerStreamError { error } => error,
        E::DockerResponseServerError { message, .. } => message,
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn steps_parse() {
        let p = super::parse_step("Step 2/5 : COPY busybox /bin/busybox");
        assert_eq!(
            p.map(|p| (p.current_step, p.total_steps, p.step)),
            Some((2, 5, "COPY busybox /bin/busybox".to_string()))
        );
        assert!(super::parse_step(" ---> Running in abc").is_none());
    }
}
