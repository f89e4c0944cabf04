//! Refused requests in the audit log, rate-limited: a flood of refused
//! requests (a hostile container, a port scan) writes a bounded number of
//! entries per minute, and the next entry says how many were left out.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most this many refusal entries per [`WINDOW`].
const PER_WINDOW: u32 = 20;
const WINDOW: Duration = Duration::from_secs(60);

/// Why a request was refused (the audit entry's `reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    /// 403: not a running aigo agent container.
    UnknownCaller,
    /// 403: a run token that no running run holds.
    UnknownToken,
    /// 403: the run may not use this mapping.
    MappingNotAllowed,
    /// 401: no known placeholder.
    UnknownPlaceholder,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Reason::UnknownCaller => "unknown_caller",
            Reason::UnknownToken => "unknown_run_token",
            Reason::MappingNotAllowed => "mapping_not_allowed",
            Reason::UnknownPlaceholder => "unknown_placeholder",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Reason::UnknownCaller => {
                "the credential proxy serves only running aigo agent containers"
            }
            Reason::UnknownToken => "this run token belongs to no running aigo agent",
            Reason::MappingNotAllowed => "this run may not use that credential mapping",
            Reason::UnknownPlaceholder => {
                "no known credential placeholder in x-api-key or Authorization: Bearer"
            }
        }
    }
}

/// What one refusal says about itself (never a header value or a token).
pub(crate) struct Refusal<'a> {
    pub reason: Reason,
    pub peer: std::net::IpAddr,
    pub method: &'a str,
    pub path: &'a str,
    pub run_id: Option<&'a str>,
}

#[derive(Default)]
pub(crate) struct Limiter {
    state: Mutex<Window>,
}

#[derive(Default)]
struct Window {
    started: Option<Instant>,
    written: u32,
    suppressed: u64,
}

impl Limiter {
    /// `Some(n)` when this refusal may be written, `n` being how many were
    /// left out before it; `None` when it is to be left out.
    fn admit(&self, now: Instant) -> Option<u64> {
        let mut w = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if w.started.is_none_or(|s| now.duration_since(s) >= WINDOW) {
            w.started = Some(now);
            w.written = 0;
        }
        if w.written >= PER_WINDOW {
            w.suppressed += 1;
            return None;
        }
        w.written += 1;
        Some(std::mem::take(&mut w.suppressed))
    }
}

/// Logs and audits a refusal, within the rate limit. Writing happens on a
/// blocking-capable task, never on the connection's.
pub(crate) fn record(proxy: &super::server::Proxy, r: Refusal<'_>) {
    let Some(suppressed) = proxy.refusals.admit(Instant::now()) else {
        return;
    };
    // Never log the presented credential or token: it may be a real key
    // put in a container by mistake.
    tracing::info!(
        reason = r.reason.code(),
        peer = %r.peer,
        method = r.method,
        path = r.path,
        suppressed,
        "credential proxy refused a request"
    );
    if proxy.opts.audit.is_none() {
        return;
    }
    let message = format!(
        "credential proxy refused {} {} from {}: {}",
        r.method,
        r.path,
        r.peer,
        r.reason.message()
    );
    let mut details = serde_json::json!({
        "reason": r.reason.code(),
        "peer": r.peer.to_string(),
        "method": r.method,
        "path": r.path,
    });
    if let Some(run) = r.run_id {
        details["runId"] = run.into();
    }
    if suppressed > 0 {
        details["suppressedBefore"] = suppressed.into();
    }
    let ev = crate::audit::NewEvent::proxy_unauthorized(message, details);
    proxy.audit(ev, "a proxy refusal");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_writes_a_bounded_number_then_counts_the_rest() {
        let l = Limiter::default();
        let t0 = Instant::now();
        let written = (0..1000).filter(|_| l.admit(t0).is_some()).count();
        assert_eq!(written, PER_WINDOW as usize);
        assert_eq!(l.admit(t0 + WINDOW), Some(1000 - u64::from(PER_WINDOW)));
        assert_eq!(l.admit(t0 + WINDOW), Some(0));
    }
}
