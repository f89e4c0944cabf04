//! What the CLI and the API do with channels: add (secrets into the keystore,
//! settings into `channels.toml`), remove, list, validate; and building the
//! adapters and the hub from the state directory.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{
    BotIdentity, Channel, ChannelConfig, ChannelError, ChannelHub, ChannelKind, ChannelsFile,
    Discord, HubOptions, InboundSink, Slack, Telegram, WhatsApp,
};
use crate::proxy::{Keystore, Secret};
use crate::state::{StateDir, update_toml};

/// Non-secret settings of a channel to add.
#[derive(Debug, Clone)]
pub struct NewChannel {
    pub kind: ChannelKind,
    pub api_base: Option<String>,
    pub trigger_word: Option<String>,
    pub phone_number_id: Option<String>,
    /// WhatsApp: the Graph API version (default [`super::GRAPH_VERSION`]).
    pub graph_version: Option<String>,
}

/// A channel's secrets by role (see [`roles`]).
#[derive(Debug, Default)]
pub struct ChannelSecrets(pub BTreeMap<String, Secret>);

impl ChannelSecrets {
    fn take(&self, kind: ChannelKind, role: &str) -> Result<Secret, ChannelError> {
        self.0
            .get(role)
            .cloned()
            .ok_or_else(|| ChannelError::Missing {
                kind,
                what: format!("a {role}"),
            })
    }
}

/// The secrets each channel needs, in the order `--token-stdin` reads them.
pub fn roles(kind: ChannelKind) -> &'static [&'static str] {
    match kind {
        ChannelKind::Telegram | ChannelKind::Discord => &["token"],
        ChannelKind::Slack => &["botToken", "appToken"],
        ChannelKind::Whatsapp => &["accessToken", "verifyToken", "appSecret"],
    }
}

fn invalid(what: &str, reason: impl Into<String>) -> ChannelError {
    ChannelError::Invalid {
        what: what.to_string(),
        reason: reason.into(),
    }
}

fn check(new: &NewChannel, secrets: &ChannelSecrets) -> Result<(), ChannelError> {
    for role in roles(new.kind) {
        let s = secrets.take(new.kind, role)?;
        if s.is_empty() || !s.expose().chars().all(|c| c.is_ascii_graphic()) {
            return Err(invalid(role, "must be printable ASCII without spaces"));
        }
    }
    if new.kind == ChannelKind::Slack {
        let prefixed = |role: &str, p: &str| {
            secrets
                .0
                .get(role)
                .is_some_and(|s| s.expose().starts_with(p))
        };
        if !prefixed("botToken", "xoxb-") {
            return Err(invalid("Slack bot token", "it starts with xoxb-"));
        }
        if !prefixed("appToken", "xapp-") {
            return Err(invalid(
                "Slack app token",
                "it starts with xapp- (Socket Mode)",
            ));
        }
    }
    if let Some(b) = &new.api_base {
        let u: http::Uri = b
            .parse()
            .map_err(|_| invalid("API base URL", "not a URL"))?;
        if !matches!(u.scheme_str(), Some("http" | "https")) || u.host().is_none() {
            return Err(invalid("API base URL", "use http(s)://host[:port][/path]"));
        }
    }
    if let Some(v) = &new.graph_version {
        if new.kind != ChannelKind::Whatsapp {
            return Err(invalid(
                "--graph-version",
                "only WhatsApp uses the Graph API",
            ));
        }
        if !super::is_graph_version(v) {
            return Err(invalid(
                "Graph API version",
                format!("{v:?}: write it like v26.0"),
            ));
        }
    }
    match (new.kind, &new.phone_number_id) {
        (ChannelKind::Whatsapp, None) => Err(ChannelError::Missing {
            kind: new.kind,
            what: "a phone number id (--phone-number-id)".into(),
        }),
        (ChannelKind::Whatsapp, Some(id))
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) =>
        {
            Err(invalid(
                "phone number id",
                "digits only (the Graph API id, not the number)",
            ))
        }
        _ => Ok(()),
    }
}

/// Stores the secrets in the keystore and the settings in `channels.toml`.
pub fn add(
    state: &StateDir,
    keystore: &Keystore,
    new: NewChannel,
    secrets: ChannelSecrets,
) -> Result<ChannelConfig, ChannelError> {
    check(&new, &secrets)?;
    if ChannelsFile::load(state)?.get(new.kind).is_some() {
        return Err(ChannelError::Exists(new.kind));
    }
    let kind = new.kind;
    let names: BTreeMap<String, String> = roles(kind)
        .iter()
        .map(|r| (r.to_string(), ChannelConfig::entry_name(kind, r)))
        .collect();
    keystore.update(|ks| {
        for (role, entry) in &names {
            if let Some(s) = secrets.0.get(role) {
                ks.insert(entry, s.clone());
            }
        }
    })?;
    let config = ChannelConfig {
        kind,
        api_base: new.api_base.map(|b| b.trim_end_matches('/').to_string()),
        trigger_word: new.trigger_word.filter(|t| !t.trim().is_empty()),
        phone_number_id: new.phone_number_id,
        graph_version: new.graph_version,
        secrets: names,
        added_at: jiff::Timestamp::now(),
    };
    update_toml(&state.channels(), |f: &mut ChannelsFile| {
        if f.get(kind).is_some() {
            return Err(ChannelError::Exists(kind));
        }
        f.channels.push(config.clone());
        Ok(())
    })?;
    tracing::info!(channel = %kind, "channel added");
    Ok(config)
}

/// Removes the channel and its keystore entries.
pub fn remove(
    state: &StateDir,
    keystore: &Keystore,
    kind: ChannelKind,
) -> Result<(), ChannelError> {
    let removed = update_toml(&state.channels(), |f: &mut ChannelsFile| {
        let Some(i) = f.channels.iter().position(|c| c.kind == kind) else {
            return Err(ChannelError::NotConfigured(kind));
        };
        Ok(f.channels.remove(i))
    })?;
    keystore.update(|ks| {
        for entry in removed.secrets.values() {
            ks.remove(entry);
        }
    })?;
    tracing::info!(channel = %kind, "channel removed");
    Ok(())
}

pub fn list(state: &StateDir) -> Result<Vec<ChannelConfig>, ChannelError> {
    Ok(ChannelsFile::load(state)?.channels)
}

pub fn load_secrets(
    keystore: &Keystore,
    config: &ChannelConfig,
) -> Result<ChannelSecrets, ChannelError> {
    let all = keystore.load()?;
    let mut out = ChannelSecrets::default();
    for (role, entry) in &config.secrets {
        let s = all.get(entry).ok_or_else(|| ChannelError::SecretMissing {
            kind: config.kind,
            entry: entry.clone(),
        })?;
        out.0.insert(role.clone(), s.clone());
    }
    Ok(out)
}

/// One adapter; WhatsApp also typed, for the webhook.
pub struct Built {
    pub channel: Arc<dyn Channel>,
    pub whatsapp: Option<Arc<WhatsApp>>,
}

/// Builds the adapter for `config`; `state` is where it keeps its own state
/// (Telegram's offset).
pub fn build(
    state: &StateDir,
    config: &ChannelConfig,
    secrets: &ChannelSecrets,
) -> Result<Built, ChannelError> {
    let kind = config.kind;
    let base = config.api_base();
    let plain = |c: Arc<dyn Channel>| Built {
        channel: c,
        whatsapp: None,
    };
    Ok(match kind {
        ChannelKind::Telegram => plain(Arc::new(
            Telegram::new(&base, secrets.take(kind, "token")?).with_state(state),
        )),
        ChannelKind::Discord => plain(Arc::new(Discord::new(&base, secrets.take(kind, "token")?))),
        ChannelKind::Slack => plain(Arc::new(Slack::new(
            &base,
            secrets.take(kind, "botToken")?,
            secrets.take(kind, "appToken")?,
        ))),
        ChannelKind::Whatsapp => {
            let id = config
                .phone_number_id
                .clone()
                .ok_or(ChannelError::Missing {
                    kind,
                    what: "a phone number id".into(),
                })?;
            let wa = Arc::new(WhatsApp::new(
                &base,
                &id,
                secrets.take(kind, "accessToken")?,
                secrets.take(kind, "verifyToken")?,
                secrets.take(kind, "appSecret")?,
            ));
            Built {
                channel: wa.clone(),
                whatsapp: Some(wa),
            }
        }
    })
}

/// Calls the configured channel's identity endpoint.
pub async fn validate(
    state: &StateDir,
    keystore: &Keystore,
    kind: ChannelKind,
) -> Result<BotIdentity, ChannelError> {
    let file = ChannelsFile::load(state)?;
    let config = file.get(kind).ok_or(ChannelError::NotConfigured(kind))?;
    let built = build(state, config, &load_secrets(keystore, config)?)?;
    built.channel.validate().await
}

/// A hub with every channel in `channels.toml`. A channel whose secrets cannot
/// be read is recorded as broken (its status says why); the others still run.
pub fn build_all(
    state: &StateDir,
    keystore: &Keystore,
    sink: Arc<dyn InboundSink>,
    opts: HubOptions,
) -> Result<ChannelHub, ChannelError> {
    let file = ChannelsFile::load(state)?;
    let mut hub = ChannelHub::new(state.clone(), sink, opts);
    for config in &file.channels {
        match load_secrets(keystore, config).and_then(|s| build(state, config, &s)) {
            Ok(Built {
                whatsapp: Some(wa), ..
            }) => hub.add_whatsapp(config.clone(), wa),
            Ok(b) => hub.add(config.clone(), b.channel),
            Err(e) => hub.add_broken(config.kind, e.to_string()),
        }
    }
    Ok(hub)
}
