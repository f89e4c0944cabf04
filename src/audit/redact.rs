//! The safety net that keeps secrets out of audit entries.
//!
//! Callers must never put credentials in an event; this catches the common
//! mistakes anyway: values under secret-sounding keys, and strings shaped like
//! API keys or bearer tokens, become `"[redacted]"`. It runs on every append.

use serde_json::Value;

pub const REDACTED: &str = "[redacted]";

/// Key names (lowercase, without `-` and `_`) whose values are always hidden.
const SECRET_KEYS: &[&str] = &[
    "apikey",
    "xapikey",
    "authorization",
    "proxyauthorization",
    "cookie",
    "setcookie",
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "privatekey",
    "credential",
    "credentials",
    "identity",
];
const SECRET_KEY_SUFFIXES: &[&str] = &["token", "secret", "password", "apikey", "privatekey"];
/// Prefixes of well-known token formats (Anthropic/OpenAI, GitHub, Slack, AWS).
const TOKEN_PREFIXES: &[&str] = &[
    "sk-",
    "ghp_",
    "gho_",
    "ghs_",
    "ghu_",
    "github_pat_",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xapp-",
    "AKIA",
    "AGE-SECRET-KEY-",
];

/// Returns `details` with secret-looking values replaced. Use it (or let
/// [`super::AuditLog::record`] do it) for every `details` value.
pub fn details(details: Value) -> Value {
    redact_value(details)
}

fn redact_value(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    if is_secret_key(&k) && !v.is_null() {
                        (k, Value::String(REDACTED.into()))
                    } else {
                        (k, redact_value(v))
                    }
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(redact_value).collect()),
        Value::String(s) => Value::String(redact_text(&s)),
        other => other,
    }
}

fn is_secret_key(k: &str) -> bool {
    let norm: String = k
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_KEYS.contains(&norm.as_str()) || SECRET_KEY_SUFFIXES.iter().any(|s| norm.ends_with(s))
}

/// Replaces token-shaped words, and the word after `Bearer`/`Basic`, in free text.
pub fn redact_text(s: &str) -> String {
    if !s
        .split_whitespace()
        .any(|w| looks_secret(w) || is_scheme(w))
    {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut after_scheme = false;
    for (i, part) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if (after_scheme && !part.is_empty()) || looks_secret(part) {
            out.push_str(REDACTED);
        } else {
            out.push_str(part);
        }
        after_scheme = is_scheme(part) || (after_scheme && part.is_empty());
    }
    out
}

fn is_scheme(w: &str) -> bool {
    w.eq_ignore_ascii_case("bearer") || w.eq_ignore_ascii_case("basic")
}

fn looks_secret(w: &str) -> bool {
    let w = w.trim_matches(|c: char| matches!(c, '"' | '\'' | ',' | ';' | '(' | ')'));
    let w = w.split_once('=').map_or(w, |(_, v)| v);
    w.len() >= 16 && TOKEN_PREFIXES.iter().any(|p| w.starts_with(p)) || is_telegram_bot_token(w)
}

/// `123456789:AA…` (digits, a colon, 35 url-safe characters).
fn is_telegram_bot_token(w: &str) -> bool {
    let Some((id, rest)) = w.split_once(':') else {
        return false;
    };
    id.len() >= 6
        && id.bytes().all(|b| b.is_ascii_digit())
        && rest.len() >= 30
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}
