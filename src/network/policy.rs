//! The egress decision: may an agent reach `host:port`, and at which addresses.
//!
//! A name must be on the allowlist; an IP literal must be listed itself. A
//! listed name pinned in `[network] hosts` goes to its pinned address (the
//! operator's own statement, like /etc/hosts). Any other listed name is
//! resolved through DNS and every address in a private, loopback, link-local
//! or otherwise non-public range is dropped unless the allowlist names that
//! address or a range holding it, so a wildcard entry or a rebinding DNS
//! answer cannot lead into the LAN or the host. The gateway connects to the checked addresses
//! only; it never resolves the name a second time.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::allow::{AllowEntry, check_name};

/// Why an egress attempt was refused (goes to the agent and the audit log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub destination: String,
    pub reason: String,
}

/// The allowlist and host overrides in force.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    entries: Vec<AllowEntry>,
    hosts: BTreeMap<String, IpAddr>,
}

impl Policy {
    pub fn new(entries: Vec<AllowEntry>, hosts: BTreeMap<String, IpAddr>) -> Self {
        let hosts = hosts
            .into_iter()
            .map(|(k, v)| (k.trim_end_matches('.').to_ascii_lowercase(), v))
            .collect();
        Self { entries, hosts }
    }

    /// The addresses to connect to for `host:port`, or why not.
    pub async fn admit(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, Refusal> {
        let name = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .trim_end_matches('.')
            .to_ascii_lowercase();
        let refuse = |reason: String| Refusal {
            destination: format!("{host}:{port}"),
            reason,
        };
        if let Ok(ip) = name.parse::<IpAddr>() {
            return if self.entries.iter().any(|e| e.covers_ip(ip)) {
                Ok(vec![SocketAddr::new(ip, port)])
            } else {
                Err(refuse(format!(
                    "IP address {ip} is not on the egress allowlist (aigo network allow {ip})"
                )))
            };
        }
        if check_name(&name).is_err() {
            return Err(refuse("not a valid host name".into()));
        }
        if !self.entries.iter().any(|e| e.covers_name(&name)) {
            return Err(refuse(format!(
                "{name} is not on the egress allowlist (aigo network allow {name})"
            )));
        }
        if let Some(ip) = self.hosts.get(&name) {
            return Ok(vec![SocketAddr::new(*ip, port)]);
        }
        let resolved: Vec<IpAddr> = match tokio::net::lookup_host((name.as_str(), port)).await {
            Ok(addrs) => addrs.map(|a| a.ip()).collect(),
            Err(e) => return Err(refuse(format!("{name} does not resolve: {e}"))),
        };
        let admitted: Vec<SocketAddr> = resolved
            .iter()
            .copied()
            .filter(|ip| is_public(*ip) || self.entries.iter().any(|e| e.covers_ip(*ip)))
            .map(|ip| SocketAddr::new(ip, port))
            .collect();
        if admitted.is_empty() {
            let list: Vec<String> = resolved.iter().map(ToString::to_string).collect();
            return Err(refuse(format!(
                "{name} resolves only to private or local addresses ({}); list the address too to allow it",
                list.join(", ")
            )));
        }
        Ok(admitted)
    }
}

/// Whether an address is on the public internet (not private, loopback,
/// link-local, shared, documentation, multicast, reserved or unspecified).
pub fn is_public(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => public_v6(v6),
    }
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240)
}

fn public_v6(ip: Ipv6Addr) -> bool {
    let seg = ip.segments();
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (seg[0] & 0xfe00) == 0xfc00 // unique local
        || (seg[0] & 0xffc0) == 0xfe80 // link-local
        || (seg[0] == 0x2001 && seg[1] == 0x0db8) // documentation
        || (seg[0] == 0x0064 && seg[1] == 0xff9b)) // NAT64 (may map a private v4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(entries: &[&str], hosts: &[(&str, &str)]) -> Policy {
        Policy::new(
            entries.iter().map(|e| e.parse().expect("entry")).collect(),
            hosts
                .iter()
                .map(|(k, v)| (k.to_string(), v.parse().expect("ip")))
                .collect(),
        )
    }

    #[tokio::test]
    async fn names_must_be_listed_and_resolve_publicly() {
        let p = policy(
            &[
                "api.example.com",
                "*.cdn.example.com",
                "pinned.test",
                "localhost",
                "10.0.0.5",
            ],
            &[
                ("api.example.com", "93.184.216.34"),
                ("x.cdn.example.com", "93.184.216.35"),
                ("pinned.test", "192.168.1.10"),
            ],
        );
        assert_eq!(
            p.admit("API.example.com.", 443).await.expect("listed"),
            vec!["93.184.216.34:443".parse().expect("addr")]
        );
        assert!(p.admit("x.cdn.example.com", 443).await.is_ok());
        let r = p.admit("evil.com", 443).await.expect_err("not listed");
        assert!(r.reason.contains("not on the egress allowlist"), "{r:?}");
        // DNS (here /etc/hosts) answering a loopback address is refused...
        let r = p.admit("localhost", 80).await.expect_err("private");
        assert!(r.reason.contains("private"), "{r:?}");
        // ...a pinned address is the operator's word.
        assert!(p.admit("pinned.test", 80).await.is_ok());
        assert!(p.admit("10.0.0.5", 22).await.is_ok(), "a listed IP");
        for ip in [
            "127.0.0.1",
            "169.254.169.254",
            "172.17.0.1",
            "[::1]",
            "93.184.216.34",
        ] {
            assert!(p.admit(ip, 80).await.is_err(), "{ip}");
        }
    }

    #[test]
    fn private_ranges_are_not_public() {
        for ip in [
            "10.1.1.1",
            "172.16.0.1",
            "192.168.0.1",
            "127.0.0.1",
            "169.254.1.1",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "192.0.2.2",
        ] {
            assert!(!is_public(ip.parse().expect("ip")), "{ip}");
        }
        for ip in ["1.1.1.1", "93.184.216.34", "2606:4700::1111"] {
            assert!(is_public(ip.parse().expect("ip")), "{ip}");
        }
    }
}
