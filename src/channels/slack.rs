//! Slack Web API over HTTP: `auth.test` (bot token `xoxb-`), `apps.connections.open`
//! (app token `xapp-`, which Socket Mode needs) and `chat.postMessage` (text
//! escaped, in the thread of the message it answers). Inbound over Socket
//! Mode: a websocket whose envelopes are acknowledged, kept alive by pings
//! and an idle deadline (a socket silent past it is dead, whatever TCP says),
//! replaced on `disconnect` by a new one opened before the old one is let go,
//! and deduplicated across reconnects.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use http::Method;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::dedup::Recent;
use super::ws::{Frame, Ws};
use super::{
    BotIdentity, Channel, ChannelError, ChannelKind, HttpClient, HttpReply, InboundMessage, Link,
    SendError, StatusCell,
};
use crate::groups::Jid;
use crate::ipc::BoxFut;
use crate::proxy::Secret;

const KIND: ChannelKind = ChannelKind::Slack;
/// Events remembered for dedup (a mention arrives as `message` and
/// `app_mention`; Slack redelivers an envelope it thinks was not acked).
const SEEN: usize = 1024;

pub struct Slack {
    base: String,
    bot_token: Secret,
    app_token: Secret,
    http: HttpClient,
    /// No frame for this long: the socket is dead (pings go every third of it).
    idle: Duration,
    seen: Recent,
    /// Channel → the thread of the last message passed on from it.
    threads: Mutex<HashMap<String, Option<String>>>,
}

impl Slack {
    pub fn new(base: &str, bot_token: Secret, app_token: Secret) -> Self {
        Self {
            base: base.trim_end_matches('/').to_string(),
            bot_token,
            app_token,
            http: HttpClient::new(),
            idle: Duration::from_secs(30),
            seen: Recent::new(SEEN),
            threads: Mutex::new(HashMap::new()),
        }
    }

    /// A shorter idle deadline (tests; the default is 30 s).
    pub fn with_idle_deadline(mut self, idle: Duration) -> Self {
        self.idle = idle.max(Duration::from_millis(30));
        self
    }

    async fn call(&self, method: &str, token: &Secret, body: &Value) -> Result<HttpReply, String> {
        let auth = format!("Bearer {}", token.expose());
        self.http
            .call(
                Method::POST,
                &format!("{}/{method}", self.base),
                &[("authorization", &auth)],
                Some(body),
                Duration::from_secs(30),
                method,
            )
            .await
    }
}

/// `& < >` as Slack's text format wants them, so an agent's `<!channel>` or
/// `<@U123>` is shown, not acted on.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Slack answers HTTP 200 with `{"ok": false, "error": "invalid_auth"}`.
fn refused(v: &Value) -> Option<String> {
    (v["ok"] != true).then(|| v["error"].as_str().unwrap_or("no reason given").to_string())
}

fn is_auth_error(e: &str) -> bool {
    matches!(
        e,
        "invalid_auth"
            | "not_authed"
            | "account_inactive"
            | "token_revoked"
            | "token_expired"
            | "not_allowed_token_type"
    )
}

impl Slack {
    /// The bot's identity (`auth.test` with the bot token).
    async fn auth_test(&self) -> Result<BotIdentity, ChannelError> {
        let r = self
            .call("auth.test", &self.bot_token, &json!({}))
            .await
            .map_err(|reason| ChannelError::Service { kind: KIND, reason })?;
        let v = r.json().unwrap_or(Value::Null);
        if let Some(e) = refused(&v) {
            let reason = format!("bot token: {e} (HTTP {})", r.status);
            return Err(if is_auth_error(&e) || r.status == 401 {
                ChannelError::Unauthorized { kind: KIND, reason }
            } else {
                ChannelError::Service { kind: KIND, reason }
            });
        }
        Ok(BotIdentity {
            id: v["user_id"].as_str().unwrap_or("").to_string(),
            name: v["user"].as_str().unwrap_or("").to_string(),
            username: v["user"].as_str().map(str::to_string),
        })
    }

    /// A Socket Mode websocket URL (`apps.connections.open` with the app token).
    async fn open_connection(&self) -> Result<String, ChannelError> {
        let r = self
            .call("apps.connections.open", &self.app_token, &json!({}))
            .await
            .map_err(|reason| ChannelError::Service { kind: KIND, reason })?;
        let v = r.json().unwrap_or(Value::Null);
        if let Some(e) = refused(&v) {
            let reason = format!("app token (Socket Mode): {e} (HTTP {})", r.status);
            return Err(if e == "ratelimited" || r.status == 429 {
                ChannelError::Service {
                    kind: KIND,
                    reason: format!(
                        "apps.connections.open: rate limited by Slack (ratelimited){}",
                        r.retry_after
                            .map(|d| format!("; retry after {}s", d.as_secs()))
                            .unwrap_or_default()
                    ),
                }
            } else if is_auth_error(&e) || r.status == 401 {
                ChannelError::Unauthorized { kind: KIND, reason }
            } else {
                ChannelError::Service { kind: KIND, reason }
            });
        }
        v["url"]
            .as_str()
            .map(str::to_string)
            .ok_or(ChannelError::Service {
                kind: KIND,
                reason: "apps.connections.open returned no url".into(),
            })
    }

    /// A new Socket Mode connection, returned once Slack said `hello`.
    async fn open_socket(&self) -> Result<Ws, ChannelError> {
        let svc = |reason| ChannelError::Service { kind: KIND, reason };
        let url = self.open_connection().await?;
        let mut ws = Ws::connect(&url, Duration::from_secs(20))
            .await
            .map_err(svc)?;
        let hello = async {
            loop {
                match ws.next_json().await? {
                    Frame::Json(v) if v["type"] == "hello" => return Ok(()),
                    Frame::Json(_) | Frame::Pong => {}
                    Frame::Closed { why, .. } => return Err(why),
                }
            }
        };
        match tokio::time::timeout(self.idle.max(Duration::from_secs(1)), hello).await {
            Ok(Ok(())) => Ok(ws),
            Ok(Err(why)) => Err(svc(why)),
            Err(_) => Err(svc("Slack did not say hello on the new socket".into())),
        }
    }

    /// Socket Mode until the socket dies: acknowledge every envelope, pass
    /// message events on, replace the socket when Slack sends `disconnect`.
    async fn socket_mode(&self, link: &Link) -> Result<(), ChannelError> {
        let svc = |reason| ChannelError::Service { kind: KIND, reason };
        let bot = self.auth_test().await?;
        let mut ws = self.open_socket().await?;
        link.status.set_connected(bot.clone());
        type Opening<'a> = Pin<Box<dyn Future<Output = Result<Ws, ChannelError>> + Send + 'a>>;
        let mut replacement: Option<Opening<'_>> = None;
        let ping_every = self.idle / 3;
        let mut deadline = Instant::now() + self.idle;
        let mut ping_at = Instant::now() + ping_every;
        loop {
            let frame = tokio::select! {
                r = async { replacement.as_mut().expect("guarded").await }, if replacement.is_some() => {
                    replacement = None;
                    let old = std::mem::replace(&mut ws, r?);
                    tokio::spawn(old.close());
                    deadline = Instant::now() + self.idle;
                    tracing::info!(channel = %KIND, "switched to the new Socket Mode connection");
                    continue;
                }
                () = tokio::time::sleep_until(deadline) => {
                    return Err(svc(format!(
                        "no frame from Slack for {}s (not even a pong): the socket is dead",
                        self.idle.as_secs_f64()
                    )));
                }
                () = tokio::time::sleep_until(ping_at) => {
                    ping_at = Instant::now() + ping_every;
                    ws.ping().await.map_err(svc)?;
                    continue;
                }
                f = ws.next_json() => f.map_err(svc)?,
            };
            deadline = Instant::now() + self.idle;
            let v = match frame {
                Frame::Pong => continue,
                Frame::Json(v) => v,
                Frame::Closed { why, .. } => match replacement.take() {
                    // The old socket went first: wait for the new one.
                    Some(next) => {
                        ws = next.await?;
                        continue;
                    }
                    None => return Err(svc(why)),
                },
            };
            if let Some(id) = v["envelope_id"].as_str() {
                ws.send_json(&json!({"envelope_id": id}))
                    .await
                    .map_err(svc)?;
            }
            match v["type"].as_str() {
                Some("disconnect") => {
                    let reason = v["reason"].as_str().unwrap_or("");
                    if reason == "link_disabled" {
                        return Err(ChannelError::Stopped {
                            kind: KIND,
                            reason: "Slack turned Socket Mode off for this app (disconnect: link_disabled): enable Socket Mode in the app's settings at api.slack.com, then restart the daemon".into(),
                        });
                    }
                    tracing::info!(channel = %KIND, reason, "Slack asked for a new connection; opening it before letting this one go");
                    if replacement.is_none() {
                        replacement = Some(Box::pin(self.open_socket()));
                    }
                }
                Some("events_api") => {
                    let ev = &v["payload"]["event"];
                    // With both subscriptions a mention arrives twice (as
                    // `message` and `app_mention`, same channel and ts).
                    if let (Some(ch), Some(ts)) = (ev["channel"].as_str(), ev["ts"].as_str())
                        && !self.seen.first(&format!("{ch}/{ts}"))
                    {
                        continue;
                    }
                    if let Some(m) = to_inbound(ev, &bot.id) {
                        StatusCell::bump(&link.status.received);
                        if link.inbound.send(m).await.is_err() {
                            return Ok(());
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// A plain user message (no edits, no bots, not our own), from a `message`
/// event or an `app_mention` event (an app may subscribe to either or both).
fn to_inbound(ev: &Value, bot_user: &str) -> Option<InboundMessage> {
    let mention_event = ev["type"] == "app_mention";
    if !(mention_event || ev["type"] == "message")
        || ev.get("subtype").is_some()
        || ev.get("bot_id").is_some()
    {
        return None;
    }
    let user = ev["user"].as_str()?;
    if user == bot_user {
        return None;
    }
    let channel = ev["channel"].as_str()?;
    let text = ev["text"].as_str()?.to_string();
    let jid = Jid::parse(&format!("slack:{channel}")).ok()?;
    Some(InboundMessage {
        channel: KIND,
        chat_jid: jid.to_string(),
        sender_id: user.to_string(),
        sender_name: None,
        direct: ev["channel_type"] == "im",
        thread: ev["thread_ts"].as_str().map(str::to_string),
        mentioned: mention_event
            || (!bot_user.is_empty() && text.contains(&format!("<@{bot_user}>"))),
        text,
    })
}

impl Channel for Slack {
    fn kind(&self) -> ChannelKind {
        KIND
    }

    fn validate(&self) -> BoxFut<'_, Result<BotIdentity, ChannelError>> {
        Box::pin(async move {
            let bot = self.auth_test().await?;
            self.open_connection().await?;
            Ok(bot)
        })
    }

    fn send<'a>(&'a self, jid: &'a Jid, text: &'a str) -> BoxFut<'a, Result<(), SendError>> {
        Box::pin(async move {
            let Jid::Slack(channel) = jid else {
                return Err(SendError::Fatal(format!("{jid} is not a Slack channel")));
            };
            let thread = self
                .threads
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(channel.as_str())
                .cloned()
                .flatten();
            let mut body = json!({"channel": channel, "text": escape(text)});
            if let Some(t) = thread {
                body["thread_ts"] = Value::String(t);
            }
            let r = self
                .call("chat.postMessage", &self.bot_token, &body)
                .await
                .map_err(|reason| SendError::Retry {
                    after: None,
                    reason,
                })?;
            let v = r.json().unwrap_or(Value::Null);
            if r.status == 200 && v["ok"] == true {
                return Ok(());
            }
            let detail = refused(&v).unwrap_or_default();
            if detail == "ratelimited" {
                return Err(SendError::Retry {
                    after: r.retry_after,
                    reason: "chat.postMessage: rate limited by Slack (ratelimited)".into(),
                });
            }
            Err(r.send_error("chat.postMessage", detail))
        })
    }

    fn accepted(&self, msg: &InboundMessage) {
        if let Some(channel) = msg.chat_jid.strip_prefix("slack:") {
            self.threads
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(channel.to_string(), msg.thread.clone());
        }
    }

    fn listen<'a>(&'a self, link: &'a Link) -> BoxFut<'a, Result<(), ChannelError>> {
        Box::pin(async move {
            tokio::select! {
                () = link.cancel.cancelled() => Ok(()),
                r = self.socket_mode(link) => r,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn agent_text_cannot_ping_or_format_links() {
        assert_eq!(
            escape("<!channel> a & b <@U1> -> ok"),
            "&lt;!channel&gt; a &amp; b &lt;@U1&gt; -&gt; ok"
        );
    }
}
