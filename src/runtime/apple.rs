//! Apple Container through its `container` CLI (macOS 15+ on Apple Silicon).

use std::path::PathBuf;
use std::process::Stdio;

use tokio::process::Command;

use super::{Backend, ContainerRuntime, Networking, Probe};

/// The bridge gateway Apple Container gives containers by default.
pub const DEFAULT_GATEWAY: &str = "192.168.64.1";

/// The `container` CLI, found on PATH (or at `AIGO_CONTAINER_BIN`).
#[derive(Debug, Clone)]
pub struct AppleRuntime {
    bin: PathBuf,
}

/// Apple Container exists only on Apple Silicon macOS.
pub(super) fn platform_supported() -> bool {
    cfg!(all(target_os = "macos", target_arch = "aarch64"))
}

impl AppleRuntime {
    pub fn from_env() -> Self {
        let bin = std::env::var_os("AIGO_CONTAINER_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("container"));
        Self { bin }
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

impl ContainerRuntime for AppleRuntime {
    fn backend(&self) -> Backend {
        Backend::AppleContainer
    }

    async fn probe(&self) -> Result<Probe, String> {
        let version_out = self.cli(&["--version"]).await?;
        self.cli(&["system", "status"])
            .await
            .map_err(|e| format!("{e} (start it with `container system start`)"))?;
        Ok(Probe {
            version: parse_version(&version_out).unwrap_or_else(|| version_out.trim().to_string()),
            networking: Networking {
                host_gateway: Some(DEFAULT_GATEWAY.into()),
                extra_run_args: Vec::new(),
                ..Default::default()
            },
        })
    }
}

/// Finds the first `N.N[.N]` token: `container CLI version 0.2.0 (build: …)` → `0.2.0`.
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
