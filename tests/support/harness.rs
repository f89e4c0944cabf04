//! Starts a credential proxy in-process on a free port, over a temp state dir.
#![allow(dead_code)]

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use aigo::proxy::{
    self, CredentialType, KeySource, Keystore, MappingView, NewMapping, Proxy, ProxyOptions, Secret,
};
use aigo::state::StateDir;
use tokio_util::sync::CancellationToken;

pub struct Harness {
    pub home: tempfile::TempDir,
    pub state: StateDir,
    pub keystore: Keystore,
    pub proxy: Arc<Proxy>,
    pub addr: SocketAddr,
    pub shutdown: CancellationToken,
    pub task: tokio::task::JoinHandle<Result<(), proxy::ProxyError>>,
}

pub struct Spec<'a> {
    pub name: &'a str,
    pub upstream: String,
    pub kind: CredentialType,
    pub secret: &'a str,
}

pub fn api_key<'a>(name: &'a str, upstream: String, secret: &'a str) -> Spec<'a> {
    Spec {
        name,
        upstream,
        kind: CredentialType::ApiKey,
        secret,
    }
}

pub fn options() -> ProxyOptions {
    ProxyOptions {
        connect_timeout: Duration::from_secs(5),
        response_timeout: Duration::from_secs(30),
        idle_timeout: Duration::from_secs(30),
        header_read_timeout: Duration::from_secs(10),
        shutdown_grace: Duration::from_secs(1),
        allow_chunked_requests: false,
        audit: None,
        callers: proxy::CallerPolicy::Registered,
    }
}

/// The run id the harness admits 127.0.0.1 as (remove it to test refusals).
pub const LOOPBACK_RUN: &str = "test-run";

/// Adds the mappings (the first is the default), loads the proxy, serves it
/// on `ip:0`, and admits 127.0.0.1 as run [`LOOPBACK_RUN`].
pub async fn start(ip: IpAddr, specs: &[Spec<'_>]) -> (Harness, Vec<MappingView>) {
    start_with(ip, specs, options()).await
}

pub async fn start_with(
    ip: IpAddr,
    specs: &[Spec<'_>],
    opts: ProxyOptions,
) -> (Harness, Vec<MappingView>) {
    start_with_callers(ip, specs, opts, Arc::new(proxy::Callers::new())).await
}

/// [`start_with`] on the given caller registry (e.g. one with a resolver).
pub async fn start_with_callers(
    ip: IpAddr,
    specs: &[Spec<'_>],
    opts: ProxyOptions,
    callers: Arc<proxy::Callers>,
) -> (Harness, Vec<MappingView>) {
    let home = tempfile::tempdir().expect("tempdir");
    let state = StateDir::at(home.path());
    let keystore = Keystore::with_key(
        &state,
        KeySource::IdentityFile(home.path().join("keystore.key")),
    );
    let mut views = Vec::new();
    for s in specs {
        let new = NewMapping {
            name: s.name.into(),
            upstream_url: s.upstream.clone(),
            credential_type: s.kind,
            make_default: false,
        };
        views.push(
            proxy::add_mapping(&state, &keystore, new, Secret::new(s.secret)).expect("add mapping"),
        );
    }
    let p = Arc::new(
        Proxy::load(&state, keystore.clone(), opts)
            .expect("load proxy")
            .with_callers(callers),
    );
    p.callers()
        .admit(std::net::Ipv4Addr::LOCALHOST.into(), LOOPBACK_RUN, None);
    let listener = proxy::bind(SocketAddr::new(ip, 0))
        .await
        .expect("bind proxy");
    let addr = listener.local_addr().expect("addr");
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(proxy::serve(listener, p.clone(), shutdown.clone()));
    (
        Harness {
            home,
            state,
            keystore,
            proxy: p,
            addr,
            shutdown,
            task,
        },
        views,
    )
}

/// Every byte of every file under `dir`, to look for leaked secrets.
pub fn all_file_bytes(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    out
}

pub fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}
