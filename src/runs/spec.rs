//! From a run request to everything the container gets: binds (validated,
//! canonical), environment (the placeholder, never a key), labels, limits.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::user::{hand_over, parse_user, run_user};
use super::{ExtraArgs, RunError, check_extra_args, new_id};
use crate::config::Config;
use crate::groups::Groups;
use crate::ipc::{self, SessionDirs};
use crate::mounts::{FileId, MountAllowlist, MountRequest, Protected};
use crate::proxy::DEFAULT_PLACEHOLDER;
use crate::state::StateDir;

/// An extra mount as asked for: `HOST_PATH:NAME[:rw]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExtraMount {
    pub host: String,
    pub name: String,
    pub read_write: bool,
}

impl std::str::FromStr for ExtraMount {
    type Err = RunError;
    fn from_str(s: &str) -> Result<Self, RunError> {
        let parts: Vec<&str> = s.split(':').collect();
        match parts.as_slice() {
            [host, name] => Ok(Self {
                host: host.to_string(),
                name: name.to_string(),
                read_write: false,
            }),
            [host, name, "rw"] => Ok(Self {
                host: host.to_string(),
                name: name.to_string(),
                read_write: true,
            }),
            [host, name, "ro"] => Ok(Self {
                host: host.to_string(),
                name: name.to_string(),
                read_write: false,
            }),
            _ => Err(RunError::BadMount(s.to_string())),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RunRequest {
    pub group: String,
    /// Join this session; `None` starts a fresh one.
    pub session: Option<String>,
    pub prompt: String,
    pub mounts: Vec<ExtraMount>,
    pub timeout: Option<Duration>,
    pub idle_timeout: Option<Duration>,
    pub image: Option<String>,
    pub chat_jid: Option<String>,
    /// `daemon` or `cli:<pid>`: who waits for the container (orphan clean-up uses it).
    pub owner: String,
}

/// A host path bound into the container, as validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bind {
    #[schema(value_type = String)]
    pub host: PathBuf,
    pub container: String,
    pub read_only: bool,
    /// Device + inode of `host` when it was validated; the container's view of
    /// `container` must have the same after start ([`super::verify_binds`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<FileId>,
}

impl Bind {
    /// The engine's `HOST:CONTAINER:ro|rw` form, as created and as inspected.
    pub fn to_engine(&self) -> String {
        format!(
            "{}:{}:{}",
            self.host.display(),
            self.container,
            if self.read_only { "ro" } else { "rw" }
        )
    }
}

#[derive(Debug, Clone)]
pub struct RunSpec {
    pub id: String,
    pub group: String,
    pub session: String,
    pub container_name: String,
    pub image: String,
    pub prompt: String,
    pub binds: Vec<Bind>,
    pub env: Vec<(String, String)>,
    pub labels: BTreeMap<String, String>,
    pub extra: ExtraArgs,
    pub memory_bytes: Option<i64>,
    pub nano_cpus: Option<i64>,
    pub pids_limit: Option<i64>,
    pub timeout: Duration,
    pub idle_timeout: Option<Duration>,
    pub ipc: SessionDirs,
    /// `UID:GID`: the invoking user (so files in the IPC and group dirs stay
    /// theirs), or `[runs] user` when aigo runs as root; never 0.
    pub user: Option<String>,
    /// The image's filesystem is mounted read-only; only `tmpfs` and binds are writable.
    pub read_only_rootfs: bool,
    /// `(container path, mount options)` of each tmpfs.
    pub tmpfs: Vec<(String, String)>,
    pub security_opt: Vec<String>,
}

/// The agent's writable home (a tmpfs; the root filesystem is read-only).
pub const AGENT_HOME: &str = "/home/aigo";

/// Builds the spec. Every extra mount goes through the allowlist (the caller
/// audits a [`RunError::MountRejected`]); nothing is created on the engine yet.
pub fn build_spec(
    state: &StateDir,
    config: &Config,
    allowlist: &MountAllowlist,
    req: &RunRequest,
) -> Result<RunSpec, RunError> {
    crate::groups::check_name(&req.group)?;
    let groups = Groups::load(state)?;
    let is_main = groups.is_main(Some(&req.group));
    let extra = check_extra_args(&config.runs.extra_run_args)?;
    let id = new_id();
    let session = req.session.clone().unwrap_or_else(|| id.clone());
    let ipc = ipc::init(state, &req.group, &session)?;
    let group_dir = state.root().join("groups").join(&req.group);
    std::fs::create_dir_all(&group_dir).map_err(|e| RunError::Io {
        path: group_dir.clone(),
        action: "create",
        source: e,
    })?;

    let user = run_user(config.runs.user.as_deref(), &ipc.root)?;
    if let Some((uid, gid)) = user.as_deref().and_then(parse_user) {
        hand_over(&[&group_dir, &ipc.root], uid, gid)?;
    }
    let mut binds = vec![
        own_bind(group_dir, "/workspace/group", !is_main)?,
        own_bind(ipc.root.clone(), "/workspace/ipc", false)?,
    ];
    let protected = Protected::for_state(state);
    let mut masks = Vec::new();
    for m in &req.mounts {
        let v = crate::mounts::validate(
            allowlist,
            &protected,
            &MountRequest {
                host_path: m.host.clone(),
                container_path: Some(m.name.clone()),
                read_only: Some(!m.read_write),
                group: Some(req.group.clone()),
            },
            is_main,
        );
        match (v.allowed, v.real_host_path, v.container_path) {
            (true, Some(real), Some(container)) => {
                binds.push(Bind {
                    host: real.into(),
                    container,
                    read_only: v.read_only,
                    identity: v.identity,
                });
                masks.extend(v.masked);
            }
            _ => {
                return Err(RunError::MountRejected {
                    host: m.host.clone(),
                    reason: v.reason,
                });
            }
        }
    }

    if !masks.is_empty() {
        let src = crate::mounts::mask_sources(state.root()).map_err(|e| RunError::Io {
            path: state.root().join("masks"),
            action: "prepare the mask files in",
            source: e,
        })?;
        // After the mounts they sit in: the engine mounts in order, so each
        // mask lands on top of its directory's bind.
        for m in masks {
            let (host, id) = if m.directory {
                (src.dir.clone(), src.dir_id)
            } else {
                (src.file.clone(), src.file_id)
            };
            binds.push(Bind {
                host,
                container: m.container_path,
                read_only: true,
                identity: Some(id),
            });
        }
    }
    let chat_jid = req
        .chat_jid
        .clone()
        .or_else(|| groups.get(&req.group).and_then(|g| g.jids.first().cloned()))
        .unwrap_or_default();
    let env = vec![
        (
            "ANTHROPIC_BASE_URL".to_string(),
            format!("http://host-gateway:{}", config.proxy.port),
        ),
        (
            "ANTHROPIC_API_KEY".to_string(),
            DEFAULT_PLACEHOLDER.to_string(),
        ),
        ("AIGO_GROUP".to_string(), req.group.clone()),
        ("AIGO_SESSION".to_string(), session.clone()),
        ("AIGO_CHAT_JID".to_string(), chat_jid),
        (
            "AIGO_IS_MAIN".to_string(),
            if is_main { "1" } else { "0" }.to_string(),
        ),
        ("AIGO_RUN_ID".to_string(), id.clone()),
        ("HOME".to_string(), AGENT_HOME.to_string()),
    ];
    let mut labels = BTreeMap::new();
    labels.insert(super::LABEL_MANAGED.to_string(), "true".to_string());
    labels.insert(super::LABEL_RUN.to_string(), id.clone());
    labels.insert(super::LABEL_GROUP.to_string(), req.group.clone());
    labels.insert(super::LABEL_OWNER.to_string(), req.owner.clone());
    labels.insert(
        super::LABEL_HOME.to_string(),
        state.root().display().to_string(),
    );
    let r = &config.runs;
    let owner = match user.as_deref().and_then(parse_user) {
        Some((uid, gid)) => format!(",uid={uid},gid={gid}"),
        None => String::new(),
    };
    let tmpfs = vec![
        ("/tmp".to_string(), "rw,nosuid,nodev,mode=1777".to_string()),
        (
            AGENT_HOME.to_string(),
            format!("rw,nosuid,nodev,mode=0700{owner}"),
        ),
    ];
    Ok(RunSpec {
        container_name: format!("aigo-{}-{id}", req.group),
        image: req
            .image
            .clone()
            .unwrap_or_else(|| config.image_tag.clone()),
        prompt: req.prompt.clone(),
        binds,
        env,
        labels,
        extra,
        memory_bytes: (r.memory_mb > 0).then(|| (r.memory_mb * 1024 * 1024) as i64),
        nano_cpus: (r.cpus > 0.0).then_some((r.cpus * 1e9) as i64),
        pids_limit: (r.pids_limit > 0).then_some(r.pids_limit),
        timeout: req.timeout.unwrap_or(Duration::from_secs(r.timeout_secs)),
        idle_timeout: req
            .idle_timeout
            .or((r.idle_timeout_secs > 0).then(|| Duration::from_secs(r.idle_timeout_secs))),
        ipc,
        user,
        read_only_rootfs: true,
        tmpfs,
        security_opt: vec!["no-new-privileges".to_string()],
        group: req.group.clone(),
        session,
        id,
    })
}

/// A bind of one of aigo's own directories, with its identity.
fn own_bind(host: PathBuf, container: &str, read_only: bool) -> Result<Bind, RunError> {
    let io = |action, source| RunError::Io {
        path: host.clone(),
        action,
        source,
    };
    let real = std::fs::canonicalize(&host).map_err(|e| io("resolve", e))?;
    let identity = crate::mounts::open_identity(&real).map_err(|e| io("open", e))?;
    Ok(Bind {
        host: real,
        container: container.to_string(),
        read_only,
        identity: Some(identity),
    })
}
