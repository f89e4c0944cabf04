//! The post-start bind check: once the container runs and before anything is
//! written into its `input/`, each bind's source as the container sees it
//! (device + inode of `/proc/<pid>/root/<target>`) must be the file that was
//! validated. The engine resolves bind sources at start, after aigo validated
//! them; this closes that window (a directory swapped for a symlink in between).

use super::{Bind, RunError};
use crate::mounts::FileId;
use crate::runtime::Engine;

/// What the check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindCheck {
    /// Every bind with a recorded identity matched (how many were compared).
    Verified(usize),
    /// The check cannot be made from this host (why): the engine runs in a VM
    /// or elsewhere, so its processes' filesystems are not visible here.
    Unverifiable(String),
    /// A bind is not what was validated, or could not be examined (why).
    Mismatch(String),
    /// The container's process ended before or while it was examined: there
    /// is nothing left to protect (nothing was given to it yet), and nothing
    /// to say about its mounts.
    Exited,
}

/// Checks every bind of the started container `cid` against its recorded identity.
pub async fn verify_binds(
    engine: &Engine,
    cid: &str,
    binds: &[Bind],
) -> Result<BindCheck, RunError> {
    let pid = match running_pid(engine, cid).await? {
        Pid::Host(pid) => pid,
        Pid::NotVisible => {
            return Ok(BindCheck::Unverifiable(
                "the engine reports no host pid (it runs its containers in a VM)".into(),
            ));
        }
        Pid::Exited => return Ok(BindCheck::Exited),
    };
    let check = tokio::task::spawn_blocking({
        let binds = binds.to_vec();
        move || compare(pid, &binds)
    })
    .await
    .map_err(|e| RunError::engine("verify mounts", e))?;
    // The pid must still be the container's: a pid reused by another process
    // after the container died would otherwise be what was examined.
    if !matches!(check, BindCheck::Mismatch(_)) {
        match running_pid(engine, cid).await? {
            Pid::Host(p) if p == pid => {}
            Pid::Exited => return Ok(BindCheck::Exited),
            _ => {
                return Ok(BindCheck::Mismatch(
                    "the container's process changed while its mounts were verified".into(),
                ));
            }
        }
    }
    Ok(check)
}

#[derive(Debug, PartialEq, Eq)]
enum Pid {
    /// The container's main process, as this host sees it.
    Host(i64),
    /// Running, but the engine has no host pid for it (a VM-based engine).
    NotVisible,
    Exited,
}

async fn running_pid(engine: &Engine, cid: &str) -> Result<Pid, RunError> {
    let info = engine
        .inspect(cid)
        .await
        .map_err(|e| RunError::engine("inspect container", e))?;
    Ok(match info.pid.filter(|p| *p > 0) {
        _ if !info.running => Pid::Exited,
        Some(p) => Pid::Host(p),
        None => Pid::NotVisible,
    })
}

#[cfg(target_os = "linux")]
fn compare(pid: i64, binds: &[Bind]) -> BindCheck {
    let root = std::path::PathBuf::from(format!("/proc/{pid}/root"));
    if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
        return BindCheck::Unverifiable(format!(
            "process {pid} is not visible on this host: the engine runs in a VM or on another machine"
        ));
    }
    // aigo's own IPC bind is in every container it starts: when even that is
    // missing under the pid's root, the pid is not a process of a local engine
    // (Docker Desktop's VM, a remote engine) and there is nothing to compare.
    if let Some(ipc) = binds.iter().find(|b| b.container == "/workspace/ipc")
        && std::fs::symlink_metadata(root.join("workspace/ipc"))
            .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    {
        return BindCheck::Unverifiable(format!(
            "{} is not visible through /proc/{pid}/root: the engine runs in a VM or on another machine",
            ipc.container
        ));
    }
    let mut n = 0;
    for b in binds {
        let Some(want) = b.identity else { continue };
        let seen = root.join(b.container.trim_start_matches('/'));
        match FileId::lstat(&seen) {
            Ok(got) if got == want => n += 1,
            Ok(_) => {
                return BindCheck::Mismatch(format!(
                    "{} in the container is not {} as validated (it was replaced, e.g. by a symlink, before the engine mounted it)",
                    b.container,
                    b.host.display()
                ));
            }
            Err(e) => {
                return BindCheck::Mismatch(format!(
                    "cannot examine {} in the container through {}: {e}",
                    b.container,
                    seen.display()
                ));
            }
        }
    }
    BindCheck::Verified(n)
}

#[cfg(not(target_os = "linux"))]
fn compare(_: i64, _: &[Bind]) -> BindCheck {
    BindCheck::Unverifiable(
        "the engine runs in a VM on this system; container mounts cannot be examined from the host"
            .into(),
    )
}
