//! `network.toml`: the egress allowlist (`aigo network allow|deny|list`).
//!
//! Entries are exact host names, `*.domain` (any name below the domain, not the
//! domain itself), IP addresses and CIDR ranges. They are stored normalized
//! (lowercase, no trailing dot) so `deny` finds what `allow` wrote.

use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::NetworkError;
use crate::state::{StateDir, load_toml, update_toml};

/// The file: `schema_version` and the entries, as strings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkFile {
    pub schema_version: u32,
    pub allow: Vec<String>,
}

crate::versioned!(NetworkFile, 1);

impl NetworkFile {
    pub fn path(state: &StateDir) -> std::path::PathBuf {
        state.root().join("network.toml")
    }

    pub fn load(state: &StateDir) -> Result<Self, NetworkError> {
        Ok(load_toml(&Self::path(state))?)
    }

    /// Every entry parsed; a hand-edited bad entry is an error naming it.
    pub fn entries(&self) -> Result<Vec<AllowEntry>, NetworkError> {
        self.allow.iter().map(|e| e.parse()).collect()
    }
}

/// One allowlist entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowEntry {
    Host(String),
    /// `*.example.com`, stored without the `*.`.
    Suffix(String),
    Ip(IpAddr),
    Cidr(IpAddr, u8),
}

impl AllowEntry {
    /// Whether `addr` is this entry's address or inside its range.
    pub fn covers_ip(&self, addr: IpAddr) -> bool {
        match *self {
            Self::Ip(ip) => ip.to_canonical() == addr.to_canonical(),
            Self::Cidr(net, bits) => in_cidr(addr.to_canonical(), net.to_canonical(), bits),
            _ => false,
        }
    }

    /// Whether the (normalized) host name `name` is admitted by this entry.
    pub fn covers_name(&self, name: &str) -> bool {
        match self {
            Self::Host(h) => h == name,
            Self::Suffix(s) => {
                name.len() > s.len() + 1 && name.ends_with(s.as_str()) && {
                    name.as_bytes()[name.len() - s.len() - 1] == b'.'
                }
            }
            _ => false,
        }
    }
}

impl std::fmt::Display for AllowEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Host(h) => f.write_str(h),
            Self::Suffix(s) => write!(f, "*.{s}"),
            Self::Ip(ip) => write!(f, "{ip}"),
            Self::Cidr(ip, bits) => write!(f, "{ip}/{bits}"),
        }
    }
}

impl FromStr for AllowEntry {
    type Err = NetworkError;
    fn from_str(raw: &str) -> Result<Self, NetworkError> {
        let bad = |reason: &str| NetworkError::BadEntry {
            entry: raw.to_string(),
            reason: reason.to_string(),
        };
        let s = raw.trim().trim_end_matches('.').to_ascii_lowercase();
        let bare = s.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return Ok(Self::Ip(ip));
        }
        if let Some((net, bits)) = s.split_once('/') {
            let ip: IpAddr = net.parse().map_err(|_| bad("not an IP range"))?;
            let bits: u8 = bits.parse().map_err(|_| bad("bad prefix length"))?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            if bits > max {
                return Err(bad("prefix length too long"));
            }
            if bits == 0 {
                return Err(bad(
                    "a /0 range admits every address; use egress = \"open\"",
                ));
            }
            return Ok(Self::Cidr(ip, bits));
        }
        if let Some(suffix) = s.strip_prefix("*.") {
            check_name(suffix).map_err(|r| bad(&r))?;
            if !suffix.contains('.') {
                return Err(bad(
                    "a wildcard needs a domain of at least two labels (not *.com)",
                ));
            }
            return Ok(Self::Suffix(suffix.to_string()));
        }
        check_name(&s).map_err(|r| bad(&r))?;
        Ok(Self::Host(s))
    }
}

/// A DNS host name: labels of letters, digits, `-` and `_`, 1–63 long, 253 in all.
pub(super) fn check_name(s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > 253 {
        return Err("a host name has 1 to 253 characters".into());
    }
    for label in s.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err("empty or overlong label".into());
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err("only letters, digits, '-' and '_' in a host name".into());
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("a label cannot start or end with '-'".into());
        }
    }
    Ok(())
}

fn in_cidr(addr: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (addr, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// Adds entries (validated, normalized, deduplicated); returns the new list.
pub fn allow(state: &StateDir, entries: &[String]) -> Result<Vec<String>, NetworkError> {
    let parsed: Vec<AllowEntry> = entries
        .iter()
        .map(|e| e.parse())
        .collect::<Result<_, _>>()?;
    update_toml(&NetworkFile::path(state), |f: &mut NetworkFile| {
        for e in &parsed {
            let s = e.to_string();
            if !f.allow.contains(&s) {
                f.allow.push(s);
            }
        }
        Ok::<_, NetworkError>(f.allow.clone())
    })
}

/// Removes entries; one that is not listed is an error and nothing changes.
pub fn deny(state: &StateDir, entries: &[String]) -> Result<Vec<String>, NetworkError> {
    let parsed: Vec<String> = entries
        .iter()
        .map(|e| e.parse::<AllowEntry>().map(|p| p.to_string()))
        .collect::<Result<_, _>>()?;
    update_toml(&NetworkFile::path(state), |f: &mut NetworkFile| {
        if let Some(missing) = parsed.iter().find(|p| !f.allow.contains(p)) {
            return Err(NetworkError::NotListed(missing.clone()));
        }
        f.allow.retain(|a| !parsed.contains(a));
        Ok(f.allow.clone())
    })
}

/// `aigo network list --json` and `GET /api/v1/network`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NetworkView {
    pub egress: super::Egress,
    pub network: String,
    pub allow: Vec<String>,
}

impl NetworkView {
    pub fn load(state: &StateDir, config: &crate::config::Config) -> Result<Self, NetworkError> {
        Ok(Self {
            egress: config.network.egress,
            network: config.network.name.clone(),
            allow: list(state)?,
        })
    }
}

/// The entries, as stored.
pub fn list(state: &StateDir) -> Result<Vec<String>, NetworkError> {
    let f = NetworkFile::load(state)?;
    f.entries()?;
    Ok(f.allow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(s: &str) -> AllowEntry {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn entries_parse_and_normalize() {
        assert_eq!(
            e("API.GitHub.com."),
            AllowEntry::Host("api.github.com".into())
        );
        assert_eq!(e("*.npmjs.org"), AllowEntry::Suffix("npmjs.org".into()));
        assert_eq!(e("10.1.2.3").to_string(), "10.1.2.3");
        assert_eq!(e("[::1]").to_string(), "::1");
        assert_eq!(e("10.0.0.0/8").to_string(), "10.0.0.0/8");
        for bad in [
            "",
            "*",
            "*.com",
            "a b",
            "-x.com",
            "10.0.0.0/33",
            "0.0.0.0/0",
            "x/8",
            "évil.com",
        ] {
            assert!(bad.parse::<AllowEntry>().is_err(), "{bad}");
        }
    }

    #[test]
    fn suffixes_match_below_the_domain_only() {
        let s = e("*.example.com");
        assert!(s.covers_name("a.example.com"));
        assert!(s.covers_name("a.b.example.com"));
        assert!(!s.covers_name("example.com"));
        assert!(!s.covers_name("badexample.com"));
        assert!(!s.covers_name("example.com.evil.org"));
    }

    #[test]
    fn ranges_cover_mapped_addresses() {
        let r = e("10.0.0.0/8");
        assert!(r.covers_ip("10.9.8.7".parse().unwrap()));
        assert!(r.covers_ip("::ffff:10.9.8.7".parse().unwrap()));
        assert!(!r.covers_ip("11.0.0.1".parse().unwrap()));
        assert!(e("127.0.0.1").covers_ip("127.0.0.1".parse().unwrap()));
    }
}
