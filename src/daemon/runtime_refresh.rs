//! Component: keeps the cached runtime detection fresh. Detects at start, then
//! again only when asked (a stale read, a config change): it never polls.

use std::convert::Infallible;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::ctx::{Ctx, StateChange};

pub async fn run(ctx: Arc<Ctx>, cancel: CancellationToken) -> Result<(), Infallible> {
    let mut changes = ctx.subscribe();
    loop {
        let det = crate::runtime::detect(&ctx.config()).await;
        tracing::debug!(
            available = det.status.available,
            "runtime detection refreshed"
        );
        ctx.set_runtime(det);
        loop {
            tokio::select! {
                () = cancel.cancelled() => return Ok(()),
                () = ctx.runtime_refresh_requested() => break,
                change = changes.recv() => match change {
                    Ok(StateChange::Config) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => break,
                    Ok(_) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return Ok(()),
                },
            }
        }
    }
}
