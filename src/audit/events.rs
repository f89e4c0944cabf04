//! Ready-made events for the places aigo audits, so messages, categories and
//! severities stay consistent. Each takes only non-secret facts.

use serde_json::json;

use super::event::{Category, NewEvent, Severity};

impl NewEvent {
    /// A mount request refused by the allowlist (violation).
    pub fn mount_rejected(group: Option<&str>, host_path: &str, reason: &str) -> Self {
        with_group(
            Self::new(
                Severity::Violation,
                Category::Mount,
                format!("mount rejected: {host_path}: {reason}"),
            )
            .details(json!({"hostPath": host_path, "reason": reason})),
            group,
        )
    }

    /// A started container whose mount was not what was validated (violation):
    /// the container was killed before the agent got any input.
    pub fn mount_swapped(group: &str, container: &str, run: &str, reason: &str) -> Self {
        Self::new(
            Severity::Violation,
            Category::Mount,
            format!("run {run} refused: {reason}"),
        )
        .group(group)
        .details(json!({"run": run, "container": container, "reason": reason}))
    }

    /// A group tried something over IPC it may not do (violation), e.g. sending
    /// to another group's chat. `details` says what (never the message text).
    pub fn ipc_violation(
        group: &str,
        message: impl Into<String>,
        details: serde_json::Value,
    ) -> Self {
        Self::new(Severity::Violation, Category::Ipc, message)
            .group(group)
            .details(details)
    }

    /// A chat channel refused input (warning): a sender not on the group's
    /// allowlist, a webhook call with a bad signature. `details` names the
    /// channel, chat and sender, never the message text.
    pub fn channel_refused(
        group: Option<&str>,
        message: impl Into<String>,
        details: serde_json::Value,
    ) -> Self {
        with_group(
            Self::new(Severity::Warning, Category::Channel, message).details(details),
            group,
        )
    }

    /// An IPC file moved to `errors/` (warning).
    pub fn quarantined(group: &str, file: &str, reason: &str) -> Self {
        Self::new(
            Severity::Warning,
            Category::Quarantine,
            format!("quarantined {file}: {reason}"),
        )
        .group(group)
        .details(json!({"file": file, "reason": reason}))
    }

    /// The credential proxy answered 401 (warning). `details`: method, path,
    /// remote address, which mapping, never header values.
    pub fn proxy_unauthorized(message: impl Into<String>, details: serde_json::Value) -> Self {
        Self::new(Severity::Warning, Category::Proxy, message).details(details)
    }

    /// A container started (info).
    pub fn container_started(group: &str, container: &str, details: serde_json::Value) -> Self {
        Self::new(
            Severity::Info,
            Category::Container,
            format!("container {container} started"),
        )
        .group(group)
        .details(merge(json!({"container": container}), details))
    }

    /// A run that never started: refused before anything was created, or the
    /// engine failed to start it (warning).
    pub fn run_refused(group: &str, run: &str, reason: &str) -> Self {
        Self::new(
            Severity::Warning,
            Category::Container,
            format!("run {run} did not start: {reason}"),
        )
        .group(group)
        .details(json!({"run": run, "reason": reason}))
    }

    /// A container stopped (info; warning when it exited non-zero).
    pub fn container_stopped(group: &str, container: &str, exit_code: Option<i64>) -> Self {
        let sev = if exit_code.unwrap_or(0) == 0 {
            Severity::Info
        } else {
            Severity::Warning
        };
        let how = exit_code.map_or_else(
            || "stopped".to_string(),
            |c| format!("exited with code {c}"),
        );
        Self::new(
            sev,
            Category::Container,
            format!("container {container} {how}"),
        )
        .group(group)
        .details(json!({"container": container, "exitCode": exit_code}))
    }

    /// A compliance check result: info when every check passed, violation otherwise.
    pub fn compliance(group: &str, container: &str, failed: &[String], checked: usize) -> Self {
        let (sev, msg) = if failed.is_empty() {
            (
                Severity::Info,
                format!("container {container} is compliant ({checked} checks)"),
            )
        } else {
            (
                Severity::Violation,
                format!(
                    "container {container} is non-compliant: {}",
                    failed.join(", ")
                ),
            )
        };
        Self::new(sev, Category::Compliance, msg)
            .group(group)
            .details(json!({"container": container, "checked": checked, "failed": failed}))
    }
}

fn with_group(e: NewEvent, group: Option<&str>) -> NewEvent {
    match group {
        Some(g) => e.group(g),
        None => e,
    }
}

fn merge(mut a: serde_json::Value, b: serde_json::Value) -> serde_json::Value {
    if let (Some(a), serde_json::Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}
