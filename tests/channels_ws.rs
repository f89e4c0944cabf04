//! Slack (Socket Mode) and Discord (gateway) against fake services on
//! 127.0.0.1 speaking their websocket and REST formats: validation, inbound DMs
//! and mentions, acks and heartbeats, replies (split, 429 retried), reconnects.

#![allow(clippy::unwrap_used)]

#[path = "support/fake_chat.rs"]
mod fake_chat;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use aigo::audit::AuditLog;
use aigo::channels::{
    Channel, ChannelConfig, ChannelError, ChannelHub, ChannelKind, Discord, HubOptions,
    InboundMessage, InboundSink, Slack,
};
use aigo::groups::{self, Group};
use aigo::ipc::{BoxFut, MessageSink, OutboundMessage};
use aigo::proxy::Secret;
use aigo::state::StateDir;
use fake_chat::{DISCORD_BOT_ID, FakeDiscord, FakeSlack, GwCmd, SLACK_BOT_USER};
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
        give_up_after: Duration::from_secs(3),
    };
    let mut hub = ChannelHub::new(state.clone(), Arc::new(Capture(tx)), opts);
    hub.set_audit(AuditLog::open(&state));
    let config = ChannelConfig {
        kind,
        api_base: None,
        trigger_word: None,
        phone_number_id: None,
        graph_version: None,
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
    wait_until("the reply", || !fake.sent().is_empty()).await;
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

#[tokio::test]
async fn slack_replaces_a_silent_socket_after_the_idle_deadline() {
    let fake = FakeSlack::start(XOXB, XAPP).await;
    // The first socket says hello, then nothing: no events, no pongs.
    fake.faults.silent_next.store(1, Ordering::SeqCst);
    let slack = Slack::new(&fake.base(), Secret::new(XOXB), Secret::new(XAPP))
        .with_idle_deadline(Duration::from_secs(1));
    let (_home, hub, mut rx, cancel) = hub_with(ChannelKind::Slack, Arc::new(slack));
    wait_until("the first socket", || {
        fake.ws.connections.load(Ordering::SeqCst) == 1
    })
    .await;
    fake.ws.push(slack_msg("D1", "im", "anyone home?"));
    assert_eq!(next(&mut rx).await.1.text, "anyone home?");
    assert_eq!(fake.ws.connections.load(Ordering::SeqCst), 2);
    let st = hub.status(ChannelKind::Slack).unwrap();
    assert!(st.connected && st.reconnects == 1, "{st:?}");
    assert!(
        st.last_error.as_deref().unwrap().contains("socket is dead"),
        "{st:?}"
    );
    cancel.cancel();
}

/// The bound on the shipped default: a socket gone silent after
/// `hello` (no events, no pongs) is replaced within 45 s. Runs in real time
/// (about 30 s, beside the other tests of this binary).
#[tokio::test]
async fn slack_replaces_a_silent_socket_within_45_s_on_the_default_deadline() {
    let fake = FakeSlack::start(XOXB, XAPP).await;
    fake.faults.silent_next.store(1, Ordering::SeqCst);
    let slack = Slack::new(&fake.base(), Secret::new(XOXB), Secret::new(XAPP));
    let (_home, hub, mut rx, cancel) = hub_with(ChannelKind::Slack, Arc::new(slack));
    wait_until("the first socket", || {
        fake.ws.connections.load(Ordering::SeqCst) == 1
    })
    .await;
    let silent_since = std::time::Instant::now();
    for _ in 0..450 {
        if fake.ws.connections.load(Ordering::SeqCst) == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let replaced_after = silent_since.elapsed();
    assert_eq!(
        fake.ws.connections.load(Ordering::SeqCst),
        2,
        "no new socket {replaced_after:?} after the old one went silent"
    );
    eprintln!("silent Slack socket replaced after {replaced_after:?}");
    fake.ws.push(slack_msg("D1", "im", "still there?"));
    assert_eq!(next(&mut rx).await.1.text, "still there?");
    let st = hub.status(ChannelKind::Slack).unwrap();
    assert!(st.connected && st.reconnects == 1, "{st:?}");
    cancel.cancel();
}

#[tokio::test]
async fn slack_disconnect_opens_the_new_socket_first_and_dedup_survives_it() {
    let fake = FakeSlack::start(XOXB, XAPP).await;
    let slack = Slack::new(&fake.base(), Secret::new(XOXB), Secret::new(XAPP));
    let (_home, hub, mut rx, cancel) = hub_with(ChannelKind::Slack, Arc::new(slack));
    let first = slack_msg("D1", "im", "first");
    fake.ws.push(first.clone());
    assert_eq!(next(&mut rx).await.1.text, "first");

    fake.ws
        .push_raw(json!({"type": "disconnect", "reason": "refresh_requested"}));
    wait_until("the old socket to be let go", || {
        fake.ws.connections.load(Ordering::SeqCst) == 2 && fake.ws.open.load(Ordering::SeqCst) == 1
    })
    .await;
    assert_eq!(
        fake.ws.max_open.load(Ordering::SeqCst),
        2,
        "the new socket was open before the old one closed"
    );
    // Slack redelivers an event on the new socket: not a second run.
    fake.ws.push(first);
    fake.ws.push(slack_msg("D1", "im", "second"));
    assert_eq!(next(&mut rx).await.1.text, "second");
    let st = hub.status(ChannelKind::Slack).unwrap();
    assert!(st.connected);
    assert_eq!(st.reconnects, 0, "a planned switch is no reconnect: {st:?}");
    cancel.cancel();
}

#[tokio::test]
async fn slack_replies_are_escaped_and_go_to_the_thread_they_answer() {
    let fake = FakeSlack::start(XOXB, XAPP).await;
    let slack = Slack::new(&fake.base(), Secret::new(XOXB), Secret::new(XAPP));
    let (_home, hub, mut rx, cancel) = hub_with(ChannelKind::Slack, Arc::new(slack));
    let mut ask = slack_msg("C1", "channel", &format!("<@{SLACK_BOT_USER}> status?"));
    ask["thread_ts"] = "1700000000.000001".into();
    fake.ws.push(ask);
    let (_, m) = next(&mut rx).await;
    assert_eq!(m.thread.as_deref(), Some("1700000000.000001"));
    hub.deliver(
        "main",
        &OutboundMessage::new("slack:C1", "<!channel> all good & <@U99> done"),
    )
    .await
    .unwrap();
    wait_until("the reply", || !fake.sent().is_empty()).await;
    assert_eq!(
        fake.sent(),
        vec![json!({"channel": "C1", "thread_ts": "1700000000.000001",
            "text": "&lt;!channel&gt; all good &amp; &lt;@U99&gt; done"})]
    );
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
    fake.gw.push(dc_msg("100", None, "hi in private", &[]));
    let (_, m) = next(&mut rx).await;
    assert_eq!(m.chat_jid, "dc:100");
    assert!(m.direct);
    assert_eq!(m.sender_name.as_deref(), Some("alice"));
    fake.gw.push(dc_msg("200", Some("9"), "chatter", &[]));
    fake.gw.push(dc_msg(
        "200",
        Some("9"),
        &format!("<@{DISCORD_BOT_ID}> status?"),
        &[DISCORD_BOT_ID],
    ));
    let (_, m) = next(&mut rx).await;
    assert!(m.mentioned && !m.direct);

    let identify = fake
        .gw
        .received()
        .into_iter()
        .find(|v| v["op"] == 2)
        .unwrap();
    assert_eq!(identify["d"]["token"], DC_TOKEN);
    assert_eq!(identify["d"]["intents"], (1 << 9) | (1 << 12) | (1 << 15));
    wait_until("a heartbeat", || {
        fake.gw.received().iter().any(|v| v["op"] == 1)
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
    wait_until("three pieces", || {
        hub.status(ChannelKind::Discord).unwrap().messages.sent == 1
    })
    .await;
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
    fake.gw.push(dc_msg("100", None, "again", &[]));
    assert_eq!(next(&mut rx).await.1.text, "again");
    assert!(fake.gw.connections.load(Ordering::SeqCst) >= 2);
    assert!(hub.status(ChannelKind::Discord).unwrap().reconnects >= 1);
    cancel.cancel();
}

#[tokio::test]
async fn discord_close_4014_identifies_once_and_stops_the_channel() {
    let fake = FakeDiscord::start(DC_TOKEN).await;
    *fake.gw.close_on_identify.lock().unwrap() = Some(4014);
    let dc = Discord::new(&fake.base(), Secret::new(DC_TOKEN));
    let (home, hub, _rx, cancel) = hub_with(ChannelKind::Discord, Arc::new(dc));
    wait_until("the channel to stop", || {
        hub.status(ChannelKind::Discord).unwrap().stopped.is_some()
    })
    .await;
    // Reconnects here are 20-200 ms apart: a retry loop would show by now.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(fake.gw.identifies.load(Ordering::SeqCst), 1);
    assert_eq!(fake.gw.connections.load(Ordering::SeqCst), 1);
    let st = hub.status(ChannelKind::Discord).unwrap();
    assert!(!st.connected);
    let why = st.stopped.unwrap();
    assert!(
        why.contains("4014") && why.contains("Message Content Intent"),
        "{why}"
    );
    let audit = std::fs::read_to_string(StateDir::at(home.path()).audit()).unwrap_or_default();
    assert!(audit.contains("4014"), "{audit}");
    cancel.cancel();
}

#[tokio::test]
async fn discord_op7_resumes_and_the_gateway_replays_what_was_missed() {
    let fake = FakeDiscord::start(DC_TOKEN).await;
    let dc = Discord::new(&fake.base(), Secret::new(DC_TOKEN));
    let (_home, hub, mut rx, cancel) = hub_with(ChannelKind::Discord, Arc::new(dc));
    fake.gw.push(dc_msg("100", None, "before", &[]));
    assert_eq!(next(&mut rx).await.1.text, "before");
    fake.gw.send(GwCmd::LoseThenReconnect(vec![
        dc_msg("100", None, "missed one", &[]),
        dc_msg("100", None, "missed two", &[]),
    ]));
    assert_eq!(next(&mut rx).await.1.text, "missed one");
    assert_eq!(next(&mut rx).await.1.text, "missed two");
    assert_eq!(
        fake.gw.identifies.load(Ordering::SeqCst),
        1,
        "no second identify"
    );
    assert_eq!(fake.gw.resumes.load(Ordering::SeqCst), 1);
    let resume = fake
        .gw
        .received()
        .into_iter()
        .find(|v| v["op"] == 6)
        .unwrap();
    assert_eq!(resume["d"]["session_id"], "sess-1");
    assert_eq!(resume["d"]["token"], DC_TOKEN);
    // READY was 1, "before" 2: the client resumes from 2.
    assert_eq!(resume["d"]["seq"], 2);
    fake.gw.push(dc_msg("100", None, "after", &[]));
    assert_eq!(next(&mut rx).await.1.text, "after");
    assert!(hub.status(ChannelKind::Discord).unwrap().connected);
    cancel.cancel();
}

#[tokio::test]
async fn discord_op9_resumes_when_resumable_else_identifies_afresh() {
    let fake = FakeDiscord::start(DC_TOKEN).await;
    let dc = Discord::new(&fake.base(), Secret::new(DC_TOKEN));
    let (_home, _hub, mut rx, cancel) = hub_with(ChannelKind::Discord, Arc::new(dc));
    fake.gw.push(dc_msg("100", None, "one", &[]));
    assert_eq!(next(&mut rx).await.1.text, "one");
    fake.gw.send(GwCmd::InvalidSession(true));
    fake.gw.push(dc_msg("100", None, "two", &[]));
    assert_eq!(next(&mut rx).await.1.text, "two");
    assert_eq!(
        (
            fake.gw.identifies.load(Ordering::SeqCst),
            fake.gw.resumes.load(Ordering::SeqCst)
        ),
        (1, 1)
    );
    // Not resumable: after 1-5 s (and Discord's 5 s between identifies) a new
    // session; what happened in between is gone, as on Discord.
    fake.gw.send(GwCmd::InvalidSession(false));
    wait_until("a new identify", || {
        fake.gw.identifies.load(Ordering::SeqCst) == 2
    })
    .await;
    fake.gw.push(dc_msg("100", None, "three", &[]));
    assert_eq!(next(&mut rx).await.1.text, "three");
    assert_eq!(
        (
            fake.gw.identifies.load(Ordering::SeqCst),
            fake.gw.resumes.load(Ordering::SeqCst)
        ),
        (2, 1)
    );
    cancel.cancel();
}

#[tokio::test]
async fn discord_waits_for_the_identify_budget() {
    let fake = FakeDiscord::start(DC_TOKEN).await;
    fake.gw.starts_remaining.store(0, Ordering::SeqCst);
    fake.gw
        .starts_reset_after_ms
        .store(3_600_000, Ordering::SeqCst);
    let dc = Discord::new(&fake.base(), Secret::new(DC_TOKEN));
    let (_home, hub, _rx, cancel) = hub_with(ChannelKind::Discord, Arc::new(dc));
    wait_until("the status to say why", || {
        hub.status(ChannelKind::Discord)
            .unwrap()
            .last_error
            .is_some_and(|e| e.contains("session_start_limit"))
    })
    .await;
    assert_eq!(fake.gw.connections.load(Ordering::SeqCst), 0);
    assert_eq!(fake.gw.identifies.load(Ordering::SeqCst), 0);
    cancel.cancel();
}

#[tokio::test]
async fn discord_replies_keep_to_the_rate_limit_bucket_and_ping_users_only() {
    let fake = FakeDiscord::start(DC_TOKEN).await;
    *fake.bucket_reset.lock().unwrap() = Some(0.2);
    let dc = Discord::new(&fake.base(), Secret::new(DC_TOKEN));
    let (_home, hub, _rx, cancel) = hub_with(ChannelKind::Discord, Arc::new(dc));
    let text = format!("@everyone look {}", "y".repeat(4500));
    hub.deliver("main", &OutboundMessage::new("dc:200", text))
        .await
        .unwrap();
    wait_until("three pieces", || {
        hub.status(ChannelKind::Discord).unwrap().messages.sent == 1
    })
    .await;
    let sent = fake.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 3);
    assert_eq!(
        fake.over_limit.load(Ordering::SeqCst),
        0,
        "no send arrived while the bucket was empty"
    );
    for (_, b) in &sent {
        assert_eq!(b["allowed_mentions"], json!({"parse": ["users"]}));
    }
    cancel.cancel();
}

// ------------------------------------------------------------------ soak

/// One simulated hour per channel, time compressed: a reply a "minute" to one
/// chat on each of the four services, in waves, with reconnects, rate limits,
/// 5xx answers and an outage injected between waves. Every reply arrives
/// exactly once, in order, and nothing is left queued or failed.
#[tokio::test]
async fn soak_an_hour_of_replies_on_every_channel_arrives_exactly_once() {
    use fake_chat::{FakeGraph, FakeTelegram, WA_PHONE_ID};
    const MINUTES: usize = 60;
    const WAVE: usize = 10;
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    let jids = ["tg:42", "slack:C1", "dc:200", "491701234567@s.whatsapp.net"];
    groups::add(
        &state,
        Group {
            name: "main".into(),
            main: true,
            jids: jids.map(String::from).to_vec(),
            senders: vec![],
            ..Default::default()
        },
    )
    .unwrap();
    let tg = FakeTelegram::start("1:soak").await;
    let slack = FakeSlack::start(XOXB, XAPP).await;
    let dc = FakeDiscord::start(DC_TOKEN).await;
    let wa = FakeGraph::start("EAAGsoak").await;
    let (tx, _rx) = mpsc::unbounded_channel();
    let opts = HubOptions {
        reconnect_base: Duration::from_millis(20),
        reconnect_max: Duration::from_millis(200),
        retry_base: Duration::from_millis(10),
        retry_max_wait: Duration::from_millis(500),
        give_up_after: Duration::from_secs(600),
    };
    let mut hub = ChannelHub::new(state.clone(), Arc::new(Capture(tx)), opts);
    let config = |kind| ChannelConfig {
        kind,
        api_base: None,
        trigger_word: None,
        phone_number_id: None,
        graph_version: None,
        secrets: Default::default(),
        added_at: jiff::Timestamp::now(),
    };
    hub.add(
        config(ChannelKind::Telegram),
        Arc::new(
            aigo::channels::Telegram::new(&tg.base(), Secret::new("1:soak")).with_poll_timeout(1),
        ),
    );
    hub.add(
        config(ChannelKind::Slack),
        Arc::new(Slack::new(
            &slack.base(),
            Secret::new(XOXB),
            Secret::new(XAPP),
        )),
    );
    hub.add(
        config(ChannelKind::Discord),
        Arc::new(Discord::new(&dc.base(), Secret::new(DC_TOKEN))),
    );
    hub.add_whatsapp(
        config(ChannelKind::Whatsapp),
        Arc::new(aigo::channels::WhatsApp::new(
            &wa.base(),
            WA_PHONE_ID,
            Secret::new("EAAGsoak"),
            Secret::new("verify"),
            Secret::new("secret"),
        )),
    );
    let hub = Arc::new(hub);
    let cancel = CancellationToken::new();
    tokio::spawn(hub.clone().run(cancel.clone()));
    *dc.bucket_reset.lock().unwrap() = Some(0.02);

    for wave in 0..MINUTES / WAVE {
        // Faults for this stretch of the hour, a different mix each time.
        match wave % 3 {
            0 => {
                tg.faults.rate_limit_next.store(1, Ordering::SeqCst);
                slack.faults.rate_limit_next.store(2, Ordering::SeqCst);
                dc.faults.rate_limit_next.store(2, Ordering::SeqCst);
                wa.faults.rate_limit_next.store(2, Ordering::SeqCst);
                dc.gw.send(GwCmd::LoseThenReconnect(vec![]));
            }
            1 => {
                tg.faults.fail_next.store(2, Ordering::SeqCst);
                tg.faults.drop_next.store(1, Ordering::SeqCst);
                wa.faults.fail_next.store(2, Ordering::SeqCst);
                slack
                    .ws
                    .push_raw(json!({"type": "disconnect", "reason": "refresh_requested"}));
                dc.gw.send(GwCmd::InvalidSession(true));
            }
            _ => tg.faults.down.store(true, Ordering::SeqCst),
        }
        for m in wave * WAVE..(wave + 1) * WAVE {
            for jid in jids {
                hub.deliver("main", &OutboundMessage::new(jid, format!("minute {m}")))
                    .await
                    .unwrap();
            }
        }
        if tg.faults.down.swap(false, Ordering::SeqCst) {
            // A short outage: Telegram's lane retries meanwhile.
            tokio::time::sleep(Duration::from_millis(700)).await;
        }
    }
    for kind in ChannelKind::ALL {
        let mut st = hub.status(kind).unwrap();
        for _ in 0..1200 {
            if st.messages.sent == MINUTES as u64 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            st = hub.status(kind).unwrap();
        }
        assert_eq!(
            (st.messages.sent, st.messages.failed, st.messages.queued),
            (MINUTES as u64, 0, 0),
            "{st:?}"
        );
    }
    let want: Vec<String> = (0..MINUTES).map(|m| format!("minute {m}")).collect();
    let texts = |v: Vec<serde_json::Value>, f: &dyn Fn(&serde_json::Value) -> String| {
        v.iter().map(f).collect::<Vec<String>>()
    };
    assert_eq!(
        texts(tg.sent(), &|m| m["text"].as_str().unwrap().into()),
        want
    );
    assert_eq!(
        texts(slack.sent(), &|m| m["text"].as_str().unwrap().into()),
        want
    );
    assert_eq!(
        texts(wa.sent(), &|m| m["text"]["body"].as_str().unwrap().into()),
        want
    );
    let discord: Vec<String> = dc
        .sent
        .lock()
        .unwrap()
        .iter()
        .map(|(_, b)| b["content"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(discord, want);
    assert_eq!(dc.over_limit.load(Ordering::SeqCst), 0);
    assert_eq!(
        home.path()
            .join("channels/outbox/telegram")
            .read_dir()
            .unwrap()
            .count(),
        0
    );
    cancel.cancel();
}
