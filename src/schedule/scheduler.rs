//! The scheduler component: sleeps until the earliest next run (a min-heap,
//! rebuilt when schedules change), claims every due slot in one write, and runs
//! each claim once through a [`Launcher`], at most `limit` at a time (the rest
//! queue). It never polls: it wakes for a deadline, a change, or cancellation.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use tokio::sync::{Notify, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::{Claim, RunLogEntry, RunStatus, ScheduleError};
use crate::ipc::BoxFut;
use crate::state::StateDir;

/// Where "now" comes from: the wall clock in the daemon, tokio's (pausable) clock in tests.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

pub struct WallClock;

impl Clock for WallClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that advances with tokio's time, so tests can pause and auto-advance it.
pub struct TokioClock {
    base: Timestamp,
    start: tokio::time::Instant,
}

impl TokioClock {
    pub fn starting_at(base: Timestamp) -> Self {
        Self {
            base,
            start: tokio::time::Instant::now(),
        }
    }
}

impl Clock for TokioClock {
    fn now(&self) -> Timestamp {
        let elapsed = jiff::SignedDuration::try_from(self.start.elapsed())
            .unwrap_or(jiff::SignedDuration::MAX);
        self.base.checked_add(elapsed).unwrap_or(Timestamp::MAX)
    }
}

/// How a launched run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOutcome {
    pub status: RunStatus,
    pub result: Option<String>,
    pub error: Option<String>,
}

/// Runs one claimed schedule (an agent run in a container, in the daemon).
pub trait Launcher: Send + Sync {
    fn launch<'a>(&'a self, claim: &'a Claim) -> BoxFut<'a, RunOutcome>;
}

pub struct Scheduler {
    state: StateDir,
    clock: Arc<dyn Clock>,
    launcher: Arc<dyn Launcher>,
    limit: Arc<Semaphore>,
    runs: TaskTracker,
    /// Notified when `schedules.toml` changed (by the CLI, the API or an agent).
    pub wake: Notify,
    pub fired: AtomicU64,
}

impl Scheduler {
    pub fn new(
        state: StateDir,
        clock: Arc<dyn Clock>,
        launcher: Arc<dyn Launcher>,
        limit: usize,
    ) -> Arc<Self> {
        Arc::new(Self {
            state,
            clock,
            launcher,
            limit: Arc::new(Semaphore::new(limit.max(1))),
            runs: TaskTracker::new(),
            wake: Notify::new(),
            fired: AtomicU64::new(0),
        })
    }

    /// Runs until cancelled. Runs still in flight then are left to finish or be
    /// recorded as interrupted by the next start's recovery.
    pub async fn run(self: Arc<Self>, cancel: CancellationToken) -> Result<(), ScheduleError> {
        let recovered = super::recover(&self.state, self.clock.now())?;
        if !recovered.is_empty() {
            tracing::info!(
                count = recovered.len(),
                "running slots claimed before a restart"
            );
        }
        self.launch_all(recovered);
        let mut heap = self.build_heap();
        loop {
            let deadline = heap.peek().map(|Reverse((t, _))| self.instant_for(*t));
            let sleep = async {
                match deadline {
                    Some(d) => tokio::time::sleep_until(d).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = cancel.cancelled() => return Ok(()),
                () = self.wake.notified() => heap = self.build_heap(),
                () = sleep => {
                    match super::claim_all_due(&self.state, self.clock.now()) {
                        Ok(claims) => {
                            for c in &claims {
                                if let Some(next) = c.schedule.next_run {
                                    heap.push(Reverse((next, c.schedule.id.clone())));
                                }
                            }
                            self.launch_all(claims);
                        }
                        Err(e) => tracing::error!(error = %e, "cannot claim due schedules"),
                    }
                    // Drop entries that are due but were not claimable (disabled, changed).
                    let now = self.clock.now();
                    while heap.peek().is_some_and(|Reverse((t, _))| *t <= now) {
                        heap.pop();
                    }
                }
            }
        }
    }

    fn build_heap(&self) -> BinaryHeap<Reverse<(Timestamp, String)>> {
        match super::load(&self.state) {
            Ok(f) => super::heap_entries(&f).into_iter().map(Reverse).collect(),
            Err(e) => {
                tracing::error!(error = %e, "schedules.toml does not load; nothing fires until it is fixed");
                BinaryHeap::new()
            }
        }
    }

    fn instant_for(&self, t: Timestamp) -> tokio::time::Instant {
        let wait = t.duration_since(self.clock.now());
        let wait = std::time::Duration::try_from(wait).unwrap_or_default();
        tokio::time::Instant::now() + wait
    }

    fn launch_all(self: &Arc<Self>, claims: Vec<Claim>) {
        if claims.is_empty() {
            return;
        }
        let marks: Vec<(String, Timestamp)> = claims
            .iter()
            .map(|c| (c.schedule.id.clone(), c.slot))
            .collect();
        for claim in claims {
            let me = self.clone();
            self.fired.fetch_add(1, Ordering::Relaxed);
            self.runs.spawn(async move {
                let Ok(_permit) = me.limit.clone().acquire_owned().await else { return };
                let started = me.clock.now();
                tracing::info!(id = %claim.schedule.id, slot = %claim.slot, "schedule fired");
                let out = me.launcher.launch(&claim).await;
                let entry = RunLogEntry {
                    run_at: started,
                    duration_ms: u64::try_from(me.clock.now().duration_since(started).as_millis()).unwrap_or(0),
                    status: out.status,
                    result: out.result,
                    error: out.error,
                    scheduled_for: Some(claim.slot),
                };
                if let Err(e) = super::finish(&me.state, &claim.schedule.id, claim.slot, &entry) {
                    tracing::error!(id = %claim.schedule.id, error = %e, "cannot record a finished run");
                }
            });
        }
        if let Err(e) = super::mark_all_started(&self.state, &marks, self.clock.now()) {
            tracing::error!(error = %e, "cannot mark runs started");
        }
    }

    /// Waits for launched runs to finish (tests; the daemon does not wait).
    pub async fn idle(&self) {
        self.runs.close();
        self.runs.wait().await;
        self.runs.reopen();
    }
}
