//! File IPC between the host and an agent container.
//!
//! Owns the session directory layout (`sessions/<group>/<session>/ipc/{input,
//! messages,tasks,errors,events}`), the JSON message types, atomic writes into `input/`
//! (follow-ups and `_close`), and the router component that picks up what agents
//! write, authorizes it by the directory it was found in, and delivers or
//! quarantines it.

mod event;
mod inbox;
mod layout;
mod message;
mod router;
mod sink;
mod write;

pub use event::{BadEvent, RunnerEvent, TurnStatus, take_events};
pub use inbox::MAX_FILE_BYTES;
pub use layout::{IpcError, SessionDirs, check_session_id, init, latest_session, session_dirs};
pub use message::{InputMessage, MessageKind, OutboundMessage, TaskRequest};
pub use router::{Router, RouterStats};
pub use sink::{BoxFut, LogChannel, MessageSink, TaskRefusal, TaskSink};
pub use write::{CLOSE_FILE, close, send, write_json};
