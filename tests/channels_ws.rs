//! Slack (Socket Mode) and Discord (gateway) against fake services on
//! 127.0.0.1 speaking their websocket and REST formats: validation, inbound DMs
//! and mentions, acks and heartbeats, replies (split, 429 retried), reconnects.

#![allow(clippy::unwrap_used)]

#[path = "support/fake_chat.rs"]
mod fake_chat;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use aigo::channels::{
    Channel, ChannelConfig, ChannelError, ChannelHub, ChannelKind, Discord, HubOptions,
    InboundMessage, InboundSink, Slack,
};
use aigo::groups::{self, Group};
use aigo::ipc::{BoxFut, MessageSink, OutboundMessage};
use aigo::proxy::Secret;
use aigo::state::StateDir;
use fake_chat::{DISCORD_BOT_ID, FakeDiscord, FakeSlack, SLACK_BOT_USER};
use serde_json::json;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

struct Capture(mpsc::UnboundedSender<(String, InboundMessage)>);

impl InboundSink for Capture {
    fn deliver<'a>(
        &'a self,
        group: &'a Group,
        msg: &'a InboundMessage,
    ) -> BoxFut<'a, Result<String, String>> {
        let _ = self.0.send((group.name.clone(), msg.clone()));
        Box::pin(async { Ok("captured".into()) })
    }
}

type Rx = mpsc::UnboundedReceiver<(String, InboundMessage)>;

fn hub_with(
    kind: ChannelKind,
    channel: Arc<dyn Channel>,
) -> (tempfile::TempDir, Arc<ChannelHub>, Rx, CancellationToken) {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    groups::add(
        &state,
        Group {
            name: "main".into(),
            main: true,
            jids: ["slack:D1", "slack:C1", "dc:100", "dc:200"]
                .map(String::from)
                .to_vec(),
            senders: vec![],
            ..Default::default()
        },
    )
    .unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    let opts = HubOptions {
        reconnect_base: Duration::from_millis(20),
        reconnect_max: Duration::from_millis(200),
        retry_base: Duration::from_millis(10),
        retry_max_wait: Duration::from_secs(2),
        send_attempts: 4,
    };
    let mut hub = ChannelHub::new(state, Arc::new(Capture(tx)), opts);
    let config = ChannelConfig {
        kind,
        api_base: None,
        trigger_word: None,
        phone_number_id: None,
        secrets: Default::default(),
        added_at: jiff::Timestamp::now(),
    };
    hub.add(config, channel);
    let hub = Arc::new(hub);
    let cancel = CancellationToken::new();
    tokio::spawn(hub.clone().run(cancel.clone()));
    (home, hub, rx, cancel)
}

async fn next(rx: &mut Rx) -> (String, InboundMessage) {
    tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("an inbound message within 20 s")
        .unwrap()
}

async fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    for _ in 0..400 {
        if f() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

// ------------------------------------------------------------------ Slack

const XOXB: &str = "xoxb-good";
const XAPP: &str = "xapp-good";

fn slack_msg(channel: &str, channel_type: &str, text: &str) -> serde_json::Value {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(100);
    let ts = format!("1700000000.000{}", N.fetch_add(1, Ordering::SeqCst));
    json!({"type": "message", "channel": channel, "channel_type": channel_type,
           "user": "U42", "text": text, "ts": ts})
}

#[tokio::test]
async fn slack_validates_both_tokens() {
    let fake = FakeSlack::start(XOXB, XAPP).await;
    let ok = Slack::new(&fake.base(), Secret::new(XOXB), Secret::new(XAPP));
    let bot = ok.validate().await.unwrap();
    assert_eq!(
        (bot.id.as_str(), bot.name.as_str()),
        (SLACK_BOT_USER, "aigo")
    );
    let bad_bot = Slack::new(&fake.base(), Secret::new("xoxb-bad"), Secret::new(XAPP));
    let e = bad_bot.validate().await.unwrap_err();
    assert!(matches!(e, ChannelError::Unauthorized { .. }), "{e}");
    assert!(e.to_string().contains("invalid_auth"));
    let bad_app = Slack::new(&fake.base(), Secret::new(XOXB), Secret::new("xapp-bad"));
    let e = bad_app.validate().await.unwrap_err().to_string();
    assert!(e.contains("app token"), "{e}");
}

#[tokio::test]
async fn slack_socket_mode_delivers_dms_and_mentions_and_acks_envelopes() {
    let fake = FakeSlack::start(XOXB, XAPP).await;
    let slack = Slack::new(&fake.base(), Secret::new(XOXB), Secret::new(XAPP));
    let (_home, hub, mut rx, cancel) = hub_with(ChannelKind::Slack, Arc::new(slack));
    fake.ws.push(slack_msg("D1", "im", "hello agent"));
    let (g, m) = next(&mut rx).await;
    assert_eq!((g.as_str(), m.chat_jid.as_str()), ("main", "slack:D1"));
    assert!(m.direct);

    fake.ws.push(slack_msg("C1", "channel", "no mention here"));
    fake.ws.push(json!({"type": "message", "subtype": "bot_message", "channel": "C1", "text": "a bot", "bot_id": "B1"}));
    let mention = slack_msg(
        "C1",
        "channel",
        &format!("<@{SLACK_BOT_USER}> deploy please"),
    );
    fake.ws.push(mention.clone());
    let (_, m) = next(&mut rx).await;
    assert!(m.mentioned && m.text.contains("deploy"));
    // The same mention as an `app_mention` event is not delivered twice; an
    // `app_mention` alone is.
    let mut dup = mention;
    dup["type"] = "app_mention".into();
    fake.ws.push(dup);
    let mut only = slack_msg("C1", "channel", "hey bot, deploy staging");
    only["type"] = "app_mention".into();
    fake.ws.push(only);
    let (_, m) = next(&mut rx).await;
    assert_eq!(m.text, "hey bot, deploy staging");
    assert!(m.mentioned);
    wait_until("six acks", || fake.ws.received().len() >= 6).await;
    let acks: Vec<String> = fake
        .ws
        .received()
        .iter()
        .map(|v| v["envelope_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(acks, ["env-1", "env-2", "env-3", "env-4", "env-5", "env-6"]);
    let st = hub.status(ChannelKind::Slack).unwrap();
    assert!(st.connected);
    assert_eq!(
        (
            st.messages.received,
            st.messages.accepted,
            st.messages.ignored
        ),
        (4, 3, 1)
    );

    // A reply, through a 429.
    fake.faults.rate_limit_next.store(1, Ordering::SeqCst);
    hub.deliver("main", &OutboundMessage::new("slack:C1", "done"))
        .await
        .unwrap();
    assert_eq!(fake.sent(), vec![json!({"channel": "C1", "text": "done"})]);
    cancel.cancel();
}

#[tokio::test]
async fn slack_reconnects_after_the_socket_drops() {
    let fake = FakeSlack::start(XOXB, XAPP).await;
    fake.faults.drop_next.store(2, Ordering::SeqCst);
    let slack = Slack::new(&fake.base(), Secret::new(XOXB), Secret::new(XAPP));
    let (_home, hub, mut rx, cancel) = hub_with(ChannelKind::Slack, Arc::new(slack));
    fake.ws.push(slack_msg("D1", "im", "after the storm"));
    assert_eq!(next(&mut rx).await.1.text, "after the storm");
    assert!(fake.ws.connections.load(Ordering::SeqCst) >= 3);
    assert!(hub.status(ChannelKind::Slack).unwrap().reconnects >= 2);
    cancel.cancel();
}

// ------------------------------------------------------------------ Discord

const DC_TOKEN: &str = "MTIz.good.token";

fn dc_msg(channel: &str, guild: Option<&str>, text: &str, mentions: &[&str]) -> serde_json::Value {
    json!({"id": "5", "channel_id": channel, "guild_id": guild, "content": text,
           "author": {"id": "42", "username": "alice"},
           "mentions": mentions.iter().map(|id| json!({"id": id})).collect::<Vec<_>>()})
}

#[tokio::test]
async fn discord_validates_the_token() {
    let fake = FakeDiscord::start(DC_TOKEN).await;
    let bot = Discord::new(&fake.base(), Secret::new(DC_TOKEN))
        .validate()
        .await
        .unwrap();
    assert_eq!(
        (bot.id.as_str(), bot.name.as_str()),
        (DISCORD_BOT_ID, "Aigo Bot")
    );
    let e = Discord::new(&fake.base(), Secret::new("nope"))
        .validate()
        .await
        .unwrap_err();
    assert!(matches!(e, ChannelError::Unauthorized { .. }), "{e}");
    assert!(e.to_string().contains("401: Unauthorized"));
}

#[tokio::test]
async fn discord_gateway_identifies_heartbeats_and_delivers_dms_and_mentions() {
    let fake = FakeDiscord::start(DC_TOKEN).await;
    let dc = Discord::new(&fake.base(), Secret::new(DC_TOKEN));
    let (_home, hub, mut rx, cancel) = hub_with(ChannelKind::Discord, Arc::new(dc));
    fake.ws.push(dc_msg("100", None, "hi in private", &[]));
    let (_, m) = next(&mut rx).await;
    assert_eq!(m.chat_jid, "dc:100");
    assert!(m.direct);
    assert_eq!(m.sender_name.as_deref(), Some("alice"));
    fake.ws.push(dc_msg("200", Some("9"), "chatter", &[]));
    fake.ws.push(dc_msg(
        "200",
        Some("9"),
        &format!("<@{DISCORD_BOT_ID}> status?"),
        &[DISCORD_BOT_ID],
    ));
    let (_, m) = next(&mut rx).await;
    assert!(m.mentioned && !m.direct);

    let identify = fake
        .ws
        .received()
        .into_iter()
        .find(|v| v["op"] == 2)
        .unwrap();
    assert_eq!(identify["d"]["token"], DC_TOKEN);
    assert_eq!(identify["d"]["intents"], (1 << 9) | (1 << 12) | (1 << 15));
    wait_until("a heartbeat", || {
        fake.ws.received().iter().any(|v| v["op"] == 1)
    })
    .await;
    let st = hub.status(ChannelKind::Discord).unwrap();
    assert!(st.connected);
    assert_eq!(st.messages.ignored, 1);

    // A 4500-character reply: three messages, through a 429.
    fake.faults.rate_limit_next.store(1, Ordering::SeqCst);
    hub.deliver("main", &OutboundMessage::new("dc:200", "x".repeat(4500)))
        .await
        .unwrap();
    let sent = fake.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 3);
    assert!(
        sent.iter()
            .all(|(c, b)| c == "200" && b["content"].as_str().unwrap().len() <= 2000)
    );
    cancel.cancel();
}

#[tokio::test]
async fn discord_reconnects_after_the_gateway_drops() {
    let fake = FakeDiscord::start(DC_TOKEN).await;
    fake.faults.drop_next.store(1, Ordering::SeqCst);
    let dc = Discord::new(&fake.base(), Secret::new(DC_TOKEN));
    let (_home, hub, mut rx, cancel) = hub_with(ChannelKind::Discord, Arc::new(dc));
    fake.ws.push(dc_msg("100", None, "again", &[]));
    assert_eq!(next(&mut rx).await.1.text, "again");
    assert!(fake.ws.connections.load(Ordering::SeqCst) >= 2);
    assert!(hub.status(ChannelKind::Discord).unwrap().reconnects >= 1);
    cancel.cancel();
}
