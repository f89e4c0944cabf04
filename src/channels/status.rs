//! A channel's live status: connection, bot identity, last error, counters.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use super::{BotIdentity, ChannelKind};

/// What `GET /api/v1/channels/{name}` and `aigo channels status` show.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChannelStatus {
    pub name: ChannelKind,
    /// Present in `channels.toml`.
    pub configured: bool,
    /// Its connector runs in this daemon.
    pub running: bool,
    /// The service answered on the current connection.
    pub connected: bool,
    pub bot: Option<BotIdentity>,
    pub last_error: Option<String>,
    pub last_error_at: Option<jiff::Timestamp>,
    pub connected_since: Option<jiff::Timestamp>,
    pub reconnects: u64,
    /// The connector gave up for good (say, Discord refused the intents): why,
    /// and what to fix. It stays stopped until the channel is added again.
    #[serde(default)]
    pub stopped: Option<String>,
    /// The latest reply that could not be delivered, for good.
    #[serde(default)]
    pub last_failure: Option<DeliveryFailure>,
    pub messages: MessageCounts,
}

/// A reply given up on: the service refused it, or kept failing for too long.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryFailure {
    pub chat_jid: String,
    pub group: Option<String>,
    pub reason: String,
    pub at: jiff::Timestamp,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageCounts {
    /// Inbound messages the service delivered.
    pub received: u64,
    /// Inbound messages passed to a group (session or new run).
    pub accepted: u64,
    /// Inbound messages ignored (unbound chat, sender not allowed, no mention).
    pub ignored: u64,
    /// Outbound messages delivered (one per router delivery, however many pieces).
    pub sent: u64,
    /// Outbound messages given up on (refused, or failing past the retry window).
    pub failed: u64,
    /// Outbound messages waiting in the persistent queue (being retried).
    #[serde(default)]
    pub queued: u64,
}

/// Shared between the hub, the connector and the API.
#[derive(Debug)]
pub struct StatusCell {
    kind: ChannelKind,
    connected: AtomicBool,
    pub reconnects: AtomicU64,
    pub received: AtomicU64,
    pub accepted: AtomicU64,
    pub ignored: AtomicU64,
    pub sent: AtomicU64,
    pub failed: AtomicU64,
    pub queued: AtomicU64,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    bot: Option<BotIdentity>,
    last_error: Option<(String, jiff::Timestamp)>,
    connected_since: Option<jiff::Timestamp>,
    stopped: Option<String>,
    last_failure: Option<DeliveryFailure>,
}

impl StatusCell {
    pub fn new(kind: ChannelKind) -> Self {
        Self {
            kind,
            connected: AtomicBool::new(false),
            reconnects: AtomicU64::new(0),
            received: AtomicU64::new(0),
            accepted: AtomicU64::new(0),
            ignored: AtomicU64::new(0),
            sent: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            queued: AtomicU64::new(0),
            inner: Mutex::new(Inner::default()),
        }
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The service answered: connected as `bot`.
    pub fn set_connected(&self, bot: BotIdentity) {
        let mut i = self.inner();
        i.bot = Some(bot);
        if !self.connected.swap(true, Ordering::Relaxed) {
            i.connected_since = Some(jiff::Timestamp::now());
        }
    }

    pub fn set_disconnected(&self, error: &str) {
        self.connected.store(false, Ordering::Relaxed);
        let mut i = self.inner();
        i.connected_since = None;
        i.last_error = Some((error.to_string(), jiff::Timestamp::now()));
    }

    /// The connector stopped for good; `why` says what to fix.
    pub fn set_stopped(&self, why: &str) {
        self.set_disconnected(why);
        self.inner().stopped = Some(why.to_string());
    }

    /// A reply given up on (also counted in `failed`).
    pub fn record_failure(&self, f: DeliveryFailure) {
        Self::bump(&self.failed);
        let mut i = self.inner();
        i.last_error = Some((f.reason.clone(), f.at));
        i.last_failure = Some(f);
    }

    pub fn record_error(&self, error: &str) {
        self.inner().last_error = Some((error.to_string(), jiff::Timestamp::now()));
    }

    pub fn is_connected(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
    }

    pub fn bot(&self) -> Option<BotIdentity> {
        self.inner().bot.clone()
    }

    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> ChannelStatus {
        let i = self.inner();
        let n = |c: &AtomicU64| c.load(Ordering::Relaxed);
        ChannelStatus {
            name: self.kind,
            configured: true,
            running: true,
            connected: self.is_connected(),
            bot: i.bot.clone(),
            last_error: i.last_error.as_ref().map(|(e, _)| e.clone()),
            last_error_at: i.last_error.as_ref().map(|(_, t)| *t),
            connected_since: i.connected_since,
            reconnects: n(&self.reconnects),
            stopped: i.stopped.clone(),
            last_failure: i.last_failure.clone(),
            messages: MessageCounts {
                received: n(&self.received),
                accepted: n(&self.accepted),
                ignored: n(&self.ignored),
                sent: n(&self.sent),
                failed: n(&self.failed),
                queued: n(&self.queued),
            },
        }
    }

    /// The status of a channel that is configured (or not) but not running here.
    pub fn idle(kind: ChannelKind, configured: bool) -> ChannelStatus {
        ChannelStatus {
            name: kind,
            configured,
            running: false,
            connected: false,
            bot: None,
            last_error: None,
            last_error_at: None,
            connected_since: None,
            reconnects: 0,
            stopped: None,
            last_failure: None,
            messages: MessageCounts::default(),
        }
    }
}
