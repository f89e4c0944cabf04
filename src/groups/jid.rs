//! Chat JIDs: `tg:<chat_id>`, `slack:<channel>`, `dc:<channel_id>`,
//! `<number>@s.whatsapp.net`, `<id>@g.us`.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Jid {
    Telegram(i64),
    Slack(String),
    Discord(u64),
    WhatsApp(String),
    WhatsAppGroup(String),
}

#[derive(Debug, thiserror::Error)]
#[error(
    "invalid chat JID {0:?}: expected tg:<chat_id>, slack:<channel>, dc:<channel_id>, <number>@s.whatsapp.net or <id>@g.us"
)]
pub struct JidError(pub String);

impl Jid {
    pub fn parse(s: &str) -> Result<Self, JidError> {
        let bad = || JidError(s.to_string());
        let digits =
            |v: &str| !v.is_empty() && v.len() <= 32 && v.chars().all(|c| c.is_ascii_digit());
        if let Some(v) = s.strip_prefix("tg:") {
            return v.parse().map(Jid::Telegram).map_err(|_| bad());
        }
        if let Some(v) = s.strip_prefix("slack:") {
            let ok = !v.is_empty() && v.len() <= 32 && v.chars().all(|c| c.is_ascii_alphanumeric());
            return if ok {
                Ok(Jid::Slack(v.to_string()))
            } else {
                Err(bad())
            };
        }
        if let Some(v) = s.strip_prefix("dc:") {
            return v.parse().map(Jid::Discord).map_err(|_| bad());
        }
        if let Some(v) = s.strip_suffix("@s.whatsapp.net") {
            return if digits(v) {
                Ok(Jid::WhatsApp(v.to_string()))
            } else {
                Err(bad())
            };
        }
        if let Some(v) = s.strip_suffix("@g.us") {
            let ok =
                !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_digit() || c == '-');
            return if ok {
                Ok(Jid::WhatsAppGroup(v.to_string()))
            } else {
                Err(bad())
            };
        }
        Err(bad())
    }

    /// The channel that serves this JID.
    pub fn channel(&self) -> &'static str {
        match self {
            Jid::Telegram(_) => "telegram",
            Jid::Slack(_) => "slack",
            Jid::Discord(_) => "discord",
            Jid::WhatsApp(_) | Jid::WhatsAppGroup(_) => "whatsapp",
        }
    }
}

impl fmt::Display for Jid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Jid::Telegram(v) => write!(f, "tg:{v}"),
            Jid::Slack(v) => write!(f, "slack:{v}"),
            Jid::Discord(v) => write!(f, "dc:{v}"),
            Jid::WhatsApp(v) => write!(f, "{v}@s.whatsapp.net"),
            Jid::WhatsAppGroup(v) => write!(f, "{v}@g.us"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Jid;

    #[test]
    fn every_format_round_trips_and_junk_is_refused() {
        for s in [
            "tg:123",
            "tg:-100200300",
            "slack:C024BE91L",
            "dc:1234567890",
            "491701234567@s.whatsapp.net",
            "1203630-2@g.us",
        ] {
            assert_eq!(Jid::parse(s).unwrap().to_string(), s);
        }
        for s in [
            "",
            "tg:",
            "tg:abc",
            "slack:",
            "slack:../x",
            "dc:-1",
            "@s.whatsapp.net",
            "+49@s.whatsapp.net",
            "x@g.us",
            "mail@example.com",
        ] {
            assert!(Jid::parse(s).is_err(), "{s}");
        }
    }
}
