//! Discord REST API over HTTP: `GET /users/@me` (identity) and
//! `POST /channels/{id}/messages`; inbound over the gateway websocket (hello,
//! identify, heartbeats with ack check, `MESSAGE_CREATE` dispatches). A new
//! connection identifies afresh (no resume): missed messages are not replayed.

use std::time::Duration;

use http::Method;
use serde_json::{Value, json};

use super::ws::{Frame, Ws};
use super::{
    BotIdentity, Channel, ChannelError, ChannelKind, HttpClient, InboundMessage, Link, SendError,
    StatusCell,
};
use crate::groups::Jid;
use crate::ipc::BoxFut;
use crate::proxy::Secret;

const KIND: ChannelKind = ChannelKind::Discord;

pub struct Discord {
    base: String,
    token: Secret,
    http: HttpClient,
}

impl Discord {
    pub fn new(base: &str, token: Secret) -> Self {
        Self {
            base: base.trim_end_matches('/').to_string(),
            token,
            http: HttpClient::new(),
        }
    }

    fn auth(&self) -> String {
        format!("Bot {}", self.token.expose())
    }
}

/// GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT (privileged: enable the
/// Message Content Intent in the developer portal).
const INTENTS: u64 = (1 << 9) | (1 << 12) | (1 << 15);

impl Discord {
    async fn gateway_url(&self) -> Result<String, ChannelError> {
        let auth = self.auth();
        let r = self
            .http
            .call(
                Method::GET,
                &format!("{}/gateway/bot", self.base),
                &[("authorization", &auth)],
                None,
                Duration::from_secs(15),
                "gateway/bot",
            )
            .await
            .map_err(|reason| ChannelError::Service { kind: KIND, reason })?;
        let v = r.json().unwrap_or(Value::Null);
        match (r.status, v["url"].as_str()) {
            (200, Some(u)) => Ok(format!("{}/?v=10&encoding=json", u.trim_end_matches('/'))),
            (401 | 403, _) => Err(ChannelError::Unauthorized {
                kind: KIND,
                reason: message(&v, r.status),
            }),
            (s, _) => Err(ChannelError::Service {
                kind: KIND,
                reason: format!("gateway/bot: {}", message(&v, s)),
            }),
        }
    }

    async fn gateway(&self, link: &Link) -> Result<(), ChannelError> {
        let svc = |reason: String| ChannelError::Service { kind: KIND, reason };
        let mut bot = self.validate().await?;
        let url = self.gateway_url().await?;
        let mut ws = Ws::connect(&url, Duration::from_secs(20))
            .await
            .map_err(svc)?;
        let interval = match ws.next_json().await.map_err(svc)? {
            Frame::Json(v) if v["op"] == 10 => {
                v["d"]["heartbeat_interval"].as_u64().unwrap_or(41_250)
            }
            Frame::Json(_) => return Err(svc("the gateway did not say hello".into())),
            Frame::Closed(why) => return Err(svc(why)),
        };
        ws.send_json(&json!({"op": 2, "d": {
            "token": self.token.expose(),
            "intents": INTENTS,
            "properties": {"os": std::env::consts::OS, "browser": "aigo", "device": "aigo"},
        }}))
        .await
        .map_err(svc)?;
        let every = Duration::from_millis(interval.max(100));
        let mut beat = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        let mut seq = Value::Null;
        let mut acked = true;
        loop {
            tokio::select! {
                _ = beat.tick() => {
                    // No ack since the last beat: a zombie connection.
                    if !acked {
                        return Err(svc("the gateway stopped acknowledging heartbeats".into()));
                    }
                    acked = false;
                    ws.send_json(&json!({"op": 1, "d": seq})).await.map_err(svc)?;
                }
                f = ws.next_json() => {
                    let v = match f.map_err(svc)? {
                        Frame::Json(v) => v,
                        Frame::Closed(why) => return Err(svc(why)),
                    };
                    match v["op"].as_u64() {
                        Some(0) => {
                            if !v["s"].is_null() {
                                seq = v["s"].clone();
                            }
                            match v["t"].as_str() {
                                Some("READY") => {
                                    if let Some(id) = v["d"]["user"]["id"].as_str() {
                                        bot.id = id.to_string();
                                    }
                                    link.status.set_connected(bot.clone());
                                }
                                Some("MESSAGE_CREATE") => {
                                    if let Some(m) = to_inbound(&v["d"], &bot.id) {
                                        StatusCell::bump(&link.status.received);
                                        if link.inbound.send(m).await.is_err() {
                                            return Ok(());
                                        }
                                    }
                                }
                                _ => {}
                            }
                        }
                        Some(1) => ws.send_json(&json!({"op": 1, "d": seq})).await.map_err(svc)?,
                        Some(7) => return Ok(()),
                        Some(9) => return Err(svc("the gateway invalidated the session".into())),
                        Some(11) => acked = true,
                        _ => {}
                    }
                }
            }
        }
    }
}

fn to_inbound(d: &Value, bot_id: &str) -> Option<InboundMessage> {
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
    })
}

fn message(v: &Value, status: u16) -> String {
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
            let auth = self.auth();
            let r = self
                .http
                .call(
                    Method::GET,
                    &format!("{}/users/@me", self.base),
                    &[("authorization", &auth)],
                    None,
                    Duration::from_secs(15),
                    "users/@me",
                )
                .await
                .map_err(|reason| ChannelError::Service { kind: KIND, reason })?;
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
            let auth = self.auth();
            let r = self
                .http
                .call(
                    Method::POST,
                    &format!("{}/channels/{channel}/messages", self.base),
                    &[("authorization", &auth)],
                    Some(&json!({"content": text})),
                    Duration::from_secs(30),
                    "create message",
                )
                .await
                .map_err(|reason| SendError::Retry {
                    after: None,
                    reason,
                })?;
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
