//! [`ImageBuilds`]: the daemon's shared handle on image builds. `start_build` returns at once
//! with the build's id and runs the build on a tokio task; a second build while one runs is
//! refused with the running build's id (`409` in the API). The engine is the caller's, asked
//! for on each build: an engine that comes up later is used without a restart.

use std::sync::{Arc, Mutex};

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::history::{BuildId, BuildRecord};
use super::{BuildRequest, ImageError, ImageStatus, begin, list_builds, load_build};
use crate::runtime::Engine;
use crate::state::StateDir;

/// Shared (`Arc`) by the API handlers; cheap to call from any task.
#[derive(Debug)]
pub struct ImageBuilds {
    state: StateDir,
    running: Mutex<Option<Running>>,
    /// The daemon's: builds are tracked, and cancelled (recorded `failed`) on shutdown.
    supervisor: Option<(TaskTracker, CancellationToken)>,
}

#[derive(Debug)]
struct Running {
    id: BuildId,
    done: watch::Receiver<Option<BuildRecord>>,
}

impl ImageBuilds {
    pub fn new(state: StateDir) -> Arc<Self> {
        Arc::new(Self {
            state,
            running: Mutex::new(None),
            supervisor: None,
        })
    }

    /// Like [`Self::new`], with builds spawned on the daemon's `tracker` and stopped when
    /// `shutdown` is cancelled (the engine abandons a build whose client goes away).
    pub fn supervised(
        state: StateDir,
        tracker: TaskTracker,
        shutdown: CancellationToken,
    ) -> Arc<Self> {
        Arc::new(Self {
            state,
            running: Mutex::new(None),
            supervisor: Some((tracker, shutdown)),
        })
    }

    /// Starts a build on `engine` in the background (needs a tokio runtime) and returns its
    /// id. `req.image_tag` must be filled in (the API defaults it to `config.image_tag`).
    pub fn start_build(
        self: &Arc<Self>,
        engine: &Engine,
        req: BuildRequest,
    ) -> Result<BuildId, ImageError> {
        let engine = engine.clone();
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(r) = running.as_ref().filter(|r| r.done.borrow().is_none()) {
            return Err(ImageError::AlreadyBuilding { id: r.id.clone() });
        }
        let active = begin(&self.state, req)?;
        let id = active.id().clone();
        let (tx, rx) = watch::channel(None);
        *running = Some(Running {
            id: id.clone(),
            done: rx,
        });
        let state = self.state.clone();
        let shutdown = self.supervisor.as_ref().map(|(_, s)| s.clone());
        let task = async move {
            let started = active.record().clone();
            let record = match shutdown {
                None => active.run(&engine, |_| {}).await,
                Some(s) => tokio::select! {
                    r = active.run(&engine, |_| {}) => r,
                    () = s.cancelled() => cancelled(&state, started),
                },
            };
            let _ = tx.send(Some(record));
        };
        match &self.supervisor {
            Some((tracker, _)) => drop(tracker.spawn(task)),
            None => drop(tokio::spawn(task)),
        }
        Ok(id)
    }

    /// The running build started by this manager, if any.
    pub fn running(&self) -> Option<BuildId> {
        let running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        running
            .as_ref()
            .filter(|r| r.done.borrow().is_none())
            .map(|r| r.id.clone())
    }

    /// Waits for a build to finish and returns its final record; `None` for an unknown id.
    /// Builds started elsewhere (another process) are polled through the history.
    pub async fn wait(&self, id: &BuildId) -> Result<Option<BuildRecord>, ImageError> {
        let rx = {
            let running = self.running.lock().unwrap_or_else(|p| p.into_inner());
            running
                .as_ref()
                .filter(|r| &r.id == id)
                .map(|r| r.done.clone())
        };
        if let Some(mut rx) = rx {
            // The sender lives until the record is sent; an error means the task died.
            let rec = rx
                .wait_for(Option::is_some)
                .await
                .ok()
                .and_then(|r| r.clone());
            if rec.is_some() {
                return Ok(rec);
            }
        }
        loop {
            match load_build(&self.state, id)? {
                Some(r) if r.status != super::BuildState::Building => return Ok(Some(r)),
                None => return Ok(None),
                Some(_) => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
            }
        }
    }

    /// The status of `tag` (see [`super::status`]); without an engine, from the history alone.
    pub async fn status(
        &self,
        engine: Option<&Engine>,
        tag: &str,
    ) -> Result<ImageStatus, ImageError> {
        super::begin::validate_tag(tag)?;
        super::status(&self.state, engine, tag).await
    }

    /// The build history, newest first.
    pub fn history(&self) -> Result<Vec<BuildRecord>, ImageError> {
        list_builds(&self.state)
    }

    /// One build's record.
    pub fn build(&self, id: &BuildId) -> Result<Option<BuildRecord>, ImageError> {
        load_build(&self.state, id)
    }
}

/// Records a build stopped by shutdown (its `ActiveBuild`, and so the slot, is already gone).
fn cancelled(state: &StateDir, mut rec: BuildRecord) -> BuildRecord {
    rec.status = super::BuildState::Failed;
    rec.finished_at = Some(jiff::Timestamp::now());
    rec.error = Some("cancelled: the aigo daemon shut down during the build".into());
    if let Err(e) = super::history::save(state, &rec) {
        tracing::error!(build = %rec.id, error = %e, "cannot record the cancelled build");
    }
    rec
}
