//! Telegram Bot API over HTTP: `getMe`, `sendMessage`, and inbound by long
//! polling `getUpdates` (the request waits server-side up to `timeout` seconds
//! for updates: Telegram's event stream, not a fixed-interval poll). The
//! offset is kept in the state directory, so a restart neither repeats nor
//! skips updates; `retry_after` is honoured on every call; 409 is explained
//! (and a webhook that causes it deleted); a group upgraded to a supergroup
//! (`migrate_to_chat_id`) is followed to its new id.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use http::Method;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    BotIdentity, Channel, ChannelError, ChannelKind, HttpClient, HttpReply, InboundMessage, Link,
    Notice, SendError, StatusCell,
};
use crate::groups::Jid;
use crate::ipc::BoxFut;
use crate::proxy::Secret;

const KIND: ChannelKind = ChannelKind::Telegram;

pub struct Telegram {
    base: String,
    token: Secret,
    http: HttpClient,
    /// Seconds `getUpdates` may wait server-side.
    poll_timeout: u64,
    /// The next update id to ask for; kept across reconnects so nothing repeats.
    offset: Mutex<i64>,
    /// Where the offset survives restarts (`<state>/channels/telegram.json`).
    offset_file: Option<PathBuf>,
    /// Old chat id → new one, for chats that moved (group → supergroup).
    moved: Mutex<HashMap<i64, i64>>,
}

/// What one `getUpdates` came to.
enum Polled {
    Updates(usize),
    /// Telegram asked us to wait (`retry_after`) before the next call.
    Wait(Duration),
}

impl Telegram {
    pub fn new(base: &str, token: Secret) -> Self {
        Self {
            base: base.trim_end_matches('/').to_string(),
            token,
            http: HttpClient::new(),
            poll_timeout: 30,
            offset: Mutex::new(0),
            offset_file: None,
            moved: Mutex::new(HashMap::new()),
        }
    }

    /// Keeps the update offset in the state directory (read now, written
    /// after every batch). An unreadable file is set aside as `.corrupt`.
    pub fn with_state(mut self, state: &crate::state::StateDir) -> Self {
        let path = super::outbox::state_dir(state).join("telegram.json");
        match std::fs::read(&path) {
            Ok(b) => match serde_json::from_slice::<Value>(&b)
                .ok()
                .and_then(|v| v["offset"].as_i64())
            {
                Some(o) => self.offset = Mutex::new(o),
                None => {
                    tracing::error!(file = %path.display(), "unreadable Telegram offset; set aside as .corrupt, starting from Telegram's oldest pending update");
                    let _ = std::fs::rename(&path, path.with_extension("json.corrupt"));
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                tracing::error!(file = %path.display(), error = %e, "cannot read the Telegram offset")
            }
        }
        self.offset_file = Some(path);
        self
    }

    fn save_offset(&self, offset: i64) {
        if let Some(path) = &self.offset_file
            && let Err(e) =
                crate::state::write_atomic(path, json!({"offset": offset}).to_string().as_bytes())
        {
            tracing::error!(error = %e, "cannot save the Telegram offset; a restart may repeat updates");
        }
    }

    /// The id to send to: a moved chat's new one.
    fn current_chat(&self, id: i64) -> i64 {
        let m = self.moved.lock().unwrap_or_else(|p| p.into_inner());
        m.get(&id).copied().unwrap_or(id)
    }

    fn note_move(&self, link: &Link, from: i64, to: i64) {
        self.moved
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(from, to);
        let _ = link.notices.send(Notice::Moved {
            from: Jid::Telegram(from),
            to: Jid::Telegram(to),
        });
    }

    /// A shorter long-poll (tests; the default is 30 s).
    pub fn with_poll_timeout(mut self, secs: u64) -> Self {
        self.poll_timeout = secs;
        self
    }

    fn url(&self, method: &str) -> String {
        format!("{}/bot{}/{method}", self.base, self.token.expose())
    }

    async fn call(
        &self,
        method: &str,
        body: &Value,
        deadline: Duration,
    ) -> Result<HttpReply, String> {
        self.http
            .call(
                Method::POST,
                &self.url(method),
                &[],
                Some(body),
                deadline,
                method,
            )
            .await
    }

    async fn get_me(&self) -> Result<BotIdentity, ChannelError> {
        let r = self
            .call("getMe", &json!({}), Duration::from_secs(15))
            .await
            .map_err(|reason| ChannelError::Service { kind: KIND, reason })?;
        let v = r.json().unwrap_or(Value::Null);
        if r.status == 401 || r.status == 404 {
            // Telegram answers 404 when the token is not even shaped like one.
            return Err(ChannelError::Unauthorized {
                kind: KIND,
                reason: describe(&v, r.status),
            });
        }
        if v["ok"] != true {
            return Err(ChannelError::Service {
                kind: KIND,
                reason: format!("getMe: {}", describe(&v, r.status)),
            });
        }
        let u = &v["result"];
        Ok(BotIdentity {
            id: u["id"].to_string(),
            name: u["first_name"].as_str().unwrap_or("").to_string(),
            username: u["username"].as_str().map(str::to_string),
        })
    }

    fn offset(&self) -> i64 {
        *self.offset.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set_offset(&self, v: i64) {
        *self.offset.lock().unwrap_or_else(|p| p.into_inner()) = v;
    }

    /// Telegram's `retry_after`, when it asked for a pause.
    fn retry_after(v: &Value, r: &HttpReply) -> Option<Duration> {
        v["parameters"]["retry_after"]
            .as_u64()
            .map(Duration::from_secs)
            .or(r.retry_after)
            .or((r.status == 429).then_some(Duration::from_secs(5)))
    }

    /// 409: another poller, or a webhook (Telegram serves one or the other).
    async fn conflict(&self, link: &Link, v: &Value, status: u16) -> Result<Polled, ChannelError> {
        let desc = describe(v, status);
        if desc.contains("webhook") {
            let r = self
                .call(
                    "deleteWebhook",
                    &json!({"drop_pending_updates": false}),
                    Duration::from_secs(15),
                )
                .await
                .map_err(|reason| ChannelError::Service { kind: KIND, reason })?;
            if r.json().is_some_and(|d| d["ok"] == true) {
                let why = "a webhook was set for this bot, which stops getUpdates (409 Conflict); aigo deleted it and polls again";
                tracing::warn!(channel = %KIND, "{why}");
                link.status.record_error(why);
                return Ok(Polled::Updates(0));
            }
        }
        Err(ChannelError::Service {
            kind: KIND,
            reason: format!(
                "another program is polling this bot token ({desc}): Telegram lets one poller at a time; stop the other bot instance (or give it its own token)"
            ),
        })
    }

    /// One `getUpdates`.
    async fn poll(&self, link: &Link, bot: &BotIdentity) -> Result<Polled, ChannelError> {
        let body = json!({
            "offset": self.offset(),
            "timeout": self.poll_timeout,
            "allowed_updates": ["message"],
        });
        let deadline = Duration::from_secs(self.poll_timeout + 15);
        let r = self
            .call("getUpdates", &body, deadline)
            .await
            .map_err(|reason| ChannelError::Service { kind: KIND, reason })?;
        let v = r.json().unwrap_or(Value::Null);
        match r.status {
            401 => {
                return Err(ChannelError::Unauthorized {
                    kind: KIND,
                    reason: describe(&v, r.status),
                });
            }
            409 => return self.conflict(link, &v, r.status).await,
            _ => {}
        }
        if v["ok"] != true {
            if let Some(wait) = Self::retry_after(&v, &r) {
                link.status.record_error(&format!(
                    "getUpdates: rate limited by Telegram; waiting {}s (retry_after)",
                    wait.as_secs()
                ));
                return Ok(Polled::Wait(wait));
            }
            return Err(ChannelError::Service {
                kind: KIND,
                reason: format!("getUpdates: {}", describe(&v, r.status)),
            });
        }
        let updates: Vec<Update> =
            serde_json::from_value(v["result"].clone()).map_err(|e| ChannelError::Service {
                kind: KIND,
                reason: format!("getUpdates: unexpected answer: {e}"),
            })?;
        let n = updates.len();
        let before = self.offset();
        for u in updates {
            // Confirm first: a message that crashes us must not come back forever.
            self.set_offset(self.offset().max(u.update_id + 1));
            let Some(m) = u.message else { continue };
            if let Some(to) = m.migrate_to_chat_id {
                self.note_move(link, m.chat.id, to);
                continue;
            }
            if let Some(from) = m.migrate_from_chat_id {
                self.note_move(link, from, m.chat.id);
                continue;
            }
            let Some(m) = to_inbound(m, bot) else {
                continue;
            };
            StatusCell::bump(&link.status.received);
            if link.inbound.send(m).await.is_err() {
                break;
            }
        }
        if self.offset() != before {
            self.save_offset(self.offset());
        }
        Ok(Polled::Updates(n))
    }
}

#[derive(Debug, Deserialize)]
struct Update {
    update_id: i64,
    message: Option<Message>,
}

#[derive(Debug, Deserialize)]
struct Message {
    chat: Chat,
    /// In the old group: it became this supergroup.
    migrate_to_chat_id: Option<i64>,
    /// In the new supergroup: it was this group.
    migrate_from_chat_id: Option<i64>,
    from: Option<User>,
    text: Option<String>,
    caption: Option<String>,
    #[serde(default)]
    entities: Vec<Entity>,
    reply_to_message: Option<Box<Message>>,
}

#[derive(Debug, Deserialize)]
struct Chat {
    id: i64,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Debug, Deserialize)]
struct User {
    id: i64,
    #[serde(default)]
    is_bot: bool,
    username: Option<String>,
    first_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Entity {
    #[serde(rename = "type")]
    kind: String,
    user: Option<User>,
}

fn to_inbound(m: Message, bot: &BotIdentity) -> Option<InboundMessage> {
    let from = m.from?;
    if from.is_bot {
        return None;
    }
    let text = m.text.or(m.caption)?;
    let direct = m.chat.kind == "private";
    let handle = bot
        .username
        .as_deref()
        .map(|u| format!("@{u}").to_lowercase());
    let mentioned = handle
        .as_deref()
        .is_some_and(|h| mentions(&text.to_lowercase(), h))
        || m.entities.iter().any(|e| {
            e.kind == "text_mention" && e.user.as_ref().is_some_and(|u| u.id.to_string() == bot.id)
        })
        || m.reply_to_message
            .and_then(|r| r.from)
            .is_some_and(|u| u.id.to_string() == bot.id);
    Some(InboundMessage {
        channel: KIND,
        chat_jid: Jid::Telegram(m.chat.id).to_string(),
        sender_id: from.id.to_string(),
        sender_name: from.username.or(from.first_name),
        text,
        direct,
        mentioned,
        thread: None,
    })
}

/// `@handle` as a whole word: `@aigo_bot` does not count inside `@aigo_bot2`.
fn mentions(text: &str, handle: &str) -> bool {
    text.match_indices(handle).any(|(i, _)| {
        !text[i + handle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// Telegram's `description` (never the request, which holds the token).
fn describe(v: &Value, status: u16) -> String {
    match v["description"].as_str() {
        Some(d) => format!("{d} (HTTP {status})"),
        None => format!("HTTP {status}"),
    }
}

impl Channel for Telegram {
    fn kind(&self) -> ChannelKind {
        KIND
    }

    fn validate(&self) -> BoxFut<'_, Result<BotIdentity, ChannelError>> {
        Box::pin(self.get_me())
    }

    fn send<'a>(&'a self, jid: &'a Jid, text: &'a str) -> BoxFut<'a, Result<(), SendError>> {
        Box::pin(async move {
            let Jid::Telegram(chat_id) = jid else {
                return Err(SendError::Fatal(format!("{jid} is not a Telegram chat")));
            };
            let chat_id = self.current_chat(*chat_id);
            let body = json!({"chat_id": chat_id, "text": text});
            let r = self
                .call("sendMessage", &body, Duration::from_secs(30))
                .await
                .map_err(|reason| SendError::Retry {
                    after: None,
                    reason,
                })?;
            let v = r.json().unwrap_or(Value::Null);
            if r.status == 200 && v["ok"] == true {
                return Ok(());
            }
            if let Some(to) = v["parameters"]["migrate_to_chat_id"].as_i64() {
                self.moved
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(chat_id, to);
                return Err(SendError::Moved {
                    to: Jid::Telegram(to),
                    reason: format!("sendMessage: {}", describe(&v, r.status)),
                });
            }
            let mut e = r.send_error("sendMessage", describe_short(&v));
            if let SendError::Retry { after, .. } = &mut e
                && let Some(s) = v["parameters"]["retry_after"].as_u64()
            {
                *after = Some(Duration::from_secs(s));
            }
            Err(e)
        })
    }

    fn listen<'a>(&'a self, link: &'a Link) -> BoxFut<'a, Result<(), ChannelError>> {
        Box::pin(async move {
            let bot = tokio::select! {
                () = link.cancel.cancelled() => return Ok(()),
                b = self.get_me() => b?,
            };
            link.status.set_connected(bot.clone());
            loop {
                let started = std::time::Instant::now();
                let n = match tokio::select! {
                    () = link.cancel.cancelled() => return Ok(()),
                    r = self.poll(link, &bot) => r?,
                } {
                    Polled::Updates(n) => n,
                    Polled::Wait(d) => {
                        tokio::select! {
                            () = link.cancel.cancelled() => return Ok(()),
                            () = tokio::time::sleep(d) => {}
                        }
                        continue;
                    }
                };
                // Telegram holds an empty poll for `timeout` seconds; a server
                // that answers empty at once (a misconfigured API base) must
                // not make this a busy loop.
                if n == 0 && self.poll_timeout > 0 && started.elapsed() < Duration::from_millis(100)
                {
                    tokio::select! {
                        () = link.cancel.cancelled() => return Ok(()),
                        () = tokio::time::sleep(Duration::from_secs(1)) => {}
                    }
                }
            }
        })
    }
}

fn describe_short(v: &Value) -> String {
    v["description"].as_str().unwrap_or("").to_string()
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn a_mention_is_a_whole_handle() {
        assert!(mentions("@aigo_bot hi", "@aigo_bot"));
        assert!(mentions("hi @aigo_bot, there", "@aigo_bot"));
        assert!(mentions("/ask@aigo_bot", "@aigo_bot"));
        assert!(!mentions("@aigo_bot2 hi", "@aigo_bot"));
        assert!(mentions("@aigo_bot2 and @aigo_bot", "@aigo_bot"));
    }
}
