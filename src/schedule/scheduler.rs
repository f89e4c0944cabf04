//! The scheduler component: sleeps until the earliest next run (a min-heap,
//! rebuilt when schedules change), claims every due slot with one journal
//! append and fsync, and runs each claim once through a [`Launcher`], at most
//! `limit` at a time (the rest queue). It never polls: it wakes for a deadline,
//! a change, a finished run, or cancellation; it does no I/O while it waits.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::journal::Op;
use super::live::Live;
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

type Heap = BinaryHeap<Reverse<(Timestamp, String)>>;

pub struct Scheduler {
    state: StateDir,
    clock: Arc<dyn Clock>,
    launcher: Arc<dyn Launcher>,
    limit: Arc<Semaphore>,
    runs: TaskTracker,
    live: Arc<Live>,
    /// Finished runs go to the finisher, which records them in batches off the
    /// launch path and hands their schedules back to the loop's heap.
    done: mpsc::UnboundedSender<Done>,
    receivers: Mutex<Option<Receivers>>,
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
        let (done, done_rx) = mpsc::unbounded_channel();
        let (requeue, requeued) = mpsc::unbounded_channel();
        Arc::new(Self {
            live: Arc::new(Live::new(state.clone())),
            state,
            clock,
            launcher,
            limit: Arc::new(Semaphore::new(limit.max(1))),
            runs: TaskTracker::new(),
            done,
            receivers: Mutex::new(Some(Receivers {
                done: done_rx,
                requeue,
                requeued,
            })),
            wake: Notify::new(),
            fired: AtomicU64::new(0),
        })
    }

    /// Runs until cancelled (once per scheduler). Runs still in flight then
    /// are left to finish, or to be recorded as interrupted by the next
    /// start's recovery.
    pub async fn run(self: Arc<Self>, cancel: CancellationToken) -> Result<(), ScheduleError> {
        let Receivers {
            done,
            requeue,
            mut requeued,
        } = self
            .receivers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
            .ok_or_else(|| ScheduleError::BadRequest("the scheduler is already running".into()))?;
        tokio::spawn(finisher(
            self.state.clone(),
            self.live.clone(),
            done,
            requeue,
        ));
        let recovered = super::recover(&self.state, self.clock.now())?;
        if !recovered.is_empty() {
            tracing::info!(
                count = recovered.len(),
                "running slots claimed before a restart"
            );
        }
        self.live.reload()?;
        for claim in recovered {
            self.launch(claim, None);
        }
        let mut heap = self.heap();
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
                () = self.wake.notified() => {
                    if let Err(e) = self.live.reload() {
                        tracing::error!(error = %e, "schedules do not load; keeping the last good copy");
                    }
                    heap = self.heap();
                }
                Some(id) = requeued.recv() => {
                    if let Some(t) = self.live.next_of(&id) {
                        heap.push(Reverse((t, id)));
                    }
                }
                () = sleep => self.fire_due(&mut heap).await,
            }
        }
    }

    /// Claims every due heap entry in one write and launches the claims.
    async fn fire_due(self: &Arc<Self>, heap: &mut Heap) {
        let now = self.clock.now();
        let mut due = Vec::new();
        while heap.peek().is_some_and(|Reverse((t, _))| *t <= now) {
            if let Some(Reverse((_, id))) = heap.pop() {
                due.push(id);
            }
        }
        let permit = || self.limit.clone().try_acquire_owned().ok();
        match self.live.claim(due, now, permit) {
            Ok((claims, reloaded)) => {
                if reloaded {
                    *heap = self.heap();
                }
                for (claim, permit) in claims {
                    self.launch(claim, permit);
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot claim due schedules; retrying in a second");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                *heap = self.heap();
            }
        }
    }

    fn heap(&self) -> Heap {
        self.live.heap().into_iter().map(Reverse).collect()
    }

    fn instant_for(&self, t: Timestamp) -> tokio::time::Instant {
        let wait = t.duration_since(self.clock.now());
        let wait = std::time::Duration::try_from(wait).unwrap_or_default();
        tokio::time::Instant::now() + wait
    }

    /// Runs one claim: a claim without a permit waits for one and is marked
    /// started (durably) before it launches.
    fn launch(self: &Arc<Self>, claim: Claim, permit: Option<OwnedSemaphorePermit>) {
        let me = self.clone();
        self.fired.fetch_add(1, Ordering::Relaxed);
        self.runs.spawn(async move {
            let id = claim.schedule.id.clone();
            let permit = match permit {
                Some(p) => p,
                None => {
                    let Ok(p) = me.limit.clone().acquire_owned().await else { return };
                    let start = Op::Start { id: id.clone(), slot: claim.slot, at: me.clock.now() };
                    if let Err(e) = me.live.commit(vec![start], true) {
                        tracing::error!(%id, error = %e, "cannot mark a run started; it runs after the next restart");
                        return;
                    }
                    p
                }
            };
            let started = me.clock.now();
            tracing::info!(%id, slot = %claim.slot, "schedule fired");
            let out = me.launcher.launch(&claim).await;
            drop(permit);
            let entry = RunLogEntry {
                run_at: started,
                duration_ms: u64::try_from(me.clock.now().duration_since(started).as_millis()).unwrap_or(0),
                status: out.status,
                result: out.result,
                error: out.error,
                scheduled_for: Some(claim.slot),
            };
            let (ack, acked) = oneshot::channel();
            if me.done.send(Done { id, slot: claim.slot, entry, ack }).is_ok() {
                let _ = acked.await;
            }
        });
    }

    /// Waits for launched runs to finish (tests; the daemon does not wait).
    pub async fn idle(&self) {
        self.runs.close();
        self.runs.wait().await;
        self.runs.reopen();
    }
}

struct Receivers {
    done: mpsc::UnboundedReceiver<Done>,
    requeue: mpsc::UnboundedSender<String>,
    requeued: mpsc::UnboundedReceiver<String>,
}

/// A finished run waiting to be recorded.
struct Done {
    id: String,
    slot: Timestamp,
    entry: RunLogEntry,
    ack: oneshot::Sender<()>,
}

/// Records finished runs: everything that finished meanwhile in one batch (run
/// logs, one journal write), on a blocking thread so launches are not held up.
async fn finisher(
    state: StateDir,
    live: Arc<Live>,
    mut done: mpsc::UnboundedReceiver<Done>,
    requeue: mpsc::UnboundedSender<String>,
) {
    while let Some(first) = done.recv().await {
        let mut batch = vec![first];
        while let Ok(d) = done.try_recv() {
            batch.push(d);
        }
        let (state, live) = (state.clone(), live.clone());
        let Ok(batch) = tokio::task::spawn_blocking(move || {
            record(&state, &live, &batch);
            batch
        })
        .await
        else {
            continue;
        };
        for d in batch {
            let _ = requeue.send(d.id);
            let _ = d.ack.send(());
        }
    }
}

fn record(state: &StateDir, live: &Live, batch: &[Done]) {
    for d in batch {
        if let Err(e) = super::append_log(state, &d.id, &d.entry) {
            tracing::error!(id = %d.id, error = %e, "cannot append to the run log");
        }
    }
    let ops = batch
        .iter()
        .map(|d| Op::finish(&d.id, d.slot, &d.entry))
        .collect();
    match live.commit(ops, false) {
        Ok(()) => {
            for d in batch {
                tracing::info!(id = %d.id, slot = %d.slot, status = ?d.entry.status, "schedule run finished");
            }
        }
        Err(e) => tracing::error!(count = batch.len(), error = %e, "cannot record finished runs"),
    }
}
