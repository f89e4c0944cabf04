//! The event model: what callers hand in ([`NewEvent`]), what is stored and served
//! ([`AuditEvent`]), and the canonical hash that chains one line to the next.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// `prevHash` of the first event in a log.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Written into every line, so a future format can still read today's logs.
pub const EVENT_SCHEMA_VERSION: u32 = 1;

/// Ordered: `info < warning < violation`, which `--min-severity` relies on.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Violation,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Violation => "violation",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Ok(Self::Info),
            "warning" | "warn" => Ok(Self::Warning),
            "violation" => Ok(Self::Violation),
            other => Err(format!(
                "unknown severity {other:?} (expected info, warning or violation)"
            )),
        }
    }
}

/// What an event is about. Stored as its lowercase name; readers keep unknown
/// names as plain strings so a newer aigo's categories still verify and list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// A mount request refused by the allowlist.
    Mount,
    /// IPC: a group writing where it may not, a hostile or unparseable file.
    Ipc,
    /// A file moved to an `errors/` quarantine directory.
    Quarantine,
    /// The credential proxy refused a request (401) or an upstream misbehaved.
    Proxy,
    /// A container started, stopped or failed.
    Container,
    /// A periodic or start-time compliance check.
    Compliance,
    /// The audit log itself: recovery from a torn line, detected tampering.
    Audit,
    /// A chat channel refused input: a sender not on a group's allowlist, a
    /// webhook call with a bad signature.
    Channel,
    /// The agents' network: a refused egress attempt, a host left unfenced.
    Network,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mount => "mount",
            Self::Ipc => "ipc",
            Self::Quarantine => "quarantine",
            Self::Proxy => "proxy",
            Self::Container => "container",
            Self::Compliance => "compliance",
            Self::Audit => "audit",
            Self::Channel => "channel",
            Self::Network => "network",
        }
    }
}

impl FromStr for Category {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        const ALL: [Category; 9] = [
            Category::Mount,
            Category::Ipc,
            Category::Quarantine,
            Category::Proxy,
            Category::Container,
            Category::Compliance,
            Category::Audit,
            Category::Channel,
            Category::Network,
        ];
        ALL.into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown category {s:?} (expected mount, ipc, quarantine, proxy, container, compliance, audit, channel or network)"))
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An event before it is numbered, timestamped and chained.
///
/// `details` is free-form JSON for the specifics (paths, check names, counts).
/// **Never put credentials, tokens or message bodies in `message` or `details`.**
/// [`super::redact`] runs over both on every append as a safety net, but it only
/// knows common key names and token shapes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub severity: Severity,
    pub category: Category,
    pub group: Option<String>,
    pub message: String,
    pub details: Value,
}

impl NewEvent {
    pub fn new(severity: Severity, category: Category, message: impl Into<String>) -> Self {
        Self {
            severity,
            category,
            group: None,
            message: message.into(),
            details: Value::Object(Default::default()),
        }
    }
    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }
    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}

/// One line of `audit.jsonl`, and one element of the API's `events` array.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    /// 1, 2, 3 … with no gaps: a gap means deleted events.
    pub id: u64,
    pub ts: jiff::Timestamp,
    pub severity: Severity,
    pub category: String,
    pub group: Option<String>,
    pub message: String,
    pub details: Value,
    pub schema_version: u32,
    /// `hash` of the previous event ([`GENESIS_HASH`] for the first).
    pub prev_hash: String,
    /// sha256 (hex) of [`canonical_json`] of this event without `hash`.
    pub hash: String,
}

/// Recomputes the hash of an event given as JSON (the `hash` key is ignored).
pub fn hash_value(v: &Value) -> String {
    let mut v = v.clone();
    if let Value::Object(m) = &mut v {
        m.remove("hash");
    }
    let mut s = String::new();
    canonical_json(&v, &mut s);
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Compact JSON with object keys sorted (by bytes) at every level and
/// serde_json's string and number formatting: the bytes that are hashed.
/// `jq -cS 'del(.hash)'` gives the same text for ASCII content.
pub fn canonical_json(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical_json(&m[k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_json(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}
