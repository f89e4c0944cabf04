//! Who may use the proxy: the registry of running agent containers.
//!
//! A request is served only when it comes from a caller the run service
//! admitted: a source address on the agents' network (Docker and Podman on
//! Linux, where a container's address is its identity for as long as it runs)
//! or a per-run token in the first path segment, `/aigo-run/<token>/…`, where
//! addresses say nothing (Docker Desktop and Apple Container forward every
//! container through one host address). The token travels in the container's
//! `ANTHROPIC_BASE_URL` (`http://host-gateway:3001/aigo-run/<token>`), which
//! every Anthropic client honours; `ANTHROPIC_API_KEY` stays the public
//! placeholder. The proxy strips the segment before forwarding.
//!
//! Loopback and the host's own addresses are callers like any other: a host
//! process is refused unless something admitted its address (a terminal run
//! whose proxy the CLI serves admits its container, not the host).
//!
//! A run started by another process (`aigo run` in a terminal while the
//! daemon serves the proxy) is found through a [`Resolver`]: on a request from
//! an unknown address the proxy asks the engine which running aigo container
//! of this state directory has that address, and admits it for
//! [`RESOLVED_FOR`] before asking again (an address can pass to another
//! container once the first stops). Failed look-ups are remembered for
//! [`NEGATIVE_FOR`], so a flood of strangers costs one engine call per address
//! and period.
//!
//! Lookups happen per request, so they are cheap: connections cache the
//! verdict together with the registry's generation, and re-check only when
//! the registry changed.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use super::ProxyError;

/// The path segment that carries a run token: `/aigo-run/<token>/v1/…`.
pub const TOKEN_PREFIX: &str = "/aigo-run/";

/// How long a caller found through the [`Resolver`] stays admitted.
pub const RESOLVED_FOR: Duration = Duration::from_secs(10);
/// How long an address the [`Resolver`] did not know is not asked about again.
pub const NEGATIVE_FOR: Duration = Duration::from_secs(2);

/// One admitted caller: which run it is and what it may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub run_id: Arc<str>,
    /// The credential mapping (by name) this run may use; `None`: any.
    pub mapping: Option<Arc<str>>,
    /// Until when (found by the resolver); `None`: until removed.
    pub expires: Option<Instant>,
}

impl Caller {
    pub fn new(run_id: &str, mapping: Option<&str>) -> Self {
        Self {
            run_id: run_id.into(),
            mapping: mapping.map(Into::into),
            expires: None,
        }
    }

    pub(crate) fn expired(&self) -> bool {
        self.expires.is_some_and(|e| e <= Instant::now())
    }
}

/// Asks the engine which running aigo agent (of this state directory) has an
/// address; `None` when none has.
pub type Resolver =
    Arc<dyn Fn(IpAddr) -> Pin<Box<dyn Future<Output = Option<Caller>> + Send>> + Send + Sync>;

/// How the proxy recognises a run, as recorded with the run (never the token).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", tag = "by")]
pub enum CallerIdentity {
    /// By the container's source address on the agents' network.
    Address {
        address: IpAddr,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mapping: Option<String>,
    },
    /// By a per-run token in `ANTHROPIC_BASE_URL`'s path.
    Token {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mapping: Option<String>,
    },
}

/// A per-run token. `Debug` hides it; hand it to the container only through
/// [`RunToken::base_url`].
#[derive(Clone)]
pub struct RunToken(super::Secret);

impl RunToken {
    /// `http://host:port/aigo-run/<token>`: the container's `ANTHROPIC_BASE_URL`.
    pub fn base_url(&self, proxy_base: &str) -> String {
        format!(
            "{}{TOKEN_PREFIX}{}",
            proxy_base.trim_end_matches('/'),
            self.0.expose()
        )
    }
}

impl std::fmt::Debug for RunToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RunToken([redacted])")
    }
}

#[derive(Default)]
struct Registry {
    by_address: HashMap<IpAddr, Caller>,
    /// Token bytes → caller; few entries, compared in constant time.
    by_token: Vec<(Vec<u8>, Caller)>,
}

/// The registry the run service keeps up to date as containers start and stop.
#[derive(Default)]
pub struct Callers {
    inner: RwLock<Registry>,
    /// Bumped on every change, so connections know when a cached verdict is stale.
    generation: AtomicU64,
    resolver: Option<Resolver>,
    /// Addresses the resolver did not know, and when it was asked.
    unknown: Mutex<HashMap<IpAddr, Instant>>,
    lookup: tokio::sync::Mutex<()>,
}

/// What [`Callers::resolve`] found.
pub struct Resolved {
    pub caller: Caller,
    /// This run was not known at this address before (worth recording).
    pub first: bool,
}

impl Callers {
    pub fn new() -> Self {
        Self::default()
    }

    /// Admits `ip` as run `run_id` (replacing whoever held that address: an
    /// address belongs to the container that has it now). `mapping` limits the
    /// run to one credential mapping by name.
    pub fn admit(&self, ip: IpAddr, run_id: &str, mapping: Option<&str>) -> CallerIdentity {
        let caller = Caller::new(run_id, mapping);
        self.write().by_address.insert(canonical(ip), caller);
        self.bump();
        CallerIdentity::Address {
            address: canonical(ip),
            mapping: mapping.map(str::to_string),
        }
    }

    /// Admits a new random token for run `run_id`; give the container
    /// [`RunToken::base_url`].
    pub fn admit_token(
        &self,
        run_id: &str,
        mapping: Option<&str>,
    ) -> Result<(RunToken, CallerIdentity), ProxyError> {
        let mut raw = [0u8; 24];
        getrandom::fill(&mut raw).map_err(|e| ProxyError::Random(e.to_string()))?;
        let token = hex::encode(raw);
        let caller = Caller::new(run_id, mapping);
        self.write()
            .by_token
            .push((token.as_bytes().to_vec(), caller));
        self.bump();
        let id = CallerIdentity::Token {
            mapping: mapping.map(str::to_string),
        };
        Ok((RunToken(super::Secret::new(token)), id))
    }

    /// Forgets every address and token of run `run_id` (its container stopped).
    pub fn remove(&self, run_id: &str) {
        let mut r = self.write();
        r.by_address.retain(|_, c| &*c.run_id != run_id);
        r.by_token.retain(|(_, c)| &*c.run_id != run_id);
        drop(r);
        self.bump();
    }

    /// A registry that asks `resolver` about addresses nobody admitted.
    pub fn with_resolver(resolver: Resolver) -> Self {
        Self {
            resolver: Some(resolver),
            ..Self::default()
        }
    }

    /// The caller at `ip`, if admitted (and not expired).
    pub fn by_address(&self, ip: IpAddr) -> Option<Caller> {
        self.read()
            .by_address
            .get(&canonical(ip))
            .filter(|c| !c.expired())
            .cloned()
    }

    /// Asks the resolver about `ip` (unless it was asked lately and did not
    /// know it); a caller it finds is admitted for [`RESOLVED_FOR`].
    pub async fn resolve(&self, ip: IpAddr) -> Option<Resolved> {
        let resolver = self.resolver.as_ref()?;
        let ip = canonical(ip);
        // One look-up at a time: requests arriving during one wait for its
        // answer instead of being refused or asking again.
        let _one = self.lookup.lock().await;
        if let Some(c) = self.by_address(ip) {
            return Some(Resolved {
                caller: c,
                first: false,
            });
        }
        let now = Instant::now();
        {
            let mut unknown = self.unknown.lock().unwrap_or_else(|p| p.into_inner());
            if unknown
                .get(&ip)
                .is_some_and(|t| now.duration_since(*t) < NEGATIVE_FOR)
            {
                return None;
            }
            if unknown.len() > 4096 {
                unknown.retain(|_, t| now.duration_since(*t) < NEGATIVE_FOR);
            }
            unknown.insert(ip, now);
        }
        let mut caller = resolver(ip).await?;
        caller.expires = Some(Instant::now() + RESOLVED_FOR);
        self.unknown
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&ip);
        let before = self.write().by_address.insert(ip, caller.clone());
        self.bump();
        let first = before.is_none_or(|b| b.run_id != caller.run_id);
        Some(Resolved { caller, first })
    }

    /// The caller holding `token`. Every token is compared in constant time.
    pub fn by_token(&self, token: &[u8]) -> Option<Caller> {
        let r = self.read();
        let mut found = None;
        for (t, c) in &r.by_token {
            if bool::from(t.as_slice().ct_eq(token)) {
                found = Some(c.clone());
            }
        }
        found
    }

    /// Changes whenever the registry does.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// How many addresses and tokens are admitted.
    pub fn len(&self) -> usize {
        let r = self.read();
        r.by_address.len() + r.by_token.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn bump(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Registry> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Registry> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }
}

/// IPv4 callers on a dual-stack listener appear as `::ffff:a.b.c.d`.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// Splits `/aigo-run/<token>/rest` into (token, `/rest`).
pub(crate) fn split_token(path_and_query: &str) -> Option<(&str, &str)> {
    let rest = path_and_query.strip_prefix(TOKEN_PREFIX)?;
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (token, tail) = rest.split_at(end);
    Some((token, tail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admit_lookup_remove() {
        let c = Callers::new();
        let g0 = c.generation();
        let ip: IpAddr = "172.18.0.5".parse().expect("ip");
        let id = c.admit(ip, "run-1", Some("anthropic"));
        assert_eq!(
            serde_json::to_value(&id).expect("json"),
            serde_json::json!({"by": "address", "address": "172.18.0.5", "mapping": "anthropic"})
        );
        assert_ne!(c.generation(), g0);
        let mapped: IpAddr = "::ffff:172.18.0.5".parse().expect("ip");
        assert_eq!(&*c.by_address(mapped).expect("admitted").run_id, "run-1");
        let (token, id) = c.admit_token("run-1", None).expect("token");
        assert_eq!(
            serde_json::to_value(&id).expect("json"),
            serde_json::json!({"by": "token"})
        );
        let url = token.base_url("http://host-gateway:3001/");
        let (t, rest) = split_token(url.strip_prefix("http://host-gateway:3001").expect("base"))
            .expect("token path");
        assert_eq!(rest, "");
        assert!(c.by_token(t.as_bytes()).is_some());
        assert!(!format!("{token:?}").contains(t));
        c.remove("run-1");
        assert!(c.by_address(ip).is_none() && c.by_token(t.as_bytes()).is_none());
        assert!(c.is_empty());
    }

    #[test]
    fn token_paths_split() {
        assert_eq!(
            split_token("/aigo-run/abc/v1/messages?x=1"),
            Some(("abc", "/v1/messages?x=1"))
        );
        assert_eq!(split_token("/aigo-run/abc?x"), Some(("abc", "?x")));
        assert_eq!(split_token("/v1/messages"), None);
    }
}
