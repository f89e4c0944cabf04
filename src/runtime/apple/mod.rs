//! Apple Container through its `container` CLI (macOS 15+ on Apple Silicon), using only the
//! commands and flags of Apple's published command reference (docs/command-reference.md in
//! apple/container): `create`, `start --attach`, `stop --time`, `delete --force`,
//! `list --all --format json`, `inspect`, `logs --follow`, `build`, `image inspect`,
//! `network create|inspect|delete`, `system status`.
//!
//! Each container is a lightweight VM: capabilities, seccomp options, a read-only root
//! filesystem, a pids limit and an init process are the VM's business, not flags of the
//! CLI, and are not passed; the VM boundary is the isolation (docs/scaling.md compares).

mod containers;
mod images;
mod json;
mod networks;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};

use tokio::process::Command;
use tokio::sync::watch;

use super::{Backend, EngineError, Networking, Probe};

/// The bridge gateway Apple Container gives containers by default.
pub const DEFAULT_GATEWAY: &str = "192.168.64.1";

/// The `container` CLI, found on PATH (or at `AIGO_CONTAINER_BIN`).
#[derive(Debug, Clone)]
pub struct AppleEngine {
    bin: PathBuf,
    /// Exit codes of the containers this process started: `container start --attach`
    /// exits with the container's code, and nothing else in the CLI reports it.
    exits: Arc<Mutex<HashMap<String, ExitWatch>>>,
}

/// `None` while the attached `start` runs, then `Some(exit code, if any)`.
type ExitWatch = watch::Receiver<Option<Option<i64>>>;

/// Apple Container exists only on Apple Silicon macOS.
pub(super) fn platform_supported() -> bool {
    cfg!(all(target_os = "macos", target_arch = "aarch64"))
}

impl AppleEngine {
    pub fn from_env() -> Self {
        let bin = std::env::var_os("AIGO_CONTAINER_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("container"));
        Self {
            bin,
            exits: Arc::default(),
        }
    }

    /// The CLI at `bin` (tests use a stand-in).
    pub fn with_bin(bin: impl Into<PathBuf>) -> Self {
        Self {
            bin: bin.into(),
            exits: Arc::default(),
        }
    }

    pub fn bin(&self) -> &std::path::Path {
        &self.bin
    }

    /// Runs `container ARGS…` and returns its stdout, or an error naming the command.
    pub async fn cli(&self, args: &[&str]) -> Result<String, String> {
        let shown = format!("`{} {}`", self.bin.display(), args.join(" "));
        let out = Command::new(&self.bin)
            .args(args)
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => format!(
                    "Apple Container: {shown} not found (install it from the apple/container releases)"
                ),
                _ => format!("Apple Container: {shown} failed to start: {e}"),
            })?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            let err = err.trim();
            return Err(format!(
                "Apple Container: {shown} exited with {}{}{}",
                out.status,
                if err.is_empty() { "" } else { ": " },
                err
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl AppleEngine {
    /// Asks the CLI whether its services run (`system status`, which also names the version;
    /// the reference documents no `--version`).
    pub async fn probe(&self) -> Result<Probe, String> {
        let status = self
            .cli(&["system", "status"])
            .await
            .map_err(|e| format!("{e} (start it with `container system start`)"))?;
        Ok(Probe {
            version: parse_version(&status).unwrap_or_else(|| "unknown".into()),
            networking: Networking {
                host_gateway: Some(self.gateway().await),
                extra_run_args: Vec::new(),
                // Filled in by `detect` from config.toml.
                egress: None,
            },
        })
    }

    /// The host's address on the default network (its bridge's gateway), from
    /// `container network inspect default` (macOS 26+), else Apple's default.
    pub async fn gateway(&self) -> String {
        match self
            .inspect_network(Backend::AppleContainer.default_network())
            .await
        {
            Ok(n) => n.gateway.unwrap_or_else(|| DEFAULT_GATEWAY.into()),
            Err(_) => DEFAULT_GATEWAY.into(),
        }
    }

    /// Runs the CLI; a failure becomes an [`EngineError`] (`not found` in the CLI's words
    /// becomes [`EngineError::NotFound`]).
    async fn call(
        &self,
        action: &'static str,
        what: &str,
        args: &[&str],
    ) -> Result<String, EngineError> {
        self.cli(args)
            .await
            .map_err(|message| fail(action, what, message))
    }
}

fn fail(action: &'static str, what: &str, message: String) -> EngineError {
    let backend = Backend::AppleContainer;
    let lower = message.to_ascii_lowercase();
    // Apple's CLI says `Error: notFound: "…"`.
    if lower.contains("notfound") || lower.contains("not found") {
        EngineError::NotFound {
            backend,
            action,
            what: what.to_string(),
        }
    } else {
        EngineError::Failed {
            backend,
            action,
            message,
        }
    }
}

/// Finds the first `N.N[.N]` token: `container CLI version 0.2.0 (build: …)` → `0.2.0`.
/// (In `system status` output the version comes before any other dotted number.)
fn parse_version(s: &str) -> Option<String> {
    s.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .map(|t| t.trim_start_matches('v'))
        .find(|t| t.contains('.') && t.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::parse_version;

    #[test]
    fn version_token_is_found() {
        assert_eq!(
            parse_version("container CLI version 0.2.0 (build: release, commit: abc)").as_deref(),
            Some("0.2.0")
        );
        assert_eq!(parse_version("v1.4").as_deref(), Some("1.4"));
        assert_eq!(parse_version("nothing here"), None);
    }
}
