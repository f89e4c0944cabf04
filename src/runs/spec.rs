//! From a run request to everything the container gets: binds (validated,
//! canonical), environment (the placeholder, never a key), labels, limits.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::user::{hand_over, parse_user, run_user};
use super::{ExtraArgs, Memory, RunError, RunMode, check_extra_args, memory, new_id};
use crate::config::Config;
use crate::groups::Groups;
use crate::ipc::{self, SessionDirs};
use crate::mounts::{FileId, MountAllowlist, MountRequest, Protected};
use crate::proxy::DEFAULT_PLACEHOLDER;
use crate::schedule::{ContextMode, ScheduleRecord};
use crate::state::StateDir;

/// Where the group's agent state is mounted (`CLAUDE_CONFIG_DIR`).
pub const AGENT_STATE_PATH: &str = "/workspace/agent-state";

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
    /// Where replies go (`AIGO_CHAT_JID`); `None`: the terminal / run log.
    pub chat_jid: Option<String>,
    /// `daemon`, `cli:<pid>` or `detached`: who waits for the container
    /// (orphan clean-up uses it).
    pub owner: String,
    pub mode: RunMode,
    /// IANA zone for the container's `TZ` (a schedule's zone); `None`: the host's.
    pub timezone: Option<String>,
    /// Resume the chat's agent session, start a fresh one, or stay isolated.
    pub memory: Memory,
}

impl RunRequest {
    /// A one-shot run of `prompt` for `group` with every other setting at its default.
    pub fn new(
        group: impl Into<String>,
        prompt: impl Into<String>,
        owner: impl Into<String>,
    ) -> Self {
        Self {
            group: group.into(),
            session: None,
            prompt: prompt.into(),
            mounts: Vec::new(),
            timeout: None,
            idle_timeout: None,
            image: None,
            chat_jid: None,
            owner: owner.into(),
            mode: RunMode::OneShot,
            timezone: None,
            memory: Memory::Resume,
        }
    }

    /// A schedule's run: one-shot, replies to the group's (first) chat, `TZ`
    /// the schedule's zone; group context keeps the group's standing session.
    pub fn for_schedule(state: &StateDir, s: &ScheduleRecord, owner: &str) -> Self {
        let chat_jid = Groups::load(state)
            .ok()
            .and_then(|g| g.get(&s.group).and_then(|g| g.jids.first().cloned()));
        Self {
            session: (s.context_mode == ContextMode::Group).then(|| "scheduled".to_string()),
            timeout: s.timeout_secs.map(Duration::from_secs),
            chat_jid,
            timezone: s.timezone.clone(),
            memory: match s.context_mode {
                ContextMode::Group => Memory::Resume,
                ContextMode::Isolated => Memory::Isolated,
            },
            ..Self::new(s.group.clone(), s.prompt.clone(), owner)
        }
    }
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
    /// The main group's agent may see and manage every group's schedules.
    pub is_main: bool,
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
    pub mode: RunMode,
    pub chat_jid: Option<String>,
    pub memory: Memory,
    /// Whether this run created its session (a failed start removes it again).
    pub fresh_session: bool,
    pub user: Option<String>,
    /// The image's filesystem is mounted read-only; only `tmpfs` and binds are writable.
    pub read_only_rootfs: bool,
    /// `(container path, mount options)` of each tmpfs.
    pub tmpfs: Vec<(String, String)>,
    pub security_opt: Vec<String>,
    /// The network to attach to (`None`: the engine's default bridge) and the
    /// `/etc/hosts` entries, from [`crate::network::container_settings`].
    pub network: Option<String>,
    pub extra_hosts: Vec<String>,
}

impl RunSpec {
    /// Applies the network policy's settings (network, `host-gateway`, proxy env).
    pub fn apply_network(&mut self, net: crate::network::ContainerNetwork) {
        self.network = net.network;
        self.extra_hosts = net.extra_hosts;
        self.env.extend(net.env);
    }

    /// Points the agent at the proxy through `token` (see
    /// [`crate::proxy::token`]): the token in `ANTHROPIC_BASE_URL`'s path, its
    /// fingerprint as the container's `aigo.token` label.
    pub fn use_token(&mut self, token: &crate::proxy::RunToken, proxy_port: u16) {
        let url = token.base_url(&format!("http://host-gateway:{proxy_port}"));
        for (k, v) in &mut self.env {
            if k == "ANTHROPIC_BASE_URL" {
                *v = url.clone();
            }
        }
        self.labels
            .insert(super::LABEL_TOKEN.to_string(), token.fingerprint());
    }
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
    ipc::check_session_id(&session)?;
    // Every extra mount is validated before anything is created on disk, so a
    // rejected one leaves no session behind.
    let protected = Protected::for_state(state);
    let mut extra_binds = Vec::new();
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
                extra_binds.push(Bind {
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
    let fresh_session = !ipc::session_dirs(state, &req.group, &session)?
        .root
        .exists();
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
    // The group's own agent state; isolated runs get none (nothing to resume,
    // nothing left behind for the next run).
    if req.memory != Memory::Isolated {
        let dir = memory::agent_state_dir(state, &req.group)?;
        if let Some((uid, gid)) = user.as_deref().and_then(parse_user) {
            hand_over(&[&dir], uid, gid)?;
        }
        binds.push(own_bind(dir, AGENT_STATE_PATH, false)?);
    }
    binds.extend(extra_binds);

    if !masks.is_empty() {
        let src = crate::mounts::mask_sources(state.root()).map_err(|e| RunError::Io {
            path: state.root().join("masks"),
            action: "prepare the mask files in",
            source: e,
        })?;
        // After the mounts they sit in: the engine mounts parents first, so each
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
    let mut env = vec![
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
        (
            "AIGO_IS_MAIN".to_string(),
            if is_main { "1" } else { "0" }.to_string(),
        ),
        ("AIGO_RUN_ID".to_string(), id.clone()),
        ("HOME".to_string(), AGENT_HOME.to_string()),
        ("TZ".to_string(), timezone(req.timezone.as_deref())),
    ];
    // Unset for a terminal run: the runner then writes `chatJid: null`, a
    // reply for the run's own log.
    if let Some(jid) = &req.chat_jid {
        env.push(("AIGO_CHAT_JID".to_string(), jid.clone()));
    }
    if req.memory != Memory::Isolated {
        env.push((
            "CLAUDE_CONFIG_DIR".to_string(),
            AGENT_STATE_PATH.to_string(),
        ));
    }
    if req.memory == Memory::Resume
        && let Some(id) = memory::resume_id(state, &req.group, req.chat_jid.as_deref())?
    {
        env.push(("AIGO_RESUME_SESSION".to_string(), id));
    }
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
    // The home must be writable by the agent's uid. `uid=`/`gid=` tmpfs options
    // are Docker's only (Podman refuses them), so a home for another uid is a
    // sticky world-writable tmpfs: it exists only inside this one container.
    let home_mode = match user.as_deref().and_then(parse_user) {
        Some(_) => "1777",
        None => "0700",
    };
    let tmpfs = vec![
        ("/tmp".to_string(), "rw,nosuid,nodev,mode=1777".to_string()),
        (
            AGENT_HOME.to_string(),
            format!("rw,nosuid,nodev,mode={home_mode}"),
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
        mode: req.mode,
        chat_jid: req.chat_jid.clone(),
        memory: req.memory,
        fresh_session,
        user,
        read_only_rootfs: true,
        tmpfs,
        security_opt: vec!["no-new-privileges".to_string()],
        network: None,
        extra_hosts: vec!["host-gateway:host-gateway".into()],
        group: req.group.clone(),
        is_main,
        session,
        id,
    })
}

/// The container's `TZ`: the asked zone, else the host's IANA name, else UTC.
fn timezone(asked: Option<&str>) -> String {
    asked
        .map(str::to_string)
        .or_else(|| jiff::tz::TimeZone::system().iana_name().map(str::to_string))
        .unwrap_or_else(|| "UTC".to_string())
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
