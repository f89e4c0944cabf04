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
#[serde(
    tag = "type",
    rename = "message",
    rename_all = "camelCase",
    deny_unknown_fields
)]
pub struct OutboundMessage {
    pub chat_jid: String,
    pub text: String,
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
