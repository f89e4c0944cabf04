//! Outbound delivery. The router's [`MessageSink::deliver`] only writes the
//! reply to the channel's persistent [`Outbox`] and returns, so the router
//! never waits on a chat service. Each channel has a worker that hands every
//! entry to its chat's lane: one task per chat, delivering that chat's replies
//! in order. A lane that waits out a rate limit or an outage holds up only its
//! own chat; other chats and other channels go on. Transient failures (429,
//! 5xx, network) are retried with backoff, honouring the service's
//! `Retry-After`, until `give_up_after`; refusals fail at once. Either way a
//! failure is counted, shown in the status and written to the audit log.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::hub::Entry;
use super::{
    Backoff, ChannelHub, ChannelKind, DeliveryFailure, Queued, SendError, StatusCell, split_message,
};
use crate::audit::{Category, NewEvent, Severity};
use crate::groups::Jid;
use crate::ipc::{BoxFut, MessageSink, OutboundMessage};

/// How long a send in flight may finish after shutdown begins (abandoning it
/// sooner risks a duplicate: the service may have taken it already).
const SEND_GRACE: Duration = Duration::from_secs(5);
/// The longest `Retry-After` believed.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

type Item = (String, Queued);

impl ChannelHub {
    fn entry(&self, kind: ChannelKind) -> &Entry {
        &self.entries[&kind]
    }

    /// Component: feeds `kind`'s queue (what is on disk first, then what
    /// arrives) to one lane per chat, until `cancel`.
    pub(super) async fn outbound(self: Arc<Self>, kind: ChannelKind, cancel: CancellationToken) {
        let entry = self.entry(kind);
        let rx = entry
            .queue_rx
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        let Some(mut rx) = rx else { return };
        // Taken before reading the directory: an entry queued meanwhile is
        // both on disk and in `rx`, and `initial` tells the two apart.
        let pending = entry.outbox.pending();
        let initial: HashSet<String> = pending.iter().map(|(n, _)| n.clone()).collect();
        if !pending.is_empty() {
            tracing::info!(channel = %kind, replies = pending.len(), "resuming queued replies");
        }
        let mut lanes: HashMap<String, mpsc::UnboundedSender<Item>> = HashMap::new();
        let mut tasks = tokio::task::JoinSet::new();
        for item in pending {
            self.route(kind, item, &mut lanes, &mut tasks, &cancel);
        }
        loop {
            tokio::select! {
                () = cancel.cancelled() => break,
                m = rx.recv() => match m {
                    Some(item) if !initial.contains(&item.0) => {
                        self.route(kind, item, &mut lanes, &mut tasks, &cancel);
                    }
                    Some(_) => {}
                    None => break,
                },
                // A lane only ends by panicking (or on shutdown); the next
                // reply for its chat starts a new one, and the entry it was
                // on stays on disk for the next start.
                Some(done) = tasks.join_next(), if !tasks.is_empty() => {
                    if let Err(e) = done && e.is_panic() {
                        tracing::error!(channel = %kind, "a delivery lane panicked");
                    }
                }
            }
        }
        drop(lanes);
        while tasks.join_next().await.is_some() {}
    }

    fn route(
        self: &Arc<Self>,
        kind: ChannelKind,
        item: Item,
        lanes: &mut HashMap<String, mpsc::UnboundedSender<Item>>,
        tasks: &mut tokio::task::JoinSet<()>,
        cancel: &CancellationToken,
    ) {
        // Counted here, once per entry whichever way it came.
        self.entry(kind)
            .status
            .queued
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let chat = item.1.chat_jid.clone();
        let item = match lanes.get(&chat) {
            Some(lane) => match lane.send(item) {
                Ok(()) => return,
                Err(mpsc::error::SendError(item)) => item,
            },
            None => item,
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let _ = tx.send(item);
        lanes.insert(chat, tx);
        tasks.spawn(self.clone().lane(kind, rx, cancel.clone()));
    }

    async fn lane(
        self: Arc<Self>,
        kind: ChannelKind,
        mut rx: mpsc::UnboundedReceiver<Item>,
        cancel: CancellationToken,
    ) {
        loop {
            let item = tokio::select! {
                () = cancel.cancelled() => return,
                m = rx.recv() => m,
            };
            let Some((name, q)) = item else { return };
            if !self.deliver_queued(kind, &name, q, &cancel).await {
                return;
            }
        }
    }

    /// Delivers one queued reply, retrying as long as it may. Returns false
    /// when shutdown interrupted it (the entry stays queued).
    async fn deliver_queued(
        &self,
        kind: ChannelKind,
        name: &str,
        mut q: Queued,
        cancel: &CancellationToken,
    ) -> bool {
        let entry = self.entry(kind);
        let jid = match Jid::parse(&q.chat_jid) {
            Ok(j) => j,
            Err(e) => {
                self.give_up(entry, name, &q, e.to_string());
                return true;
            }
        };
        let pieces = split_message(&q.text, kind.message_limit());
        let mut backoff = Backoff::new(self.opts.retry_base, self.opts.retry_max_wait);
        let mut moved = false;
        while q.pieces_sent < pieces.len() {
            let send = entry.channel.send(&jid, &pieces[q.pieces_sent]);
            let res = tokio::select! {
                r = send => r,
                () = async { cancel.cancelled().await; tokio::time::sleep(SEND_GRACE).await } => {
                    return false;
                }
            };
            match res {
                Ok(()) => {
                    q.pieces_sent += 1;
                    backoff.reset();
                    if q.pieces_sent < pieces.len() {
                        self.save(entry, name, &q);
                    }
                }
                Err(SendError::Fatal(reason)) => {
                    self.give_up(entry, name, &q, reason);
                    return true;
                }
                // Once: a chat that keeps moving is not followed in circles.
                Err(SendError::Moved { to, reason }) if !moved => {
                    moved = true;
                    tracing::info!(channel = %kind, chat = %q.chat_jid, %reason, "the chat moved; sending to its new id");
                    self.moved(&jid, &to);
                }
                Err(SendError::Moved { reason, .. }) => {
                    self.give_up(entry, name, &q, reason);
                    return true;
                }
                Err(SendError::Retry { after, reason }) => {
                    q.attempts += 1;
                    let age = jiff::Timestamp::now().duration_since(q.queued_at);
                    if age.unsigned_abs() >= self.opts.give_up_after {
                        let why = format!(
                            "{reason} (gave up after {} tries over {}s)",
                            q.attempts,
                            age.as_secs()
                        );
                        self.give_up(entry, name, &q, why);
                        return true;
                    }
                    self.save(entry, name, &q);
                    let wait = match after {
                        Some(a) => a.min(MAX_RETRY_AFTER),
                        None => backoff.next_delay(),
                    };
                    entry.status.record_error(&reason);
                    tracing::warn!(channel = %kind, chat = %q.chat_jid, %reason, attempt = q.attempts, wait_ms = wait.as_millis() as u64, "reply not delivered yet; retrying");
                    tokio::select! {
                        () = cancel.cancelled() => return false,
                        () = tokio::time::sleep(wait) => {}
                    }
                }
            }
        }
        self.done(entry, name);
        StatusCell::bump(&entry.status.sent);
        tracing::debug!(channel = %kind, group = %q.group, chat = %q.chat_jid, "delivered to chat");
        true
    }

    fn save(&self, entry: &Entry, name: &str, q: &Queued) {
        if let Err(e) = entry.outbox.save(name, q) {
            // Delivery goes on from memory; a restart would resend from the
            // last recorded piece.
            tracing::error!(error = %e, "cannot record delivery progress");
        }
    }

    fn done(&self, entry: &Entry, name: &str) {
        entry
            .status
            .queued
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        if let Err(e) = entry.outbox.remove(name) {
            tracing::error!(error = %e, "cannot remove a delivered reply from the queue; it may be sent again after a restart");
        }
    }

    fn give_up(&self, entry: &Entry, name: &str, q: &Queued, reason: String) {
        self.done(entry, name);
        let details = serde_json::json!({
            "attempts": q.attempts,
            "piecesSent": q.pieces_sent,
            "chars": q.text.chars().count(),
        });
        self.report_failure(entry, Some(&q.group), &q.chat_jid, reason, details);
    }

    /// A reply the service took but could not deliver (WhatsApp's `failed`
    /// status): a failure like any other; `counted` undoes its `sent`.
    pub(super) fn undelivered(
        &self,
        kind: ChannelKind,
        chat_jid: String,
        reason: String,
        counted: bool,
    ) {
        let Some(entry) = self.entries.get(&kind) else {
            return;
        };
        if counted {
            let _ = entry.status.sent.fetch_update(
                std::sync::atomic::Ordering::Relaxed,
                std::sync::atomic::Ordering::Relaxed,
                |n| n.checked_sub(1),
            );
        }
        let group = crate::groups::Groups::load(&self.state)
            .ok()
            .and_then(|g| g.owner_of(&chat_jid).map(|g| g.name.clone()));
        let details = serde_json::json!({"reportedBy": "status callback"});
        self.report_failure(entry, group.as_deref(), &chat_jid, reason, details);
    }

    /// Counts, logs, audits and shows (in the status) one reply given up on.
    fn report_failure(
        &self,
        entry: &Entry,
        group: Option<&str>,
        chat_jid: &str,
        reason: String,
        mut details: serde_json::Value,
    ) {
        let kind = entry.channel.kind();
        tracing::error!(channel = %kind, group, chat = %chat_jid, %reason, "reply not delivered");
        details["channel"] = serde_json::json!(kind);
        details["chatJid"] = chat_jid.into();
        details["reason"] = reason.clone().into();
        let mut ev = NewEvent::new(
            Severity::Warning,
            Category::Channel,
            format!("reply to {chat_jid} not delivered: {reason}"),
        )
        .details(details);
        if let Some(g) = group {
            ev = ev.group(g);
        }
        self.audit(ev);
        entry.status.record_failure(DeliveryFailure {
            chat_jid: chat_jid.to_string(),
            group: group.map(str::to_string),
            reason,
            at: jiff::Timestamp::now(),
        });
    }
}

impl MessageSink for ChannelHub {
    /// Queues the reply on disk for its channel; `Err` only when no channel
    /// can ever take it (unknown JID, channel not configured or broken).
    fn deliver<'a>(
        &'a self,
        group: &'a str,
        msg: &'a OutboundMessage,
    ) -> BoxFut<'a, Result<(), String>> {
        Box::pin(async move {
            let jid = Jid::parse(&msg.chat_jid).map_err(|e| e.to_string())?;
            let kind = ChannelKind::of(&jid);
            let Some(entry) = self.entries.get(&kind) else {
                return Err(match self.broken.get(&kind) {
                    Some(why) => format!("the {kind} channel is not running: {why}"),
                    None => {
                        format!("no {kind} channel is configured (see `aigo channels add {kind}`)")
                    }
                });
            };
            let q = Queued {
                group: group.to_string(),
                chat_jid: jid.to_string(),
                text: msg.text.clone(),
                pieces_sent: 0,
                attempts: 0,
                queued_at: jiff::Timestamp::now(),
            };
            let name = entry.outbox.push(&q).map_err(|e| e.to_string())?;
            let _ = entry.queue.send((name, q));
            Ok(())
        })
    }
}
