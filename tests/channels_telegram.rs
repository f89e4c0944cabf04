//! Telegram against a fake Bot API on 127.0.0.1: token validation (CLI), an
//! inbound DM reaching the inbound sink, group messages needing a mention, a
//! split and rate-limited reply, reconnect after a dropped long poll, and the
//! router refusing a non-main group's message to another group's chat end to end.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "support/fake_chat.rs"]
mod fake_chat;

use std::sync::Arc;
use std::time::Duration;

use aigo::audit::AuditLog;
use aigo::channels::{
    ChannelConfig, ChannelHub, ChannelKind, HubOptions, InboundMessage, InboundSink, Telegram,
};
use aigo::groups::{self, Group};
use aigo::ipc::{
    self, BoxFut, MessageSink, OutboundMessage, Router, TaskRefusal, TaskRequest, TaskSink,
};
use aigo::proxy::Secret;
use aigo::state::StateDir;
use fake_chat::{FakeTelegram, TG_BOT_USERNAME};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "123456:AAEgoodtoken";

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

fn group(state: &StateDir, name: &str, main: bool, jids: &[&str], senders: &[&str]) {
    groups::add(
        state,
        Group {
            name: name.into(),
            main,
            jids: jids.iter().map(|s| s.to_string()).collect(),
            senders: senders.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        },
    )
    .unwrap();
}

fn fast() -> HubOptions {
    HubOptions {
        reconnect_base: Duration::from_millis(20),
        reconnect_max: Duration::from_millis(200),
        retry_base: Duration::from_millis(10),
        retry_max_wait: Duration::from_secs(2),
        give_up_after: Duration::from_secs(3),
    }
}

fn config(base: &str) -> ChannelConfig {
    ChannelConfig {
        kind: ChannelKind::Telegram,
        api_base: Some(base.into()),
        trigger_word: None,
        phone_number_id: None,
        graph_version: None,
        secrets: Default::default(),
        added_at: jiff::Timestamp::now(),
    }
}

struct Setup {
    _home: tempfile::TempDir,
    state: StateDir,
    fake: FakeTelegram,
    hub: Arc<ChannelHub>,
    rx: mpsc::UnboundedReceiver<(String, InboundMessage)>,
    cancel: CancellationToken,
}

async fn setup() -> Setup {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    group(&state, "main", true, &["tg:42"], &[]);
    group(&state, "family", false, &["tg:-100"], &["bob"]);
    group(&state, "work", false, &["tg:-200"], &[]);
    let fake = FakeTelegram::start(TOKEN).await;
    let (tx, rx) = mpsc::unbounded_channel();
    let mut hub = ChannelHub::new(state.clone(), Arc::new(Capture(tx)), fast());
    hub.set_audit(AuditLog::open(&state));
    let tg = Telegram::new(&fake.base(), Secret::new(TOKEN)).with_poll_timeout(1);
    hub.add(config(&fake.base()), Arc::new(tg));
    let hub = Arc::new(hub);
    let cancel = CancellationToken::new();
    tokio::spawn(hub.clone().run(cancel.clone()));
    Setup {
        _home: home,
        state,
        fake,
        hub,
        rx,
        cancel,
    }
}

async fn next(
    rx: &mut mpsc::UnboundedReceiver<(String, InboundMessage)>,
) -> (String, InboundMessage) {
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

#[tokio::test]
async fn an_inbound_dm_reaches_the_sink_and_group_chats_need_a_mention() {
    let mut s = setup().await;
    s.fake.dm(42, "hello agent");
    let (g, m) = next(&mut s.rx).await;
    assert_eq!(g, "main");
    assert_eq!(m.chat_jid, "tg:42");
    assert_eq!(m.text, "hello agent");
    assert!(m.direct);
    assert_eq!(m.sender_name.as_deref(), Some("alice"));

    // In the family group: no mention → ignored; a mention → delivered.
    s.fake.group_msg(-100, 9, "just chatting");
    s.fake
        .group_msg(-100, 9, &format!("@{TG_BOT_USERNAME} what's for dinner?"));
    let (g, m) = next(&mut s.rx).await;
    assert_eq!(g, "family");
    assert!(m.text.contains("dinner"));
    assert!(m.mentioned && !m.direct);

    // Unbound chat: ignored.
    s.fake.dm(5, "who are you?");
    // An unlisted sender in family, with a mention: ignored (allowlist is bob).
    s.fake.push_message(serde_json::json!({
        "message_id": 3, "date": 0, "text": format!("@{TG_BOT_USERNAME} hi"),
        "from": {"id": 66, "is_bot": false, "first_name": "Eve", "username": "eve"},
        "chat": {"id": -100, "type": "group", "title": "Family"},
    }));
    wait_until("three ignored messages", || {
        s.hub
            .status(ChannelKind::Telegram)
            .unwrap()
            .messages
            .ignored
            == 3
    })
    .await;
    let st = s.hub.status(ChannelKind::Telegram).unwrap();
    assert!(st.connected);
    assert_eq!(st.bot.unwrap().username.as_deref(), Some(TG_BOT_USERNAME));
    assert_eq!(st.messages.received, 5);
    assert_eq!(st.messages.accepted, 2);
    assert!(s.rx.try_recv().is_err(), "nothing else was delivered");
    // The refused sender is in the audit log (as a warning, without the text).
    let audit = std::fs::read_to_string(s.state.audit()).unwrap();
    let line = audit
        .lines()
        .find(|l| l.contains("\"channel\""))
        .expect("a channel event");
    let ev: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(ev["severity"], "warning");
    assert_eq!(ev["group"], "family");
    assert_eq!(ev["details"]["senderId"], "66");
    assert!(
        !line.contains("hi"),
        "no message text in the audit log: {line}"
    );
    s.cancel.cancel();
}

#[tokio::test]
async fn a_long_reply_is_split_and_survives_a_rate_limit_and_a_5xx() {
    let s = setup().await;
    s.fake
        .faults
        .rate_limit_next
        .store(1, std::sync::atomic::Ordering::SeqCst);
    s.fake
        .faults
        .fail_next
        .store(1, std::sync::atomic::Ordering::SeqCst);
    let text = "word ".repeat(1500); // 7500 chars: two messages
    s.hub
        .deliver("main", &OutboundMessage::new("tg:42", text.clone()))
        .await
        .unwrap();
    wait_until("both pieces", || {
        s.hub.status(ChannelKind::Telegram).unwrap().messages.sent == 1
    })
    .await;
    let sent = s.fake.sent();
    assert_eq!(sent.len(), 2, "each piece exactly once");
    for m in &sent {
        assert_eq!(m["chat_id"], 42);
        assert!(m["text"].as_str().unwrap().len() <= 4096);
    }
    let joined: String = sent
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(joined.split_whitespace().count(), 1500);
    assert_eq!(
        s.hub.status(ChannelKind::Telegram).unwrap().messages.sent,
        1
    );

    // A JID with no configured channel is refused with a reason.
    let e = s
        .hub
        .deliver("main", &OutboundMessage::new("dc:1", "x"))
        .await
        .unwrap_err();
    assert!(e.contains("no discord channel"), "{e}");
    s.cancel.cancel();
}

#[tokio::test]
async fn the_connector_reconnects_after_the_server_drops_the_connection() {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    group(&state, "main", true, &["tg:42"], &[]);
    let fake = FakeTelegram::start(TOKEN).await;
    fake.faults
        .drop_next
        .store(2, std::sync::atomic::Ordering::SeqCst);
    fake.dm(42, "are you there?");
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut hub = ChannelHub::new(state.clone(), Arc::new(Capture(tx)), fast());
    hub.add(
        config(&fake.base()),
        Arc::new(Telegram::new(&fake.base(), Secret::new(TOKEN)).with_poll_timeout(1)),
    );
    let hub = Arc::new(hub);
    let cancel = CancellationToken::new();
    tokio::spawn(hub.clone().run(cancel.clone()));
    let (g, m) = next(&mut rx).await;
    assert_eq!((g.as_str(), m.text.as_str()), ("main", "are you there?"));
    let st = hub.status(ChannelKind::Telegram).unwrap();
    assert!(st.reconnects >= 2, "{st:?}");
    assert!(st.last_error.is_some());
    assert!(fake.polls.load(std::sync::atomic::Ordering::SeqCst) >= 3);
    cancel.cancel();
}

#[tokio::test]
async fn a_dead_channel_does_not_stop_the_others() {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    group(&state, "main", true, &["tg:42"], &[]);
    let fake = FakeTelegram::start(TOKEN).await;
    // A second "telegram-like" adapter cannot exist (one per kind), so the dead
    // one is Discord pointing at a closed port; Telegram keeps working.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut hub = ChannelHub::new(state.clone(), Arc::new(Capture(tx)), fast());
    hub.add(
        config(&fake.base()),
        Arc::new(Telegram::new(&fake.base(), Secret::new(TOKEN)).with_poll_timeout(1)),
    );
    let mut dc = config(&dead);
    dc.kind = ChannelKind::Discord;
    hub.add(
        dc,
        Arc::new(aigo::channels::Discord::new(&dead, Secret::new("x"))),
    );
    let hub = Arc::new(hub);
    let cancel = CancellationToken::new();
    tokio::spawn(hub.clone().run(cancel.clone()));
    fake.dm(42, "still there?");
    assert_eq!(next(&mut rx).await.1.text, "still there?");
    // Discord's reply waits in its own queue; Telegram's goes out meanwhile.
    hub.deliver("main", &OutboundMessage::new("dc:5", "hello?"))
        .await
        .unwrap();
    hub.deliver("main", &OutboundMessage::new("tg:42", "yes"))
        .await
        .unwrap();
    wait_until("telegram's reply", || fake.sent().len() == 1).await;
    assert_eq!(hub.status(ChannelKind::Discord).unwrap().messages.failed, 0);
    // Past `give_up_after` the Discord reply counts as failed, with the reason.
    wait_until("discord to give up", || {
        hub.status(ChannelKind::Discord).unwrap().messages.failed == 1
    })
    .await;
    let st = hub.status(ChannelKind::Discord).unwrap();
    let f = st.last_failure.unwrap();
    assert_eq!(f.chat_jid, "dc:5");
    assert!(f.reason.contains("gave up"), "{f:?}");
    assert_eq!(st.messages.queued, 0);
    assert_eq!(fake.sent().len(), 1);
    cancel.cancel();
}

struct NoTasks;
impl TaskSink for NoTasks {
    fn apply<'a>(&'a self, _: &'a str, _: TaskRequest) -> BoxFut<'a, Result<String, TaskRefusal>> {
        Box::pin(async { Err(TaskRefusal::Invalid("no tasks here".into())) })
    }
}

#[tokio::test]
async fn a_non_main_group_cannot_make_a_channel_send_to_another_groups_chat() {
    let s = setup().await;
    let audit = AuditLog::open(&s.state);
    let router = Router::new(
        s.state.clone(),
        audit.clone(),
        s.hub.clone(),
        Arc::new(NoTasks),
    );
    let family = ipc::init(&s.state, "family", "s1").unwrap();
    let main = ipc::init(&s.state, "main", "s1").unwrap();
    // family → work's chat: refused; family → its own chat: delivered;
    // main → anywhere bound: delivered.
    ipc::write_json(&family.messages, &OutboundMessage::new("tg:-200", "leak")).unwrap();
    ipc::write_json(
        &family.messages,
        &OutboundMessage::new("tg:42", "leak to main"),
    )
    .unwrap();
    ipc::write_json(
        &family.messages,
        &OutboundMessage::new("tg:-100", "hi family"),
    )
    .unwrap();
    ipc::write_json(&main.messages, &OutboundMessage::new("tg:-200", "hi work")).unwrap();
    router.scan_all().await;
    wait_until("two replies", || {
        s.hub.status(ChannelKind::Telegram).unwrap().messages.sent == 2
    })
    .await;

    let sent = s.fake.sent();
    let to: Vec<(i64, &str)> = sent
        .iter()
        .map(|m| (m["chat_id"].as_i64().unwrap(), m["text"].as_str().unwrap()))
        .collect();
    assert!(to.contains(&(-100, "hi family")), "{to:?}");
    assert!(to.contains(&(-200, "hi work")), "{to:?}");
    assert_eq!(to.len(), 2, "nothing else reached Telegram: {to:?}");
    let stats = &router.stats;
    assert_eq!(
        stats.violations.load(std::sync::atomic::Ordering::Relaxed),
        2
    );
    assert_eq!(
        stats.delivered.load(std::sync::atomic::Ordering::Relaxed),
        2
    );
    let errors: Vec<_> = std::fs::read_dir(&family.errors).unwrap().collect();
    assert_eq!(errors.len(), 4, "two quarantined files, each with a reason");
    s.cancel.cancel();
}

// ------------------------------------------------------------------ CLI

#[test]
fn cli_add_validate_list_status_remove() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let fake = rt.block_on(FakeTelegram::start(TOKEN));
    let home = tempfile::tempdir().unwrap();
    let add = |token: &str| {
        common::aigo(home.path())
            .args([
                "channels",
                "add",
                "telegram",
                "--token-stdin",
                "--api-base",
                &fake.base(),
            ])
            .write_stdin(format!("{token}\n"))
            .assert()
    };
    add(TOKEN).success();
    let toml = std::fs::read_to_string(home.path().join("channels.toml")).unwrap();
    assert!(
        !toml.contains("AAEgoodtoken"),
        "the token stays out of channels.toml"
    );
    assert!(toml.contains("channel/telegram/token"));
    add(TOKEN)
        .code(2)
        .stderr(predicates::str::contains("already configured"));

    let out = common::aigo(home.path())
        .args(["channels", "validate", "telegram", "--json"])
        .assert()
        .success();
    let v = common::json(&out.get_output().stdout);
    assert_eq!(v["valid"], true);
    assert_eq!(v["bot"]["username"], TG_BOT_USERNAME);
    assert_eq!(v["bot"]["name"], "Aigo");

    let list = common::aigo(home.path())
        .args(["channels", "list", "--json"])
        .assert()
        .success();
    let l = common::json(&list.get_output().stdout);
    assert_eq!(l[0]["kind"], "telegram");
    assert!(!String::from_utf8_lossy(&list.get_output().stdout).contains("AAEgoodtoken"));

    let st = common::aigo(home.path())
        .args(["channels", "status", "telegram", "--json"])
        .assert()
        .success();
    let st = common::json(&st.get_output().stdout);
    assert_eq!(st["configured"], true);
    assert_eq!(st["running"], false);

    // A bad token: validate says so (exit 1) with Telegram's reason.
    common::aigo(home.path())
        .args(["channels", "remove", "telegram"])
        .assert()
        .success();
    add("123456:wrong").success();
    let out = common::aigo(home.path())
        .args(["channels", "validate", "telegram", "--json"])
        .assert()
        .code(1);
    let v = common::json(&out.get_output().stdout);
    assert_eq!(v["valid"], false);
    assert!(
        v["reason"].as_str().unwrap().contains("Unauthorized"),
        "{v}"
    );
    assert!(
        !v["reason"].as_str().unwrap().contains("wrong"),
        "no token in the reason"
    );

    common::aigo(home.path())
        .args(["channels", "add", "slack", "--token-stdin"])
        .write_stdin("xoxp-user\nxapp-1\n")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("xoxb-"));
    drop(rt);
}

/// Panics in its first `listen`, then behaves like the Telegram adapter.
struct PanicsOnce {
    inner: Telegram,
    panicked: std::sync::atomic::AtomicBool,
}

impl aigo::channels::Channel for PanicsOnce {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Telegram
    }
    fn validate(
        &self,
    ) -> BoxFut<'_, Result<aigo::channels::BotIdentity, aigo::channels::ChannelError>> {
        self.inner.validate()
    }
    fn send<'a>(
        &'a self,
        jid: &'a aigo::groups::Jid,
        text: &'a str,
    ) -> BoxFut<'a, Result<(), aigo::channels::SendError>> {
        self.inner.send(jid, text)
    }
    fn listen<'a>(
        &'a self,
        link: &'a aigo::channels::Link,
    ) -> BoxFut<'a, Result<(), aigo::channels::ChannelError>> {
        if !self
            .panicked
            .swap(true, std::sync::atomic::Ordering::SeqCst)
        {
            panic!("a bug in the connector");
        }
        self.inner.listen(link)
    }
}

#[tokio::test]
async fn a_panicking_connector_is_restarted() {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    group(&state, "main", true, &["tg:42"], &[]);
    let fake = FakeTelegram::start(TOKEN).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut hub = ChannelHub::new(state.clone(), Arc::new(Capture(tx)), fast());
    let flaky = PanicsOnce {
        inner: Telegram::new(&fake.base(), Secret::new(TOKEN)).with_poll_timeout(1),
        panicked: Default::default(),
    };
    hub.add(config(&fake.base()), Arc::new(flaky));
    let hub = Arc::new(hub);
    let cancel = CancellationToken::new();
    tokio::spawn(hub.clone().run(cancel.clone()));
    fake.dm(42, "still alive?");
    assert_eq!(next(&mut rx).await.1.text, "still alive?");
    cancel.cancel();
}

/// Panics on the first message, captures the rest.
struct PanickySink(Capture, std::sync::atomic::AtomicBool);

impl InboundSink for PanickySink {
    fn deliver<'a>(
        &'a self,
        group: &'a Group,
        msg: &'a InboundMessage,
    ) -> BoxFut<'a, Result<String, String>> {
        if !self.1.swap(true, std::sync::atomic::Ordering::SeqCst) {
            panic!("a bug in the sink");
        }
        self.0.deliver(group, msg)
    }
}

#[tokio::test]
async fn a_panic_while_handling_one_message_does_not_stop_the_next() {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    group(&state, "main", true, &["tg:42"], &[]);
    let fake = FakeTelegram::start(TOKEN).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let sink = PanickySink(Capture(tx), Default::default());
    let mut hub = ChannelHub::new(state.clone(), Arc::new(sink), fast());
    hub.add(
        config(&fake.base()),
        Arc::new(Telegram::new(&fake.base(), Secret::new(TOKEN)).with_poll_timeout(1)),
    );
    let hub = Arc::new(hub);
    let cancel = CancellationToken::new();
    tokio::spawn(hub.clone().run(cancel.clone()));
    fake.dm(42, "first");
    fake.dm(42, "second");
    assert_eq!(next(&mut rx).await.1.text, "second");
    cancel.cancel();
}

#[tokio::test]
async fn a_group_upgraded_to_a_supergroup_keeps_its_conversation() {
    let mut s = setup().await;
    s.fake.migrate(-100, -1_001_000);
    s.fake
        .group_msg(-1_001_000, 9, &format!("@{TG_BOT_USERNAME} still there?"));
    let (g, m) = next(&mut s.rx).await;
    assert_eq!((g.as_str(), m.chat_jid.as_str()), ("family", "tg:-1001000"));
    let family = groups::list(&s.state)
        .unwrap()
        .into_iter()
        .find(|g| g.name == "family")
        .unwrap();
    assert_eq!(family.jids, ["tg:-100", "tg:-1001000"]);
    let audit = std::fs::read_to_string(s.state.audit()).unwrap();
    assert!(
        audit.contains("moved to tg:-1001000") && audit.contains("\"family\""),
        "{audit}"
    );

    // A session started before the move still answers the old id: the reply
    // reaches the supergroup, once.
    s.hub
        .deliver("family", &OutboundMessage::new("tg:-100", "yes, here"))
        .await
        .unwrap();
    wait_until("the reply", || {
        s.hub.status(ChannelKind::Telegram).unwrap().messages.sent == 1
    })
    .await;
    let sent = s.fake.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["chat_id"], -1_001_000);
    assert_eq!(sent[0]["text"], "yes, here");
    s.cancel.cancel();
}

#[tokio::test]
async fn a_409_from_a_webhook_deletes_it_and_one_from_another_poller_is_explained() {
    let mut s = setup().await;
    *s.fake.extra.conflict.lock().unwrap() = Some(fake_chat::TG_WEBHOOK_CONFLICT.into());
    s.fake.dm(42, "through the webhook conflict");
    assert_eq!(next(&mut s.rx).await.1.text, "through the webhook conflict");
    assert_eq!(
        s.fake
            .extra
            .webhook_deletes
            .load(std::sync::atomic::Ordering::SeqCst),
        1
    );

    *s.fake.extra.conflict.lock().unwrap() = Some(fake_chat::TG_POLLER_CONFLICT.into());
    wait_until("the status to explain the 409", || {
        s.hub
            .status(ChannelKind::Telegram)
            .unwrap()
            .last_error
            .is_some_and(|e| e.contains("another program is polling this bot token"))
    })
    .await;
    assert!(!s.hub.status(ChannelKind::Telegram).unwrap().connected);
    *s.fake.extra.conflict.lock().unwrap() = None;
    s.fake.dm(42, "the other poller stopped");
    assert_eq!(next(&mut s.rx).await.1.text, "the other poller stopped");
    s.cancel.cancel();
}

#[tokio::test]
async fn get_updates_honours_retry_after_and_the_offset_survives_a_restart() {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    group(&state, "main", true, &["tg:42"], &[]);
    let fake = FakeTelegram::start(TOKEN).await;
    fake.extra
        .poll_limit_next
        .store(1, std::sync::atomic::Ordering::SeqCst);
    let start = |fake: &FakeTelegram| {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut hub = ChannelHub::new(state.clone(), Arc::new(Capture(tx)), fast());
        let tg = Telegram::new(&fake.base(), Secret::new(TOKEN))
            .with_poll_timeout(1)
            .with_state(&state);
        hub.add(config(&fake.base()), Arc::new(tg));
        let hub = Arc::new(hub);
        let cancel = CancellationToken::new();
        let task = tokio::spawn(hub.clone().run(cancel.clone()));
        (hub, rx, cancel, task)
    };
    let (hub, mut rx, cancel, task) = start(&fake);
    fake.dm(42, "one");
    assert_eq!(next(&mut rx).await.1.text, "one");
    let st = hub.status(ChannelKind::Telegram).unwrap();
    assert!(
        st.last_error.as_deref().unwrap().contains("retry_after"),
        "{st:?}"
    );
    assert_eq!(st.reconnects, 0, "a rate limit is no disconnect: {st:?}");
    cancel.cancel();
    task.await.unwrap().unwrap();
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(home.path().join("channels/telegram.json")).unwrap())
            .unwrap();
    assert_eq!(saved["offset"], 2);

    // A new daemon: "one" is not delivered again.
    fake.extra.offsets.lock().unwrap().clear();
    let (_hub, mut rx, cancel, _task) = start(&fake);
    fake.dm(42, "two");
    assert_eq!(next(&mut rx).await.1.text, "two");
    assert_eq!(fake.extra.offsets.lock().unwrap()[0], 2);
    assert!(rx.try_recv().is_err());
    cancel.cancel();
}

#[tokio::test]
async fn with_telegram_down_slack_replies_keep_flowing_and_telegram_catches_up_once() {
    use fake_chat::FakeSlack;
    use std::sync::atomic::Ordering;
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    group(&state, "main", true, &["tg:42", "slack:C1"], &[]);
    let tg_fake = FakeTelegram::start(TOKEN).await;
    let slack_fake = FakeSlack::start("xoxb-good", "xapp-good").await;
    let (tx, _rx) = mpsc::unbounded_channel();
    let opts = HubOptions {
        give_up_after: Duration::from_secs(120),
        ..fast()
    };
    let mut hub = ChannelHub::new(state.clone(), Arc::new(Capture(tx)), opts);
    hub.add(
        config(&tg_fake.base()),
        Arc::new(Telegram::new(&tg_fake.base(), Secret::new(TOKEN)).with_poll_timeout(1)),
    );
    let mut sc = config(&slack_fake.base());
    sc.kind = ChannelKind::Slack;
    hub.add(
        sc,
        Arc::new(aigo::channels::Slack::new(
            &slack_fake.base(),
            Secret::new("xoxb-good"),
            Secret::new("xapp-good"),
        )),
    );
    let hub = Arc::new(hub);
    let cancel = CancellationToken::new();
    tokio::spawn(hub.clone().run(cancel.clone()));

    tg_fake.faults.down.store(true, Ordering::SeqCst);
    for i in 0..3 {
        hub.deliver("main", &OutboundMessage::new("tg:42", format!("tg {i}")))
            .await
            .unwrap();
    }
    for i in 0..5 {
        hub.deliver(
            "main",
            &OutboundMessage::new("slack:C1", format!("slack {i}")),
        )
        .await
        .unwrap();
    }
    wait_until("every Slack reply", || slack_fake.sent().len() == 5).await;
    // Slack did not wait for Telegram: Telegram is still down, its replies queued.
    assert!(tg_fake.sent().is_empty());
    let st = hub.status(ChannelKind::Telegram).unwrap();
    assert_eq!((st.messages.queued, st.messages.sent), (3, 0), "{st:?}");
    assert!(
        home.path()
            .join("channels/outbox/telegram")
            .read_dir()
            .unwrap()
            .count()
            == 3,
        "the queue is on disk"
    );
    // The outage goes on a while (60 s compressed to 2): retries, no give-up.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        hub.status(ChannelKind::Telegram).unwrap().messages.failed,
        0
    );
    tg_fake.faults.down.store(false, Ordering::SeqCst);
    wait_until("Telegram's replies", || {
        hub.status(ChannelKind::Telegram).unwrap().messages.sent == 3
    })
    .await;
    let texts: Vec<String> = tg_fake
        .sent()
        .iter()
        .map(|m| m["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(texts, ["tg 0", "tg 1", "tg 2"], "each once, in order");
    let slack: Vec<String> = slack_fake
        .sent()
        .iter()
        .map(|m| m["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        slack,
        ["slack 0", "slack 1", "slack 2", "slack 3", "slack 4"]
    );
    let st = hub.status(ChannelKind::Telegram).unwrap();
    assert_eq!((st.messages.queued, st.messages.failed), (0, 0));
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
