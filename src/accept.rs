//! The accept step every listener of aigo shares (the API, the credential
//! proxy, the egress gateway): the next connection, or `None` once shutdown
//! is asked for.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

/// The next accepted connection (with Nagle off: requests and answers are
/// small and latency-bound), or `None` when `shutdown` is cancelled. A failed
/// accept (usually EMFILE) is logged and retried after a pause instead of
/// spinning.
pub async fn next(
    listener: &TcpListener,
    shutdown: &CancellationToken,
    what: &'static str,
) -> Option<(TcpStream, SocketAddr)> {
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return None,
            r = listener.accept() => match r {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    return Some((stream, peer));
                }
                Err(e) => {
                    tracing::warn!(listener = what, error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
        }
    }
}
