//! Agent runs: a container for a group, with validated mounts, the proxy's
//! placeholder instead of a key, resource limits and a timeout.
//!
//! Owns the one run service ([`Runner`]: refusals before start, start, the
//! lifecycle from the runner's `events/`, stop, outcome), the run spec (what a
//! container gets), the engine calls that create, watch and stop it, the run
//! history in `runs/<id>.json` + `runs/<id>.log`, orphan clean-up, and the
//! compliance checks of running containers.

mod args;
mod caller;
mod compliance;
mod engine;
mod lifecycle;
pub mod memory;
mod ops;
mod outcome;
mod record;
mod runner;
mod schedule_run;
mod snapshot;
mod spec;
mod user;
mod verify;

pub use args::{DENIED_RUN_ARGS, ExtraArgs, check_extra_args};
pub use compliance::{ComplianceReport, check_running};
pub use engine::{
    LABEL_GROUP, LABEL_HOME, LABEL_MANAGED, LABEL_OWNER, LABEL_RUN, LABEL_TOKEN, RunningContainer,
    list_running, remove_orphans, stop_container,
};
pub use lifecycle::{CLOSE_GRACE, STOP_GRACE_SECS};
pub use memory::{AgentSession, Memory};
pub use ops::{connect_engine, engine_of, live_session, reconciled_history, stop_run};
pub use record::{RunMode, RunRecord, RunState, history, load_record};
pub use runner::{ProxyCheck, RunHandle, Runner, refuse};
pub use schedule_run::{ScheduleRun, run_schedule};
pub use spec::{AGENT_STATE_PATH, Bind, ExtraMount, RunRequest, RunSpec, build_spec};
pub use user::DEFAULT_ROOT_RUN_USER;
pub use verify::{BindCheck, verify_binds};

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    State(#[from] crate::state::StateError),
    #[error(transparent)]
    Ipc(#[from] crate::ipc::IpcError),
    #[error(transparent)]
    Group(#[from] crate::groups::GroupError),
    #[error(transparent)]
    Schedule(#[from] crate::schedule::ScheduleError),
    #[error("mount {host} rejected: {reason}")]
    MountRejected { host: String, reason: String },
    #[error("invalid mount {0:?}: expected HOST_PATH:NAME or HOST_PATH:NAME:rw")]
    BadMount(String),
    #[error("run argument {arg:?} in config.toml [runs] extra_run_args is not allowed: {why}")]
    DeniedArg { arg: String, why: String },
    #[error(transparent)]
    Network(#[from] crate::network::NetworkError),
    #[error(transparent)]
    Proxy(#[from] crate::proxy::ProxyError),
    #[error(
        "config.toml [runs] user {value:?} is not allowed: {why}; set an unprivileged UID:GID such as \"1000:1000\""
    )]
    BadUser { value: String, why: String },
    #[error("run {run} refused: {reason}")]
    Refused { run: String, reason: String },
    #[error(
        "run {run}: the agent exited{} before it was given its prompt; nothing was delivered{}",
        code.map(|c| format!(" with code {c}")).unwrap_or_default(),
        if output.is_empty() { String::new() } else { format!(". Its last output:\n{output}") }
    )]
    ExitedBeforePrompt {
        run: String,
        code: Option<i64>,
        /// The end of the container's output (why it stopped, usually).
        output: String,
    },
    #[error("no group {group:?}; the groups are: {known} (add one with `aigo group add NAME`)")]
    UnknownGroup { group: String, known: String },
    #[error(
        "image {image} is not built: build it with `aigo image build --tag {image}` (or write a custom context with `aigo image context DIR` and build it with `aigo image build --context DIR --tag {image}`)"
    )]
    ImageMissing { image: String },
    #[error(
        "no credential proxy is running for {state}, so the agent could not reach its API: start the daemon first (`aigo daemon`, or install it with `aigo daemon print-unit systemd`), then run again"
    )]
    NoProxy { state: String },
    #[error(
        "the daemon's credential proxy is not running (see `aigo logs`): runs are refused until it is"
    )]
    ProxyDown,
    #[error(
        "no running container for group {group:?}{session}: start one with `aigo run --group {group}` (see `aigo ps`)"
    )]
    NotRunning { group: String, session: String },
    #[error("no container runtime available: {0}")]
    NoRuntime(String),
    #[error("container engine: {action}: {message}")]
    Engine {
        action: &'static str,
        message: String,
    },
    #[error("no run {0:?} (see `aigo runs`)")]
    NotFound(String),
    #[error("cannot {action} {path}: {source}")]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
}

impl RunError {
    pub(crate) fn engine(action: &'static str, e: impl std::fmt::Display) -> Self {
        Self::Engine {
            action,
            message: e.to_string(),
        }
    }
}

/// A short random id for runs and sessions.
pub fn new_id() -> String {
    let mut b = [0u8; 6];
    // The OS RNG failing is not something a run id needs to stop for.
    if getrandom::fill(&mut b).is_err() {
        let n = jiff::Timestamp::now().as_nanosecond() as u64;
        b.copy_from_slice(&n.to_le_bytes()[..6]);
    }
    hex::encode(b)
}
