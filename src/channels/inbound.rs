//! Inbound chat messages: which group one belongs to, whether it counts, and
//! the [`InboundSink`] that hands it to the group's session or a new run.

use serde::Serialize;

use super::ChannelKind;
use crate::groups::{Group, Groups};
use crate::ipc::BoxFut;

/// A message from a chat, as an adapter understood it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InboundMessage {
    pub channel: ChannelKind,
    /// The chat, as a JID (`tg:<chat_id>`, `<number>@s.whatsapp.net`…).
    pub chat_jid: String,
    /// The sender's stable id on the service (Telegram user id, phone number…).
    pub sender_id: String,
    /// Their handle or display name, also accepted by a group's sender allowlist.
    pub sender_name: Option<String>,
    pub text: String,
    /// A one-to-one chat with the bot: every message counts.
    pub direct: bool,
    /// The bot was @mentioned (or replied to) in a group chat.
    pub mentioned: bool,
    /// The thread the message was posted in (Slack's `thread_ts`): replies go there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread: Option<String>,
}

impl InboundMessage {
    /// How the agent sees the sender: `Alice (tg user 42)`.
    pub fn sender_label(&self) -> String {
        match &self.sender_name {
            Some(n) => format!("{n} ({} {})", self.channel, self.sender_id),
            None => format!("{} {}", self.channel, self.sender_id),
        }
    }
}

/// Where accepted inbound messages go. The daemon implements it with runs: a
/// follow-up into the group's running session (`ipc::send`), else a new run
/// with the message as prompt. Returns a short summary for the log.
pub trait InboundSink: Send + Sync {
    fn deliver<'a>(
        &'a self,
        group: &'a Group,
        msg: &'a InboundMessage,
    ) -> BoxFut<'a, Result<String, String>>;
}

/// What to do with one inbound message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Deliver(Group),
    /// Not for us (unbound chat, group chat without a mention).
    Ignore(String),
    /// A sender not on the group's allowlist: refused, and worth an audit event.
    Refused {
        group: String,
        reason: String,
    },
}

/// Bound chat → its group; the sender must be on the group's allowlist (empty:
/// anyone); in a group chat only a mention of the bot or the trigger word counts.
pub fn decide(groups: &Groups, msg: &InboundMessage, trigger_word: Option<&str>) -> Decision {
    let Some(group) = groups.owner_of(&msg.chat_jid) else {
        return Decision::Ignore(format!("{} is not bound to any group", msg.chat_jid));
    };
    if !sender_allowed(group, msg) {
        return Decision::Refused {
            group: group.name.clone(),
            reason: format!(
                "{} sender {} is not on group {:?}'s allowlist",
                msg.channel, msg.sender_id, group.name
            ),
        };
    }
    if !msg.direct && !msg.mentioned && !has_trigger(&msg.text, trigger_word) {
        return Decision::Ignore("group chat message without a mention or trigger word".into());
    }
    Decision::Deliver(group.clone())
}

fn sender_allowed(group: &Group, msg: &InboundMessage) -> bool {
    if group.senders.is_empty() {
        return true;
    }
    let name = msg
        .sender_name
        .as_deref()
        .map(|n| n.trim_start_matches('@'));
    group.senders.iter().any(|s| {
        s == &msg.sender_id
            || name.is_some_and(|n| s.trim_start_matches('@').eq_ignore_ascii_case(n))
    })
}

/// The trigger word as a whole word, case-insensitively.
fn has_trigger(text: &str, trigger: Option<&str>) -> bool {
    let Some(t) = trigger.map(str::trim).filter(|t| !t.is_empty()) else {
        return false;
    };
    let t = t.to_lowercase();
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '@' || c == '!'))
        .any(|w| w == t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups() -> Groups {
        Groups {
            schema_version: 1,
            groups: vec![
                Group {
                    name: "main".into(),
                    main: true,
                    jids: vec!["tg:1".into()],
                    senders: vec![],
                    ..Default::default()
                },
                Group {
                    name: "family".into(),
                    main: false,
                    jids: vec!["tg:-100".into()],
                    senders: vec!["42".into(), "@bob".into()],
                    ..Default::default()
                },
            ],
        }
    }

    fn msg(
        chat: &str,
        sender: &str,
        name: Option<&str>,
        direct: bool,
        mentioned: bool,
    ) -> InboundMessage {
        InboundMessage {
            channel: ChannelKind::Telegram,
            chat_jid: chat.into(),
            sender_id: sender.into(),
            sender_name: name.map(Into::into),
            text: "hello agent".into(),
            direct,
            mentioned,
            thread: None,
        }
    }

    #[test]
    fn binding_allowlist_and_mentions_decide() {
        let g = groups();
        let ok = |m: &InboundMessage, t| matches!(decide(&g, m, t), Decision::Deliver(_));
        assert!(ok(&msg("tg:1", "7", None, true, false), None));
        assert!(!ok(&msg("tg:2", "7", None, true, false), None));
        assert!(!ok(&msg("tg:-100", "7", None, false, true), None));
        assert!(ok(&msg("tg:-100", "42", None, false, true), None));
        assert!(ok(&msg("tg:-100", "9", Some("bob"), false, true), None));
        assert!(!ok(&msg("tg:-100", "42", None, false, false), None));
        assert!(ok(&msg("tg:-100", "42", None, false, false), Some("Agent")));
        assert!(!ok(
            &msg("tg:-100", "42", None, false, false),
            Some("agents")
        ));
    }
}
