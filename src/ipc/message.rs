//! The JSON documents that cross the IPC boundary.

use serde::{Deserialize, Serialize};

/// Host → agent, in `input/`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", rename = "message", rename_all = "camelCase")]
pub struct InputMessage {
    pub text: String,
    pub sender: String,
    pub ts: jiff::Timestamp,
}

/// Agent → chat, in `messages/`. Unknown fields are refused: an agent that sends
/// something else gets told, not half-understood.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutboundMessage {
    /// Always `"message"`; spelled out because serde's `tag` and
    /// `deny_unknown_fields` do not combine.
    #[serde(rename = "type")]
    pub kind: MessageKind,
    pub chat_jid: String,
    pub text: String,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    #[default]
    Message,
}

impl OutboundMessage {
    pub fn new(chat_jid: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            kind: MessageKind::Message,
            chat_jid: chat_jid.into(),
            text: text.into(),
        }
    }
}

/// Agent → scheduler, in `tasks/`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TaskRequest {
    ScheduleTask(serde_json::Value),
    #[serde(rename_all = "camelCase")]
    PauseTask {
        task_id: String,
    },
    #[serde(rename_all = "camelCase")]
    ResumeTask {
        task_id: String,
    },
    #[serde(rename_all = "camelCase")]
    CancelTask {
        task_id: String,
    },
    #[serde(rename_all = "camelCase")]
    UpdateTask {
        task_id: String,
        #[serde(flatten)]
        changes: serde_json::Value,
    },
}
