//! WhatsApp Cloud API: messages go out through the Graph API
//! (`POST /{phone-number-id}/messages`, version configurable); messages come
//! in through a webhook the daemon serves, verified with the verify token (GET
//! handshake) and the app secret (`X-Hub-Signature-256` on POST). Meta retries
//! a notification it thinks was missed, so messages are deduplicated by id;
//! a `failed` status (say, outside the 24-hour customer service window) turns
//! an accepted send into a delivery failure.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use hmac::{Hmac, Mac};
use http::Method;
use serde_json::{Value, json};
use sha2::Sha256;

use super::dedup::Recent;
use super::{
    BotIdentity, Channel, ChannelError, ChannelKind, HttpClient, InboundMessage, Link, SendError,
};
use crate::groups::Jid;
use crate::ipc::BoxFut;
use crate::proxy::Secret;

const KIND: ChannelKind = ChannelKind::Whatsapp;

pub struct WhatsApp {
    base: String,
    phone_number_id: String,
    access_token: Secret,
    verify_token: Secret,
    app_secret: Secret,
    http: HttpClient,
    /// Message ids (and status ids) already handled.
    seen: Recent,
    /// Ids of messages sent from here → their chat, to name it in a failure.
    sent: Mutex<HashMap<String, String>>,
}

/// Ids remembered for dedup and for failed statuses.
const REMEMBER: usize = 4096;

/// What one webhook notification carried.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Received {
    pub messages: Vec<InboundMessage>,
    /// Sends Meta accepted but could not deliver.
    pub failures: Vec<StatusFailure>,
}

/// A `statuses` entry with `status: failed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusFailure {
    pub chat_jid: String,
    pub reason: String,
    /// The message was sent by this daemon (and counted as sent).
    pub ours: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WebhookError {
    #[error(
        "hub.mode must be \"subscribe\" and hub.verify_token must match the configured verify token"
    )]
    VerifyFailed,
    #[error("missing or wrong X-Hub-Signature-256")]
    BadSignature,
    #[error("the body is not a WhatsApp webhook notification: {0}")]
    BadBody(String),
}

impl WhatsApp {
    pub fn new(
        base: &str,
        phone_number_id: &str,
        access_token: Secret,
        verify_token: Secret,
        app_secret: Secret,
    ) -> Self {
        Self {
            base: base.trim_end_matches('/').to_string(),
            phone_number_id: phone_number_id.to_string(),
            access_token,
            verify_token,
            app_secret,
            http: HttpClient::new(),
            seen: Recent::new(REMEMBER),
            sent: Mutex::new(HashMap::new()),
        }
    }

    fn auth(&self) -> String {
        format!("Bearer {}", self.access_token.expose())
    }

    /// The GET handshake: the challenge to echo when mode and token match.
    pub fn verify<'a>(
        &self,
        mode: Option<&str>,
        token: Option<&str>,
        challenge: Option<&'a str>,
    ) -> Result<&'a str, WebhookError> {
        let token_ok = token.is_some_and(|t| {
            crate::util::ct_eq(t.as_bytes(), self.verify_token.expose().as_bytes())
        });
        match (mode, token_ok, challenge) {
            (Some("subscribe"), true, Some(c)) => Ok(c),
            _ => Err(WebhookError::VerifyFailed),
        }
    }

    /// A POST notification: checks the signature over the raw body, then returns
    /// the text messages it carries (each id once) and the failed statuses.
    pub fn receive(&self, signature: Option<&str>, body: &[u8]) -> Result<Received, WebhookError> {
        if !verify_signature(self.app_secret.expose().as_bytes(), signature, body) {
            return Err(WebhookError::BadSignature);
        }
        let v: Value =
            serde_json::from_slice(body).map_err(|e| WebhookError::BadBody(e.to_string()))?;
        if v["object"] != "whatsapp_business_account" {
            return Err(WebhookError::BadBody(
                "object is not whatsapp_business_account".into(),
            ));
        }
        let mut out = Received::default();
        let empty = Vec::new();
        for entry in v["entry"].as_array().unwrap_or(&empty) {
            for change in entry["changes"].as_array().unwrap_or(&empty) {
                let value = &change["value"];
                // Another number on the same app: not ours to answer.
                if let Some(id) = value["metadata"]["phone_number_id"].as_str()
                    && id != self.phone_number_id
                {
                    continue;
                }
                for m in value["messages"].as_array().unwrap_or(&empty) {
                    // Meta redelivers until it sees a 200: once per id.
                    if let Some(id) = m["id"].as_str()
                        && !self.seen.first(id)
                    {
                        continue;
                    }
                    if let Some(msg) = to_inbound(m, value) {
                        out.messages.push(msg);
                    }
                }
                for st in value["statuses"].as_array().unwrap_or(&empty) {
                    if st["status"] != "failed" {
                        continue;
                    }
                    let id = st["id"].as_str().unwrap_or("");
                    if !id.is_empty() && !self.seen.first(&format!("failed:{id}")) {
                        continue;
                    }
                    let known = self
                        .sent
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .remove(id);
                    let chat_jid = known.clone().or_else(|| {
                        st["recipient_id"]
                            .as_str()
                            .map(|r| Jid::WhatsApp(r.to_string()).to_string())
                    });
                    out.failures.push(StatusFailure {
                        chat_jid: chat_jid.unwrap_or_else(|| "whatsapp".into()),
                        reason: status_error(st),
                        ours: known.is_some(),
                    });
                }
            }
        }
        Ok(out)
    }
}

fn to_inbound(m: &Value, value: &Value) -> Option<InboundMessage> {
    if m["type"] != "text" {
        return None;
    }
    let from = m["from"].as_str()?;
    let text = m["text"]["body"].as_str()?.to_string();
    let name = value["contacts"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["wa_id"] == from))
        .and_then(|c| c["profile"]["name"].as_str())
        .map(str::to_string);
    let (chat_jid, direct) = match m["group_id"].as_str() {
        Some(g) => (Jid::WhatsAppGroup(g.to_string()), false),
        None => (Jid::WhatsApp(from.to_string()), true),
    };
    // Mentions arrive as `context.mentioned` ids in group messages.
    let mentioned = m["context"]["mentioned"]
        .as_array()
        .is_some_and(|ids| !ids.is_empty());
    Some(InboundMessage {
        channel: KIND,
        chat_jid: chat_jid.to_string(),
        sender_id: from.to_string(),
        sender_name: name,
        text,
        direct,
        mentioned,
        thread: None,
    })
}

/// Whether `header` is `sha256=<hex HMAC-SHA256 of body under secret>`, compared
/// in constant time.
pub fn verify_signature(secret: &[u8], header: Option<&str>, body: &[u8]) -> bool {
    let Some(given) = header
        .and_then(|h| h.trim().strip_prefix("sha256="))
        .and_then(|h| hex::decode(h).ok())
    else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

/// Why Meta could not deliver: `errors[0]` (code, title, details).
fn status_error(st: &Value) -> String {
    let e = &st["errors"][0];
    let code = e["code"]
        .as_i64()
        .map(|c| format!(" (code {c})"))
        .unwrap_or_default();
    let title = e["title"]
        .as_str()
        .or(e["message"].as_str())
        .unwrap_or("no reason given");
    match e["error_data"]["details"].as_str() {
        Some(d) => format!("WhatsApp could not deliver the message: {title}{code}: {d}"),
        None => format!("WhatsApp could not deliver the message: {title}{code}"),
    }
}

fn error_text(v: &Value, status: u16) -> String {
    match v["error"]["message"].as_str() {
        Some(m) => format!("{m} (HTTP {status})"),
        None => format!("HTTP {status}"),
    }
}

impl Channel for WhatsApp {
    fn kind(&self) -> ChannelKind {
        KIND
    }

    fn validate(&self) -> BoxFut<'_, Result<BotIdentity, ChannelError>> {
        Box::pin(async move {
            let url = format!(
                "{}/{}?fields=verified_name,display_phone_number",
                self.base, self.phone_number_id
            );
            let auth = self.auth();
            let r = self
                .http
                .call(
                    Method::GET,
                    &url,
                    &[("authorization", &auth)],
                    None,
                    Duration::from_secs(15),
                    "phone number lookup",
                )
                .await
                .map_err(|reason| ChannelError::Service { kind: KIND, reason })?;
            let v = r.json().unwrap_or(Value::Null);
            match r.status {
                200 => Ok(BotIdentity {
                    id: v["id"]
                        .as_str()
                        .unwrap_or(&self.phone_number_id)
                        .to_string(),
                    name: v["verified_name"].as_str().unwrap_or("").to_string(),
                    username: v["display_phone_number"].as_str().map(str::to_string),
                }),
                401 | 403 => Err(ChannelError::Unauthorized {
                    kind: KIND,
                    reason: error_text(&v, r.status),
                }),
                s => Err(ChannelError::Service {
                    kind: KIND,
                    reason: error_text(&v, s),
                }),
            }
        })
    }

    fn send<'a>(&'a self, jid: &'a Jid, text: &'a str) -> BoxFut<'a, Result<(), SendError>> {
        Box::pin(async move {
            let (to, recipient_type) = match jid {
                Jid::WhatsApp(n) => (n, "individual"),
                Jid::WhatsAppGroup(g) => (g, "group"),
                _ => return Err(SendError::Fatal(format!("{jid} is not a WhatsApp chat"))),
            };
            let body = json!({
                "messaging_product": "whatsapp",
                "recipient_type": recipient_type,
                "to": to,
                "type": "text",
                "text": {"preview_url": false, "body": text},
            });
            let url = format!("{}/{}/messages", self.base, self.phone_number_id);
            let auth = self.auth();
            let r = self
                .http
                .call(
                    Method::POST,
                    &url,
                    &[("authorization", &auth)],
                    Some(&body),
                    Duration::from_secs(30),
                    "messages",
                )
                .await
                .map_err(|reason| SendError::Retry {
                    after: None,
                    reason,
                })?;
            let v = r.json().unwrap_or(Value::Null);
            if r.status == 200 {
                // Accepted, not yet delivered: a `failed` status may follow.
                if let Some(id) = v["messages"][0]["id"].as_str() {
                    let mut sent = self.sent.lock().unwrap_or_else(|p| p.into_inner());
                    if sent.len() >= REMEMBER {
                        sent.clear();
                    }
                    sent.insert(id.to_string(), jid.to_string());
                }
                return Ok(());
            }
            Err(r.send_error("messages", error_text(&v, r.status)))
        })
    }

    fn listen<'a>(&'a self, link: &'a Link) -> BoxFut<'a, Result<(), ChannelError>> {
        Box::pin(async move {
            // Inbound arrives through the webhook; "connected" means the Graph
            // API accepts our token.
            let bot = tokio::select! {
                () = link.cancel.cancelled() => return Ok(()),
                b = self.validate() => b?,
            };
            link.status.set_connected(bot);
            link.cancel.cancelled().await;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::verify_signature;
    use hmac::{Hmac, Mac};

    #[test]
    fn signature_is_checked() {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"s3cret").unwrap();
        mac.update(b"{}");
        let good = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        assert!(verify_signature(b"s3cret", Some(&good), b"{}"));
        assert!(!verify_signature(b"other", Some(&good), b"{}"));
        assert!(!verify_signature(b"s3cret", Some(&good), b"{ }"));
        assert!(!verify_signature(b"s3cret", None, b"{}"));
        assert!(!verify_signature(b"s3cret", Some("sha256=zz"), b"{}"));
    }
}
