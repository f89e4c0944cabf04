//! The hub: every configured adapter, its connector loop, inbound routing and
//! outbound delivery. Each connector is its own task, so one that fails (or
//! panics) never stops the others; it reconnects with exponential backoff,
//! except after an error reconnecting cannot fix ([`ChannelError::Stopped`]).
//! Outbound delivery lives in `delivery.rs`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::FutureExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{
    Backoff, Channel, ChannelConfig, ChannelError, ChannelKind, ChannelStatus, Decision,
    InboundMessage, InboundSink, Link, Notice, Outbox, Queued, StatusCell, WebhookError, WhatsApp,
    decide,
};
use crate::audit::{AuditLog, Category, NewEvent, Severity};
use crate::groups::{self, Groups, Jid};
use crate::state::StateDir;

/// Timings; the defaults suit real services, tests shrink them.
#[derive(Debug, Clone)]
pub struct HubOptions {
    pub reconnect_base: Duration,
    pub reconnect_max: Duration,
    /// First wait before re-sending after a 5xx or network error (doubles).
    pub retry_base: Duration,
    /// The longest wait between tries without a `Retry-After` (the service's
    /// own `Retry-After` is honoured up to an hour).
    pub retry_max_wait: Duration,
    /// How long a reply is retried before it counts as failed for good.
    pub give_up_after: Duration,
}

impl Default for HubOptions {
    fn default() -> Self {
        Self {
            reconnect_base: Duration::from_secs(1),
            reconnect_max: Duration::from_secs(120),
            retry_base: Duration::from_secs(1),
            retry_max_wait: Duration::from_secs(60),
            give_up_after: Duration::from_secs(12 * 3600),
        }
    }
}

pub(super) struct Entry {
    pub(super) config: ChannelConfig,
    pub(super) channel: Arc<dyn Channel>,
    pub(super) status: Arc<StatusCell>,
    pub(super) outbox: Outbox,
    /// New queue entries for this channel's delivery worker.
    pub(super) queue: mpsc::UnboundedSender<(String, Queued)>,
    pub(super) queue_rx: Mutex<Option<mpsc::UnboundedReceiver<(String, Queued)>>>,
}

pub struct ChannelHub {
    pub(super) state: StateDir,
    pub(super) entries: BTreeMap<ChannelKind, Entry>,
    /// Configured but not startable (say, a keystore entry is missing): why.
    pub(super) broken: BTreeMap<ChannelKind, String>,
    whatsapp: Option<Arc<WhatsApp>>,
    sink: Arc<dyn InboundSink>,
    audit: Option<AuditLog>,
    pub(super) opts: HubOptions,
    tx: mpsc::Sender<InboundMessage>,
    rx: Mutex<Option<mpsc::Receiver<InboundMessage>>>,
    notices: mpsc::UnboundedSender<Notice>,
    notices_rx: Mutex<Option<mpsc::UnboundedReceiver<Notice>>>,
}

impl ChannelHub {
    pub fn new(state: StateDir, sink: Arc<dyn InboundSink>, opts: HubOptions) -> Self {
        let (tx, rx) = mpsc::channel(256);
        let (notices, notices_rx) = mpsc::unbounded_channel();
        Self {
            notices,
            notices_rx: Mutex::new(Some(notices_rx)),
            state,
            entries: BTreeMap::new(),
            broken: BTreeMap::new(),
            whatsapp: None,
            sink,
            audit: None,
            opts,
            tx,
            rx: Mutex::new(Some(rx)),
        }
    }

    /// Records refused senders and badly signed webhook calls in the audit log.
    pub fn set_audit(&mut self, audit: AuditLog) {
        self.audit = Some(audit);
    }

    pub(super) fn audit(&self, event: NewEvent) {
        if let Some(a) = &self.audit
            && let Err(e) = a.record(event)
        {
            tracing::error!(error = %e, "cannot write an audit event");
        }
    }

    pub fn add(&mut self, config: ChannelConfig, channel: Arc<dyn Channel>) {
        let kind = channel.kind();
        self.broken.remove(&kind);
        let (queue, rx) = mpsc::unbounded_channel();
        self.entries.insert(
            kind,
            Entry {
                config,
                channel,
                status: Arc::new(StatusCell::new(kind)),
                outbox: Outbox::new(&self.state, kind),
                queue,
                queue_rx: Mutex::new(Some(rx)),
            },
        );
    }

    /// WhatsApp is also the webhook's receiver, so the hub keeps it typed.
    pub fn add_whatsapp(&mut self, config: ChannelConfig, wa: Arc<WhatsApp>) {
        self.whatsapp = Some(wa.clone());
        self.add(config, wa);
    }

    pub fn add_broken(&mut self, kind: ChannelKind, reason: String) {
        self.broken.insert(kind, reason);
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.broken.is_empty()
    }

    pub fn kinds(&self) -> Vec<ChannelKind> {
        self.entries.keys().copied().collect()
    }

    /// Live status of a channel this hub runs (or failed to start).
    pub fn status(&self, kind: ChannelKind) -> Option<ChannelStatus> {
        if let Some(e) = self.entries.get(&kind) {
            return Some(e.status.snapshot());
        }
        self.broken.get(&kind).map(|why| {
            let mut s = StatusCell::idle(kind, true);
            s.last_error = Some(why.clone());
            s
        })
    }

    /// Runs every connector and the inbound dispatcher until `cancel`.
    pub async fn run(
        self: Arc<Self>,
        cancel: CancellationToken,
    ) -> Result<(), std::convert::Infallible> {
        let rx = self.rx.lock().unwrap_or_else(|p| p.into_inner()).take();
        let notices = self
            .notices_rx
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        let (Some(mut rx), Some(mut notices)) = (rx, notices) else {
            tracing::error!("the channel hub was started twice; ignoring the second start");
            return Ok(());
        };
        let mut tasks = tokio::task::JoinSet::new();
        let mut ids = std::collections::HashMap::new();
        let mut outbound = tokio::task::JoinSet::new();
        for kind in self.kinds() {
            outbound.spawn(self.clone().outbound(kind, cancel.clone()));
        }
        for kind in self.kinds() {
            let h = tasks.spawn(self.clone().connector(kind, cancel.clone(), Duration::ZERO));
            ids.insert(h.id(), kind);
        }
        for (kind, why) in &self.broken {
            tracing::error!(channel = %kind, reason = %why, "channel not started");
        }
        loop {
            tokio::select! {
                // A connector sends a chat's move before the messages from its
                // new id: handle it first, or they would find the chat unbound.
                biased;
                () = cancel.cancelled() => break,
                Some(n) = notices.recv() => match n {
                    Notice::Moved { from, to } => self.moved(&from, &to),
                    Notice::Undelivered { kind, chat_jid, reason, counted } => {
                        self.undelivered(kind, chat_jid, reason, counted);
                    }
                },
                m = rx.recv() => match m {
                    // A panic while handling one message (say, in the sink)
                    // must not take every channel's inbound path down with it.
                    Some(m) => {
                        let handled = std::panic::AssertUnwindSafe(self.dispatch(m)).catch_unwind();
                        if handled.await.is_err() {
                            tracing::error!("handling an inbound message panicked; going on with the next");
                        }
                    }
                    None => break,
                },
                Some(done) = tasks.join_next_with_id() => {
                    // A connector only ends by panicking (or on shutdown):
                    // restart it; the other channels never noticed.
                    if let Err(e) = done
                        && e.is_panic()
                        && let Some(kind) = ids.remove(&e.id())
                    {
                        let status = &self.entries[&kind].status;
                        status.set_disconnected("the connector panicked; restarting it");
                        tracing::error!(channel = %kind, "channel connector panicked; restarting it");
                        let delay = self.opts.reconnect_max.min(Duration::from_secs(5));
                        let h = tasks.spawn(self.clone().connector(kind, cancel.clone(), delay));
                        ids.insert(h.id(), kind);
                    }
                }
            }
        }
        tasks.shutdown().await;
        // Delivery workers finish (or abandon, after a grace) the send in flight.
        while outbound.join_next().await.is_some() {}
        Ok(())
    }

    async fn connector(
        self: Arc<Self>,
        kind: ChannelKind,
        cancel: CancellationToken,
        delay: Duration,
    ) {
        let Some(entry) = self.entries.get(&kind) else {
            return;
        };
        tokio::select! {
            () = cancel.cancelled() => return,
            () = tokio::time::sleep(delay) => {}
        }
        let link = Link {
            inbound: self.tx.clone(),
            notices: self.notices.clone(),
            status: entry.status.clone(),
            cancel: cancel.clone(),
        };
        let mut backoff = Backoff::new(self.opts.reconnect_base, self.opts.reconnect_max);
        loop {
            let res = entry.channel.listen(&link).await;
            if cancel.is_cancelled() {
                return;
            }
            let error = match res {
                Ok(()) => "the event stream ended".to_string(),
                Err(ChannelError::Stopped { reason, .. }) => {
                    entry.status.set_stopped(&reason);
                    tracing::error!(channel = %kind, %reason, "channel stopped; it needs fixing before it can reconnect");
                    self.audit(NewEvent::channel_refused(
                        None,
                        format!("the {kind} channel stopped: {reason}"),
                        serde_json::json!({"channel": kind, "reason": reason}),
                    ));
                    return;
                }
                Err(e) => e.to_string(),
            };
            if entry.status.is_connected() {
                backoff.reset();
            }
            entry.status.set_disconnected(&error);
            StatusCell::bump(&entry.status.reconnects);
            let wait = backoff.next_delay();
            tracing::warn!(channel = %kind, %error, wait_ms = wait.as_millis() as u64, "channel disconnected; reconnecting");
            tokio::select! {
                () = cancel.cancelled() => return,
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// A chat got a new id: bind its group to the new one too, and say so in
    /// the log and the audit log.
    pub(super) fn moved(&self, from: &Jid, to: &Jid) {
        let (from, to) = (from.to_string(), to.to_string());
        match groups::rebind(&self.state, &from, &to) {
            Ok(Some(group)) => {
                tracing::warn!(%from, %to, %group, "chat moved to a new id; group rebound");
                self.audit(
                    NewEvent::new(
                        Severity::Info,
                        Category::Channel,
                        format!("chat {from} moved to {to}; group {group} now bound to {to}"),
                    )
                    .group(group)
                    .details(serde_json::json!({"from": from, "to": to})),
                );
            }
            Ok(None) => tracing::info!(%from, %to, "an unbound chat moved to a new id"),
            Err(e) => {
                tracing::error!(%from, %to, error = %e, "chat moved to a new id, but its group cannot be rebound")
            }
        }
    }

    /// Routes one inbound message to its group (or ignores it, counted and logged).
    pub async fn dispatch(&self, msg: InboundMessage) {
        let Some(entry) = self.entries.get(&msg.channel) else {
            return;
        };
        let groups = Groups::load(&self.state).unwrap_or_else(|e| {
            tracing::error!(error = %e, "groups.toml does not load; ignoring inbound chat messages");
            Groups::default()
        });
        match decide(&groups, &msg, entry.config.trigger_word.as_deref()) {
            Decision::Ignore(why) => {
                StatusCell::bump(&entry.status.ignored);
                tracing::info!(channel = %msg.channel, chat = %msg.chat_jid, reason = %why, "inbound message ignored");
            }
            Decision::Refused { group, reason } => {
                StatusCell::bump(&entry.status.ignored);
                tracing::warn!(channel = %msg.channel, chat = %msg.chat_jid, %reason, "inbound message refused");
                self.audit(NewEvent::channel_refused(
                    Some(&group),
                    reason,
                    serde_json::json!({"channel": msg.channel, "chatJid": msg.chat_jid, "senderId": msg.sender_id}),
                ));
            }
            Decision::Deliver(group) => {
                // Before the run starts, so its reply finds the thread.
                entry.channel.accepted(&msg);
                match self.sink.deliver(&group, &msg).await {
                    Ok(summary) => {
                        StatusCell::bump(&entry.status.accepted);
                        tracing::info!(channel = %msg.channel, chat = %msg.chat_jid, group = %group.name, %summary, "inbound message delivered");
                    }
                    Err(e) => {
                        StatusCell::bump(&entry.status.ignored);
                        entry.status.record_error(&e);
                        tracing::error!(channel = %msg.channel, chat = %msg.chat_jid, group = %group.name, error = %e, "inbound message not delivered");
                    }
                }
            }
        }
    }

    /// The webhook's GET handshake.
    pub fn whatsapp_verify<'a>(
        &self,
        mode: Option<&str>,
        token: Option<&str>,
        challenge: Option<&'a str>,
    ) -> Option<Result<&'a str, WebhookError>> {
        self.whatsapp
            .as_ref()
            .map(|w| w.verify(mode, token, challenge))
    }

    /// The webhook's POST: checks the signature and parses (cheap), then hands
    /// messages and failed statuses on without waiting for either to be
    /// handled, so Meta gets its 200 at once. `None` when WhatsApp is not
    /// configured. Returns how many messages were queued.
    pub async fn whatsapp_webhook(
        &self,
        signature: Option<&str>,
        body: &[u8],
    ) -> Option<Result<usize, WebhookError>> {
        let wa = self.whatsapp.as_ref()?;
        let got = match wa.receive(signature, body) {
            Ok(m) => m,
            Err(e) => {
                if e == WebhookError::BadSignature {
                    self.audit(NewEvent::channel_refused(
                        None,
                        "WhatsApp webhook call with a missing or wrong signature refused",
                        serde_json::json!({"channel": "whatsapp", "bytes": body.len(), "signed": signature.is_some()}),
                    ));
                }
                return Some(Err(e));
            }
        };
        let n = got.messages.len();
        if let Some(e) = self.entries.get(&ChannelKind::Whatsapp) {
            for _ in 0..n {
                StatusCell::bump(&e.status.received);
            }
        }
        for f in got.failures {
            let _ = self.notices.send(Notice::Undelivered {
                kind: ChannelKind::Whatsapp,
                chat_jid: f.chat_jid,
                reason: f.reason,
                counted: f.ours,
            });
        }
        for m in got.messages {
            if let Err(mpsc::error::TrySendError::Full(m)) = self.tx.try_send(m) {
                let tx = self.tx.clone();
                tokio::spawn(async move { tx.send(m).await });
            }
        }
        Some(Ok(n))
    }
}
