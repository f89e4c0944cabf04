//! `aigo group add|update|list|show|forget|remove`.

use clap::Subcommand;

use super::{Outcome, output};
use crate::groups::{self, Group, GroupUpdate};
use crate::runs;
use crate::state::StateDir;

#[derive(Debug, Subcommand)]
pub enum GroupCmd {
    /// Add a group (one group is the main group)
    Add {
        /// Group name: 1-32 of a-z, 0-9, - or _
        name: String,
        /// Make this the main group (may send anywhere, may mount read-write)
        #[arg(long)]
        main: bool,
        /// Bind a chat to the group: tg:<id>, slack:<channel>, dc:<id>, <n>@s.whatsapp.net, <id>@g.us
        #[arg(long = "jid", value_name = "JID")]
        jids: Vec<String>,
        /// Only these senders may start runs from chats (default: anyone in a bound chat)
        #[arg(long = "sender", value_name = "ID")]
        senders: Vec<String>,
        /// What the group is for
        #[arg(long)]
        description: Option<String>,
    },
    /// Change a group: bind or unbind chats, allow or drop senders, describe it
    Update {
        /// Group to change
        name: String,
        /// Bind another chat to the group (repeatable)
        #[arg(long = "add-jid", value_name = "JID")]
        add_jids: Vec<String>,
        /// Unbind a chat from the group (repeatable)
        #[arg(long = "remove-jid", value_name = "JID")]
        remove_jids: Vec<String>,
        /// Allow another sender to start runs from chats (repeatable)
        #[arg(long = "add-sender", value_name = "ID")]
        add_senders: Vec<String>,
        /// Stop allowing a sender (repeatable)
        #[arg(long = "remove-sender", value_name = "ID")]
        remove_senders: Vec<String>,
        /// New description ("" clears it)
        #[arg(long)]
        description: Option<String>,
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
    },
    /// List groups
    List {
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
        /// Print only ids (names), one per line
        #[arg(short, long, conflicts_with = "json")]
        quiet: bool,
    },
    /// Show a group: its chats, senders, and the agent sessions its runs resume
    Show {
        /// Group to show
        name: String,
        /// Print JSON ({group, agentStateDir, sessions}) instead of text
        #[arg(long)]
        json: bool,
    },
    /// Forget the group's agent sessions: the next run starts fresh
    Forget {
        /// Group whose sessions to forget
        name: String,
        /// Only this chat's session (default: every session of the group)
        #[arg(long, value_name = "JID")]
        chat: Option<String>,
    },
    /// Remove a group (its sessions stay on disk)
    Remove {
        /// Group to remove
        name: String,
    },
}

pub fn run(state: &StateDir, cmd: GroupCmd) -> anyhow::Result<Outcome> {
    match cmd {
        GroupCmd::Add {
            name,
            main,
            jids,
            senders,
            description,
        } => {
            let g = groups::add(
                state,
                Group {
                    name,
                    main,
                    jids,
                    senders,
                    description,
                    ..Group::default()
                },
            )?;
            println!(
                "added group {}{}",
                g.name,
                if g.main { " (main)" } else { "" }
            );
        }
        GroupCmd::Update {
            name,
            add_jids,
            remove_jids,
            add_senders,
            remove_senders,
            description,
            json,
        } => {
            let change = GroupUpdate {
                add_jids,
                remove_jids,
                add_senders,
                remove_senders,
                description,
            };
            let g = groups::update(state, &name, &change)?;
            if json {
                output::print_json(&g)?;
            } else {
                println!("updated group {}", g.name);
                println!("  chats:   {}", none_if_empty(&g.jids, "none"));
                println!("  senders: {}", none_if_empty(&g.senders, "anyone"));
                if let Some(d) = &g.description {
                    println!("  description: {d}");
                }
            }
        }
        GroupCmd::List { json, quiet } => {
            let gs = groups::list(state)?;
            if quiet {
                output::print_ids(gs.iter().map(|g| &g.name));
            } else if json {
                output::print_json(&gs)?;
            } else if gs.is_empty() {
                println!("No groups. Add one with `aigo group add main --main`.");
            } else {
                let mut t = output::table(&["Group", "Main", "Chats", "Senders"]);
                for g in gs {
                    t.add_row(vec![
                        g.name,
                        if g.main { "yes".into() } else { String::new() },
                        g.jids.join(", "),
                        if g.senders.is_empty() {
                            "anyone".into()
                        } else {
                            g.senders.join(", ")
                        },
                    ]);
                }
                println!("{t}");
            }
        }
        GroupCmd::Show { name, json } => return show(state, &name, json),
        GroupCmd::Forget { name, chat } => {
            let n = runs::memory::forget_group(state, &name, chat.as_deref())?;
            println!(
                "forgot {n} agent session{} of group {name}",
                if n == 1 { "" } else { "s" }
            );
        }
        GroupCmd::Remove { name } => {
            groups::remove(state, &name)?;
            println!("removed group {name}");
        }
    }
    Ok(Outcome::Success)
}

fn show(state: &StateDir, name: &str, json: bool) -> anyhow::Result<Outcome> {
    let shown = runs::memory::show(state, name)?;
    if json {
        output::print_json(&shown)?;
        return Ok(Outcome::Success);
    }
    let runs::memory::GroupMemory {
        group: g,
        agent_state_dir: dir,
        sessions,
    } = shown;
    println!("group {}{}", g.name, if g.main { " (main)" } else { "" });
    println!("  chats:   {}", none_if_empty(&g.jids, "none"));
    println!("  senders: {}", none_if_empty(&g.senders, "anyone"));
    if let Some(d) = &g.description {
        println!("  description: {d}");
    }
    println!("  agent state: {}", dir.display());
    if sessions.is_empty() {
        println!("  sessions: none yet (the next run starts fresh)");
    } else {
        let mut t = output::table(&["Chat", "Agent session", "Last run", "Updated"]);
        for s in sessions {
            t.add_row(vec![
                s.chat_jid.unwrap_or_else(|| "(terminal)".into()),
                s.session_id,
                s.run,
                s.updated_at.strftime("%F %T").to_string(),
            ]);
        }
        println!("{t}");
    }
    Ok(Outcome::Success)
}

fn none_if_empty(list: &[String], empty: &str) -> String {
    if list.is_empty() {
        empty.to_string()
    } else {
        list.join(", ")
    }
}
