//! Changing an existing group (chats, senders, description) and the reference
//! API's view of groups as "namespaces".

use serde::{Deserialize, Serialize};

use super::{Group, GroupError, Groups, Jid, check_name};
use crate::state::{StateDir, update_toml};

/// What `aigo group update` / `PATCH /api/v1/groups/{name}` changes. Lists are
/// applied as given: removals first, then additions.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct GroupUpdate {
    pub add_jids: Vec<String>,
    pub remove_jids: Vec<String>,
    pub add_senders: Vec<String>,
    pub remove_senders: Vec<String>,
    /// `Some("")` clears the description.
    pub description: Option<String>,
}

impl GroupUpdate {
    fn is_empty(&self) -> bool {
        self.add_jids.is_empty()
            && self.remove_jids.is_empty()
            && self.add_senders.is_empty()
            && self.remove_senders.is_empty()
            && self.description.is_none()
    }
}

/// Applies `change` to group `name` and returns the group as stored. Nothing is
/// written unless every part of the change is valid.
pub fn update(state: &StateDir, name: &str, change: &GroupUpdate) -> Result<Group, GroupError> {
    if change.is_empty() {
        return Err(GroupError::NothingToUpdate);
    }
    let parse = |js: &[String]| -> Result<Vec<String>, GroupError> {
        js.iter().map(|j| Ok(Jid::parse(j)?.to_string())).collect()
    };
    let (add, remove) = (parse(&change.add_jids)?, parse(&change.remove_jids)?);
    let mut out = None;
    update_toml(&state.groups(), |gs: &mut Groups| {
        for j in &add {
            if let Some(owner) = gs.owner_of(j).filter(|o| o.name != name) {
                return Err(GroupError::JidTaken {
                    jid: j.clone(),
                    group: owner.name.clone(),
                });
            }
        }
        let g = gs
            .groups
            .iter_mut()
            .find(|g| g.name == name)
            .ok_or_else(|| GroupError::NotFound(name.to_string()))?;
        for j in &remove {
            let before = g.jids.len();
            g.jids.retain(|x| x != j);
            if g.jids.len() == before {
                return Err(GroupError::JidNotBound {
                    jid: j.clone(),
                    group: name.to_string(),
                });
            }
        }
        g.senders.retain(|s| !change.remove_senders.contains(s));
        push_new(&mut g.jids, &add);
        push_new(&mut g.senders, &change.add_senders);
        if let Some(d) = &change.description {
            g.description = (!d.is_empty()).then(|| d.clone());
        }
        g.updated_at = Some(jiff::Timestamp::now());
        out = Some(g.clone());
        Ok(())
    })?;
    let g = out.ok_or_else(|| GroupError::NotFound(name.to_string()))?;
    tracing::info!(group = %g.name, "group updated");
    Ok(g)
}

fn push_new(list: &mut Vec<String>, items: &[String]) {
    for i in items {
        if !list.contains(i) {
            list.push(i.clone());
        }
    }
}

/// A group as the reference API's `/api/v1/container/namespaces` shows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Namespace {
    /// The group's name: stable, and what every other route calls it.
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub created_at: Option<jiff::Timestamp>,
    pub updated_at: Option<jiff::Timestamp>,
}

impl From<Group> for Namespace {
    fn from(g: Group) -> Self {
        Self {
            id: g.name.clone(),
            name: g.name,
            description: g.description,
            created_at: g.created_at,
            updated_at: g.updated_at,
        }
    }
}

/// `POST /api/v1/container/namespaces`: `{name, description}`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewNamespace {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

pub fn namespaces(state: &StateDir) -> Result<Vec<Namespace>, GroupError> {
    Ok(super::list(state)?
        .into_iter()
        .map(Namespace::from)
        .collect())
}

/// Creates a (non-main) group; chats and senders are added with `update`.
pub fn add_namespace(state: &StateDir, n: NewNamespace) -> Result<Namespace, GroupError> {
    check_name(&n.name)?;
    let g = super::add(
        state,
        Group {
            name: n.name,
            description: n.description.filter(|d| !d.is_empty()),
            ..Group::default()
        },
    )?;
    Ok(g.into())
}
