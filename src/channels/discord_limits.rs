//! Discord's REST rate limits, kept before they are hit: per route (the
//! `X-RateLimit-Remaining` / `X-RateLimit-Reset-After` headers, keyed by the
//! route's major parameter, here the channel id) and the global limit (a 429
//! with `global: true` or `X-RateLimit-Global` pauses every route).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::HttpReply;

/// Waits longer than this are not believed (a broken header).
const MAX_WAIT: Duration = Duration::from_secs(3600);

#[derive(Debug, Default)]
pub struct RateLimits {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Route → no request before this instant.
    routes: HashMap<String, Instant>,
    global: Option<Instant>,
}

impl RateLimits {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// When `route` may be called next (`None`: now).
    pub fn not_before(&self, route: &str) -> Option<Instant> {
        let i = self.inner();
        let t = match (i.global, i.routes.get(route).copied()) {
            (Some(a), Some(b)) => a.max(b),
            (a, b) => a.or(b)?,
        };
        (t > Instant::now()).then_some(t)
    }

    /// Sleeps until `route` may be called.
    pub async fn wait(&self, route: &str) {
        while let Some(t) = self.not_before(route) {
            tokio::time::sleep_until(t).await;
        }
    }

    /// Learns from an answer on `route`.
    pub fn update(&self, route: &str, r: &HttpReply) {
        let secs = |name: &str| {
            r.header(name)
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(|s| Duration::from_secs_f64(s).min(MAX_WAIT))
        };
        let now = Instant::now();
        let mut i = self.inner();
        if r.status == 429 {
            let body = r.json().unwrap_or_default();
            let wait = body["retry_after"]
                .as_f64()
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(|s| Duration::from_secs_f64(s).min(MAX_WAIT))
                .or(r.retry_after)
                .unwrap_or(Duration::from_secs(1));
            if body["global"] == true || r.header("x-ratelimit-global").is_some() {
                tracing::warn!(
                    wait_ms = wait.as_millis() as u64,
                    "Discord's global rate limit hit"
                );
                i.global = Some(now + wait);
            } else {
                i.routes.insert(route.to_string(), now + wait);
            }
            return;
        }
        if r.header("x-ratelimit-remaining").map(str::trim) == Some("0")
            && let Some(reset) = secs("x-ratelimit-reset-after")
        {
            i.routes.insert(route.to_string(), now + reset);
        } else {
            i.routes.remove(route);
        }
    }
}
