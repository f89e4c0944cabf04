//! `channels.toml`: configured channels, non-secret settings only. Each secret
//! is referenced by its keystore entry name (`channel/<kind>/<role>`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ChannelKind;
use crate::state::{StateDir, StateError, load_toml};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChannelConfig {
    pub kind: ChannelKind,
    /// The service's API base URL (default: the public endpoint); tests point it
    /// at a local fake.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_base: Option<String>,
    /// A word that, besides an @mention of the bot, makes a group-chat message count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_word: Option<String>,
    /// WhatsApp: the business phone number's id in the Graph API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number_id: Option<String>,
    /// Role (`token`, `botToken`, `appToken`, `accessToken`, `verifyToken`,
    /// `appSecret`) → keystore entry name. Never the secret itself.
    #[serde(default)]
    pub secrets: BTreeMap<String, String>,
    pub added_at: jiff::Timestamp,
}

impl ChannelConfig {
    /// The keystore entry name for `role` of `kind`.
    pub fn entry_name(kind: ChannelKind, role: &str) -> String {
        format!("channel/{kind}/{role}")
    }

    pub fn default_api_base(kind: ChannelKind) -> &'static str {
        match kind {
            ChannelKind::Telegram => "https://api.telegram.org",
            ChannelKind::Slack => "https://slack.com/api",
            ChannelKind::Discord => "https://discord.com/api/v10",
            ChannelKind::Whatsapp => "https://graph.facebook.com/v21.0",
        }
    }

    /// The configured base URL without a trailing slash.
    pub fn api_base(&self) -> String {
        self.api_base
            .as_deref()
            .unwrap_or(Self::default_api_base(self.kind))
            .trim_end_matches('/')
            .to_string()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ChannelsFile {
    pub schema_version: u32,
    pub channels: Vec<ChannelConfig>,
}

crate::versioned!(ChannelsFile, 1);

impl ChannelsFile {
    pub fn load(state: &StateDir) -> Result<Self, StateError> {
        load_toml(&state.channels())
    }

    pub fn get(&self, kind: ChannelKind) -> Option<&ChannelConfig> {
        self.channels.iter().find(|c| c.kind == kind)
    }
}
