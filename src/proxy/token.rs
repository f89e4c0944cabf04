//! Per-run tokens: how the proxy tells runs apart where source addresses say
//! nothing (Apple Container and engines in a VM, where every container reaches
//! the host from one address). The token travels in the first path segment of
//! the container's `ANTHROPIC_BASE_URL` (`http://host-gateway:3001/aigo-run/<token>`),
//! which every Anthropic client honours; `ANTHROPIC_API_KEY` stays the public
//! placeholder. The proxy strips the segment before forwarding.
//!
//! The token is a secret: it is in the container's environment and the proxy's
//! memory only. What is written down (the container's `aigo.token` label, so
//! the proxy can find a run another process started) is its SHA-256.

use sha2::{Digest, Sha256};

use super::{ProxyError, Secret};

/// The path segment that carries a run token: `/aigo-run/<token>/v1/…`.
pub const TOKEN_PREFIX: &str = "/aigo-run/";

/// A per-run token. `Debug` hides it; hand it to the container only through
/// [`RunToken::base_url`].
#[derive(Clone)]
pub struct RunToken(Secret);

impl RunToken {
    /// 24 random bytes from the operating system, hex-encoded.
    pub fn generate() -> Result<Self, ProxyError> {
        let mut raw = [0u8; 24];
        getrandom::fill(&mut raw).map_err(|e| ProxyError::Random(e.to_string()))?;
        Ok(Self(Secret::new(hex::encode(raw))))
    }

    /// `http://host:port/aigo-run/<token>`: the container's `ANTHROPIC_BASE_URL`.
    pub fn base_url(&self, proxy_base: &str) -> String {
        format!(
            "{}{TOKEN_PREFIX}{}",
            proxy_base.trim_end_matches('/'),
            self.0.expose()
        )
    }

    /// The SHA-256 of the token (hex): safe to write down.
    pub fn fingerprint(&self) -> String {
        fingerprint(self.0.expose().as_bytes())
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        self.0.expose().as_bytes()
    }
}

impl std::fmt::Debug for RunToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RunToken([redacted])")
    }
}

/// The SHA-256 of `token` (hex), as [`RunToken::fingerprint`].
pub fn fingerprint(token: &[u8]) -> String {
    hex::encode(Sha256::digest(token))
}

/// Splits `/aigo-run/<token>/rest` into (token, `/rest`).
pub(crate) fn split_token(path_and_query: &str) -> Option<(&str, &str)> {
    let rest = path_and_query.strip_prefix(TOKEN_PREFIX)?;
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (token, tail) = rest.split_at(end);
    Some((token, tail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_paths_split() {
        assert_eq!(
            split_token("/aigo-run/abc/v1/messages?x=1"),
            Some(("abc", "/v1/messages?x=1"))
        );
        assert_eq!(split_token("/aigo-run/abc?x"), Some(("abc", "?x")));
        assert_eq!(split_token("/v1/messages"), None);
    }

    #[test]
    fn tokens_are_random_hidden_and_fingerprinted() {
        let (a, b) = (
            RunToken::generate().expect("a"),
            RunToken::generate().expect("b"),
        );
        assert_ne!(a.bytes(), b.bytes());
        assert_eq!(a.bytes().len(), 48);
        let url = a.base_url("http://host-gateway:3001/");
        let t = url
            .strip_prefix("http://host-gateway:3001/aigo-run/")
            .expect("base url");
        assert!(!format!("{a:?}").contains(t));
        assert_eq!(a.fingerprint(), fingerprint(t.as_bytes()));
        assert_eq!(a.fingerprint().len(), 64);
        assert!(!a.fingerprint().contains(t));
    }
}
