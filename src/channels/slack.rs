//! Slack Web API over HTTP: `auth.test` (bot token `xoxb-`), `apps.connections.open`
//! (app token `xapp-`, which Socket Mode needs) and `chat.postMessage`.
//! Inbound over Socket Mode: a websocket whose envelopes are acknowledged.

use std::time::Duration;

use http::Method;
use serde_json::{Value, json};

use super::ws::{Frame, Ws};
use super::{
    BotIdentity, Channel, ChannelError, ChannelKind, HttpClient, HttpReply, InboundMessage, Link,
    SendError, StatusCell,
};
use crate::groups::Jid;
use crate::ipc::BoxFut;
use crate::proxy::Secret;

const KIND: ChannelKind = ChannelKind::Slack;

pub struct Slack {
    base: String,
    bot_token: Secret,
    app_token: Secret,
    http: HttpClient,
}

impl Slack {
    pub fn new(base: &str, bot_token: Secret, app_token: Secret) -> Self {
        Self {
            base: base.trim_end_matches('/').to_string(),
            bot_token,
            app_token,
            http: HttpClient::new(),
        }
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
            return Err(ChannelError::Unauthorized {
                kind: KIND,
                reason: format!("app token (Socket Mode): {e} (HTTP {})", r.status),
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

    /// One Socket Mode connection: acknowledge every envelope, turn message
    /// events into inbound messages, return on `disconnect` (Slack asks us to
    /// reconnect every few hours) or when the socket dies.
    async fn socket_mode(&self, link: &Link) -> Result<(), ChannelError> {
        let svc = |reason| ChannelError::Service { kind: KIND, reason };
        let bot = self.auth_test().await?;
        let url = self.open_connection().await?;
        let mut ws = Ws::connect(&url, Duration::from_secs(20))
            .await
            .map_err(svc)?;
        let mut recent = std::collections::VecDeque::new();
        loop {
            let v = match ws.next_json().await.map_err(svc)? {
                Frame::Json(v) => v,
                Frame::Closed(why) => return Err(svc(why)),
            };
            if let Some(id) = v["envelope_id"].as_str() {
                ws.send_json(&json!({"envelope_id": id}))
                    .await
                    .map_err(svc)?;
            }
            match v["type"].as_str() {
                Some("hello") => link.status.set_connected(bot.clone()),
                Some("disconnect") => return Ok(()),
                Some("events_api") => {
                    let ev = &v["payload"]["event"];
                    // With both subscriptions a mention arrives twice (as
                    // `message` and `app_mention`, same channel and ts).
                    if let (Some(ch), Some(ts)) = (ev["channel"].as_str(), ev["ts"].as_str()) {
                        let key = format!("{ch}/{ts}");
                        if recent.contains(&key) {
                            continue;
                        }
                        if recent.len() == 256 {
                            recent.pop_front();
                        }
                        recent.push_back(key);
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
            let body = json!({"channel": channel, "text": text});
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
                    reason: "chat.postMessage: ratelimited".into(),
                });
            }
            Err(r.send_error("chat.postMessage", detail))
        })
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
