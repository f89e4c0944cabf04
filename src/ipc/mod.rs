//! File IPC between the host and an agent container.
//!
//! Owns the session directory layout (`sessions/<group>/<session>/ipc/{input,
//! messages,tasks,errors,events}`), the JSON message and event types, writes
//! into `input/` (prompts, follow-ups and `_close`), reading `events/`, and the
//! router component that picks up what agents write, authorizes it by the
//! directory it was found in, and delivers or quarantines it, fairly across
//! groups and within per-group limits.
//!
//! Every folder below `ipc/` belongs to the agent and is handled through
//! directory handles ([`dirfd`]): an entry that is not a real directory is never
//! followed, written through or chmod'ed; the session is quarantined instead
//! ([`violation`]).

mod dirfd;
mod event;
mod layout;
mod limits;
mod message;
mod quarantine;
mod router;
mod session;
mod sink;
mod violation;
mod write;

pub use event::{RunnerEvent, TurnStatus, read_events};
pub use layout::{IpcError, SessionDirs, check_session_id, init, latest_session, session_dirs};
pub use limits::{IpcLimits, MAX_FILE_BYTES};
pub use message::{InputMessage, MessageKind, OutboundMessage, TaskRequest};
pub use router::{Router, RouterStats};
pub use session::REPLIES_FILE;
pub use sink::{BoxFut, LogChannel, MessageSink, TaskRefusal, TaskSink};
pub use violation::{QUARANTINE_MARKER, SessionViolation, is_quarantined, subscribe_violations};
pub use write::{
    CLOSE_FILE, TASKS_SNAPSHOT, clear_close, close, send, write_json, write_tasks_snapshot,
};
