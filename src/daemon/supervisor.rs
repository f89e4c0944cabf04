//! Starts and stops the daemon's components: one `CancellationToken`, one `TaskTracker`.

use std::fmt::Display;
use std::future::Future;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

#[derive(Debug, Default, Clone)]
pub struct Supervisor {
    token: CancellationToken,
    tracker: TaskTracker,
}

impl Supervisor {
    /// A supervisor whose components stop when `token` is cancelled.
    pub fn with_token(token: CancellationToken) -> Self {
        Self {
            token,
            tracker: TaskTracker::new(),
        }
    }

    pub fn new() -> Self {
        Self::default()
    }

    /// The token components watch; cancelling it stops them all.
    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }

    /// Runs a component on its own task. Its error is logged, never fatal to the others.
    pub fn spawn<F, E>(&self, name: &'static str, fut: F)
    where
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: Display + Send + 'static,
    {
        self.tracker.spawn(async move {
            tracing::debug!(component = name, "component started");
            match fut.await {
                Ok(()) => tracing::debug!(component = name, "component stopped"),
                Err(e) => tracing::error!(component = name, error = %e, "component failed"),
            }
        });
    }

    /// Cancels every component and waits up to `drain` for them to finish;
    /// `false` when some are still running (the caller must then not release
    /// what they rely on, such as the instance lock).
    pub async fn shutdown(&self, drain: Duration) -> bool {
        self.token.cancel();
        self.tracker.close();
        let stopped = tokio::time::timeout(drain, self.tracker.wait())
            .await
            .is_ok();
        if !stopped {
            tracing::warn!(
                secs = drain.as_secs_f32(),
                running = self.tracker.len(),
                "components did not stop in time"
            );
        }
        stopped
    }
}
