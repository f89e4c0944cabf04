//! The routing table: placeholder → upstream + real credential, built from
//! `proxy.toml` and the decrypted keystore.

use std::sync::Arc;

use http::HeaderValue;
use http::uri::{Authority, Scheme};
use subtle::{ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroize;

use super::Secret;
use super::keystore::Secrets;
use super::mappings::{CredentialType, DEFAULT_PLACEHOLDER, ProxyFile};

/// One usable mapping, ready to forward with.
pub(crate) struct Route {
    pub name: Arc<str>,
    pub kind: CredentialType,
    pub scheme: Scheme,
    pub authority: Authority,
    /// Path prefix of the upstream URL (`""` or `/gw`), prepended to every path.
    pub prefix: String,
    placeholder: Vec<u8>,
    /// The outgoing header value (`sk-…` or `Bearer …`), marked sensitive.
    pub header_value: HeaderValue,
    /// Kept to mask it should an upstream ever echo it back.
    pub credential: Secret,
    /// Searches response bytes for `credential`; built once, not per response.
    pub finder: memchr::memmem::Finder<'static>,
    /// The `Host` header sent upstream.
    pub host: HeaderValue,
}

/// All routes plus which one `CREDENTIAL_PROXY_PLACEHOLDER` selects.
#[derive(Default)]
pub(crate) struct Table {
    routes: Vec<Arc<Route>>,
    default: Option<usize>,
}

impl Table {
    /// Builds the table; mappings that cannot be used (no credential in the
    /// keystore, unparsable upstream) are left out and named in the warnings.
    pub fn build(file: &ProxyFile, secrets: &Secrets) -> (Self, Vec<String>) {
        let mut t = Table::default();
        let mut warnings = Vec::new();
        for m in &file.mappings {
            let Some(cred) = secrets.get(&m.secret_name()) else {
                warnings.push(format!(
                    "mapping {:?} has no credential in the keystore; rotate it to set one",
                    m.name
                ));
                continue;
            };
            match Route::new(m, cred.clone()) {
                Ok(r) => {
                    if file.default_mapping.as_deref() == Some(m.id.as_str()) {
                        t.default = Some(t.routes.len());
                    }
                    t.routes.push(Arc::new(r));
                }
                Err(why) => warnings.push(format!("mapping {:?} skipped: {why}", m.name)),
            }
        }
        (t, warnings)
    }

    pub fn len(&self) -> usize {
        self.routes.len()
    }

    /// Finds the route whose placeholder equals `candidate`. Every placeholder
    /// is compared, in constant time, whether or not an earlier one matched, so
    /// timing tells nothing about how close a guess was or which route it hit.
    pub fn lookup(&self, candidate: &[u8]) -> Option<&Arc<Route>> {
        const NONE: u64 = u64::MAX;
        let mut found = NONE;
        for (i, r) in self.routes.iter().enumerate() {
            found.conditional_assign(&(i as u64), r.placeholder.as_slice().ct_eq(candidate));
        }
        if let Some(d) = self.default {
            found.conditional_assign(&(d as u64), DEFAULT_PLACEHOLDER.as_bytes().ct_eq(candidate));
        }
        if found == NONE {
            None
        } else {
            self.routes.get(found as usize)
        }
    }
}

impl Route {
    pub(super) fn new(m: &super::Mapping, credential: Secret) -> Result<Self, String> {
        let uri: http::Uri = m
            .upstream_url
            .parse()
            .map_err(|_| "upstream URL does not parse".to_string())?;
        let scheme = uri.scheme().cloned().ok_or("upstream URL has no scheme")?;
        let authority = uri.authority().cloned().ok_or("upstream URL has no host")?;
        let prefix = uri.path().trim_end_matches('/').to_string();
        let mut text = match m.credential_type {
            CredentialType::ApiKey => credential.expose().to_string(),
            CredentialType::OauthBearer => format!("Bearer {}", credential.expose()),
        };
        let header_value = HeaderValue::from_str(&text);
        text.zeroize();
        let mut header_value = header_value
            .map_err(|_| "the stored credential is not a valid header value".to_string())?;
        header_value.set_sensitive(true);
        let host = HeaderValue::from_str(authority.as_str())
            .map_err(|_| "the upstream host is not a valid header value".to_string())?;
        let finder = memchr::memmem::Finder::new(credential.expose().as_bytes()).into_owned();
        Ok(Self {
            name: m.name.as_str().into(),
            kind: m.credential_type,
            scheme,
            authority,
            prefix,
            placeholder: m.placeholder.as_bytes().to_vec(),
            header_value,
            credential,
            finder,
            host,
        })
    }
}
