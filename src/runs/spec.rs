//! From a run request to everything the container gets: binds (validated,
//! canonical), environment (the placeholder, never a key), labels, limits.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{ExtraArgs, RunError, check_extra_args, new_id};
use crate::config::Config;
use crate::groups::Groups;
use crate::ipc::{self, SessionDirs};
use crate::mounts::{MountAllowlist, MountRequest};
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
    /// Run as the invoking user, so files in the IPC and group dirs stay theirs.
    pub user: Option<String>,
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
}

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

    let mut binds = vec![
        Bind {
            host: group_dir,
            container: "/workspace/group".into(),
            read_only: !is_main,
        },
        Bind {
            host: ipc.root.clone(),
            container: "/workspace/ipc".into(),
            read_only: false,
        },
    ];
    for m in &req.mounts {
        let v = crate::mounts::validate(
            allowlist,
            &MountRequest {
                host_path: m.host.clone(),
                container_path: Some(m.name.clone()),
                read_only: Some(!m.read_write),
                group: Some(req.group.clone()),
            },
            is_main,
        );
        match (v.allowed, v.real_host_path, v.container_path) {
            (true, Some(real), Some(container)) => binds.push(Bind {
                host: real.into(),
                container,
                read_only: v.read_only,
            }),
            _ => {
                return Err(RunError::MountRejected {
                    host: m.host.clone(),
                    reason: v.reason,
                });
            }
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
    let user = owner_of(&ipc.root);
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
        network: None,
        extra_hosts: vec!["host-gateway:host-gateway".into()],
        group: req.group.clone(),
        session,
        id,
    })
}

/// `uid:gid` of a directory we just created: our own ids, without `unsafe` libc calls.
#[cfg(unix)]
fn owner_of(dir: &std::path::Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir)
        .ok()
        .map(|m| format!("{}:{}", m.uid(), m.gid()))
}

#[cfg(not(unix))]
fn owner_of(_: &std::path::Path) -> Option<String> {
    None
}
