//! The accept step every listener of aigo shares (the API, the credential
//! proxy, the egress gateway): the next connection, or `None` once shutdown
//! is asked for; and the bind of the listeners that sit on the agents'
//! bridge.

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

/// Binds a listener on a container bridge's gateway address. Podman (netavark)
/// brings a network's bridge, and so its gateway address, up only with the
/// network's first container; until then a plain bind fails with "cannot
/// assign requested address". On Linux such an address is bound anyway
/// (`IP_FREEBIND`): the listener answers once the bridge is up, which is
/// before any agent can connect. Any other failure is returned as is.
pub async fn bind_gateway(addr: SocketAddr) -> std::io::Result<TcpListener> {
    match TcpListener::bind(addr).await {
        Err(e) if e.raw_os_error() == Some(libc::EADDRNOTAVAIL) && cfg!(target_os = "linux") => {
            let l = bind_free(addr)?;
            tracing::info!(%addr, "address not up yet (the bridge comes up with its first container); listening for it");
            Ok(l)
        }
        r => r,
    }
}

#[cfg(target_os = "linux")]
fn bind_free(addr: SocketAddr) -> std::io::Result<TcpListener> {
    use socket2::{Domain, Socket, Type};
    let s = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    s.set_reuse_address(true)?;
    match addr {
        SocketAddr::V4(_) => s.set_freebind_v4(true)?,
        SocketAddr::V6(_) => s.set_freebind_v6(true)?,
    }
    s.set_nonblocking(true)?;
    s.bind(&addr.into())?;
    s.listen(1024)?;
    TcpListener::from_std(s.into())
}

#[cfg(not(target_os = "linux"))]
fn bind_free(_: SocketAddr) -> std::io::Result<TcpListener> {
    Err(std::io::Error::from(std::io::ErrorKind::AddrNotAvailable))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// A gateway address that is not (yet) on any interface here: a plain
    /// bind is refused, the gateway bind listens for it.
    #[tokio::test]
    async fn a_gateway_address_not_up_yet_is_listened_for() {
        let addr: SocketAddr = "192.0.2.1:0".parse().expect("TEST-NET-1 address");
        let plain = TcpListener::bind(addr).await;
        assert_eq!(
            plain.err().and_then(|e| e.raw_os_error()),
            Some(libc::EADDRNOTAVAIL)
        );
        let l = bind_gateway(addr).await.expect("listens for the address");
        assert_eq!(l.local_addr().expect("addr").ip(), addr.ip());
    }
}
