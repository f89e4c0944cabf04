//! Chat channels: Telegram, Slack, Discord and WhatsApp.
//!
//! Owns `channels.toml` (which channels are configured, their non-secret settings
//! and the *names* of their keystore entries; tokens live only in the keystore),
//! the [`Channel`] trait and one adapter per service speaking its wire format
//! directly over HTTP, and the [`ChannelHub`]: it runs each adapter's connector
//! (reconnecting with backoff, a dead channel never stopping the others), routes
//! inbound chat messages to a group through an [`InboundSink`], and delivers the
//! IPC router's outbound messages (it is a [`crate::ipc::MessageSink`]) to the
//! adapter a JID names: queued on disk per channel, delivered per chat in
//! order, split to the service's size limit and retried on 429/5xx/network
//! errors with backoff, so one channel's outage never delays another.

mod channel;
mod config;
mod dedup;
mod delivery;
mod discord;
mod discord_gateway;
mod discord_limits;
mod http;
mod hub;
mod inbound;
mod ops;
mod outbox;
mod retry;
mod slack;
mod split;
mod status;
mod telegram;
mod whatsapp;
mod ws;

pub use channel::{BotIdentity, Channel, ChannelKind, Link, Notice, SendError};
pub use config::{ChannelConfig, ChannelsFile, GRAPH_VERSION, is_graph_version};
pub use discord::Discord;
pub use http::{HttpClient, HttpReply};
pub use hub::{ChannelHub, HubOptions};
pub use inbound::{Decision, InboundMessage, InboundSink, decide};
pub use ops::{
    Built, ChannelSecrets, NewChannel, add, build, build_all, list, load_secrets, remove, roles,
    validate,
};
pub use outbox::{Outbox, Queued};
pub use retry::Backoff;
pub use slack::Slack;
pub use split::split_message;
pub use status::{ChannelStatus, DeliveryFailure, MessageCounts, StatusCell};
pub use telegram::Telegram;
pub use whatsapp::{Received, StatusFailure, WebhookError, WhatsApp, verify_signature};

use crate::proxy::KeystoreError;
use crate::state::StateError;

#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Keystore(#[from] KeystoreError),
    #[error("unknown channel {0:?}: expected telegram, slack, discord or whatsapp")]
    UnknownKind(String),
    #[error("the {0} channel is already configured (remove it first: `aigo channels remove {0}`)")]
    Exists(ChannelKind),
    #[error("the {0} channel is not configured (see `aigo channels add`)")]
    NotConfigured(ChannelKind),
    #[error("the {kind} channel needs {what}")]
    Missing { kind: ChannelKind, what: String },
    #[error("invalid {what}: {reason}")]
    Invalid { what: String, reason: String },
    #[error("the keystore has no {entry:?} for the {kind} channel; add the channel again")]
    SecretMissing { kind: ChannelKind, entry: String },
    /// The service refused the credentials (HTTP 401/403 or its own "unauthorized").
    #[error("{kind} refused the token: {reason}")]
    Unauthorized { kind: ChannelKind, reason: String },
    /// The service could not be reached or answered nonsense.
    #[error("{kind}: {reason}")]
    Service { kind: ChannelKind, reason: String },
    /// Reconnecting cannot help (Discord's fatal close codes): the connector
    /// stops and its status says what to fix.
    #[error("the {kind} channel stopped: {reason}")]
    Stopped { kind: ChannelKind, reason: String },
}
