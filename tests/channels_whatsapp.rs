//! WhatsApp Cloud API against a fake Graph API on 127.0.0.1, and the daemon's
//! webhook: verification handshake, signature check, inbound to the sink,
//! replies (with 429 and 5xx retried), token validation good and bad.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "support/fake_chat.rs"]
mod fake_chat;

use std::sync::Arc;
use std::time::Duration;

use aigo::channels::{
    self, ChannelKind, ChannelSecrets, HubOptions, InboundMessage, InboundSink, NewChannel,
    WebhookError,
};
use aigo::daemon::DaemonOptions;
use aigo::groups::{self, Group};
use aigo::ipc::{BoxFut, MessageSink, OutboundMessage};
use aigo::proxy::{Keystore, Secret};
use aigo::state::StateDir;
use common::{TestDaemon, http};
use fake_chat::{FakeGraph, WA_PHONE_ID, wa_notification, wa_signature};
use tokio::sync::mpsc;

const ACCESS: &str = "EAAGgoodaccess";
const VERIFY: &str = "my-verify-token";
const APP_SECRET: &str = "appsecret123";

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

fn add_whatsapp(state: &StateDir, base: &str, access: &str) {
    let secrets = ChannelSecrets(
        [
            ("accessToken", access),
            ("verifyToken", VERIFY),
            ("appSecret", APP_SECRET),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), Secret::new(v)))
        .collect(),
    );
    channels::add(
        state,
        &Keystore::open(state),
        NewChannel {
            kind: ChannelKind::Whatsapp,
            api_base: Some(base.into()),
            trigger_word: Some("agent".into()),
            phone_number_id: Some(WA_PHONE_ID.into()),
            graph_version: None,
        },
        secrets,
    )
    .unwrap();
}

fn bind(state: &StateDir) {
    groups::add(
        state,
        Group {
            name: "main".into(),
            main: true,
            jids: vec!["491701234567@s.whatsapp.net".into(), "120363-1@g.us".into()],
            senders: vec![],
            ..Default::default()
        },
    )
    .unwrap();
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

fn fast() -> HubOptions {
    HubOptions {
        reconnect_base: Duration::from_millis(20),
        reconnect_max: Duration::from_millis(200),
        retry_base: Duration::from_millis(10),
        retry_max_wait: Duration::from_secs(2),
        give_up_after: Duration::from_secs(3),
    }
}

#[tokio::test]
async fn webhook_messages_reach_the_sink_and_replies_reach_the_graph_api() {
    let fake = FakeGraph::start(ACCESS).await;
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    bind(&state);
    add_whatsapp(&state, &fake.base(), ACCESS);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let hub = channels::build_all(
        &state,
        &Keystore::open(&state),
        Arc::new(Capture(tx)),
        fast(),
    )
    .unwrap();
    let hub = Arc::new(hub);
    let cancel = tokio_util::sync::CancellationToken::new();
    tokio::spawn(hub.clone().run(cancel.clone()));

    // Verification handshake.
    let ok = hub.whatsapp_verify(Some("subscribe"), Some(VERIFY), Some("1158201444"));
    assert_eq!(ok, Some(Ok("1158201444")));
    let bad = hub.whatsapp_verify(Some("subscribe"), Some("guess"), Some("x"));
    assert_eq!(bad, Some(Err(WebhookError::VerifyFailed)));

    // A signed DM is delivered; an unsigned or wrongly signed one is refused.
    let body = wa_notification("491701234567", "Alice", "hello agent").to_string();
    let sig = wa_signature(APP_SECRET, body.as_bytes());
    assert_eq!(
        hub.whatsapp_webhook(Some(&sig), body.as_bytes()).await,
        Some(Ok(1))
    );
    let wrong = wa_signature("not-the-secret", body.as_bytes());
    assert_eq!(
        hub.whatsapp_webhook(Some(&wrong), body.as_bytes()).await,
        Some(Err(WebhookError::BadSignature))
    );
    assert_eq!(
        hub.whatsapp_webhook(None, body.as_bytes()).await,
        Some(Err(WebhookError::BadSignature))
    );
    let (g, m) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(g, "main");
    assert_eq!(m.chat_jid, "491701234567@s.whatsapp.net");
    assert_eq!(m.sender_name.as_deref(), Some("Alice"));
    assert!(m.direct);

    // Group messages: only with the trigger word.
    let mut n = wa_notification("491709999999", "Bob", "lunch anyone?");
    n["entry"][0]["changes"][0]["value"]["messages"][0]["group_id"] = "120363-1".into();
    let b = n.to_string();
    hub.whatsapp_webhook(Some(&wa_signature(APP_SECRET, b.as_bytes())), b.as_bytes())
        .await;
    n["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] =
        "Agent, book a table".into();
    n["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = "wamid.GROUP2".into();
    let b = n.to_string();
    hub.whatsapp_webhook(Some(&wa_signature(APP_SECRET, b.as_bytes())), b.as_bytes())
        .await;
    let (_, m) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.chat_jid, "120363-1@g.us");
    assert_eq!(m.text, "Agent, book a table");
    assert!(rx.try_recv().is_err());

    // The reply, through a 429 (Retry-After: 0) and a 500.
    fake.faults
        .rate_limit_next
        .store(1, std::sync::atomic::Ordering::SeqCst);
    fake.faults
        .fail_next
        .store(1, std::sync::atomic::Ordering::SeqCst);
    hub.deliver(
        "main",
        &OutboundMessage::new("491701234567@s.whatsapp.net", "hi Alice"),
    )
    .await
    .unwrap();
    wait_until("the reply", || {
        hub.status(ChannelKind::Whatsapp).unwrap().messages.sent == 1
    })
    .await;
    let sent = fake.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["messaging_product"], "whatsapp");
    assert_eq!(sent[0]["to"], "491701234567");
    assert_eq!(sent[0]["type"], "text");
    assert_eq!(sent[0]["text"]["body"], "hi Alice");
    let st = hub.status(ChannelKind::Whatsapp).unwrap();
    assert_eq!(st.messages.received, 3);
    assert_eq!(st.messages.accepted, 2);
    assert_eq!(st.messages.ignored, 1);
    assert_eq!(st.messages.sent, 1);
    cancel.cancel();
}

#[tokio::test]
async fn validate_reports_the_business_name_or_the_graph_error() {
    let fake = FakeGraph::start(ACCESS).await;
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    add_whatsapp(&state, &fake.base(), ACCESS);
    let bot = channels::validate(&state, &Keystore::open(&state), ChannelKind::Whatsapp)
        .await
        .unwrap();
    assert_eq!(bot.name, "Aigo Test");
    assert_eq!(bot.username.as_deref(), Some("+1 555-0100"));

    channels::remove(&state, &Keystore::open(&state), ChannelKind::Whatsapp).unwrap();
    assert!(
        Keystore::open(&state).load().unwrap().is_empty(),
        "tokens removed too"
    );
    add_whatsapp(&state, &fake.base(), "EAAGexpired");
    let e = channels::validate(&state, &Keystore::open(&state), ChannelKind::Whatsapp)
        .await
        .unwrap_err();
    let text = e.to_string();
    assert!(text.contains("Invalid OAuth access token"), "{text}");
    assert!(!text.contains("EAAGexpired"));
}

#[test]
fn the_daemon_serves_the_webhook_and_channel_status() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let fake = rt.block_on(FakeGraph::start(ACCESS));
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    bind(&state);
    add_whatsapp(&state, &fake.base(), ACCESS);
    // The webhook has its own listener; the API does not serve it.
    std::fs::write(
        state.config(),
        "[channels.whatsapp]\nwebhook_bind = \"127.0.0.1:0\"\n",
    )
    .unwrap();
    // With an API token: the webhook still works (Meta cannot send our token).
    let d = TestDaemon::start_in(
        home,
        DaemonOptions {
            token: Some("api-secret".into()),
        },
    );
    assert_eq!(d.get("/api/v1/health").status, 200);
    let info: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.state.daemon_info()).unwrap()).unwrap();
    let hook_addr: std::net::SocketAddr = info["webhookAddress"].as_str().unwrap().parse().unwrap();
    let path = format!(
        "/api/v1/channels/whatsapp/webhook?hub.mode=subscribe&hub.verify_token={VERIFY}&hub.challenge=test"
    );
    let r = http(
        hook_addr,
        "GET",
        &path,
        None,
        &[("Host", "hooks.example.com")],
    );
    assert_eq!((r.status, r.body.as_str()), (200, "test"));
    let auth = [("Authorization", "Bearer api-secret")];
    assert_eq!(
        http(d.addr, "GET", &path, None, &auth).status,
        404,
        "the API no longer serves the webhook"
    );
    for (method, other) in [
        ("GET", "/api/v1/health"),
        ("GET", "/api/v1/container/runs"),
        ("PUT", "/api/v1/container/mount/allowlist"),
    ] {
        let r = http(hook_addr, method, other, Some("{}"), &auth);
        assert_eq!(
            r.status, 404,
            "the webhook listener serves {method} {other}: {}",
            r.body
        );
    }
    let r = http(
        hook_addr,
        "GET",
        "/api/v1/channels/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=test",
        None,
        &[],
    );
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"], "forbidden");

    let body = wa_notification("491701234567", "Alice", "hi").to_string();
    let sig = wa_signature(APP_SECRET, body.as_bytes());
    let hook = "/api/v1/channels/whatsapp/webhook";
    let r = http(
        hook_addr,
        "POST",
        hook,
        Some(&body),
        &[("X-Hub-Signature-256", &sig)],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["received"], 1);
    let r = http(
        hook_addr,
        "POST",
        hook,
        Some(&body),
        &[("X-Hub-Signature-256", "sha256=00")],
    );
    assert_eq!(r.status, 403);
    let audit = std::fs::read_to_string(d.state.audit()).unwrap();
    assert!(audit.contains("missing or wrong signature"), "{audit}");

    // The API's routes still need the token.
    assert_eq!(
        http(d.addr, "GET", "/api/v1/channels/whatsapp", None, &[]).status,
        401
    );
    let mut st = serde_json::Value::Null;
    for _ in 0..200 {
        st = http(d.addr, "GET", "/api/v1/channels/whatsapp", None, &auth).json();
        if st["connected"] == true {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(st["connected"], true, "{st}");
    assert_eq!(st["running"], true);
    assert_eq!(st["bot"]["name"], "Aigo Test");
    assert_eq!(st["messages"]["received"], 1);
    let tg = http(d.addr, "GET", "/api/v1/channels/telegram", None, &auth).json();
    assert_eq!(
        (tg["configured"].clone(), tg["running"].clone()),
        (false.into(), false.into())
    );
    assert_eq!(
        http(d.addr, "GET", "/api/v1/channels/irc", None, &auth).status,
        400
    );
    let all = http(d.addr, "GET", "/api/v1/channels", None, &auth).json();
    assert_eq!(all.as_array().unwrap().len(), 1);

    // Adding a channel while the daemon runs starts it; the CLI asks the daemon.
    let tg = rt.block_on(fake_chat::FakeTelegram::start("1:tok"));
    channels::add(
        &d.state,
        &Keystore::open(&d.state),
        NewChannel {
            kind: ChannelKind::Telegram,
            api_base: Some(tg.base()),
            trigger_word: None,
            phone_number_id: None,
            graph_version: None,
        },
        ChannelSecrets(
            [("token".to_string(), Secret::new("1:tok"))]
                .into_iter()
                .collect(),
        ),
    )
    .unwrap();
    let poll = |want: bool| {
        for _ in 0..200 {
            let st = http(d.addr, "GET", "/api/v1/channels/telegram", None, &auth).json();
            if st["connected"] == want && st["running"] == want {
                return st;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("telegram never became connected={want}");
    };
    let st = poll(true);
    assert_eq!(st["bot"]["username"], fake_chat::TG_BOT_USERNAME);
    let out = common::aigo(d.home.path())
        .env("AIGO_API_TOKEN", "api-secret")
        .args(["channels", "status", "telegram", "--json"])
        .assert()
        .success();
    let cli = common::json(&out.get_output().stdout);
    assert_eq!(cli["connected"], true, "{cli}");
    channels::remove(&d.state, &Keystore::open(&d.state), ChannelKind::Telegram).unwrap();
    poll(false);
    drop(rt);
}

#[test]
fn cli_adds_whatsapp_with_three_secrets_and_a_phone_number_id() {
    let home = tempfile::tempdir().unwrap();
    common::aigo(home.path())
        .args(["channels", "add", "whatsapp", "--token-stdin"])
        .write_stdin(format!("{ACCESS}\n{VERIFY}\n{APP_SECRET}\n"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--phone-number-id"));
    common::aigo(home.path())
        .args([
            "channels",
            "add",
            "whatsapp",
            "--token-stdin",
            "--phone-number-id",
            WA_PHONE_ID,
        ])
        .write_stdin(format!("{ACCESS}\n{VERIFY}\n"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("3 line(s)"));
    common::aigo(home.path())
        .args([
            "channels",
            "add",
            "whatsapp",
            "--token-stdin",
            "--phone-number-id",
            WA_PHONE_ID,
        ])
        .write_stdin(format!("{ACCESS}\n{VERIFY}\n{APP_SECRET}\n"))
        .assert()
        .success();
    let out = common::aigo(home.path())
        .args(["channels", "list", "--json"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let v = common::json(text.as_bytes());
    assert_eq!(v[0]["phoneNumberId"], WA_PHONE_ID);
    assert_eq!(v[0]["secrets"]["appSecret"], "channel/whatsapp/appSecret");
    let toml = std::fs::read_to_string(home.path().join("channels.toml")).unwrap();
    for secret in [ACCESS, VERIFY, APP_SECRET] {
        assert!(!text.contains(secret) && !toml.contains(secret));
    }
    let state = StateDir::at(home.path());
    let ks = Keystore::open(&state).load().unwrap();
    assert_eq!(
        ks.get("channel/whatsapp/verifyToken").unwrap().expose(),
        VERIFY
    );
}

fn failed_status(wamid: &str, to: &str) -> serde_json::Value {
    serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550100", "phone_number_id": WA_PHONE_ID},
            "statuses": [{"id": wamid, "status": "failed", "timestamp": "1700000100",
                "recipient_id": to,
                "errors": [{"code": 131047, "title": "Re-engagement message",
                    "message": "Re-engagement message",
                    "error_data": {"details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number."}}]}]
        }}]}]
    })
}

#[tokio::test]
async fn a_failed_status_turns_a_sent_reply_into_a_failure_and_retried_webhooks_count_once() {
    let fake = FakeGraph::start(ACCESS).await;
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    bind(&state);
    add_whatsapp(&state, &fake.base(), ACCESS);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut hub = channels::build_all(
        &state,
        &Keystore::open(&state),
        Arc::new(Capture(tx)),
        fast(),
    )
    .unwrap();
    hub.set_audit(aigo::audit::AuditLog::open(&state));
    let hub = Arc::new(hub);
    let cancel = tokio_util::sync::CancellationToken::new();
    tokio::spawn(hub.clone().run(cancel.clone()));

    // Meta retries a notification it thinks was missed: one message, once.
    let body = wa_notification("491701234567", "Alice", "hello agent").to_string();
    let sig = wa_signature(APP_SECRET, body.as_bytes());
    assert_eq!(
        hub.whatsapp_webhook(Some(&sig), body.as_bytes()).await,
        Some(Ok(1))
    );
    assert_eq!(
        hub.whatsapp_webhook(Some(&sig), body.as_bytes()).await,
        Some(Ok(0))
    );
    assert_eq!(rx.recv().await.unwrap().1.text, "hello agent");

    hub.deliver(
        "main",
        &OutboundMessage::new("491701234567@s.whatsapp.net", "late answer"),
    )
    .await
    .unwrap();
    wait_until("the reply", || {
        hub.status(ChannelKind::Whatsapp).unwrap().messages.sent == 1
    })
    .await;
    // Accepted by the Graph API, then reported failed (outside the 24-hour window).
    let b = failed_status("wamid.TEST", "491701234567").to_string();
    let sig = wa_signature(APP_SECRET, b.as_bytes());
    assert_eq!(
        hub.whatsapp_webhook(Some(&sig), b.as_bytes()).await,
        Some(Ok(0))
    );
    // Meta's retry of the same status is not a second failure.
    assert_eq!(
        hub.whatsapp_webhook(Some(&sig), b.as_bytes()).await,
        Some(Ok(0))
    );
    wait_until("the failure", || {
        hub.status(ChannelKind::Whatsapp).unwrap().messages.failed == 1
    })
    .await;
    let st = hub.status(ChannelKind::Whatsapp).unwrap();
    assert_eq!((st.messages.sent, st.messages.received), (0, 1), "{st:?}");
    let f = st.last_failure.unwrap();
    assert_eq!(f.chat_jid, "491701234567@s.whatsapp.net");
    assert_eq!(f.group.as_deref(), Some("main"));
    assert!(
        f.reason.contains("24 hours") && f.reason.contains("131047"),
        "{f:?}"
    );
    let audit = std::fs::read_to_string(state.audit()).unwrap();
    let line = audit
        .lines()
        .find(|l| l.contains("not delivered"))
        .unwrap_or_else(|| panic!("{audit}"));
    assert!(
        line.contains("131047") && !line.contains("late answer"),
        "{line}"
    );
    cancel.cancel();
}

#[test]
fn the_graph_api_version_is_current_by_default_and_configurable() {
    let home = tempfile::tempdir().unwrap();
    let add = |extra: &[&str]| {
        let mut args = vec![
            "channels",
            "add",
            "whatsapp",
            "--token-stdin",
            "--phone-number-id",
            WA_PHONE_ID,
        ];
        args.extend_from_slice(extra);
        common::aigo(home.path())
            .args(&args)
            .write_stdin(format!("{ACCESS}\n{VERIFY}\n{APP_SECRET}\n"))
            .assert()
    };
    let out = add(&["--graph-version", "latest"]).code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("write it like v26.0"), "{err}");
    add(&["--graph-version", "v25.0"]).success();
    let state = StateDir::at(home.path());
    let c = channels::list(&state).unwrap().remove(0);
    assert_eq!(c.api_base(), "https://graph.facebook.com/v25.0");
    let mut plain = c.clone();
    plain.graph_version = None;
    assert_eq!(
        plain.api_base(),
        format!("https://graph.facebook.com/{}", channels::GRAPH_VERSION)
    );
}

#[test]
fn discord_close_4014_shows_as_stopped_in_aigo_channels_status() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let fake = rt.block_on(fake_chat::FakeDiscord::start("MTIz.good.token"));
    *fake.gw.close_on_identify.lock().unwrap() = Some(4014);
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    channels::add(
        &state,
        &Keystore::open(&state),
        NewChannel {
            kind: ChannelKind::Discord,
            api_base: Some(fake.base()),
            trigger_word: None,
            phone_number_id: None,
            graph_version: None,
        },
        ChannelSecrets(
            [("token".to_string(), Secret::new("MTIz.good.token"))]
                .into_iter()
                .collect(),
        ),
    )
    .unwrap();
    let d = TestDaemon::start_in(home, DaemonOptions { token: None });
    let mut text = String::new();
    for _ in 0..200 {
        let out = common::aigo(d.home.path())
            .args(["channels", "status", "discord"])
            .output()
            .unwrap();
        text = String::from_utf8_lossy(&out.stdout).into_owned();
        if text.starts_with("discord: stopped") {
            assert_eq!(out.status.code(), Some(1), "a stopped channel is a \"no\"");
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(text.starts_with("discord: stopped"), "{text}");
    assert!(
        text.contains("4014") && text.contains("Message Content Intent"),
        "{text}"
    );
    assert_eq!(
        fake.gw.identifies.load(std::sync::atomic::Ordering::SeqCst),
        1
    );
    drop(d);
    drop(rt);
}
