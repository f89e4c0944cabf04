//! Discord REST API over HTTP: `GET /users/@me` (identity) and
//! `POST /channels/{id}/messages`. Inbound over the gateway needs a websocket
//! client, not in this build yet.

use std::time::Duration;

use http::Method;
use serde_json::{Value, json};

use super::{BotIdentity, Channel, ChannelError, ChannelKind, HttpClient, Link, SendError};
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

    fn listen<'a>(&'a self, _link: &'a Link) -> BoxFut<'a, Result<(), ChannelError>> {
        Box::pin(async { Err(ChannelError::Unsupported(KIND)) })
    }
}
