//! Groups: who an agent works for. Owns `groups.toml`: each group's name, whether
//! it is the (single) main group, the chat JIDs bound to it and its sender allowlist.
//! Authorization everywhere else asks this module which group may reach which JID.

mod jid;
mod update;

use serde::{Deserialize, Serialize};

pub use jid::{Jid, JidError};
pub use update::{GroupUpdate, Namespace, NewNamespace, add_namespace, namespaces, update};

use crate::state::{StateDir, StateError, load_toml, update_toml};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Group {
    pub name: String,
    #[serde(default)]
    pub main: bool,
    /// Chats bound to this group; a JID belongs to at most one group.
    #[serde(default)]
    pub jids: Vec<String>,
    /// Senders allowed to trigger runs from chats (empty: everyone in a bound chat).
    #[serde(default)]
    pub senders: Vec<String>,
    /// What the group is for (the API's namespace description).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Set by `add`; absent in files written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<jiff::Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<jiff::Timestamp>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Groups {
    pub schema_version: u32,
    pub groups: Vec<Group>,
}

crate::versioned!(Groups, 1);

#[derive(Debug, thiserror::Error)]
pub enum GroupError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Jid(#[from] JidError),
    #[error(
        "invalid group name {0:?}: use 1-32 of a-z, 0-9, '-' or '_', starting with a letter or digit"
    )]
    BadName(String),
    #[error("group {0:?} already exists")]
    Exists(String),
    #[error("no group {0:?} (see `aigo group list`)")]
    NotFound(String),
    #[error("{existing:?} is already the main group; there is exactly one")]
    MainExists { existing: String },
    #[error("{jid} is already bound to group {group:?}; a chat belongs to one group")]
    JidTaken { jid: String, group: String },
    #[error("{jid} is not bound to group {group:?} (see `aigo group list`)")]
    JidNotBound { jid: String, group: String },
    #[error(
        "nothing to change: give --add-jid, --remove-jid, --add-sender, --remove-sender or --description"
    )]
    NothingToUpdate,
}

/// Group names become directory and container names: keep them boring.
pub fn check_name(name: &str) -> Result<(), GroupError> {
    let ok = !name.is_empty()
        && name.len() <= 32
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(GroupError::BadName(name.to_string()))
    }
}

impl Groups {
    pub fn load(state: &StateDir) -> Result<Self, StateError> {
        load_toml(&state.groups())
    }

    pub fn get(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }

    /// Whether `group` is the main group. With no main group configured, the group
    /// named `main` is; `None` (an operator's own request) counts as main.
    pub fn is_main(&self, group: Option<&str>) -> bool {
        match group {
            None => true,
            Some(g) => match self.groups.iter().find(|x| x.main) {
                Some(m) => m.name == g,
                None => g == "main",
            },
        }
    }

    /// The group a chat is bound to.
    pub fn owner_of(&self, jid: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.jids.iter().any(|j| j == jid))
    }

    /// Main may send anywhere; any other group only to its own chats.
    pub fn may_send(&self, group: &str, jid: &str) -> bool {
        self.is_main(Some(group))
            || self
                .get(group)
                .is_some_and(|g| g.jids.iter().any(|j| j == jid))
    }
}

pub fn list(state: &StateDir) -> Result<Vec<Group>, GroupError> {
    Ok(Groups::load(state)?.groups)
}

pub fn add(state: &StateDir, mut group: Group) -> Result<Group, GroupError> {
    check_name(&group.name)?;
    let now = jiff::Timestamp::now();
    group.created_at.get_or_insert(now);
    group.updated_at = Some(now);
    for j in &mut group.jids {
        *j = Jid::parse(j)?.to_string();
    }
    update_toml(&state.groups(), |gs: &mut Groups| {
        if gs.get(&group.name).is_some() {
            return Err(GroupError::Exists(group.name.clone()));
        }
        if group.main
            && let Some(m) = gs.groups.iter().find(|g| g.main)
        {
            return Err(GroupError::MainExists {
                existing: m.name.clone(),
            });
        }
        for j in &group.jids {
            if let Some(owner) = gs.owner_of(j) {
                return Err(GroupError::JidTaken {
                    jid: j.clone(),
                    group: owner.name.clone(),
                });
            }
        }
        gs.groups.push(group.clone());
        Ok(())
    })?;
    tracing::info!(group = %group.name, main = group.main, "group added");
    Ok(group)
}

/// A chat moved to a new id (a Telegram group upgraded to a supergroup): the
/// group bound to `from` is bound to `to` as well. `from` stays, as an alias:
/// a session started before the move still names it, and the router only
/// lets a group send to its own chats. Returns the group, `None` when `from`
/// is bound to none. Idempotent.
pub fn rebind(state: &StateDir, from: &str, to: &str) -> Result<Option<String>, GroupError> {
    let from = Jid::parse(from)?.to_string();
    let to = Jid::parse(to)?.to_string();
    update_toml(&state.groups(), |gs: &mut Groups| {
        let Some(owner) = gs.owner_of(&from).map(|g| g.name.clone()) else {
            return Ok(None);
        };
        match gs.owner_of(&to).map(|g| g.name.clone()) {
            Some(o) if o == owner => return Ok(Some(owner)),
            Some(o) => return Err(GroupError::JidTaken { jid: to, group: o }),
            None => {}
        }
        if let Some(g) = gs.groups.iter_mut().find(|g| g.name == owner) {
            let at = g
                .jids
                .iter()
                .position(|j| *j == from)
                .map_or(g.jids.len(), |i| i + 1);
            g.jids.insert(at, to.clone());
            g.updated_at = Some(jiff::Timestamp::now());
        }
        Ok(Some(owner))
    })
}

pub fn remove(state: &StateDir, name: &str) -> Result<(), GroupError> {
    update_toml(&state.groups(), |gs: &mut Groups| {
        let before = gs.groups.len();
        gs.groups.retain(|g| g.name != name);
        if gs.groups.len() == before {
            return Err(GroupError::NotFound(name.to_string()));
        }
        Ok(())
    })?;
    tracing::info!(group = %name, "group removed");
    Ok(())
}
