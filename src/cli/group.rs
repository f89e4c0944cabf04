//! `aigo group add|list|remove`.

use clap::Subcommand;

use super::{Outcome, output};
use crate::groups::{self, Group};
use crate::state::StateDir;

#[derive(Debug, Subcommand)]
pub enum GroupCmd {
    /// Add a group (one group is the main group)
    Add {
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
    },
    /// List groups
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a group (its sessions stay on disk)
    Remove { name: String },
}

pub fn run(state: &StateDir, cmd: GroupCmd) -> anyhow::Result<Outcome> {
    match cmd {
        GroupCmd::Add {
            name,
            main,
            jids,
            senders,
        } => {
            let g = groups::add(
                state,
                Group {
                    name,
                    main,
                    jids,
                    senders,
                },
            )?;
            println!(
                "added group {}{}",
                g.name,
                if g.main { " (main)" } else { "" }
            );
        }
        GroupCmd::List { json } => {
            let gs = groups::list(state)?;
            if json {
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
        GroupCmd::Remove { name } => {
            groups::remove(state, &name)?;
            println!("removed group {name}");
        }
    }
    Ok(Outcome::Success)
}
