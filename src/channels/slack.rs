//! Slack Web API over HTTP: `auth.test` (bot token `xoxb-`), `apps.connections.open`
//! (app token `xapp-`, which Socket Mode needs) and `chat.postMessage`.
//! Inbound over Socket Mode needs a websocket client, not in this build yet.

use std::time::Duration;

use http::Method;
use serde_json::{Value, json};

use super::{
    BotIdentity, Channel, ChannelError, ChannelKind, HttpClient, HttpReply, Link, SendError,
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

impl Channel for Slack {
    fn kind(&self) -> ChannelKind {
        KIND
    }

    fn validate(&self) -> BoxFut<'_, Result<BotIdentity, ChannelError>> {
        Box::pin(async move {
            let svc = |reason| ChannelError::Service { kind: KIND, reason };
            let r = self
                .call("auth.test", &self.bot_token, &json!({}))
                .await
                .map_err(svc)?;
            let v = r.json().unwrap_or(Value::Null);
            if let Some(e) = refused(&v) {
                let reason = format!("bot token: {e} (HTTP {})", r.status);
                return Err(if is_auth_error(&e) || r.status == 401 {
                    ChannelError::Unauthorized { kind: KIND, reason }
                } else {
                    ChannelError::Service { kind: KIND, reason }
                });
            }
            let bot = BotIdentity {
                id: v["user_id"].as_str().unwrap_or("").to_string(),
                name: v["user"].as_str().unwrap_or("").to_string(),
                username: v["user"].as_str().map(str::to_string),
            };
            let r = self
                .call("apps.connections.open", &self.app_token, &json!({}))
                .await
                .map_err(svc)?;
            let v = r.json().unwrap_or(Value::Null);
            if let Some(e) = refused(&v) {
                return Err(ChannelError::Unauthorized {
                    kind: KIND,
                    reason: format!("app token (Socket Mode): {e} (HTTP {})", r.status),
                });
            }
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

    fn listen<'a>(&'a self, _link: &'a Link) -> BoxFut<'a, Result<(), ChannelError>> {
        Box::pin(async { Err(ChannelError::Unsupported(KIND)) })
    }
}
