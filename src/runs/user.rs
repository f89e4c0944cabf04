//! Who an agent runs as: aigo's own user, or `[runs] user` when aigo runs as
//! root (never uid or gid 0), and handing that user the directories it writes.

use super::RunError;

/// The user agents run as when aigo runs as root and `[runs] user` is unset.
pub const DEFAULT_ROOT_RUN_USER: &str = "1000:1000";

/// Who the agent runs as: the owner of the IPC dir we just created (that is,
/// aigo's own user), unless that is root: then `[runs] user` (default
/// [`DEFAULT_ROOT_RUN_USER`]), which must be a numeric, non-root `UID:GID`.
#[cfg(unix)]
pub(super) fn run_user(
    configured: Option<&str>,
    ipc_root: &std::path::Path,
) -> Result<Option<String>, RunError> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(ipc_root).map_err(|e| RunError::Io {
        path: ipc_root.to_path_buf(),
        action: "read the owner of",
        source: e,
    })?;
    choose(m.uid(), m.gid(), configured).map(Some)
}

/// The user for aigo running as `uid:gid` with `[runs] user = configured`.
fn choose(uid: u32, gid: u32, configured: Option<&str>) -> Result<String, RunError> {
    if uid != 0 {
        return Ok(format!("{uid}:{gid}"));
    }
    let want = configured.unwrap_or(DEFAULT_ROOT_RUN_USER);
    match parse_user(want) {
        Some((0, _)) | Some((_, 0)) => Err(RunError::BadUser {
            value: want.to_string(),
            why: "agents never run as root (uid or gid 0)".into(),
        }),
        Some(_) => Ok(want.to_string()),
        None => Err(RunError::BadUser {
            value: want.to_string(),
            why: "expected numeric UID:GID".into(),
        }),
    }
}

#[cfg(not(unix))]
pub(super) fn run_user(_: Option<&str>, _: &std::path::Path) -> Result<Option<String>, RunError> {
    Ok(None)
}

/// `UID:GID` (or `UID`, the group then being the same number) as numbers.
pub(super) fn parse_user(s: &str) -> Option<(u32, u32)> {
    let (u, g) = s.split_once(':').unwrap_or((s, s));
    Some((u.parse().ok()?, g.parse().ok()?))
}

/// Gives the agent's user the directories it must write: each given directory
/// and the real directories directly in it (never through a symlink).
#[cfg(unix)]
pub(super) fn hand_over(dirs: &[&std::path::Path], uid: u32, gid: u32) -> Result<(), RunError> {
    let chown = |p: &std::path::Path| {
        std::os::unix::fs::lchown(p, Some(uid), Some(gid)).map_err(|e| RunError::Io {
            path: p.to_path_buf(),
            action: "hand over to the agent's user",
            source: e,
        })
    };
    for d in dirs {
        chown(d)?;
        for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                chown(&e.path())?;
            }
        }
    }
    Ok(())
}

#[cfg(not(unix))]
pub(super) fn hand_over(_: &[&std::path::Path], _: u32, _: u32) -> Result<(), RunError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_never_hands_agents_uid_or_gid_0() {
        assert_eq!(
            choose(1000, 100, Some("0:0")).ok().as_deref(),
            Some("1000:100")
        );
        assert_eq!(choose(0, 0, None).ok().as_deref(), Some("1000:1000"));
        assert_eq!(choose(0, 0, Some("2000")).ok().as_deref(), Some("2000"));
        for bad in ["0", "0:1000", "1000:0", "root", "agent:agent", ""] {
            let e = choose(0, 0, Some(bad)).err().map(|e| e.to_string());
            assert!(
                e.as_deref().is_some_and(|e| e.contains("[runs] user")),
                "{bad:?}: {e:?}"
            );
        }
    }
}
