//! `Runner`: the one run service. The CLI (`aigo run`, `aigo schedule run`),
//! the API (`POST …/runs`), the scheduler and the chat channels all start,
//! follow, stop and list runs through it, so a run is refused, recorded and
//! audited the same way whoever asked for it.

use std::sync::Arc;

use crate::runtime::Engine;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use super::{
    RunError, RunRecord, RunRequest, RunSpec, RunState, RunningContainer, build_spec, engine,
    new_id,
};
use crate::audit::{AuditLog, NewEvent};
use crate::config::Config;
use crate::groups::Groups;
use crate::ipc::{RunnerEvent, SessionDirs};
use crate::mounts::MountAllowlist;
use crate::state::{FileLock, StateDir, load_toml};

/// How the runner knows a credential proxy will answer the container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyCheck {
    /// A daemon holds this state directory (it serves the proxy): the CLI's check.
    Daemon,
    /// The caller knows: inside the daemon, whether its proxy component is up.
    Known(bool),
}

/// A started run: its spec and its record (state `running`).
pub struct RunHandle {
    pub spec: RunSpec,
    pub record: RunRecord,
    /// The run's admission to this process's proxy, held until the run ends.
    pub(super) admission: Option<super::caller::Admission>,
}

/// The run service; cheap to clone.
#[derive(Clone)]
pub struct Runner {
    pub(super) state: StateDir,
    pub(super) config: Arc<Config>,
    allowlist: Arc<MountAllowlist>,
    pub(super) audit: AuditLog,
    pub(super) engine: Engine,
    proxy: ProxyCheck,
    /// The callers of the proxy this process serves (the daemon's), where
    /// runs are admitted while they last; `None`: the proxy is elsewhere.
    callers: Option<Arc<crate::proxy::Callers>>,
}

impl Runner {
    pub fn new(
        state: StateDir,
        config: Arc<Config>,
        allowlist: Arc<MountAllowlist>,
        audit: AuditLog,
        engine: Engine,
        proxy: ProxyCheck,
    ) -> Self {
        Self {
            state,
            config,
            allowlist,
            audit,
            engine,
            proxy,
            callers: None,
        }
    }

    /// Admits runs to `callers` (the proxy this process serves) while they last.
    pub fn with_callers(mut self, callers: Option<Arc<crate::proxy::Callers>>) -> Self {
        self.callers = callers;
        self
    }

    /// For the CLI: `config.toml`, `mounts.toml`, the audit log and the engine
    /// of this state directory; the proxy is the daemon's.
    pub async fn connect(state: &StateDir) -> Result<Self, RunError> {
        let config = Config::load(state)?;
        let allowlist: MountAllowlist = load_toml(&state.mounts())?;
        let engine = super::connect_engine(&config).await?;
        Ok(Self::new(
            state.clone(),
            Arc::new(config),
            Arc::new(allowlist),
            AuditLog::open(state),
            engine,
            ProxyCheck::Daemon,
        ))
    }

    pub fn state(&self) -> &StateDir {
        &self.state
    }

    /// Checks everything that can be checked before a container exists, then
    /// starts it. A refusal or failed start is recorded in the run history and
    /// the audit log, and leaves no session directory behind.
    pub async fn start(&self, req: &RunRequest) -> Result<RunHandle, RunError> {
        self.start_recorded(req).await.map_err(|(e, _)| e)
    }

    /// [`Runner::start`], also returning the refused run's record.
    pub(super) async fn start_recorded(
        &self,
        req: &RunRequest,
    ) -> Result<RunHandle, (RunError, RunRecord)> {
        match self.try_start(req).await {
            Ok(h) => Ok(h),
            Err(e) => {
                let rec = refuse(&self.state, &self.audit, req, &e).await;
                Err((e, rec))
            }
        }
    }

    async fn try_start(&self, req: &RunRequest) -> Result<RunHandle, RunError> {
        self.preflight(req).await?;
        let mut spec = match build_spec(&self.state, &self.config, &self.allowlist, req) {
            Err(RunError::MountRejected { host, reason }) => {
                let _ = self
                    .audit
                    .record_async(NewEvent::mount_rejected(Some(&req.group), &host, &reason))
                    .await;
                return Err(RunError::MountRejected { host, reason });
            }
            other => other?,
        };
        // The agents' network (created and fenced when egress is not open).
        let egress = self.config.network.egress;
        let prepared = crate::network::prepare(&self.engine, &self.config).await?;
        spec.apply_network(crate::network::container_settings(
            &self.config,
            prepared.as_ref().map(|p| &p.network),
        ));
        let fenced = prepared.as_ref().is_some_and(|p| p.fence.is_installed());
        // Where the proxy cannot tell containers apart by address, a token does.
        let token = super::caller::needs_token(&self.engine, prepared.as_ref())
            .await
            .then(crate::proxy::RunToken::generate)
            .transpose()?;
        if let Some(t) = &token {
            spec.use_token(t, self.config.proxy.port);
        }
        if egress == crate::network::Egress::Open {
            tracing::warn!(group = %req.group, "{}", egress.describe());
        }
        if !spec.fresh_session {
            // A joined session may hold what an earlier run left: its `_close`
            // would end this run at once, its events would be taken as this run's.
            crate::ipc::clear_close(&spec.ipc)?;
            let stale = crate::ipc::read_events(&spec.ipc).map_or(0, |v| v.len());
            if stale > 0 {
                tracing::info!(run = %spec.id, stale, "discarded events an earlier run left");
            }
        }
        // The prompt is written only once the container's binds are verified:
        // nothing reaches the agent before that check passes.
        let started = async {
            // What the agent's `list_tasks` reads, there before the runner starts.
            super::snapshot::write_tasks(&self.state, &spec)?;
            let cid = engine::create_and_start(&self.engine, &spec).await?;
            let mut admitted = (None, None);
            let checked = match self.check_binds(&spec, &cid).await {
                Ok(Bound::Ready) => {
                    // Known to the proxy before the agent has anything to ask.
                    admitted = super::caller::admit(
                        &self.engine,
                        self.callers.as_ref(),
                        &spec.id,
                        token.as_ref(),
                    )
                    .await;
                    if spec.prompt.is_empty() {
                        Ok(())
                    } else {
                        crate::ipc::send(&spec.ipc, &spec.prompt, "aigo")
                            .map(|_| ())
                            .map_err(RunError::from)
                    }
                }
                // Gone before it was given anything: a failed start, with
                // what it printed (the container is removed below).
                Ok(Bound::Gone(code)) => Err(RunError::ExitedBeforePrompt {
                    run: spec.id.clone(),
                    code,
                    output: engine::output_tail(&self.engine, &cid).await,
                }),
                Err(e) => Err(e),
            };
            match checked {
                Ok(()) => Ok((cid, admitted)),
                Err(e) => {
                    let _ = engine::remove(&self.engine, &cid).await;
                    Err(e)
                }
            }
        }
        .await;
        let (container_id, (caller, admission)) = match started {
            Ok(started) => started,
            Err(e) => {
                if spec.fresh_session
                    && let Some(dir) = spec.ipc.root.parent()
                {
                    let _ = std::fs::remove_dir_all(dir);
                }
                return Err(e);
            }
        };
        let record = RunRecord {
            schema_version: 1,
            id: spec.id.clone(),
            group: spec.group.clone(),
            session: spec.session.clone(),
            image: spec.image.clone(),
            container: spec.container_name.clone(),
            container_id: Some(container_id),
            owner: req.owner.clone(),
            started_at: jiff::Timestamp::now(),
            ended_at: None,
            exit_code: None,
            state: RunState::Running,
            reason: None,
            binds: spec.binds.clone(),
            mode: spec.mode,
            chat_jid: spec.chat_jid.clone(),
            turns: 0,
            result: None,
            error: None,
            agent_session: None,
            caller,
            mappings: Vec::new(),
        };
        record.save(&self.state)?;
        let details = serde_json::json!({"run": spec.id, "image": spec.image, "session": spec.session, "mounts": spec.binds,
            "egress": egress.as_str(), "network": spec.network, "hostFenced": fenced, "caller": record.caller});
        let _ = self
            .audit
            .record_async(NewEvent::container_started(
                &spec.group,
                &spec.container_name,
                details,
            ))
            .await;
        tracing::info!(run = %spec.id, group = %spec.group, container = %spec.container_name, mode = ?spec.mode, "run started");
        Ok(RunHandle {
            spec,
            record,
            admission,
        })
    }

    /// [`super::verify_binds`] on the started container: whether the agent
    /// may be given its prompt, or has already exited. A mismatch is audited
    /// as a violation and refuses the run (the caller removes the container).
    async fn check_binds(&self, spec: &RunSpec, cid: &str) -> Result<Bound, RunError> {
        let reason = match super::verify_binds(&self.engine, cid, &spec.binds).await? {
            super::BindCheck::Verified(n) => {
                tracing::debug!(run = %spec.id, binds = n, "mounts verified in the container");
                return Ok(Bound::Ready);
            }
            super::BindCheck::Unverifiable(why) => {
                tracing::warn!(run = %spec.id, why = %why, "mounts cannot be verified in the container");
                return Ok(Bound::Ready);
            }
            super::BindCheck::Exited(code) => {
                tracing::warn!(run = %spec.id, ?code, "the agent exited before it was given its prompt");
                return Ok(Bound::Gone(code));
            }
            super::BindCheck::Mismatch(why) => why,
        };
        tracing::error!(run = %spec.id, reason = %reason, "run refused: a mount is not what was validated");
        let _ = self
            .audit
            .record_async(NewEvent::mount_swapped(
                &spec.group,
                &spec.container_name,
                &spec.id,
                &reason,
            ))
            .await;
        Err(RunError::Refused {
            run: spec.id.clone(),
            reason,
        })
    }

    /// The refusals that need nothing created: an unknown group, a missing
    /// image, no credential proxy.
    async fn preflight(&self, req: &RunRequest) -> Result<(), RunError> {
        crate::groups::check_name(&req.group)?;
        let groups = Groups::load(&self.state)?;
        if groups.get(&req.group).is_none() {
            let known: Vec<&str> = groups.groups.iter().map(|g| g.name.as_str()).collect();
            return Err(RunError::UnknownGroup {
                group: req.group.clone(),
                known: if known.is_empty() {
                    "(none yet)".to_string()
                } else {
                    known.join(", ")
                },
            });
        }
        let image = req.image.as_deref().unwrap_or(&self.config.image_tag);
        if !engine::image_exists(&self.engine, image).await? {
            return Err(RunError::ImageMissing {
                image: image.to_string(),
            });
        }
        match self.proxy {
            ProxyCheck::Known(true) => Ok(()),
            ProxyCheck::Known(false) => Err(RunError::ProxyDown),
            ProxyCheck::Daemon => {
                // Held by another process (or another handle in this one): a daemon runs.
                match FileLock::try_acquire(&self.state.daemon_lock_target())? {
                    None => Ok(()),
                    Some(_) => Err(RunError::NoProxy {
                        state: self.state.root().display().to_string(),
                    }),
                }
            }
        }
    }

    /// Follows a started run to its end (see the lifecycle in `lifecycle.rs`);
    /// the runner's events go to `events` as they arrive. Never fails: engine
    /// trouble becomes the record's state and reason.
    pub async fn execute(
        &self,
        handle: RunHandle,
        cancel: CancellationToken,
        events: Option<UnboundedSender<RunnerEvent>>,
    ) -> RunRecord {
        super::lifecycle::execute(self, handle, cancel, events).await
    }

    /// Starts and follows a run; a refusal comes back as its (refused) record.
    pub async fn run(&self, req: &RunRequest, cancel: CancellationToken) -> RunRecord {
        match self.start_recorded(req).await {
            Ok(h) => self.execute(h, cancel, None).await,
            Err((_, rec)) => rec,
        }
    }

    /// Stops a run: `_close`, `grace` for the agent to finish, then SIGTERM and
    /// SIGKILL.
    pub async fn stop(&self, id: &str, grace: std::time::Duration) -> Result<RunRecord, RunError> {
        super::stop_run(&self.state, &self.engine, id, grace).await
    }

    /// aigo's running containers.
    pub async fn ps(&self) -> Result<Vec<RunningContainer>, RunError> {
        super::list_running(&self.engine, false).await
    }

    /// The history, with runs nobody watches any more closed.
    pub async fn history(&self) -> Result<Vec<RunRecord>, RunError> {
        super::reconciled_history(&self.state, Some(&self.engine)).await
    }

    /// The session of the group's running container (`session` or its newest).
    pub async fn live_session(
        &self,
        group: &str,
        session: Option<&str>,
    ) -> Result<(SessionDirs, RunRecord), RunError> {
        super::live_session(&self.state, &self.engine, group, session).await
    }
}

/// What the post-start mount check leaves the run with.
enum Bound {
    /// The agent may be given its prompt.
    Ready,
    /// The agent exited first (with this code); it was given nothing.
    Gone(Option<i64>),
}

/// The record of a run that never started, with the error as its reason.
fn failed_record(req: &RunRequest, e: &RunError) -> RunRecord {
    let now = jiff::Timestamp::now();
    RunRecord {
        schema_version: 1,
        id: new_id(),
        group: req.group.clone(),
        session: req.session.clone().unwrap_or_default(),
        image: req.image.clone().unwrap_or_default(),
        container: String::new(),
        container_id: None,
        owner: req.owner.clone(),
        started_at: now,
        ended_at: Some(now),
        exit_code: None,
        state: if matches!(e, RunError::Engine { .. } | RunError::Io { .. }) {
            RunState::Failed
        } else {
            RunState::Refused
        },
        reason: Some(e.to_string()),
        binds: Vec::new(),
        mode: req.mode,
        chat_jid: req.chat_jid.clone(),
        turns: 0,
        result: None,
        error: None,
        agent_session: None,
        caller: None,
        mappings: Vec::new(),
    }
}

/// Records a run that did not start (history + audit) and returns its record.
/// Also for callers that cannot build a [`Runner`] at all (no engine).
pub async fn refuse(
    state: &StateDir,
    audit: &AuditLog,
    req: &RunRequest,
    e: &RunError,
) -> RunRecord {
    let rec = failed_record(req, e);
    if let Err(err) = rec.save(state) {
        tracing::error!(run = %rec.id, error = %err, "cannot save the record of a refused run");
    }
    let reason = rec.reason.clone().unwrap_or_default();
    let _ = audit
        .record_async(NewEvent::run_refused(&req.group, &rec.id, &reason))
        .await;
    // Info, not a warning: the caller reports the refusal itself (a CLI
    // would print it twice), and the audit log has it.
    tracing::info!(run = %rec.id, group = %req.group, reason = %reason, "run did not start");
    rec
}
