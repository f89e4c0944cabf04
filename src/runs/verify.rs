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
    /// The container's process ended before or while it was examined (with
    /// this exit code): it was given nothing, and its mounts can no longer be
    /// examined. The run must not go on as if they had been.
    Exited(Option<i64>),
}

/// What comparing the binds through `/proc/<pid>/root` found.
enum Compared {
    Check(BindCheck),
    /// A bind could not be examined: a sign of a swap, or of the process
    /// having just ended (the pid's root is gone); which one is asked next.
    CannotExamine(String),
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
        Pid::Exited(code) => return Ok(BindCheck::Exited(code)),
    };
    let check = tokio::task::spawn_blocking({
        let binds = binds.to_vec();
        move || compare(pid, &binds)
    })
    .await
    .map_err(|e| RunError::engine("verify mounts", e))?;
    // A differing bind is decided without asking the engine again.
    if let Compared::Check(BindCheck::Mismatch(why)) = check {
        return Ok(BindCheck::Mismatch(why));
    }
    Ok(decide(pid, check, running_pid(engine, cid).await?))
}

/// The verdict once the binds of process `pid` were compared and the
/// container was asked about again (`after`). A bind that differs is a
/// refusal whatever the process did since; otherwise the pid must still be
/// the container's (a pid reused after the container died would be what was
/// examined), and a container that has ended is reported as such.
fn decide(pid: i64, check: Compared, after: Pid) -> BindCheck {
    match (after, check) {
        (_, Compared::Check(BindCheck::Mismatch(why))) => BindCheck::Mismatch(why),
        (Pid::Exited(code), _) => BindCheck::Exited(code),
        (Pid::Host(p), Compared::Check(c)) if p == pid => c,
        (Pid::Host(p), Compared::CannotExamine(why)) if p == pid => BindCheck::Mismatch(why),
        _ => BindCheck::Mismatch(
            "the container's process changed while its mounts were verified".into(),
        ),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Pid {
    /// The container's main process, as this host sees it.
    Host(i64),
    /// Running, but the engine has no host pid for it (a VM-based engine).
    NotVisible,
    /// Gone, with its exit code when the engine knows it.
    Exited(Option<i64>),
}

async fn running_pid(engine: &Engine, cid: &str) -> Result<Pid, RunError> {
    let info = engine
        .inspect(cid)
        .await
        .map_err(|e| RunError::engine("inspect container", e))?;
    Ok(match info.pid.filter(|p| *p > 0) {
        _ if !info.running => Pid::Exited(info.exit_code),
        Some(p) => Pid::Host(p),
        None => Pid::NotVisible,
    })
}

#[cfg(target_os = "linux")]
fn compare(pid: i64, binds: &[Bind]) -> Compared {
    let root = std::path::PathBuf::from(format!("/proc/{pid}/root"));
    if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
        return Compared::Check(BindCheck::Unverifiable(format!(
            "process {pid} is not visible on this host: the engine runs in a VM or on another machine"
        )));
    }
    // aigo's own IPC bind is in every container it starts: when even that is
    // missing under the pid's root, the pid is not a process of a local engine
    // (Docker Desktop's VM, a remote engine) and there is nothing to compare.
    if let Some(ipc) = binds.iter().find(|b| b.container == "/workspace/ipc")
        && std::fs::symlink_metadata(root.join("workspace/ipc"))
            .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    {
        return Compared::Check(BindCheck::Unverifiable(format!(
            "{} is not visible through /proc/{pid}/root: the engine runs in a VM or on another machine",
            ipc.container
        )));
    }
    let mut n = 0;
    for b in binds {
        let Some(want) = b.identity else { continue };
        let seen = root.join(b.container.trim_start_matches('/'));
        match FileId::lstat(&seen) {
            Ok(got) if got == want => n += 1,
            Ok(_) => {
                return Compared::Check(BindCheck::Mismatch(format!(
                    "{} in the container is not {} as validated (it was replaced, e.g. by a symlink, before the engine mounted it)",
                    b.container,
                    b.host.display()
                )));
            }
            Err(e) => {
                return Compared::CannotExamine(format!(
                    "cannot examine {} in the container through {}: {e}",
                    b.container,
                    seen.display()
                ));
            }
        }
    }
    Compared::Check(BindCheck::Verified(n))
}

#[cfg(not(target_os = "linux"))]
fn compare(_: i64, _: &[Bind]) -> Compared {
    Compared::Check(BindCheck::Unverifiable(
        "the engine runs in a VM on this system; container mounts cannot be examined from the host"
            .into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mismatch(c: &BindCheck) -> bool {
        matches!(c, BindCheck::Mismatch(_))
    }

    #[test]
    fn a_bind_that_differs_is_refused_whatever_the_process_did_since() {
        for after in [
            Pid::Host(7),
            Pid::Host(8),
            Pid::Exited(Some(0)),
            Pid::NotVisible,
        ] {
            let c = Compared::Check(BindCheck::Mismatch("swapped".into()));
            assert_eq!(decide(7, c, after), BindCheck::Mismatch("swapped".into()));
        }
    }

    #[test]
    fn a_process_that_ended_while_examined_is_reported_as_ended() {
        let c = Compared::CannotExamine("gone".into());
        assert_eq!(
            decide(7, c, Pid::Exited(Some(1))),
            BindCheck::Exited(Some(1))
        );
        let c = Compared::Check(BindCheck::Verified(3));
        assert_eq!(decide(7, c, Pid::Exited(None)), BindCheck::Exited(None));
    }

    #[test]
    fn another_pid_or_an_unexaminable_bind_of_a_live_process_is_refused() {
        assert!(mismatch(&decide(
            7,
            Compared::Check(BindCheck::Verified(3)),
            Pid::Host(8)
        )));
        assert!(mismatch(&decide(
            7,
            Compared::CannotExamine("eacces".into()),
            Pid::Host(7)
        )));
        assert!(mismatch(&decide(
            7,
            Compared::Check(BindCheck::Verified(3)),
            Pid::NotVisible
        )));
        assert_eq!(
            decide(7, Compared::Check(BindCheck::Verified(3)), Pid::Host(7)),
            BindCheck::Verified(3)
        );
    }
}
