//! Discord REST API over HTTP: `GET /users/@me` (identity) and
//! `POST /channels/{id}/messages` (with `allowed_mentions` limited to users, so
//! an agent's `@everyone` or role mention pings nobody, and the REST rate
//! limits kept per route and globally). Inbound over the gateway websocket:
//! see `discord_gateway.rs`.

use std::sync::Mutex;
use std::time::Duration;

use http::Method;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::discord_gateway::Session;
use super::discord_limits::RateLimits;
use super::{
    BotIdentity, Channel, ChannelError, ChannelKind, HttpClient, HttpReply, InboundMessage, Link,
    SendError,
};
use crate::groups::Jid;
use crate::ipc::BoxFut;
use crate::proxy::Secret;

pub(super) const KIND: ChannelKind = ChannelKind::Discord;

pub struct Discord {
    base: String,
    pub(super) token: Secret,
    http: HttpClient,
    limits: RateLimits,
    /// The gateway session to resume on the next connection, if any.
    pub(super) session: Mutex<Option<Session>>,
    pub(super) last_identify: Mutex<Option<Instant>>,
    bot: Mutex<Option<BotIdentity>>,
}

impl Discord {
    pub fn new(base: &str, token: Secret) -> Self {
        Self {
            base: base.trim_end_matches('/').to_string(),
            token,
            http: HttpClient::new(),
            limits: RateLimits::default(),
            session: Mutex::new(None),
            last_identify: Mutex::new(None),
            bot: Mutex::new(None),
        }
    }

    fn auth(&self) -> String {
        format!("Bot {}", self.token.expose())
    }

    pub(super) async fn get(&self, path: &str) -> Result<HttpReply, ChannelError> {
        let auth = self.auth();
        self.http
            .call(
                Method::GET,
                &format!("{}/{path}", self.base),
                &[("authorization", &auth)],
                None,
                Duration::from_secs(15),
                path,
            )
            .await
            .map_err(|reason| ChannelError::Service { kind: KIND, reason })
    }

    /// The bot's identity, asked once per adapter (a resume needs no REST call).
    pub(super) async fn bot_identity(&self) -> Result<BotIdentity, ChannelError> {
        if let Some(b) = self.bot.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            return Ok(b);
        }
        let b = self.validate().await?;
        *self.bot.lock().unwrap_or_else(|p| p.into_inner()) = Some(b.clone());
        Ok(b)
    }
}

pub(super) fn to_inbound(d: &Value, bot_id: &str) -> Option<InboundMessage> {
    let author = &d["author"];
    if author["bot"] == true || author["id"] == bot_id {
        return None;
    }
    let text = d["content"].as_str().filter(|t| !t.is_empty())?.to_string();
    let channel: u64 = d["channel_id"].as_str()?.parse().ok()?;
    let mentioned = d["mentions"]
        .as_array()
        .is_some_and(|ms| ms.iter().any(|m| m["id"] == bot_id))
        || text.contains(&format!("<@{bot_id}>"));
    Some(InboundMessage {
        channel: KIND,
        chat_jid: Jid::Discord(channel).to_string(),
        sender_id: author["id"].as_str()?.to_string(),
        sender_name: author["username"].as_str().map(str::to_string),
        direct: d.get("guild_id").is_none_or(Value::is_null),
        mentioned,
        text,
        thread: None,
    })
}

pub(super) fn message(v: &Value, status: u16) -> String {
    match v["message"].as_str() {
        Some(m) => format!("{m} (HTTP {status})"),
        None => format!("HTTP {status}"),
    }
}

impl Channel for Discord {
    fn kind(&self) -> ChannelKind {
        KIND
    }

    fn validate(&self) -> BoxFut<'_, Result<BotIdentity, ChannelError>> {
        Box::pin(async move {
            let r = self.get("users/@me").await?;
            let v = r.json().unwrap_or(Value::Null);
            match r.status {
                200 => Ok(BotIdentity {
                    id: v["id"].as_str().unwrap_or("").to_string(),
                    name: v["global_name"]
                        .as_str()
                        .or(v["username"].as_str())
                        .unwrap_or("")
                        .to_string(),
                    username: v["username"].as_str().map(str::to_string),
                }),
                401 | 403 => Err(ChannelError::Unauthorized {
                    kind: KIND,
                    reason: message(&v, r.status),
                }),
                s => Err(ChannelError::Service {
                    kind: KIND,
                    reason: message(&v, s),
                }),
            }
        })
    }

    fn send<'a>(&'a self, jid: &'a Jid, text: &'a str) -> BoxFut<'a, Result<(), SendError>> {
        Box::pin(async move {
            let Jid::Discord(channel) = jid else {
                return Err(SendError::Fatal(format!("{jid} is not a Discord channel")));
            };
            let route = format!("channels/{channel}/messages");
            self.limits.wait(&route).await;
            let auth = self.auth();
            // Users only: `@everyone`, `@here` and role mentions in an
            // agent's text stay plain text.
            let body = json!({"content": text, "allowed_mentions": {"parse": ["users"]}});
            let r = self
                .http
                .call(
                    Method::POST,
                    &format!("{}/{route}", self.base),
                    &[("authorization", &auth)],
                    Some(&body),
                    Duration::from_secs(30),
                    "create message",
                )
                .await
                .map_err(|reason| SendError::Retry {
                    after: None,
                    reason,
                })?;
            self.limits.update(&route, &r);
            if (200..300).contains(&r.status) {
                return Ok(());
            }
            let v = r.json().unwrap_or(Value::Null);
            let mut e = r.send_error("create message", message(&v, r.status));
            if let SendError::Retry { after, .. } = &mut e
                && after.is_none()
                && let Some(s) = v["retry_after"]
                    .as_f64()
                    .filter(|s| s.is_finite() && *s >= 0.0)
            {
                *after = Some(Duration::from_secs_f64(s));
            }
            Err(e)
        })
    }

    fn listen<'a>(&'a self, link: &'a Link) -> BoxFut<'a, Result<(), ChannelError>> {
        Box::pin(async move {
            tokio::select! {
                () = link.cancel.cancelled() => Ok(()),
                r = self.gateway(link) => r,
            }
        })
    }
}
