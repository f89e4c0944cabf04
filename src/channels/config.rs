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
    /// WhatsApp: the Graph API version (`v26.0`); default [`GRAPH_VERSION`].
    /// Ignored when `api_base` is set (that is the whole base, version included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graph_version: Option<String>,
    /// Role (`token`, `botToken`, `appToken`, `accessToken`, `verifyToken`,
    /// `appSecret`) → keystore entry name. Never the secret itself.
    #[serde(default)]
    pub secrets: BTreeMap<String, String>,
    pub added_at: jiff::Timestamp,
}

/// The Graph API version WhatsApp uses unless told otherwise: the current one
/// when this aigo was released (Meta supports each for about two years).
pub const GRAPH_VERSION: &str = "v26.0";

/// Whether `v` looks like a Graph API version (`v26.0`).
pub fn is_graph_version(v: &str) -> bool {
    v.strip_prefix('v')
        .and_then(|r| r.split_once('.'))
        .is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && a.len() <= 3
                && b.len() <= 3
                && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
        })
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
            ChannelKind::Whatsapp => "https://graph.facebook.com",
        }
    }

    /// The configured base URL without a trailing slash (for WhatsApp, with
    /// the Graph API version).
    pub fn api_base(&self) -> String {
        if let Some(b) = &self.api_base {
            return b.trim_end_matches('/').to_string();
        }
        let base = Self::default_api_base(self.kind);
        match self.kind {
            ChannelKind::Whatsapp => format!(
                "{base}/{}",
                self.graph_version.as_deref().unwrap_or(GRAPH_VERSION)
            ),
            _ => base.to_string(),
        }
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
