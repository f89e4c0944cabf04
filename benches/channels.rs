//! Chat channel overhead against a fake Telegram Bot API on loopback: outbound
//! deliveries per second through the hub (JSON, HTTP keep-alive), inbound
//! messages per second from long-polled updates to the inbound sink, and the
//! cost of splitting a long reply. `cargo bench --bench channels`.

#![allow(clippy::unwrap_used)]

#[path = "../tests/support/fake_chat.rs"]
mod fake_chat;

use std::sync::Arc;
use std::time::{Duration, Instant};

use aigo::channels::{
    ChannelConfig, ChannelHub, ChannelKind, HubOptions, InboundMessage, InboundSink, Telegram,
    split_message,
};
use aigo::groups::{self, Group};
use aigo::ipc::{BoxFut, MessageSink, OutboundMessage};
use aigo::proxy::Secret;
use aigo::state::StateDir;
use fake_chat::FakeTelegram;
use tokio::sync::mpsc;

const TOKEN: &str = "1:bench";
const OUT: usize = 2_000;
const IN: usize = 2_000;

struct Count(mpsc::UnboundedSender<()>);
impl InboundSink for Count {
    fn deliver<'a>(
        &'a self,
        _: &'a Group,
        _: &'a InboundMessage,
    ) -> BoxFut<'a, Result<String, String>> {
        let _ = self.0.send(());
        Box::pin(async { Ok(String::new()) })
    }
}

#[tokio::main]
async fn main() {
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    groups::add(
        &state,
        Group {
            name: "main".into(),
            main: true,
            jids: vec!["tg:1".into()],
            senders: vec![],
            ..Default::default()
        },
    )
    .unwrap();
    let fake = FakeTelegram::start(TOKEN).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut hub = ChannelHub::new(state, Arc::new(Count(tx)), HubOptions::default());
    let config = ChannelConfig {
        kind: ChannelKind::Telegram,
        api_base: None,
        trigger_word: None,
        phone_number_id: None,
        graph_version: None,
        secrets: Default::default(),
        added_at: jiff::Timestamp::now(),
    };
    hub.add(
        config,
        Arc::new(Telegram::new(&fake.base(), Secret::new(TOKEN)).with_poll_timeout(1)),
    );
    let hub = Arc::new(hub);
    let cancel = tokio_util::sync::CancellationToken::new();
    tokio::spawn(hub.clone().run(cancel.clone()));

    let msg = OutboundMessage::new("tg:1", "a short reply from the agent");
    let t = Instant::now();
    for _ in 0..OUT {
        hub.deliver("main", &msg).await.unwrap();
    }
    let queued = t.elapsed();
    while hub.status(ChannelKind::Telegram).unwrap().messages.sent < OUT as u64 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let e = t.elapsed();
    println!(
        "outbound: {OUT} replies queued (durably, on disk) in {queued:.2?}, all delivered in {:.2?}: {:.0}/s, {:.0} µs each (one chat: one lane, one keep-alive connection)",
        e,
        OUT as f64 / e.as_secs_f64(),
        e.as_micros() as f64 / OUT as f64
    );

    // Let the connector reach its first long poll, then queue a burst.
    while fake.polls.load(std::sync::atomic::Ordering::SeqCst) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let t = Instant::now();
    for i in 0..IN {
        fake.dm(1, &format!("message {i}"));
    }
    for _ in 0..IN {
        rx.recv().await.unwrap();
    }
    let e = t.elapsed();
    println!(
        "inbound: {IN} DMs from getUpdates to the sink in {:.2?}: {:.0}/s (includes reading groups.toml per message)",
        e,
        IN as f64 / e.as_secs_f64()
    );

    let text = "lorem ipsum dolor sit amet\n".repeat(40_000);
    let t = Instant::now();
    let parts = split_message(&text, 4096);
    let e = t.elapsed();
    println!(
        "split: {} KiB into {} Telegram messages in {:.2?} ({:.0} MiB/s)",
        text.len() / 1024,
        parts.len(),
        e,
        text.len() as f64 / 1048576.0 / e.as_secs_f64()
    );
    cancel.cancel();
}
