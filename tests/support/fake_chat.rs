//! Fake chat services on 127.0.0.1 speaking the real wire formats: the
//! Telegram Bot API (`/bot<token>/<method>`, long-polled `getUpdates`) and the
//! WhatsApp Cloud (Graph) API. They record what they were sent and can drop a
//! connection, rate-limit (429 + retry_after) or fail (5xx) on request.
#![allow(dead_code)]
#![allow(clippy::unwrap_used)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::sync::Notify;

/// What the fake answers: status, extra headers, JSON body. `None`: drop the
/// connection without an answer.
pub type Answer = Option<(u16, Vec<(&'static str, String)>, Value)>;

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    pub body: Value,
}

/// Knobs shared by both fakes.
#[derive(Default)]
pub struct Faults {
    /// Drop this many of the next long-poll (or any) requests.
    pub drop_next: AtomicU32,
    /// Answer this many of the next sends with 429.
    pub rate_limit_next: AtomicU32,
    /// Answer this many of the next sends with 502.
    pub fail_next: AtomicU32,
    /// Websockets: this many of the next connections say hello, then go
    /// silent (no frames, no pongs, nothing read), as after a NAT change.
    pub silent_next: AtomicU32,
    /// HTTP: while set, every request is dropped unanswered (the service is down).
    pub down: std::sync::atomic::AtomicBool,
}

fn take(c: &AtomicU32) -> bool {
    c.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| v.checked_sub(1))
        .is_ok()
}

async fn serve<F, Fut>(handler: F) -> SocketAddr
where
    F: Fn(Seen) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = Answer> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let h = handler.clone();
            tokio::spawn(async move {
                let svc = service_fn(move |req: Request<Incoming>| {
                    let h = h.clone();
                    async move {
                        let (parts, body) = req.into_parts();
                        let bytes = body
                            .collect()
                            .await
                            .map(|c| c.to_bytes())
                            .unwrap_or_default();
                        let seen = Seen {
                            method: parts.method.to_string(),
                            path: parts
                                .uri
                                .path_and_query()
                                .map(|p| p.to_string())
                                .unwrap_or_default(),
                            authorization: parts
                                .headers
                                .get("authorization")
                                .and_then(|v| v.to_str().ok())
                                .map(str::to_string),
                            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
                        };
                        match h(seen).await {
                            // An error makes hyper close the connection unanswered.
                            None => {
                                Err::<Response<Full<Bytes>>, _>(std::io::Error::other("dropped"))
                            }
                            Some((status, headers, v)) => {
                                let mut b = Response::builder()
                                    .status(status)
                                    .header("content-type", "application/json");
                                for (k, val) in headers {
                                    b = b.header(k, val);
                                }
                                Ok(b.body(Full::new(Bytes::from(v.to_string()))).unwrap())
                            }
                        }
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    addr
}

// ---------------------------------------------------------------- Telegram

pub const TG_BOT_ID: i64 = 777;
pub const TG_BOT_USERNAME: &str = "aigo_bot";

/// Telegram-only knobs and records.
#[derive(Default)]
pub struct TgExtra {
    /// Old chat id → supergroup id: `sendMessage` to the old id answers 400
    /// with `migrate_to_chat_id`, as Telegram does.
    pub migrated: Mutex<std::collections::HashMap<i64, i64>>,
    /// `getUpdates` answers 409 with this description until cleared (a
    /// webhook's conflict is cleared by `deleteWebhook`).
    pub conflict: Mutex<Option<String>>,
    pub webhook_deletes: AtomicU32,
    /// Answer this many of the next `getUpdates` with 429 and `retry_after: 1`.
    pub poll_limit_next: AtomicU32,
    /// The `offset` of every `getUpdates`.
    pub offsets: Mutex<Vec<i64>>,
}

pub const TG_WEBHOOK_CONFLICT: &str = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
pub const TG_POLLER_CONFLICT: &str = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";

pub struct FakeTelegram {
    pub addr: SocketAddr,
    pub token: String,
    pub faults: Arc<Faults>,
    pub extra: Arc<TgExtra>,
    pub sent: Arc<Mutex<Vec<Value>>>,
    pub polls: Arc<AtomicU32>,
    queue: Arc<Mutex<VecDeque<Value>>>,
    ready: Arc<Notify>,
    next_id: Arc<AtomicI64>,
}

impl FakeTelegram {
    pub async fn start(token: &str) -> Self {
        let faults = Arc::new(Faults::default());
        let extra = Arc::new(TgExtra::default());
        let sent = Arc::new(Mutex::new(Vec::new()));
        let polls = Arc::new(AtomicU32::new(0));
        let queue = Arc::new(Mutex::new(VecDeque::new()));
        let ready = Arc::new(Notify::new());
        let token_s = token.to_string();
        let (f, s, p, q, r, x) = (
            faults.clone(),
            sent.clone(),
            polls.clone(),
            queue.clone(),
            ready.clone(),
            extra.clone(),
        );
        let addr = serve(move |seen: Seen| {
            let (f, s, p, q, r, x, token) = (
                f.clone(),
                s.clone(),
                p.clone(),
                q.clone(),
                r.clone(),
                x.clone(),
                token_s.clone(),
            );
            async move { telegram_answer(seen, &token, &f, &x, &s, &p, &q, &r).await }
        })
        .await;
        Self {
            addr,
            token: token.to_string(),
            faults,
            extra,
            sent,
            polls,
            queue,
            ready,
            next_id: Arc::new(AtomicI64::new(1)),
        }
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Queues a message update (what a user typing to the bot produces).
    pub fn push_message(&self, message: Value) {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        self.queue
            .lock()
            .unwrap()
            .push_back(json!({"update_id": id, "message": message}));
        self.ready.notify_waiters();
    }

    /// A private chat message from user `from` (chat id = user id).
    pub fn dm(&self, from: i64, text: &str) {
        self.push_message(json!({
            "message_id": 1, "date": 0, "text": text,
            "from": {"id": from, "is_bot": false, "first_name": "Alice", "username": "alice"},
            "chat": {"id": from, "type": "private", "first_name": "Alice"},
        }));
    }

    /// A group chat message.
    pub fn group_msg(&self, chat: i64, from: i64, text: &str) {
        let mut entities = vec![];
        if let Some(i) = text.find('@') {
            entities
                .push(json!({"type": "mention", "offset": i, "length": TG_BOT_USERNAME.len() + 1}));
        }
        self.push_message(json!({
            "message_id": 2, "date": 0, "text": text, "entities": entities,
            "from": {"id": from, "is_bot": false, "first_name": "Bob", "username": "bob"},
            "chat": {"id": chat, "type": "supergroup", "title": "Family"},
        }));
    }

    pub fn sent(&self) -> Vec<Value> {
        self.sent.lock().unwrap().clone()
    }

    /// Group `old` becomes supergroup `new`: the two service messages
    /// Telegram sends, and from now on sends to `old` are refused with
    /// `migrate_to_chat_id`.
    pub fn migrate(&self, old: i64, new: i64) {
        self.extra.migrated.lock().unwrap().insert(old, new);
        let from = json!({"id": 1087968824, "is_bot": true, "first_name": "Group", "username": "GroupAnonymousBot"});
        self.push_message(json!({"message_id": 3, "date": 0, "from": from,
            "chat": {"id": old, "type": "group", "title": "Family"}, "migrate_to_chat_id": new}));
        self.push_message(json!({"message_id": 1, "date": 0, "from": from,
            "chat": {"id": new, "type": "supergroup", "title": "Family"}, "migrate_from_chat_id": old}));
    }
}

#[allow(clippy::too_many_arguments)]
async fn telegram_answer(
    seen: Seen,
    token: &str,
    faults: &Faults,
    extra: &TgExtra,
    sent: &Mutex<Vec<Value>>,
    polls: &AtomicU32,
    queue: &Mutex<VecDeque<Value>>,
    ready: &Notify,
) -> Answer {
    if faults.down.load(Ordering::SeqCst) {
        return None;
    }
    let Some((tok, method)) = seen
        .path
        .strip_prefix("/bot")
        .and_then(|p| p.split_once('/'))
    else {
        return Some((
            404,
            vec![],
            json!({"ok": false, "error_code": 404, "description": "Not Found"}),
        ));
    };
    if tok != token {
        return Some((
            401,
            vec![],
            json!({"ok": false, "error_code": 401, "description": "Unauthorized"}),
        ));
    }
    match method {
        "getMe" => Some((
            200,
            vec![],
            json!({"ok": true, "result": {
                "id": TG_BOT_ID, "is_bot": true, "first_name": "Aigo", "username": TG_BOT_USERNAME,
            }}),
        )),
        "getUpdates" => {
            polls.fetch_add(1, Ordering::SeqCst);
            if take(&faults.drop_next) {
                return None;
            }
            let offset = seen.body["offset"].as_i64().unwrap_or(0);
            extra.offsets.lock().unwrap().push(offset);
            let conflict = extra.conflict.lock().unwrap().clone();
            if let Some(description) = conflict {
                return Some((
                    409,
                    vec![],
                    json!({"ok": false, "error_code": 409, "description": description}),
                ));
            }
            if take(&extra.poll_limit_next) {
                return Some((
                    429,
                    vec![],
                    json!({"ok": false, "error_code": 429,
                    "description": "Too Many Requests: retry after 1", "parameters": {"retry_after": 1}}),
                ));
            }
            let timeout = seen.body["timeout"].as_u64().unwrap_or(0).min(5);
            let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
            loop {
                let notified = ready.notified();
                let batch: Vec<Value> = {
                    let mut q = queue.lock().unwrap();
                    q.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
                    q.iter().cloned().collect()
                };
                if !batch.is_empty() {
                    return Some((200, vec![], json!({"ok": true, "result": batch})));
                }
                if tokio::time::timeout_at(deadline, notified).await.is_err() {
                    return Some((200, vec![], json!({"ok": true, "result": []})));
                }
            }
        }
        "deleteWebhook" => {
            extra.webhook_deletes.fetch_add(1, Ordering::SeqCst);
            let mut c = extra.conflict.lock().unwrap();
            if c.as_deref() == Some(TG_WEBHOOK_CONFLICT) {
                *c = None;
            }
            Some((
                200,
                vec![],
                json!({"ok": true, "result": true, "description": "Webhook was deleted"}),
            ))
        }
        "sendMessage" => {
            let moved = seen.body["chat_id"]
                .as_i64()
                .and_then(|c| extra.migrated.lock().unwrap().get(&c).copied());
            if let Some(to) = moved {
                return Some((
                    400,
                    vec![],
                    json!({"ok": false, "error_code": 400,
                    "description": "Bad Request: group chat was upgraded to a supergroup chat",
                    "parameters": {"migrate_to_chat_id": to}}),
                ));
            }
            if take(&faults.rate_limit_next) {
                return Some((
                    429,
                    vec![],
                    json!({"ok": false, "error_code": 429,
                    "description": "Too Many Requests: retry after 1", "parameters": {"retry_after": 1}}),
                ));
            }
            if take(&faults.fail_next) {
                return Some((
                    502,
                    vec![],
                    json!({"ok": false, "error_code": 502, "description": "Bad Gateway"}),
                ));
            }
            if seen.body["text"]
                .as_str()
                .is_none_or(|t| t.encode_utf16().count() > 4096)
            {
                return Some((
                    400,
                    vec![],
                    json!({"ok": false, "error_code": 400,
                    "description": "Bad Request: message is too long"}),
                ));
            }
            sent.lock().unwrap().push(seen.body.clone());
            Some((
                200,
                vec![],
                json!({"ok": true, "result": {"message_id": 99}}),
            ))
        }
        _ => Some((
            404,
            vec![],
            json!({"ok": false, "error_code": 404, "description": "Not Found"}),
        )),
    }
}

// ---------------------------------------------------------------- WhatsApp

pub const WA_PHONE_ID: &str = "1098765";

pub struct FakeGraph {
    pub addr: SocketAddr,
    pub faults: Arc<Faults>,
    pub sent: Arc<Mutex<Vec<Value>>>,
}

impl FakeGraph {
    pub async fn start(access_token: &str) -> Self {
        let faults = Arc::new(Faults::default());
        let sent = Arc::new(Mutex::new(Vec::new()));
        let auth = format!("Bearer {access_token}");
        let (f, s) = (faults.clone(), sent.clone());
        let addr = serve(move |seen: Seen| {
            let (f, s, auth) = (f.clone(), s.clone(), auth.clone());
            async move {
                if seen.authorization.as_deref() != Some(auth.as_str()) {
                    return Some((
                        401,
                        vec![],
                        json!({"error": {
                        "message": "Invalid OAuth access token - Cannot parse access token",
                        "type": "OAuthException", "code": 190}}),
                    ));
                }
                let path = seen.path.split('?').next().unwrap_or("").to_string();
                if seen.method == "GET" && path == format!("/{WA_PHONE_ID}") {
                    return Some((
                        200,
                        vec![],
                        json!({
                        "verified_name": "Aigo Test", "display_phone_number": "+1 555-0100",
                        "id": WA_PHONE_ID}),
                    ));
                }
                if seen.method == "POST" && path == format!("/{WA_PHONE_ID}/messages") {
                    if take(&f.rate_limit_next) {
                        return Some((
                            429,
                            vec![("retry-after", "0".into())],
                            json!({"error": {
                            "message": "(#130429) Rate limit hit", "code": 130429}}),
                        ));
                    }
                    if take(&f.fail_next) {
                        return Some((
                            500,
                            vec![],
                            json!({"error": {"message": "An unknown error occurred", "code": 1}}),
                        ));
                    }
                    s.lock().unwrap().push(seen.body.clone());
                    return Some((
                        200,
                        vec![],
                        json!({"messaging_product": "whatsapp",
                        "contacts": [{"input": seen.body["to"], "wa_id": seen.body["to"]}],
                        "messages": [{"id": "wamid.TEST"}]}),
                    ));
                }
                Some((
                    404,
                    vec![],
                    json!({"error": {"message": "Unknown path", "code": 803}}),
                ))
            }
        })
        .await;
        Self { addr, faults, sent }
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn sent(&self) -> Vec<Value> {
        self.sent.lock().unwrap().clone()
    }
}

/// A webhook notification as Meta sends it, for one text message (each
/// with its own message id).
pub fn wa_notification(from: &str, name: &str, text: &str) -> Value {
    static N: AtomicU32 = AtomicU32::new(1);
    let id = format!("wamid.IN{}", N.fetch_add(1, Ordering::SeqCst));
    json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550100", "phone_number_id": WA_PHONE_ID},
            "contacts": [{"profile": {"name": name}, "wa_id": from}],
            "messages": [{"from": from, "id": id, "timestamp": "1700000000",
                          "type": "text", "text": {"body": text}}]
        }}]}]
    })
}

/// `sha256=<hex>` over `body` with `secret`, as Meta signs.
pub fn wa_signature(secret: &str, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

// ---------------------------------------------------------------- websockets

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

/// Events queued for whichever websocket connection is current.
#[derive(Default)]
pub struct WsQueue {
    events: Mutex<VecDeque<Value>>,
    ready: Notify,
    /// Frames the client sent (acks, identify, heartbeats).
    pub received: Mutex<Vec<Value>>,
    pub connections: AtomicU32,
    /// Connections open now, and the most ever open at once.
    pub open: AtomicU32,
    pub max_open: AtomicU32,
}

impl WsQueue {
    pub fn push(&self, v: Value) {
        self.events.lock().unwrap().push_back(v);
        self.ready.notify_waiters();
    }

    /// A frame sent as is, not wrapped as an event (e.g. Slack's `disconnect`).
    pub fn push_raw(&self, v: Value) {
        self.push(json!({"__raw": v}));
    }

    pub fn received(&self) -> Vec<Value> {
        self.received.lock().unwrap().clone()
    }

    fn pop(&self) -> Option<Value> {
        self.events.lock().unwrap().pop_front()
    }
}

type WsConn = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// Accepts websocket connections; `greet` frames go out first; then queued
/// events are sent and client frames recorded (and answered by `reply`).
async fn ws_server(
    queue: Arc<WsQueue>,
    faults: Arc<Faults>,
    greet: fn(&Faults) -> Vec<Value>,
    wrap: fn(u32, Value) -> Value,
    reply: fn(&Value) -> Option<Value>,
) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let (q, f) = (queue.clone(), faults.clone());
            tokio::spawn(async move {
                let Ok(mut ws) = tokio_tungstenite::accept_async(stream).await else {
                    return;
                };
                q.connections.fetch_add(1, Ordering::SeqCst);
                let now = q.open.fetch_add(1, Ordering::SeqCst) + 1;
                q.max_open.fetch_max(now, Ordering::SeqCst);
                for g in greet(&f) {
                    let _ = ws.send(Message::text(g.to_string())).await;
                }
                if take(&f.drop_next) {
                    q.open.fetch_sub(1, Ordering::SeqCst);
                    return; // dropped without a close frame
                }
                if take(&f.silent_next) {
                    // Hold the socket, never read or write it again.
                    std::future::pending::<()>().await;
                }
                serve_ws(&mut ws, &q, wrap, reply).await;
                q.open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    addr
}

async fn serve_ws(
    ws: &mut WsConn,
    q: &WsQueue,
    wrap: fn(u32, Value) -> Value,
    reply: fn(&Value) -> Option<Value>,
) {
    let mut n = 0;
    loop {
        let notified = q.ready.notified();
        while let Some(ev) = q.pop() {
            n += 1;
            let frame = match ev.get("__raw") {
                Some(raw) => raw.clone(),
                None => wrap(n, ev),
            };
            if ws.send(Message::text(frame.to_string())).await.is_err() {
                return;
            }
        }
        tokio::select! {
            () = notified => {}
            m = ws.next() => match m {
                Some(Ok(Message::Text(t))) => {
                    let v: Value = serde_json::from_str(t.as_str()).unwrap_or(Value::Null);
                    q.received.lock().unwrap().push(v.clone());
                    if let Some(r) = reply(&v)
                        && ws.send(Message::text(r.to_string())).await.is_err()
                    {
                        return;
                    }
                }
                Some(Ok(_)) => {}
                _ => return,
            },
        }
    }
}

// ---------------------------------------------------------------- Slack

pub const SLACK_BOT_USER: &str = "UBOT1";

pub struct FakeSlack {
    pub addr: SocketAddr,
    pub ws: Arc<WsQueue>,
    pub faults: Arc<Faults>,
    pub sent: Arc<Mutex<Vec<Value>>>,
}

impl FakeSlack {
    pub async fn start(bot: &str, app: &str) -> Self {
        let ws = Arc::new(WsQueue::default());
        let faults = Arc::new(Faults::default());
        let ws_addr = ws_server(
            ws.clone(),
            faults.clone(),
            |_| vec![json!({"type": "hello", "num_connections": 1})],
            |n, ev| {
                json!({"envelope_id": format!("env-{n}"), "type": "events_api",
                "accepts_response_payload": false,
                "payload": {"type": "event_callback", "event": ev}})
            },
            |_| None,
        )
        .await;
        let sent = Arc::new(Mutex::new(Vec::new()));
        let (bot, app) = (format!("Bearer {bot}"), format!("Bearer {app}"));
        let (f, s) = (faults.clone(), sent.clone());
        let addr = serve(move |seen: Seen| {
            let (f, s, bot, app) = (f.clone(), s.clone(), bot.clone(), app.clone());
            async move {
                let auth = seen.authorization.clone().unwrap_or_default();
                let ok = |v: Value| Some((200, vec![], v));
                match seen.path.as_str() {
                    "/auth.test" if auth == bot => {
                        ok(json!({"ok": true, "url": "https://t.slack.com/",
                        "team": "T", "user": "aigo", "team_id": "T1", "user_id": SLACK_BOT_USER}))
                    }
                    "/apps.connections.open" if auth == app => ok(
                        json!({"ok": true, "url": format!("ws://{ws_addr}/link/?ticket=secret")}),
                    ),
                    "/chat.postMessage" if auth == bot => {
                        if take(&f.rate_limit_next) {
                            return Some((
                                429,
                                vec![("retry-after", "0".into())],
                                json!({"ok": false, "error": "ratelimited"}),
                            ));
                        }
                        s.lock().unwrap().push(seen.body.clone());
                        ok(json!({"ok": true, "channel": seen.body["channel"], "ts": "1.2"}))
                    }
                    _ => ok(json!({"ok": false, "error": "invalid_auth"})),
                }
            }
        })
        .await;
        Self {
            addr,
            ws,
            faults,
            sent,
        }
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn sent(&self) -> Vec<Value> {
        self.sent.lock().unwrap().clone()
    }
}

// ---------------------------------------------------------------- Discord

pub const DISCORD_BOT_ID: &str = "888";

/// What the test asks of the current gateway connection.
pub enum GwCmd {
    /// Dispatch a `MESSAGE_CREATE` with this `d`.
    Message(Value),
    /// These `MESSAGE_CREATE`s are sequenced but lost in transit (a network
    /// blip), then op 7 asks the client to reconnect: only a Resume gets them.
    LoseThenReconnect(Vec<Value>),
    /// Op 9 with this `d` (resumable or not).
    InvalidSession(bool),
    /// Close the connection with this code.
    Close(u16),
}

/// The gateway side of the Discord fake, with sessions as Discord keeps them:
/// every dispatch has a sequence number; a Resume with the session id and a
/// sequence replays what came after it, then `RESUMED`.
#[derive(Default)]
pub struct FakeGateway {
    cmds: Mutex<VecDeque<GwCmd>>,
    ready: Notify,
    /// Every dispatch sent or lost, with its sequence number, for replays.
    log: Mutex<Vec<(u64, Value)>>,
    seq: AtomicI64,
    session: Mutex<Option<String>>,
    /// Frames the client sent (identify, resume, heartbeats).
    pub received: Mutex<Vec<Value>>,
    pub connections: AtomicU32,
    pub identifies: AtomicU32,
    pub resumes: AtomicU32,
    /// Close every identify with this code (e.g. 4014).
    pub close_on_identify: Mutex<Option<u16>>,
    /// `session_start_limit.remaining` and `reset_after` (ms) in `GET /gateway/bot`.
    pub starts_remaining: AtomicI64,
    pub starts_reset_after_ms: AtomicI64,
}

impl FakeGateway {
    pub fn send(&self, cmd: GwCmd) {
        self.cmds.lock().unwrap().push_back(cmd);
        self.ready.notify_waiters();
    }

    pub fn push(&self, d: Value) {
        self.send(GwCmd::Message(d));
    }

    pub fn received(&self) -> Vec<Value> {
        self.received.lock().unwrap().clone()
    }

    fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::SeqCst) as u64 + 1
    }

    fn dispatch(&self, t: &str, d: Value) -> Value {
        let s = self.next_seq();
        let v = json!({"op": 0, "t": t, "s": s, "d": d});
        self.log.lock().unwrap().push((s, v.clone()));
        v
    }
}

async fn gateway_conn(mut ws: WsConn, gw: Arc<FakeGateway>, faults: Arc<Faults>, url: String) {
    gw.connections.fetch_add(1, Ordering::SeqCst);
    let hello = json!({"op": 10, "d": {"heartbeat_interval": 200}});
    if ws.send(Message::text(hello.to_string())).await.is_err() {
        return;
    }
    if take(&faults.drop_next) {
        return; // dropped without a close frame
    }
    let mut live = false;
    loop {
        let notified = gw.ready.notified();
        // Commands wait for a session (after identify or resume).
        while let Some(cmd) = live.then(|| gw.cmds.lock().unwrap().pop_front()).flatten() {
            let out = match cmd {
                GwCmd::Message(d) => vec![gw.dispatch("MESSAGE_CREATE", d)],
                GwCmd::LoseThenReconnect(ds) => {
                    for d in ds {
                        gw.dispatch("MESSAGE_CREATE", d);
                    }
                    vec![json!({"op": 7, "d": null})]
                }
                GwCmd::InvalidSession(resumable) => vec![json!({"op": 9, "d": resumable})],
                GwCmd::Close(code) => {
                    close(&mut ws, code).await;
                    return;
                }
            };
            for v in out {
                if ws.send(Message::text(v.to_string())).await.is_err() {
                    return;
                }
            }
        }
        tokio::select! {
            () = notified => {}
            m = ws.next() => {
                let v: Value = match m {
                    Some(Ok(Message::Text(t))) => serde_json::from_str(t.as_str()).unwrap_or(Value::Null),
                    Some(Ok(_)) => continue,
                    _ => return,
                };
                gw.received.lock().unwrap().push(v.clone());
                let out: Vec<Value> = match v["op"].as_u64() {
                    Some(1) => vec![json!({"op": 11})],
                    Some(2) => {
                        gw.identifies.fetch_add(1, Ordering::SeqCst);
                        let fatal = *gw.close_on_identify.lock().unwrap();
                        if let Some(code) = fatal {
                            close(&mut ws, code).await;
                            return;
                        }
                        let n = gw.identifies.load(Ordering::SeqCst);
                        let id = format!("sess-{n}");
                        *gw.session.lock().unwrap() = Some(id.clone());
                        live = true;
                        vec![gw.dispatch("READY", json!({"v": 10, "session_id": id,
                            "resume_gateway_url": url,
                            "user": {"id": DISCORD_BOT_ID, "username": "aigo", "bot": true}}))]
                    }
                    Some(6) => {
                        gw.resumes.fetch_add(1, Ordering::SeqCst);
                        let known = gw.session.lock().unwrap().as_deref() == v["d"]["session_id"].as_str();
                        if known {
                            let after = v["d"]["seq"].as_u64().unwrap_or(0);
                            let replay: Vec<Value> = gw.log.lock().unwrap().iter()
                                .filter(|(s, _)| *s > after).map(|(_, v)| v.clone()).collect();
                            let mut out = replay;
                            out.push(gw.dispatch("RESUMED", json!({})));
                            live = true;
                            out
                        } else {
                            vec![json!({"op": 9, "d": false})]
                        }
                    }
                    _ => vec![],
                };
                for o in out {
                    if ws.send(Message::text(o.to_string())).await.is_err() {
                        return;
                    }
                }
            }
        }
    }
}

async fn close(ws: &mut WsConn, code: u16) {
    use tokio_tungstenite::tungstenite::protocol::CloseFrame;
    let _ = ws
        .close(Some(CloseFrame {
            code: code.into(),
            reason: "closed by the fake".into(),
        }))
        .await;
    // Read until the client answers the close (or goes away).
    while let Some(Ok(_)) = ws.next().await {}
}

pub struct FakeDiscord {
    pub addr: SocketAddr,
    pub gw: Arc<FakeGateway>,
    pub faults: Arc<Faults>,
    pub sent: Arc<Mutex<Vec<(String, Value)>>>,
    /// Sends that arrived while their route's bucket was empty (answered 429).
    pub over_limit: Arc<AtomicU32>,
    /// Answer sends with `X-RateLimit-Remaining: 0` and this reset (seconds).
    pub bucket_reset: Arc<Mutex<Option<f64>>>,
}

impl FakeDiscord {
    pub async fn start(token: &str) -> Self {
        let gw = Arc::new(FakeGateway::default());
        gw.starts_remaining.store(1000, Ordering::SeqCst);
        let faults = Arc::new(Faults::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let ws_addr = listener.local_addr().unwrap();
        let (g, f) = (gw.clone(), faults.clone());
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (g, f) = (g.clone(), f.clone());
                tokio::spawn(async move {
                    if let Ok(ws) = tokio_tungstenite::accept_async(stream).await {
                        gateway_conn(ws, g, f, format!("ws://{ws_addr}")).await;
                    }
                });
            }
        });
        let sent = Arc::new(Mutex::new(Vec::new()));
        let over_limit = Arc::new(AtomicU32::new(0));
        let bucket_reset: Arc<Mutex<Option<f64>>> = Arc::new(Mutex::new(None));
        let buckets: Arc<Mutex<std::collections::HashMap<String, tokio::time::Instant>>> =
            Arc::default();
        let auth = format!("Bot {token}");
        let (f, s, g, o, br) = (
            faults.clone(),
            sent.clone(),
            gw.clone(),
            over_limit.clone(),
            bucket_reset.clone(),
        );
        let addr = serve(move |seen: Seen| {
            let (f, s, g, o, br, b, auth) = (
                f.clone(),
                s.clone(),
                g.clone(),
                o.clone(),
                br.clone(),
                buckets.clone(),
                auth.clone(),
            );
            async move {
                if seen.authorization.as_deref() != Some(auth.as_str()) {
                    return Some((401, vec![], json!({"message": "401: Unauthorized", "code": 0})));
                }
                match (seen.method.as_str(), seen.path.as_str()) {
                    ("GET", "/users/@me") => Some((200, vec![], json!({
                        "id": DISCORD_BOT_ID, "username": "aigo", "global_name": "Aigo Bot", "bot": true}))),
                    ("GET", "/gateway/bot") => Some((200, vec![], json!({
                        "url": format!("ws://{ws_addr}"), "shards": 1,
                        "session_start_limit": {"total": 1000,
                            "remaining": g.starts_remaining.load(Ordering::SeqCst),
                            "reset_after": g.starts_reset_after_ms.load(Ordering::SeqCst),
                            "max_concurrency": 1}}))),
                    ("POST", p) if p.starts_with("/channels/") && p.ends_with("/messages") => {
                        let channel = p.trim_start_matches("/channels/").trim_end_matches("/messages").to_string();
                        let now = tokio::time::Instant::now();
                        if b.lock().unwrap().get(&channel).is_some_and(|until| *until > now) {
                            o.fetch_add(1, Ordering::SeqCst);
                            return Some((429, vec![("x-ratelimit-scope", "user".into())], json!({
                                "message": "You are being rate limited.", "retry_after": 0.05, "global": false})));
                        }
                        if take(&f.rate_limit_next) {
                            return Some((429, vec![], json!({
                                "message": "You are being rate limited.", "retry_after": 0.01, "global": false})));
                        }
                        s.lock().unwrap().push((channel.clone(), seen.body.clone()));
                        let mut headers = vec![];
                        if let Some(reset) = *br.lock().unwrap() {
                            b.lock().unwrap().insert(channel.clone(), now + Duration::from_secs_f64(reset));
                            headers = vec![
                                ("x-ratelimit-limit", "1".to_string()),
                                ("x-ratelimit-remaining", "0".to_string()),
                                ("x-ratelimit-reset-after", reset.to_string()),
                                ("x-ratelimit-bucket", "abcd".to_string()),
                            ];
                        }
                        Some((200, headers, json!({"id": "1", "channel_id": channel})))
                    }
                    _ => Some((404, vec![], json!({"message": "404: Not Found", "code": 0}))),
                }
            }
        })
        .await;
        Self {
            addr,
            gw,
            faults,
            sent,
            over_limit,
            bucket_reset,
        }
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }
}
