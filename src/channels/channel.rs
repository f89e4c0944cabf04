//! The [`Channel`] trait every adapter implements, and the types it speaks.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{ChannelError, InboundMessage, StatusCell};
use crate::groups::Jid;
use crate::ipc::BoxFut;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    Telegram,
    Slack,
    Discord,
    Whatsapp,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 4] = [
        ChannelKind::Telegram,
        ChannelKind::Slack,
        ChannelKind::Discord,
        ChannelKind::Whatsapp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Telegram => "telegram",
            Self::Slack => "slack",
            Self::Discord => "discord",
            Self::Whatsapp => "whatsapp",
        }
    }

    /// The longest text one message may carry (UTF-16 units, the strictest count
    /// any of these services uses); longer replies are split.
    pub fn message_limit(self) -> usize {
        match self {
            Self::Telegram | Self::Whatsapp => 4096,
            Self::Discord => 2000,
            // Slack cuts text at 40,000 characters, counted after `& < >`
            // are escaped (up to 5 characters each).
            Self::Slack => 8_000,
        }
    }

    /// The channel that serves `jid` ([`Jid::channel`]).
    pub fn of(jid: &Jid) -> Self {
        match jid.channel() {
            "telegram" => Self::Telegram,
            "slack" => Self::Slack,
            "discord" => Self::Discord,
            _ => Self::Whatsapp,
        }
    }
}

impl fmt::Display for ChannelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ChannelKind {
    type Err = ChannelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| ChannelError::UnknownKind(s.to_string()))
    }
}

/// Who the bot is, as the service's identity endpoint reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BotIdentity {
    pub id: String,
    /// Display name (Telegram first name, Slack bot user, WhatsApp verified name).
    pub name: String,
    /// Handle used for @mentions, when the service has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// Why one send failed, and whether trying again can help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Rate limited (429), a 5xx or a network failure: retry, after `after` if
    /// the service said how long.
    Retry {
        after: Option<Duration>,
        reason: String,
    },
    /// Bad token, unknown chat, invalid request: retrying would fail the same way.
    Fatal(String),
    /// The chat has a new id (Telegram's `migrate_to_chat_id`): rebind it and
    /// send again; the adapter already sends there.
    Moved { to: Jid, reason: String },
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Retry { reason, .. } | Self::Fatal(reason) | Self::Moved { reason, .. } => {
                f.write_str(reason)
            }
        }
    }
}

/// What a connector tells the hub besides messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A chat got a new id (Telegram group → supergroup): rebind it.
    Moved { from: Jid, to: Jid },
    /// The service reported, after accepting it, that a reply was not delivered.
    Undelivered {
        kind: ChannelKind,
        chat_jid: String,
        reason: String,
        /// It was counted as sent.
        counted: bool,
    },
}

/// What the hub hands a connector: where inbound messages go, where its status
/// lives, and when to stop.
#[derive(Clone)]
pub struct Link {
    pub inbound: mpsc::Sender<InboundMessage>,
    pub notices: mpsc::UnboundedSender<Notice>,
    pub status: Arc<StatusCell>,
    pub cancel: CancellationToken,
}

/// One chat service. Implementations hold their credentials and API base URL.
pub trait Channel: Send + Sync {
    fn kind(&self) -> ChannelKind;

    /// Calls the service's identity endpoint (Telegram `getMe`, Slack `auth.test`…).
    fn validate(&self) -> BoxFut<'_, Result<BotIdentity, ChannelError>>;

    /// Sends one message no longer than [`ChannelKind::message_limit`].
    fn send<'a>(&'a self, jid: &'a Jid, text: &'a str) -> BoxFut<'a, Result<(), SendError>>;

    /// The hub passed `msg` on to its group: an adapter that answers in
    /// threads remembers where the reply should go.
    fn accepted(&self, _msg: &InboundMessage) {}

    /// Runs one connection of the inbound event stream until it fails or
    /// `link.cancel` fires; the hub reconnects with backoff. Marks the status
    /// connected once the service answered. Webhook-fed channels just wait.
    fn listen<'a>(&'a self, link: &'a Link) -> BoxFut<'a, Result<(), ChannelError>>;
}
