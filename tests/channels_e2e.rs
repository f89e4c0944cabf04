//! The whole loop on this machine's Docker Engine: a Telegram DM (fake Bot API)
//! starts a run in the daemon, the busybox "agent" answers through IPC, the
//! router hands the answer to the Telegram adapter, and the reply reaches the
//! fake; a second DM becomes a follow-up in the running session.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "support/fake_chat.rs"]
mod fake_chat;

use aigo::channels::{self, ChannelKind, ChannelSecrets, NewChannel};
use aigo::daemon::DaemonOptions;
use aigo::groups::{self, Group};
use aigo::proxy::{Keystore, Secret};
use aigo::runs::RunState;
use aigo::state::StateDir;
use common::{TestDaemon, docker_or_skip};
use fake_chat::FakeTelegram;

const IMAGE: &str = "aigo-test-chat-agent:latest";
const TOKEN: &str = "42:e2e-token";

#[test]
fn a_telegram_dm_starts_a_run_whose_reply_reaches_the_chat() {
    if !docker_or_skip("a_telegram_dm_starts_a_run_whose_reply_reaches_the_chat") {
        return;
    }
    common::busybox_image(
        IMAGE,
        &[("agent.sh", common::ECHO_AGENT)],
        "ENTRYPOINT [\"/bin/sh\", \"/agent.sh\"]\n",
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let fake = rt.block_on(FakeTelegram::start(TOKEN));
    let home = tempfile::tempdir().unwrap();
    let state = StateDir::at(home.path());
    std::fs::write(state.config(), format!("image_tag = \"{IMAGE}\"\n")).unwrap();
    groups::add(
        &state,
        Group {
            name: "main".into(),
            main: true,
            jids: vec!["tg:4242".into()],
            senders: vec![],
            ..Default::default()
        },
    )
    .unwrap();
    channels::add(
        &state,
        &Keystore::open(&state),
        NewChannel {
            kind: ChannelKind::Telegram,
            api_base: Some(fake.base()),
            trigger_word: None,
            phone_number_id: None,
            graph_version: None,
        },
        ChannelSecrets(
            [("token".to_string(), Secret::new(TOKEN))]
                .into_iter()
                .collect(),
        ),
    )
    .unwrap();
    let mut d = TestDaemon::start_with_network(home, DaemonOptions::default(), "chan");
    let replies = || -> Vec<String> {
        fake.sent()
            .iter()
            .filter(|m| m["chat_id"] == 4242)
            .filter_map(|m| m["text"].as_str().map(str::to_string))
            .collect()
    };

    fake.dm(4242, "hello");
    common::wait_for("the agent's reply in the chat", 90, || {
        replies().iter().any(|t| t == "echo: hello")
    });
    let runs = aigo::runs::history(&d.state).unwrap();
    assert_eq!(runs.len(), 1, "one run started");
    assert_eq!(runs[0].group, "main");

    // The run is still going: the next DM is a follow-up, not a second run.
    fake.dm(4242, "again");
    common::wait_for("the follow-up reply", 60, || {
        replies().iter().any(|t| t == "echo: again")
    });
    assert_eq!(aigo::runs::history(&d.state).unwrap().len(), 1);

    let dirs = aigo::ipc::session_dirs(&d.state, "main", &runs[0].session).unwrap();
    aigo::ipc::close(&dirs).unwrap();
    common::wait_for("the run to end", 60, || {
        aigo::runs::load_record(&d.state, &runs[0].id)
            .map(|r| r.state != RunState::Running)
            .unwrap_or(false)
    });
    d.stop().unwrap();
}
