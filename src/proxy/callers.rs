//! Who may use the proxy: the registry of running agent containers.
//!
//! A request is served only when it comes from a caller the run service
//! admitted: a source address on the agents' network (Docker and Podman on
//! Linux, where a container's address is its identity for as long as it runs)
//! or a per-run token in the first path segment, `/aigo-run/<token>/…`, where
//! addresses say nothing (see [`super::token`]).
//!
//! Loopback and the host's own addresses are callers like any other: a host
//! process is refused unless something admitted its address (a terminal run
//! whose proxy the CLI serves admits its container, not the host).
//!
//! A run started by another process (`aigo run` in a terminal while the
//! daemon serves the proxy) is found through a [`Resolver`]: on a connection
//! from an unknown address, or with a token nobody admitted here, the proxy
//! asks the engine which running aigo container of this state directory has
//! that address (or that token's fingerprint as its label). The verdict holds
//! for that connection only, whose peer cannot change while it lasts. A later
//! connection is asked about again, because an address passes to another
//! container once the first stops: a time-based cache would serve a stranger
//! that took a finished run's address, or refuse a new run that took a
//! stranger's. Look-ups run one at a time, and connections waiting for one
//! share its answer when it started after they were accepted, so a flood of
//! strangers costs one engine call at a time, never one per connection.
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
use super::token::{RunToken, fingerprint};

/// How long the answer of the latest look-up of an address is kept (only to
/// share it with connections accepted before it started, and to audit a run's
/// first appearance at an address once).
const LOOKUP_KEPT: Duration = Duration::from_secs(60);

/// One admitted caller: which run it is and what it may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub run_id: Arc<str>,
    /// The credential mapping (by name) this run may use; `None`: any.
    pub mapping: Option<Arc<str>>,
}

impl Caller {
    pub fn new(run_id: &str, mapping: Option<&str>) -> Self {
        Self {
            run_id: run_id.into(),
            mapping: mapping.map(Into::into),
        }
    }
}

/// What a [`Resolver`] is asked about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Query {
    /// Which running aigo agent has this source address.
    Address(IpAddr),
    /// Which running aigo agent carries a token with this fingerprint
    /// ([`super::token::fingerprint`]; the token itself never leaves the proxy).
    Token(String),
}

/// Asks the engine which running aigo agent (of this state directory) a
/// [`Query`] names; `None` when none.
pub type Resolver =
    Arc<dyn Fn(Query) -> Pin<Box<dyn Future<Output = Option<Caller>> + Send>> + Send + Sync>;

/// How the proxy recognises a run, as recorded with the run (never the token).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", tag = "by")]
pub enum CallerIdentity {
    /// By the container's source address on the agents' network.
    Address {
        #[schema(value_type = String)]
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
    /// The latest look-up of each query: when it started, what it found.
    looked_up: Mutex<HashMap<Query, Lookup>>,
    lookup: tokio::sync::Mutex<()>,
    /// The credential mappings each run admitted here has used, in order of
    /// first use (recorded with the run when it ends).
    used: Mutex<HashMap<Arc<str>, Vec<String>>>,
}

struct Lookup {
    started: Instant,
    found: Option<Caller>,
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
        self.write().by_address.insert(ip.to_canonical(), caller);
        self.bump();
        CallerIdentity::Address {
            address: ip.to_canonical(),
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
        let token = RunToken::generate()?;
        let id = self.admit_run_token(&token, run_id, mapping);
        Ok((token, id))
    }

    /// Admits `token` (issued by the run service) as run `run_id`.
    pub fn admit_run_token(
        &self,
        token: &RunToken,
        run_id: &str,
        mapping: Option<&str>,
    ) -> CallerIdentity {
        let caller = Caller::new(run_id, mapping);
        self.write().by_token.push((token.bytes().to_vec(), caller));
        self.bump();
        CallerIdentity::Token {
            mapping: mapping.map(str::to_string),
        }
    }

    /// Forgets every address and token of run `run_id` (its container
    /// stopped), and what it used.
    pub fn remove(&self, run_id: &str) {
        let mut r = self.write();
        r.by_address.retain(|_, c| &*c.run_id != run_id);
        r.by_token.retain(|(_, c)| &*c.run_id != run_id);
        drop(r);
        self.used_map().remove(run_id);
        self.bump();
    }

    /// Notes that `run_id` used mapping `name`; `true` the first time.
    pub(crate) fn note_use(&self, run_id: &Arc<str>, name: &str) -> bool {
        let mut used = self.used_map();
        let names = used.entry(run_id.clone()).or_default();
        if names.iter().any(|n| n == name) {
            return false;
        }
        names.push(name.to_string());
        true
    }

    /// The mappings `run_id` has used through this proxy, in order of first use.
    pub fn used_by(&self, run_id: &str) -> Vec<String> {
        self.used_map().get(run_id).cloned().unwrap_or_default()
    }

    fn used_map(&self) -> std::sync::MutexGuard<'_, HashMap<Arc<str>, Vec<String>>> {
        self.used.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A registry that asks `resolver` about addresses nobody admitted.
    pub fn with_resolver(resolver: Resolver) -> Self {
        Self {
            resolver: Some(resolver),
            ..Self::default()
        }
    }

    /// The caller at `ip`, if admitted.
    pub fn by_address(&self, ip: IpAddr) -> Option<Caller> {
        self.read().by_address.get(&ip.to_canonical()).cloned()
    }

    /// Asks the resolver which run has `ip`, for a connection accepted at
    /// `accepted`. The answer is the connection's to keep; it is not admitted
    /// for other connections (see the module docs).
    pub async fn resolve(&self, ip: IpAddr, accepted: Instant) -> Option<Resolved> {
        let ip = ip.to_canonical();
        self.resolve_query(Query::Address(ip), accepted, || self.by_address(ip))
            .await
    }

    /// Asks the resolver which run carries `token` (by its fingerprint), for a
    /// connection accepted at `accepted`; as [`Callers::resolve`].
    pub async fn resolve_token(&self, token: &[u8], accepted: Instant) -> Option<Resolved> {
        self.resolve_query(Query::Token(fingerprint(token)), accepted, || {
            self.by_token(token)
        })
        .await
    }

    async fn resolve_query(
        &self,
        query: Query,
        accepted: Instant,
        admitted: impl Fn() -> Option<Caller>,
    ) -> Option<Resolved> {
        let resolver = self.resolver.as_ref()?;
        // One look-up at a time; a look-up that started after this connection
        // was accepted saw the container that opened it, so its answer is ours.
        let _one = self.lookup.lock().await;
        if let Some(c) = admitted() {
            return Some(Resolved {
                caller: c,
                first: false,
            });
        }
        if let Some(l) = self.looked_up().get(&query)
            && l.started >= accepted
        {
            return l.found.clone().map(|caller| Resolved {
                caller,
                first: false,
            });
        }
        let started = Instant::now();
        let found = resolver(query.clone()).await;
        let mut looked_up = self.looked_up();
        if looked_up.len() > 4096 {
            looked_up.retain(|_, l| started.duration_since(l.started) < LOOKUP_KEPT);
        }
        let before = looked_up.insert(
            query,
            Lookup {
                started,
                found: found.clone(),
            },
        );
        let caller = found?;
        let first = before
            .filter(|b| started.duration_since(b.started) < LOOKUP_KEPT)
            .and_then(|b| b.found)
            .is_none_or(|b| b.run_id != caller.run_id);
        Some(Resolved { caller, first })
    }

    fn looked_up(&self) -> std::sync::MutexGuard<'_, HashMap<Query, Lookup>> {
        self.looked_up.lock().unwrap_or_else(|p| p.into_inner())
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
        assert!(c.by_token(token.bytes()).is_some());
        assert!(c.by_token(b"not-the-token").is_none());
        c.remove("run-1");
        assert!(c.by_address(ip).is_none() && c.by_token(token.bytes()).is_none());
        assert!(c.is_empty());
    }
}
