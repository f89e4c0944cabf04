//! `aigo channels add|validate|status|remove|list`.

use std::io::{IsTerminal, Read};

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use http::Method;

use super::{Outcome, output};
use crate::channels::{
    self, ChannelError, ChannelKind, ChannelSecrets, ChannelStatus, ChannelsFile, HttpClient,
    NewChannel, StatusCell,
};
use crate::daemon::DaemonInfo;
use crate::proxy::{Keystore, Secret};
use crate::state::StateDir;

#[derive(Debug, Subcommand)]
pub enum ChannelsCmd {
    /// Configure a channel. Tokens go to the encrypted keystore, never to
    /// channels.toml; they come from hidden prompts or --token-stdin
    Add(AddArgs),
    /// Call the service's identity endpoint (Telegram getMe, Slack auth.test…)
    /// and report the bot's name, or why the token is refused
    Validate {
        /// telegram, slack, discord or whatsapp
        name: String,
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
    },
    /// Connection status, bot identity, last error and message counts (from the
    /// running daemon; without one, only whether the channel is configured)
    Status {
        /// Channel: telegram, slack, discord or whatsapp
        name: String,
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
    },
    /// Remove a channel and its stored tokens
    Remove {
        /// Channel to remove: telegram, slack, discord or whatsapp
        name: String,
    },
    /// List configured channels (settings and keystore entry names, never tokens)
    List {
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// telegram, slack, discord or whatsapp
    name: String,
    /// Read the secrets from standard input, one per line: telegram/discord: the
    /// bot token; slack: the bot token (xoxb-) then the app token (xapp-);
    /// whatsapp: the access token, the webhook verify token, then the app secret
    #[arg(long)]
    token_stdin: bool,
    /// WhatsApp: the business phone number's id in the Graph API
    #[arg(long, value_name = "ID")]
    phone_number_id: Option<String>,
    /// WhatsApp: the Graph API version, like v26.0 (default: the current one
    /// when this aigo was released)
    #[arg(long, value_name = "VERSION")]
    graph_version: Option<String>,
    /// The service's API base URL (default: the public endpoint)
    #[arg(long, value_name = "URL")]
    api_base: Option<String>,
    /// In group chats, a message with this word counts like an @mention
    #[arg(long, value_name = "WORD")]
    trigger: Option<String>,
    /// Print JSON (the same shape the API returns) instead of text
    #[arg(long)]
    json: bool,
}

pub async fn run(state: &StateDir, cmd: ChannelsCmd) -> anyhow::Result<Outcome> {
    match cmd {
        ChannelsCmd::Add(a) => add(state, a)?,
        ChannelsCmd::Validate { name, json } => return validate(state, &name, json).await,
        ChannelsCmd::Status { name, json } => {
            let kind: ChannelKind = name.parse()?;
            let s = status(state, kind).await?;
            if json {
                output::print_json(&s)?;
            } else {
                print_status(&s);
            }
            // Not configured, or stopped for good: a well-formed "no" for
            // scripts and monitors.
            if !s.configured || s.stopped.is_some() {
                return Ok(Outcome::Negative);
            }
        }
        ChannelsCmd::Remove { name } => {
            let kind: ChannelKind = name.parse()?;
            channels::remove(state, &Keystore::open(state), kind)?;
            println!("removed the {kind} channel and its stored tokens");
            println!("A running daemon drops it when restarted.");
        }
        ChannelsCmd::List { json } => {
            let list = channels::list(state)?;
            if json {
                output::print_json(&list)?;
            } else if list.is_empty() {
                println!("No channels. Add one with `aigo channels add telegram --token-stdin`.");
            } else {
                let mut t = output::table(&["Channel", "API base", "Trigger", "Keystore entries"]);
                for c in list {
                    t.add_row(vec![
                        c.kind.to_string(),
                        c.api_base(),
                        c.trigger_word.clone().unwrap_or_default(),
                        c.secrets.values().cloned().collect::<Vec<_>>().join(", "),
                    ]);
                }
                println!("{t}");
            }
        }
    }
    Ok(Outcome::Success)
}

fn add(state: &StateDir, a: AddArgs) -> anyhow::Result<()> {
    let kind: ChannelKind = a.name.parse()?;
    let roles = channels::roles(kind);
    let values = if a.token_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the tokens from standard input")?;
        let lines: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        text.clear();
        if lines.len() != roles.len() {
            bail!(
                "the {kind} channel needs {} line(s) on standard input ({}), got {}",
                roles.len(),
                roles.join(", "),
                lines.len()
            );
        }
        lines
    } else if std::io::stdin().is_terminal() {
        let mut v = Vec::new();
        for role in roles {
            v.push(rpassword::prompt_password(format!("{kind} {role}: "))?);
        }
        v
    } else {
        bail!("give the tokens with --token-stdin (or run in a terminal to be prompted)");
    };
    let secrets = ChannelSecrets(
        roles
            .iter()
            .zip(values)
            .map(|(r, v)| (r.to_string(), Secret::new(v)))
            .collect(),
    );
    let new = NewChannel {
        kind,
        api_base: a.api_base,
        trigger_word: a.trigger,
        phone_number_id: a.phone_number_id,
        graph_version: a.graph_version,
    };
    let c = channels::add(state, &Keystore::open(state), new, secrets)?;
    if a.json {
        output::print_json(&c)?;
    } else {
        println!("added the {kind} channel (tokens in the keystore)");
        println!(
            "Check the token with `aigo channels validate {kind}`; a running daemon connects it when restarted."
        );
        if kind == ChannelKind::Telegram {
            println!(
                "Groups: under BotFather's default privacy mode the bot sees only commands, replies to it and @mentions in groups, so a --trigger word never arrives. To use one, turn privacy off (BotFather: /setprivacy, Disable) or make the bot a group admin, then remove and re-add the bot to each group."
            );
        }
        if kind == ChannelKind::Whatsapp {
            println!(
                "Webhook: https://<your-host>/api/v1/channels/whatsapp/webhook (set [channels.whatsapp] webhook_bind in config.toml and put only that listener behind an HTTPS reverse proxy)"
            );
        }
    }
    Ok(())
}

async fn validate(state: &StateDir, name: &str, json: bool) -> anyhow::Result<Outcome> {
    let kind: ChannelKind = name.parse()?;
    match channels::validate(state, &Keystore::open(state), kind).await {
        Ok(bot) => {
            if json {
                output::print_json(&serde_json::json!({"name": kind, "valid": true, "bot": bot}))?;
            } else {
                let handle = bot
                    .username
                    .as_deref()
                    .map(|u| format!(" (@{u})"))
                    .unwrap_or_default();
                println!(
                    "{kind}: valid, the bot is {:?}{handle}, id {}",
                    bot.name, bot.id
                );
            }
            Ok(Outcome::Success)
        }
        Err(e @ (ChannelError::Unauthorized { .. } | ChannelError::Service { .. })) => {
            if json {
                output::print_json(
                    &serde_json::json!({"name": kind, "valid": false, "reason": e.to_string()}),
                )?;
            } else {
                println!("{kind}: not valid: {e}");
            }
            Ok(Outcome::Negative)
        }
        Err(e) => Err(e.into()),
    }
}

/// The running daemon's view, else what `channels.toml` says.
async fn status(state: &StateDir, kind: ChannelKind) -> anyhow::Result<ChannelStatus> {
    let running = crate::state::FileLock::try_acquire(&state.daemon_lock_target())?.is_none();
    if running && let Some(info) = DaemonInfo::read(state) {
        let url = format!("http://{}/api/v1/channels/{kind}", info.api_address);
        let token = std::env::var("AIGO_API_TOKEN")
            .ok()
            .map(|t| format!("Bearer {t}"));
        let mut headers = Vec::new();
        if let Some(t) = &token {
            headers.push(("authorization", t.as_str()));
        }
        let r = HttpClient::new()
            .call(
                Method::GET,
                &url,
                &headers,
                None,
                std::time::Duration::from_secs(10),
                "daemon API",
            )
            .await;
        match r {
            Ok(r) if r.status == 200 => {
                return serde_json::from_slice(&r.body)
                    .context("the daemon's answer is not a channel status");
            }
            Ok(r) => tracing::warn!(status = r.status, "the daemon did not report the channel"),
            Err(e) => tracing::warn!(error = %e, "cannot reach the daemon"),
        }
    }
    let configured = ChannelsFile::load(state)?.get(kind).is_some();
    Ok(StatusCell::idle(kind, configured))
}

fn print_status(s: &ChannelStatus) {
    let state = match (s.configured, s.running, s.connected) {
        _ if s.stopped.is_some() => "stopped",
        (false, _, _) => "not configured",
        (true, false, _) => "configured, not running (is the daemon up?)",
        (true, true, true) => "connected",
        (true, true, false) => "disconnected",
    };
    println!("{}: {state}", s.name);
    if let Some(b) = &s.bot {
        println!("  bot: {} (id {})", b.name, b.id);
    }
    if let Some(why) = &s.stopped {
        println!("  stopped: {why}");
    }
    if let Some(e) = &s.last_error {
        println!("  last error: {e}");
    }
    if let Some(f) = &s.last_failure {
        println!(
            "  last undelivered reply: to {} at {}: {}",
            f.chat_jid, f.at, f.reason
        );
    }
    let m = &s.messages;
    println!(
        "  messages: {} received, {} accepted, {} ignored, {} sent, {} failed, {} queued; {} reconnects",
        m.received, m.accepted, m.ignored, m.sent, m.failed, m.queued, s.reconnects
    );
}
