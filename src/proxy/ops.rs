//! Mapping operations shared by `aigo proxy …` and the API.
//!
//! Order matters for crash safety: `proxy.toml` is locked for the whole
//! operation; on add and rotate the keystore is written first, so a mapping
//! never exists without its credential; on remove the mapping goes first.

use super::mappings::{
    CredentialType, Mapping, MappingView, ProxyFile, check_name, check_upstream, new_placeholder,
    random_hex,
};
use super::{Keystore, ProxyError, Secret};
use crate::state::{StateDir, update_toml};

/// What `aigo proxy add` asks for, besides the credential.
#[derive(Debug, Clone)]
pub struct NewMapping {
    pub name: String,
    pub upstream_url: String,
    pub credential_type: CredentialType,
    /// Make it the mapping `CREDENTIAL_PROXY_PLACEHOLDER` selects (the first
    /// mapping added is the default anyway).
    pub make_default: bool,
}

pub fn list_mappings(state: &StateDir) -> Result<Vec<MappingView>, ProxyError> {
    Ok(ProxyFile::load(state)?.views())
}

pub fn add_mapping(
    state: &StateDir,
    keystore: &Keystore,
    new: NewMapping,
    credential: Secret,
) -> Result<MappingView, ProxyError> {
    check_credential(&credential)?;
    let name = check_name(&new.name)?;
    let upstream_url = check_upstream(&new.upstream_url)?;
    update_toml(&state.proxy(), |file: &mut ProxyFile| {
        if file.find(&name).is_some() {
            return Err(ProxyError::DuplicateName(name.clone()));
        }
        let mut id = random_hex(8)?;
        while file.find(&id).is_some() {
            id = random_hex(8)?;
        }
        let m = Mapping {
            id,
            name: name.clone(),
            upstream_url: upstream_url.clone(),
            credential_type: new.credential_type,
            placeholder: new_placeholder()?,
            created_at: Some(jiff::Timestamp::now()),
            rotated_at: None,
        };
        keystore.put(&m.secret_name(), credential)?;
        if new.make_default || file.default_mapping.is_none() {
            file.default_mapping = Some(m.id.clone());
        }
        file.mappings.push(m);
        let view = file
            .views()
            .pop()
            .ok_or(ProxyError::NotFound(name.clone()))?;
        tracing::info!(mapping = %view.name, id = %view.id, upstream = %view.upstream_url, "added credential mapping");
        Ok(view)
    })
}

/// Removes a mapping and its credential. When it was the default, the first
/// remaining mapping becomes the default.
pub fn remove_mapping(
    state: &StateDir,
    keystore: &Keystore,
    name_or_id: &str,
) -> Result<MappingView, ProxyError> {
    let (view, secret) = update_toml(&state.proxy(), |file: &mut ProxyFile| {
        let i = file
            .find(name_or_id)
            .ok_or_else(|| ProxyError::NotFound(name_or_id.to_string()))?;
        let view = MappingView::new(&file.mappings[i], file);
        let m = file.mappings.remove(i);
        if view.is_default {
            file.default_mapping = file.mappings.first().map(|m| m.id.clone());
        }
        Ok::<_, ProxyError>((view, m.secret_name()))
    })?;
    keystore.remove(&secret)?;
    tracing::info!(mapping = %view.name, id = %view.id, "removed credential mapping");
    Ok(view)
}

/// Replaces a mapping's real credential (when given) and/or issues a new
/// placeholder (the old one stops working at the proxy's next reload).
pub fn rotate_mapping(
    state: &StateDir,
    keystore: &Keystore,
    name_or_id: &str,
    credential: Option<Secret>,
    new_placeholder_too: bool,
) -> Result<MappingView, ProxyError> {
    if let Some(c) = &credential {
        check_credential(c)?;
    }
    update_toml(&state.proxy(), |file: &mut ProxyFile| {
        let i = file
            .find(name_or_id)
            .ok_or_else(|| ProxyError::NotFound(name_or_id.to_string()))?;
        let secret_name = file.mappings[i].secret_name();
        if let Some(c) = credential {
            keystore.put(&secret_name, c)?;
        }
        let m = &mut file.mappings[i];
        if new_placeholder_too {
            m.placeholder = new_placeholder()?;
        }
        m.rotated_at = Some(jiff::Timestamp::now());
        let view = MappingView::new(&file.mappings[i], file);
        tracing::info!(mapping = %view.name, id = %view.id, new_placeholder = new_placeholder_too, "rotated credential mapping");
        Ok(view)
    })
}

/// A credential must fit in an HTTP header value: visible ASCII, no spaces
/// around it, no control characters (which would also allow header injection).
pub fn check_credential(c: &Secret) -> Result<(), ProxyError> {
    let s = c.expose();
    if s.is_empty() {
        return Err(ProxyError::EmptyCredential);
    }
    if !s.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ProxyError::InvalidCredential);
    }
    Ok(())
}
