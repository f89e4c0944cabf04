//! One build: [`super::begin`] claims the build slot and records the build; [`ActiveBuild::run`]
//! streams the context to the engine (labels through the build API's parameter, not a
//! Dockerfile step), turns its messages into progress and log lines, and records the outcome.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use futures_util::StreamExt;
use jiff::Timestamp;
use serde::Serialize;

use super::LABEL_CONTEXT_HASH;
use super::history::{self, BuildId, BuildProgress, BuildRecord, BuildState};
use super::pack::Segment;
use super::upload;
use crate::runtime::{BuildMessage, BuildOptions, Engine};
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
    pub(super) state: StateDir,
    pub(super) record: BuildRecord,
    /// The context, packed in `begin` (off the async threads when called from spawn_blocking);
    /// files the digest cache vouched for are read while they are sent.
    pub(super) body: Vec<Segment>,
    pub(super) build_args: HashMap<String, String>,
    pub(super) log: std::fs::File,
    pub(super) _lock: FileLock,
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
        engine: &Engine,
        mut on_event: impl FnMut(&BuildEvent) + Send,
    ) -> BuildRecord {
        let outcome = self.stream(engine, &mut on_event).await;
        let rec = &mut self.record;
        rec.finished_at = Some(Timestamp::now());
        match outcome {
            Ok(id) => {
                rec.status = BuildState::Succeeded;
                rec.image_id = Some(id);
                tracing::info!(build = %rec.id, tag = %rec.image_tag, "image build succeeded");
            }
            Err(msg) => {
                let msg = super::hint::with_hint(msg, rec.context.as_deref());
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
        engine: &Engine,
        on_event: &mut (impl FnMut(&BuildEvent) + Send),
    ) -> Result<String, String> {
        let body = std::mem::take(&mut self.body);
        let opts = BuildOptions {
            tag: self.record.image_tag.clone(),
            dockerfile: self.record.dockerfile.clone(),
            no_cache: self.record.no_cache,
            build_args: self.build_args.clone().into_iter().collect(),
            labels: BTreeMap::from([(
                LABEL_CONTEXT_HASH.to_string(),
                self.record.context_hash.clone(),
            )]),
        };
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        let producer = tokio::task::spawn_blocking(move || upload::send_body(body, &tx));
        let chunks =
            futures_util::stream::unfold(
                rx,
                |mut rx| async move { rx.recv().await.map(|c| (c, rx)) },
            );
        let mut stream = engine.build_image(opts, chunks.boxed());
        let mut partial = String::new();
        let mut image_id = None;
        while let Some(item) = stream.next().await {
            let msg = match item {
                Ok(m) => m,
                Err(e) => {
                    self.flush_partial(&mut partial, on_event);
                    // A file that changed while being sent: its error says more than the engine's.
                    drop(stream);
                    if let Ok(Err(why)) = producer.await {
                        return Err(why);
                    }
                    return Err(e.message());
                }
            };
            match msg {
                BuildMessage::Output(text) => {
                    partial.push_str(&text);
                    while let Some(nl) = partial.find('\n') {
                        let line: String = partial.drain(..=nl).collect();
                        self.line(line.trim_end_matches(['\n', '\r']), on_event);
                    }
                }
                BuildMessage::Status(line) => self.line(&line, on_event),
                BuildMessage::ImageId(id) => image_id = Some(id),
            }
        }
        self.flush_partial(&mut partial, on_event);
        if let Some(id) = image_id {
            return Ok(id);
        }
        // Engines that send no image id: ask for the tag.
        match engine.inspect_image(&self.record.image_tag).await {
            Ok(img) if !img.id.is_empty() => Ok(img.id),
            Ok(_) => Err("the engine reported no image id".into()),
            Err(e) => Err(format!(
                "the build finished but the image is not there: {}",
                e.message()
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

/// `Step 3/7 : RUN apk add git` (classic builder) or `#7 [3/7] RUN apk add git` (BuildKit's
/// plain progress, Apple Container) → step 3 of 7, `RUN apk add git`.
fn parse_step(line: &str) -> Option<BuildProgress> {
    let (nums, text) = match line.strip_prefix("Step ") {
        Some(rest) => rest.split_once(" : ")?,
        None => {
            let rest = line.strip_prefix('#')?.split_once(" [")?.1;
            let (nums, text) = rest.split_once("] ")?;
            // `[stage 2/3]` in multi-stage builds: the numbers are the last word.
            (nums.rsplit(' ').next()?, text)
        }
    };
    let (cur, total) = nums.split_once('/')?;
    Some(BuildProgress {
        current_step: cur.trim().parse().ok()?,
        total_steps: total.trim().parse().ok()?,
        step: text.trim().to_string(),
    })
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
        let p = super::parse_step("#6 [builder 2/3] RUN make");
        assert_eq!(
            p.map(|p| (p.current_step, p.total_steps, p.step)),
            Some((2, 3, "RUN make".to_string()))
        );
        assert!(super::parse_step("#1 [internal] load build definition").is_none());
    }
}
