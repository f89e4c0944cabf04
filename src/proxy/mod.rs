//! The credential proxy: containers hold a placeholder, never a real key.
//!
//! Owns `proxy.toml` (mappings: name, upstream, credential type, placeholder),
//! `keystore.age` (the real credentials, age-encrypted; see [`keystore`]) and
//! the streaming HTTP proxy that swaps a placeholder for its credential and
//! forwards to the mapping's upstream. A real credential never appears in a
//! response, log line, error or JSON document: it is held as a [`Secret`].
//! Only running agent containers may call it ([`Callers`]); each client
//! connection drives its own upstream connection on its own task.

mod bind;
mod body;
pub mod callers;
mod conn;
mod forward;
mod h1;
mod identity;
pub mod keystore;
mod mappings;
mod ops;
mod refusal;
mod route;
mod secret;
mod server;
pub mod token;
mod upstream;
mod watch;
mod workers;

use std::net::SocketAddr;
use std::path::PathBuf;

pub use bind::{default_bind_address, prepare, prepare_at_gateway, resolve_bind_address};
pub use body::{BodyError, ProxyBody};
pub use callers::{Caller, CallerIdentity, Callers, Query};
pub use keystore::{KeySource, Keystore, KeystoreError};
pub use mappings::{
    CredentialType, DEFAULT_PLACEHOLDER, Mapping, MappingView, ProxyFile, check_upstream,
};
pub use ops::{
    NewMapping, add_mapping, check_credential, list_mappings, remove_mapping, rotate_mapping,
};
pub use secret::Secret;
pub use server::{CallerPolicy, Proxy, ProxyOptions, ProxyStatus, bind, bind_gateway, serve};
pub use token::RunToken;

use crate::state::StateError;

#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Keystore(#[from] KeystoreError),
    #[error("invalid mapping name {0:?}: use 1 to 64 characters, no control characters")]
    InvalidName(String),
    #[error("a mapping named {0:?} already exists (see `aigo proxy list`)")]
    DuplicateName(String),
    #[error("invalid upstream URL {url:?}: {reason}")]
    InvalidUpstream { url: String, reason: String },
    #[error("no mapping named {0:?} (see `aigo proxy list`)")]
    NotFound(String),
    #[error("the credential is empty")]
    EmptyCredential,
    #[error("the credential must be printable ASCII without spaces (it goes into an HTTP header)")]
    InvalidCredential,
    #[error("cannot get random bytes from the operating system: {0}")]
    Random(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the proxy's listener failed: {0}")]
    Listener(#[source] std::io::Error),
    #[error("cannot start the proxy's worker threads: {0}")]
    Workers(#[source] std::io::Error),
}

/// Where the keystore's default identity file lives in a state directory.
pub fn default_identity_path(state: &crate::state::StateDir) -> PathBuf {
    state.root().join("keystore.key")
}
